/**
 * Stage 1, ingest: parses the raw mail (mailparser), tells machine mail from
 * applicants' mail, keeps the PDFs content-addressed, and records bounced
 * addresses so they are never answered again.
 */
import { readMail, unreadableReason } from '../adapters/mail-reader';
import { detectMachineMail, isNoReplyAddress } from '../core/mail-kind';
import { judgeSenderAuthentication, listAuthenticationResultsHeaders } from '../core/mail/authentication-results';
import { readDeliveryFailure } from '../core/mail/delivery-status';
import { toMachinePatterns } from '../adapters/rules-loader';
import { missingFile, STAGE_ERROR_CODES, StageInputError } from './errors';
import type { Stage, StageContext } from './stage-context';
import type { StoredMail } from '../core/stored/stored-mail';

export const ingest: Stage = {
  name: 'ingest',
  async run({ messageId }, ctx) {
    const record = await ctx.store.getMessage(messageId);
    if (!record) throw new StageInputError(STAGE_ERROR_CODES.UNKNOWN_MESSAGE, 'the ledger has no such message');
    const raw = await ctx.files.readFile(record.rawPath).catch(missingFile('the raw mail file is missing'));
    // Over the limit, only the header block is parsed: a huge mail must not take the worker's memory,
    // and the applicant still hears why nothing was read (analyse turns `tooLarge` into unreadable_pdf).
    const limit = ctx.maxMessageBytes ?? Infinity;
    const tooLarge = raw.length > limit ? `the e-mail is ${megabytes(raw.length)} MB, above the ${megabytes(limit)} MB we accept` : undefined;
    const mail = await readMail(tooLarge ? headerBlock(raw) : raw);
    const patterns = toMachinePatterns(ctx.rules().rules);
    const machine = detectMachineMail(mail, patterns);
    const unreadable = unreadableReason(mail);
    if (machine.machine) await markBouncedRecipients(ctx, raw, mail.text);
    // The header block of the raw mail, where the office's server wrote its Authentication-Results.
    const senderAuth = judgeSenderAuthentication(listAuthenticationResultsHeaders(headerBlock(raw).toString('latin1')), ctx.trustedAuthservIds ?? []);
    const pdfs: StoredMail['pdfs'] = [];
    if (!machine.machine) {
      for (const a of mail.attachments.filter((x) => x.isPdf)) {
        const { sha256, path } = await ctx.files.putBlob('pdf', a.content, '.pdf');
        pdfs.push({ filename: a.filename || `attachment-${pdfs.length + 1}.pdf`, path, sha256, size: a.size });
      }
    }
    const sender = mail.replyTo?.email ?? mail.from?.email ?? '';
    const stored: StoredMail = {
      subject: mail.subject,
      text: mail.text,
      ...(mail.from ? { from: mail.from } : {}),
      ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
      ...(mail.messageId ? { headerMessageId: mail.messageId } : {}),
      references: mail.references,
      ...receivedTimes(ctx, record, mail.date),
      ...(machine.machine ? { machine: { reason: machine.reason ?? 'machine mail', kind: machine.kind } } : {}),
      noReplySender: isNoReplyAddress(sender, patterns),
      otherAttachments: mail.attachments.filter((a) => !a.isPdf).map((a) => ({ filename: a.filename, contentType: a.contentType })),
      pdfs,
      ...(tooLarge && !machine.machine ? { tooLarge } : {}),
      senderAuth,
      ...(unreadable ? { unreadable } : {}),
    };
    await ctx.files.writeJson('mail', messageId, stored);
    await ctx.store.appendEvent({
      actor: 'worker:ingest',
      action: 'mail.parsed',
      subject: messageId,
      detail: { pdfs: pdfs.length, otherAttachments: stored.otherAttachments.length, machine: machine.kind ?? null },
      at: ctx.now().toISOString(),
    });
    await ctx.enqueue('analyse', messageId);
  },
};

/** The ledger account of mail pushed in by `esor-intake replay` (services/run-commands.ts). */
const REPLAY_ACCOUNT = 'replay';

/**
 * The received time (contract § 5). The ledger's time is the office server's arrival time (IMAP
 * INTERNALDATE) for polled mail: with `server`, that is judged, since a sender writes its own Date
 * header. A replayed mail's ledger time is only when it was replayed, so its Date header is judged.
 * Both times are kept for `received_date_mismatch`.
 */
function receivedTimes(ctx: StageContext, record: { account: string; receivedAt: string }, date: Date | undefined): Pick<StoredMail, 'receivedAt' | 'receivedFrom' | 'serverReceivedAt' | 'headerDate'> {
  const server = new Date(record.receivedAt);
  const fromServer = (ctx.receivedTime ?? 'server') === 'server' && record.account !== REPLAY_ACCOUNT && !Number.isNaN(server.getTime());
  return {
    receivedAt: (fromServer ? server : (date ?? server)).toISOString(),
    receivedFrom: fromServer ? 'server' : 'header',
    ...(record.account !== REPLAY_ACCOUNT && !Number.isNaN(server.getTime()) ? { serverReceivedAt: server.toISOString() } : {}),
    ...(date ? { headerDate: date.toISOString() } : {}),
  };
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0);
}

/** The mail's header block (up to the first empty line), with an empty body. */
function headerBlock(raw: Buffer): Buffer {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const end = [crlf, lf].filter((i) => i >= 0).sort((a, b) => a - b)[0];
  return Buffer.concat([raw.subarray(0, end ?? Math.min(raw.length, 64 * 1024)), Buffer.from('\r\n\r\n')]);
}

/**
 * Marks an address bounced only on a delivery report that quotes one of our own replies (its
 * Message-ID holds an unguessable id) and fails that reply's very recipient permanently: anyone
 * can send a mail that looks like a bounce, and a mark stops the replies to an applicant.
 */
async function markBouncedRecipients(ctx: StageContext, raw: Buffer, text: string): Promise<void> {
  // The report and the returned headers sit near the top; a huge attachment below is not read.
  const source = raw.subarray(0, 512 * 1024).toString('latin1');
  const report = readDeliveryFailure([source, text]);
  if (report.replyIds.length === 0 || report.failedRecipients.length === 0) return;
  const failed = new Set(report.failedRecipients);
  for (const id of report.replyIds) {
    const sent = await ctx.store.getReply(id);
    if (!sent || sent.state !== 'sent' || !failed.has(sent.to.trim().toLowerCase())) continue;
    await ctx.store.markAddressBounced(sent.to, ctx.now().toISOString());
    await ctx.store.appendEvent({ actor: 'worker:ingest', action: 'reply.bounced', subject: sent.applicationId, detail: { replyId: sent.id }, at: ctx.now().toISOString() });
  }
}
