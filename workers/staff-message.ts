/**
 * Reply stage, a message staff wrote (core/reply/staff-message.ts): sent as
 * the automatic replies are (this worker, the office's SMTP, a copy in Sent,
 * counted by the hourly reply limit, never to a bounced address), but without
 * the automatic-reply headers, in the thread of the applicant's mail.
 *
 * Once per key: a `message.sent` event with the key ends it (a second job, a
 * retry, a double press); the Message-ID is the key's, so should a crash fall
 * between the SMTP hand-over and that event, the copy a retry sends is
 * recognisable as the same message.
 */
import { MESSAGE_EVENTS, STAFF_MESSAGE_KIND, threadOf, type StaffMessage } from '../core/reply/staff-message';
import type { StoredMail } from '../core/stored/stored-mail';
import { missingFile, STAGE_ERROR_CODES, StageInputError } from './errors';
import type { StageContext } from './stage-context';

/** How far back in an application's events a message's outcome is looked for. */
const EVENTS_LOOKED_AT = 1000;

export async function sendStaffMessage(messageId: string, key: string, ctx: StageContext): Promise<void> {
  const message = await ctx.files.readJson<StaffMessage>(STAFF_MESSAGE_KIND, key).catch(missingFile('the staff message is missing'));
  if (message.messageId !== messageId) throw new StageInputError(STAGE_ERROR_CODES.UNKNOWN_MESSAGE, 'the staff message answers another mail');
  const events = await ctx.store.listEvents(message.applicationId, EVENTS_LOOKED_AT);
  const done = events.some((e) => (e.action === MESSAGE_EVENTS.sent || e.action === MESSAGE_EVENTS.none) && e.detail.key === key);
  if (done) return;
  const at = () => ctx.now().toISOString();
  const since = new Date(ctx.now().getTime() - (ctx.bounceExpiryDays ?? 30) * 86_400_000).toISOString();
  if (await ctx.store.isAddressBounced(message.to, since)) {
    await ctx.store.appendEvent({ actor: 'worker:reply', action: MESSAGE_EVENTS.none, subject: message.applicationId, detail: { key, reason: 'the address bounced before' }, at: at() });
    return;
  }
  const mail = await ctx.files.readJson<StoredMail>('mail', messageId).catch(missingFile('the parsed mail is missing'));
  const thread = threadOf(mail);
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
      messageId: `<message-${key}@esor-intake>`,
      automatic: false,
    }));
  } catch (err) {
    await ctx.replyRate.release(message.to, `message-${key}`).catch(() => undefined);
    if ((err as { transient?: boolean }).transient !== false) throw err;
    await ctx.store.appendEvent({ actor: 'worker:reply', action: MESSAGE_EVENTS.none, subject: message.applicationId, detail: { key, reason: 'the mail server refused it' }, at: at() });
    throw new StageInputError(STAGE_ERROR_CODES.REPLY_REJECTED, 'the mail server refused the staff message');
  }
  await ctx.store.appendEvent({ actor: 'worker:reply', action: MESSAGE_EVENTS.sent, subject: message.applicationId, detail: { key }, at: at() });
  await ctx.saveSentCopy(raw).catch((err: unknown) => ctx.logger.warn({ err: { code: (err as { code?: string }).code }, key }, 'could not keep a copy of a staff message in Sent'));
}
