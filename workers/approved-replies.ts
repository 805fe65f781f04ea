/**
 * Replies staff approved whose send job was never queued (Redis was away
 * when they pressed the button): the worker role queues them again. The job
 * id is the one the dashboard uses (`<messageId>-approve-<replyId>`), and
 * BullMQ adds nothing for an id it still holds, so a reply whose job is
 * waiting, running or retrying is not queued twice; the reply stage sends only
 * a `pending` or `failed` record, so a reply already sent is not sent again.
 */
import type { Store } from '../core/ports/store';
import type { QueueSet } from './queues';

/** Queues every approved reply still waiting to be sent; resolves with how many it queued. */
export async function requeueApprovedReplies(store: Store, queues: Pick<QueueSet, 'enqueue'>): Promise<number> {
  let queued = 0;
  for (const reply of await store.listReplies({ state: 'pending' })) {
    // Only approved ones: a pending reply that was never held belongs to its mail's own job.
    if (!reply.held) continue;
    const app = await store.getApplication(reply.applicationId);
    const revision = app?.revisions.find((r) => r.revision === reply.revision);
    if (!revision) continue;
    await queues.enqueue('reply', revision.messageId, { key: `approve-${reply.id}`, replyId: reply.id });
    queued++;
  }
  return queued;
}
