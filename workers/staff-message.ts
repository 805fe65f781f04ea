/**
 * Reply stage, a message staff wrote (core/reply/staff-message.ts): sent as
 * the automatic replies are (this worker, the office's SMTP, a copy in Sent,
 * counted by the hourly reply limit, never to a bounced address), but without
 * the automatic-reply headers, in the thread of the applicant's mail.
 *
 * Once per key, as an automatic reply is once per decision: the worker claims
 * the message in the store (a lease, core/ports/staff-message-sends.ts) before
 * the mail server gets it and records it sent after. A second run of the job
 * (its BullMQ lock ran out while SMTP was slow, a double press) finds the
 * claim, or the sent mark, and does not send. A failure that ends the job is
 * recorded (`message.failed`), so the page says "Not sent" instead of
 * "Sending" for ever, and staff can ask again (a new attempt).
 */
import { MESSAGE_EVENTS, STAFF_MESSAGE_KIND, staffMessageJobKey, threadOf, type StaffMessage } from '../core/reply/staff-message';
import { failureOf, SEND_FAILURES } from '../core/reply/staff-message-send';
import type { StoredMail } from '../core/stored/stored-mail';
import { codeOf, missingFile, ReplyInFlightError, STAGE_ERROR_CODES, StageInputError } from './errors';
import type { QueueSet } from './queues';
import type { StageContext } from './stage-context';

/** How far back in an application's events a message's outcome is looked for (messages older than the send records). */
const EVENTS_LOOKED_AT = 1000;
const ACTOR = 'worker:reply';

/**
 * Sends the message staff wrote under `key`, answering the mail `messageId`.
 * @throws StageInputError (no retry) for a missing text or mail, another mail's message, or a refusal
 *   by the mail server (recorded failed first); ReplyInFlightError while another worker's claim runs;
 *   the mail server's transient errors (retried).
 */
export async function sendStaffMessage(messageId: string, key: string, ctx: StageContext): Promise<void> {
  const message = await ctx.files.readJson<StaffMessage>(STAFF_MESSAGE_KIND, key).catch(missingFile('the staff message is missing'));
  if (message.messageId !== messageId) throw new StageInputError(STAGE_ERROR_CODES.UNKNOWN_MESSAGE, 'the staff message answers another mail');
  // A message requested before sends were recorded in the store has its outcome in the event log only.
  const events = await ctx.store.listEvents(message.applicationId, EVENTS_LOOKED_AT);
  if (events.some((e) => (e.action === MESSAGE_EVENTS.sent || e.action === MESSAGE_EVENTS.none) && e.detail.key === key)) return;
  const at = () => ctx.now().toISOString();
  const mail = await ctx.files.readJson<StoredMail>('mail', messageId).catch(missingFile('the parsed mail is missing'));
  const thread = threadOf(mail);

  const now = ctx.now();
  const until = new Date(now.getTime() + (ctx.replySendLeaseMs ?? 300_000)).toISOString();
  const { claim } = await ctx.store.claimStaffMessageSend(key, message.applicationId, now.toISOString(), until);
  // Sent, or failed and waiting for staff to ask again: this run (a late copy of the job) has nothing to do.
  if (claim === 'sent' || claim === 'failed') return;
  // Another worker is in the middle of sending it: the retry finds it sent, or takes over once the lease ends.
  if (claim === 'in-flight') throw new ReplyInFlightError();
  // Checked holding the claim, so that ending it here cannot cut into another worker's send.
  const since = new Date(now.getTime() - (ctx.bounceExpiryDays ?? 30) * 86_400_000).toISOString();
  if (await ctx.store.isAddressBounced(message.to, since)) {
    // Not sent, and shown so: staff may clear the bounce mark (the applicant fixed the mailbox) and try again.
    await ctx.store.markStaffMessageFailed(key, message.applicationId, SEND_FAILURES.bounced, ACTOR, at(), { leaseEnded: true });
    return;
  }
  if (claim === 'taken-over') {
    // The earlier claim ran out with nothing recorded: its worker died between taking the message and
    // recording the outcome, so the mail server may or may not have it. We send again, as the automatic
    // replies do (workers/reply.ts): the lease outlasts the SMTP timeouts, so the earlier send is over,
    // and a message staff wrote and the office believes sent must not be lost; a duplicate carries the
    // same Message-ID (below), so the applicant's mail client and the Sent copy show it as one message.
    // Not silently: the event log and the page say it was sent again after an interruption.
    ctx.logger.warn({ key, applicationId: message.applicationId }, 'a staff message send was interrupted; sending it again with the same Message-ID');
    await ctx.store.appendEvent({ actor: ACTOR, action: MESSAGE_EVENTS.interrupted, subject: message.applicationId, detail: { key }, at: at() });
  }

  // Staff are not held back by the hourly caps (as with an approved reply), but the message counts towards them.
  await ctx.replyRate.count(message.to, `message-${key}`);
  let raw: Buffer;
  try {
    ({ raw } = await ctx.sendMail({
      from: ctx.replyFrom,
      to: { email: message.to },
      subject: message.subject,
      text: message.body,
      ...(thread.inReplyTo ? { inReplyTo: thread.inReplyTo } : {}),
      references: thread.references,
      // The same id on every attempt: should a crash hide that a send went through, the copy is recognisable.
      messageId: `<message-${key}@esor-intake>`,
      automatic: false,
    }));
  } catch (err) {
    await ctx.replyRate.release(message.to, `message-${key}`).catch(() => undefined);
    if ((err as { transient?: boolean }).transient !== false) {
      // Retried with backoff: the claim is given back so the retry can take it at once.
      await ctx.store.releaseStaffMessageSend(key).catch(() => undefined);
      throw err;
    }
    await ctx.store.markStaffMessageFailed(key, message.applicationId, failureOf(codeOf(err)), ACTOR, at(), { leaseEnded: true });
    throw new StageInputError(STAGE_ERROR_CODES.REPLY_REJECTED, 'the mail server refused the staff message');
  }
  await ctx.store.markStaffMessageSent(key, ACTOR, at());
  await ctx.saveSentCopy(raw).catch((err: unknown) => ctx.logger.warn({ err: { code: (err as { code?: string }).code }, key }, 'could not keep a copy of a staff message in Sent'));
}

/**
 * The queue gave up on a staff message's job (its attempts ran out, or an error no retry can mend): the
 * message is recorded failed with the reason its error's code gives, unless its outcome is recorded
 * already (a refusal the worker recorded, a send that went through). Never throws: it runs in the
 * queue's failure listener, and only logs what it could not record.
 */
export async function recordStaffMessageGivenUp(ctx: Pick<StageContext, 'store' | 'files' | 'logger' | 'now'>, key: string, code: string): Promise<void> {
  try {
    const send = await ctx.store.getStaffMessageSend(key);
    const applicationId = send?.applicationId ?? (await ctx.files.readJson<StaffMessage>(STAFF_MESSAGE_KIND, key).catch(() => undefined))?.applicationId;
    if (!applicationId) {
      ctx.logger.warn({ key, code }, 'a staff message job failed, and neither its send record nor its text is there to record it on');
      return;
    }
    await ctx.store.markStaffMessageFailed(key, applicationId, failureOf(code), ACTOR, ctx.now().toISOString());
  } catch (err) {
    ctx.logger.error({ key, code: codeOf(err) }, 'could not record a failed staff message');
  }
}

/**
 * Messages recorded to send whose job may never have been queued (Redis was away when staff pressed
 * Send or Try again): the worker role queues them again, at start and every minute, as it does approved
 * replies (workers/approved-replies.ts). The job id is the one the dashboard uses for that attempt, and
 * BullMQ adds nothing for an id it still holds, so a message whose job is waiting, running or retrying is
 * not queued twice; the claim keeps a message from going out twice whatever runs.
 * @returns how many it asked the queue for. @throws StoreError as listStaffMessageSends.
 */
export async function requeueStaffMessages(ctx: Pick<StageContext, 'store' | 'files'>, queues: Pick<QueueSet, 'enqueue'>): Promise<number> {
  let queued = 0;
  for (const send of await ctx.store.listStaffMessageSends({ state: 'queued' })) {
    // Its text is gone (erased): there is nothing to send.
    const message = await ctx.files.readJson<StaffMessage>(STAFF_MESSAGE_KIND, send.key).catch(() => undefined);
    if (!message) continue;
    await queues.enqueue('reply', message.messageId, { key: staffMessageJobKey(send.key, send.attempt), staffMessage: send.key });
    queued++;
  }
  return queued;
}
