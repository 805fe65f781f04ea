/**
 * The ledger state only moves forward. A job can run again after its mail
 * went further (a worker killed after the stage's work but before BullMQ
 * recorded the job as completed: the job stalls and runs again), and that
 * late run must not put an answered, filed mail back to `analysed`: the
 * poller would never file it, and the next stage's job, already completed,
 * is not queued again.
 */
import type { MessageState } from '../core/ports/store';
import type { StageContext } from './stage-context';

const RANK: Record<MessageState, number> = { received: 0, analysed: 1, triaged: 2, replied: 3, failed: 3, done: 4 };

/** Sets `state` unless the mail is already there or further. @throws StoreError as setMessageState. */
export async function advanceMessageState(ctx: Pick<StageContext, 'store'>, messageId: string, state: MessageState, error?: string): Promise<void> {
  const current = (await ctx.store.getMessage(messageId))?.state;
  if (current !== undefined && RANK[current] >= RANK[state]) return;
  await ctx.store.setMessageState(messageId, state, error);
}
