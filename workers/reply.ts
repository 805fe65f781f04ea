/**
 * Stage 4, reply: chooses the reply the verdict calls for (pure core),
 * never to machines, no-reply or bounced addresses, nor to a sender the
 * office's mail server failed; at most a few per sender and a cap in all
 * per hour (over a cap the reply is held for staff, never dropped); writes
 * the reply record BEFORE sending, so a retry after a crash cannot send the
 * same decision twice; keeps a copy in Sent. A job with `staffMessage` sends
 * the message staff wrote instead (workers/staff-message.ts).
 */
import { chooseRecipient, chooseReply } from '../core/reply/choose-reply';
import { missingFile, ReplyInFlightError, STAGE_ERROR_CODES, StageInputError } from './errors';
import { advanceMessageState } from './message-state';
import { sendStaffMessage } from './staff-message';
import type { Stage, StageContext } from './stage-context';
import { replyMailOf, whyNotAnswer, type StoredMail } from '../core/stored/stored-mail';

export const reply: Stage = {
  name: 'reply',
  async run({ messageId, hold, replyId, staffMessage }, ctx) {
    if (staffMessage) return sendStaffMessage(messageId, staffMessage, ctx);
    const revision = await ctx.store.getRevisionByMessage(messageId);
    if (!revision) throw new StageInputError(STAGE_ERROR_CODES.UNKNOWN_MESSAGE, 'no verdict stored for this message');
    const mail = await ctx.files.readJson<StoredMail>('mail', messageId).catch(missingFile('the parsed mail is missing'));
    const rules = ctx.rules().rules;
    const result = revision.result;
    const programme = rules.programmes.find((p) => p.id === result.programme);
    const replyMail = replyMailOf(mail);
    const to = chooseRecipient(replyMail);
    const doNotAnswer = whyNotAnswer(mail, to?.email, to ? await ctx.store.isAddressBounced(to.email, bouncesSince(ctx)) : false);
    const decision = chooseReply({
      result,
      ...(programme ? { programme } : {}),
      common: rules.common,
      replies: rules.replies,
      mail: replyMail,
      ...(doNotAnswer ? { doNotAnswer } : {}),
    });
    const at = ctx.now().toISOString();
    // A reply staff approved: send that record (its text may be edited, its status may be older than an
    // amended verdict), unless the address bounced meanwhile; the hourly limit does not hold staff back.
    const approved = replyId ? await ctx.store.getReply(replyId) : undefined;
    if (replyId && (!approved || approved.applicationId !== revision.applicationId)) {
      throw new StageInputError(STAGE_ERROR_CODES.UNKNOWN_MESSAGE, 'no such reply for this message');
    }
    if (approved && (await ctx.store.isAddressBounced(approved.to, bouncesSince(ctx)))) {
      await ctx.store.appendEvent({ actor: 'worker:reply', action: 'reply.none', subject: revision.applicationId, detail: { messageId, replyId, reason: 'the address bounced before' }, at });
      return;
    }
    if (!approved && decision.action === 'none') {
      await ctx.store.appendEvent({ actor: 'worker:reply', action: 'reply.none', subject: revision.applicationId, detail: { messageId, reason: decision.reason }, at });
      ctx.observe?.reply?.(result.status, 'skipped');
      await advanceMessageState(ctx, messageId, 'replied');
      return;
    }
    const reserve = async () => {
      if (decision.action === 'none') throw new Error('unreachable: no reply to reserve');
      return ctx.store.reserveReply({
        applicationId: revision.applicationId,
        revision: revision.revision,
        status: result.status,
        to: decision.to.email,
        subject: decision.subject,
        body: decision.text,
        held: decision.action === 'hold' || hold === true,
        ...(decision.inReplyTo ? { inReplyTo: decision.inReplyTo } : {}),
      });
    };
    const { reply: record, isNew } = approved ? { reply: approved, isNew: false } : await reserve();
    if (record.state === 'held' || record.state === 'discarded' || record.state === 'sent') {
      if (isNew && record.state === 'held') {
        await ctx.store.appendEvent({ actor: 'worker:reply', action: 'reply.held', subject: revision.applicationId, detail: { replyId: record.id, status: result.status }, at });
        ctx.observe?.reply?.(result.status, 'held');
      }
      await advanceMessageState(ctx, messageId, 'replied');
      return;
    }
    // The hourly caps hold back what the rules would send by themselves, not what staff approved;
    // a slot is taken before sending and given back if the send fails, so only replies sent count.
    if (!approved) {
      const over = await ctx.replyRate.claim(record.to, record.id);
      if (over) {
        await ctx.store.holdReply(record.id, over);
        await ctx.store.appendEvent({ actor: 'worker:reply', action: 'reply.held', subject: revision.applicationId, detail: { replyId: record.id, status: result.status, reason: over }, at });
        ctx.observe?.reply?.(result.status, 'held');
        await advanceMessageState(ctx, messageId, 'replied');
        return;
      }
    } else {
      await ctx.replyRate.count(record.to, record.id);
    }
    // Threading as chosen now; for an approved reply that the rules would no longer send (the hourly
    // limit), from the record and the applicant's mail.
    const thread =
      decision.action !== 'none'
        ? { to: decision.to, inReplyTo: decision.inReplyTo, references: decision.references }
        : { to: { email: record.to }, inReplyTo: record.inReplyTo, references: [...mail.references, ...(mail.headerMessageId ? [mail.headerMessageId] : [])] };
    const outgoing = {
      from: ctx.replyFrom,
      to: thread.to.email === record.to ? thread.to : { email: record.to },
      subject: record.subject,
      text: record.body,
      ...(thread.inReplyTo ? { inReplyTo: thread.inReplyTo } : {}),
      references: thread.references,
      // The same id on every attempt: should a crash hide that a send went through, the copy is recognisable.
      messageId: `<reply-${record.id}@esor-intake>`,
    };
    // Only the holder of the send lease hands the reply to the mail server: a job whose lock ran out while
    // it was sending runs again in another worker, and SMTP cannot take a second copy back.
    const now = ctx.now();
    if (!(await ctx.store.claimReplySend(record.id, now.toISOString(), new Date(now.getTime() + (ctx.replySendLeaseMs ?? 300_000)).toISOString()))) {
      throw new ReplyInFlightError();
    }
    let raw: Buffer;
    try {
      ({ raw } = await ctx.sendMail(outgoing));
    } catch (err) {
      await ctx.store.releaseReplySend(record.id).catch(() => undefined);
      await ctx.replyRate.release(record.to, record.id).catch(() => undefined);
      const transient = (err as { transient?: boolean }).transient !== false;
      if (transient) throw err; // retried with backoff; the reservation stays pending
      await ctx.store.markReplyFailed(record.id, (err as { code?: string }).code ?? 'SMTP_REJECTED');
      ctx.observe?.reply?.(result.status, 'failed');
      throw new StageInputError(STAGE_ERROR_CODES.REPLY_REJECTED, 'the mail server refused the reply');
    }
    await ctx.store.markReplySent(record.id, outgoing.messageId, ctx.now().toISOString());
    await ctx.store.appendEvent({ actor: 'worker:reply', action: 'reply.sent', subject: revision.applicationId, detail: { replyId: record.id, status: result.status }, at });
    ctx.observe?.reply?.(result.status, 'sent');
    await ctx.saveSentCopy(raw).catch((err: unknown) => ctx.logger.warn({ err: { code: (err as { code?: string }).code }, replyId: record.id }, 'could not keep a copy in Sent'));
    await advanceMessageState(ctx, messageId, 'replied');
  },
};

/** Bounces older than the configured days no longer count. */
function bouncesSince(ctx: StageContext): string {
  return new Date(ctx.now().getTime() - (ctx.bounceExpiryDays ?? 30) * 86_400_000).toISOString();
}
