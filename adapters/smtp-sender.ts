/**
 * Sends the automatic replies over SMTP (nodemailer) and hands back the exact
 * bytes that were sent, so the caller can APPEND the same message to the
 * IMAP Sent folder: the message is composed once (MailComposer) and that raw
 * message goes through the transport unchanged (`envelope` + `raw`).
 *
 * Every reply is marked as an automatic response, so that other responders
 * (out-of-office, vacation, ticket systems) do not answer it and two machines
 * do not write to each other forever:
 *
 * - `Auto-Submitted: auto-replied`   RFC 3834 § 5, the standard signal.
 * - `X-Auto-Response-Suppress: All`  Exchange/Outlook honour this instead.
 * - `X-ESOR-Intake: auto-reply`      our own loop header: if a reply ever comes
 *                                    back into the office mailbox,
 *                                    core/mail-kind.ts drops it as a loop.
 * - no `Precedence`: RFC 3834 § 3.1.8 only allows it ("MAY") and warns that the
 *   field is non-standard and read differently everywhere; some providers file
 *   `Precedence: bulk/junk` mail as bulk or spam, which an applicant waiting
 *   for "what to fix" must not suffer.
 *
 * The envelope sender is the office address, not the null sender RFC 3834
 * § 3.3 suggests: submission servers refuse `MAIL FROM:<>` from an
 * authenticated user, and the office wants bounces back to stop answering an
 * address that does not exist.
 *
 * Errors: every failure is an SmtpError with a stable code and `transient`
 * (retry with backoff) or not (a retry gets the same answer). Messages hold
 * no addresses and no server text, since servers echo the recipient.
 */
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';

export interface MailAddress {
  email: string;
  name?: string;
}

export interface OutgoingReply {
  from: MailAddress;
  to: MailAddress;
  subject: string;
  text: string;
  inReplyTo?: string;
  references: string[];
  /** Deterministic, given by the caller (e.g. `<reply-ID@host>`), so a retried send is recognisable as the same reply. */
  messageId: string;
  /** The Date header; the current time when absent. */
  date?: Date;
  /**
   * false for a message a person wrote (staff writing to an applicant): no `Auto-Submitted` nor
   * `X-Auto-Response-Suppress` (an out-of-office SHOULD answer a person), only our loop header.
   */
  automatic?: boolean;
}

export interface SmtpSender {
  /**
   * Sends one reply to its one recipient.
   * @returns the Message-ID and the raw RFC 5322 message exactly as sent.
   * @throws SmtpError (see SMTP_ERROR_CODES); `transient` says whether a retry can succeed.
   */
  send(m: OutgoingReply): Promise<{ messageId: string; raw: Buffer }>;
  /** Closes the transport; a later `send` throws SMTP_SENDER_CLOSED. */
  close(): void;
}

export interface SmtpSenderOptions {
  host: string;
  port: number;
  /** true: TLS from the first byte (port 465); false: plain, upgraded by STARTTLS when the server offers it. */
  secure: boolean;
  auth?: { user: string; pass: string };
  /** Host name announced in EHLO. */
  name?: string;
  connectionTimeoutMs?: number;
}

/** The SMTP settings as configuration holds them (services/common/config.ts `smtp`); only the fields the transport needs. */
export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string | undefined;
  password?: string | undefined;
}

/**
 * The transport options for configured SMTP settings. One mapping for the
 * reply sender and both digest mailers, so that a setting added here reaches
 * all of them. A login is used only when both user and password are set: a
 * relay that accepts the office's mail without authentication is common.
 */
export function smtpOptionsFromSettings(s: SmtpSettings): SmtpSenderOptions {
  return { host: s.host, port: s.port, secure: s.secure, ...(s.user && s.password ? { auth: { user: s.user, pass: s.password } } : {}) };
}

/** The stable codes of SmtpError. */
export const SMTP_ERROR_CODES = {
  /** The server refused the message or its recipient for good (5xx, e.g. 550 unknown recipient). Permanent. */
  rejected: 'SMTP_REJECTED',
  /** The server said "not now" (4xx, e.g. 421, 451, 452). Transient. */
  temporary: 'SMTP_TEMPORARY',
  /** No usable connection: refused, reset, timed out, DNS. Transient. */
  connection: 'SMTP_CONNECTION',
  /** The TLS handshake or STARTTLS failed. Transient (a network fault looks the same; a bad setting fails every retry). */
  tls: 'SMTP_TLS',
  /** Login refused or credentials missing. Permanent: the settings must change. */
  auth: 'SMTP_AUTH',
  /** The reply itself cannot be sent (bad Message-ID or address). Permanent. */
  invalidMessage: 'SMTP_INVALID_MESSAGE',
  /** `send` after `close`. Permanent for this sender. */
  closed: 'SMTP_SENDER_CLOSED',
  /** Anything else; treated as transient so that the queue's bounded retries decide. */
  failed: 'SMTP_FAILED',
} as const;
export type SmtpErrorCode = (typeof SMTP_ERROR_CODES)[keyof typeof SMTP_ERROR_CODES];

export class SmtpError extends Error {
  constructor(
    readonly code: SmtpErrorCode,
    readonly transient: boolean,
    message: string,
    /** The SMTP reply code when the server answered (550, 451, ...). */
    readonly responseCode?: number,
    /** The SMTP command the server answered (RCPT TO, DATA, ...). */
    readonly command?: string,
  ) {
    super(message);
    this.name = 'SmtpError';
  }
}

const AUTO_REPLY_HEADERS = {
  'Auto-Submitted': 'auto-replied',
  'X-Auto-Response-Suppress': 'All',
  'X-ESOR-Intake': 'auto-reply',
};

/** nodemailer writes header names in its own casing; keep ours as mail-kind and RFC 3834 spell them. */
const HEADER_SPELLING: Record<string, string> = { 'X-Esor-Intake': 'X-ESOR-Intake' };

const MESSAGE_ID = /^<[^<>\s@]+@[^<>\s@]+>$/;
const ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+$/;

/** Nodemailer errors carry these beside `code`. */
interface NodemailerFailure {
  code?: string;
  responseCode?: number;
  permanent?: boolean;
  command?: string;
}

/** The nodemailer transport for these settings: short timeouts, no file or URL access. Shared with the digest mailer. */
export function createSmtpTransport(opts: SmtpSenderOptions) {
  const timeout = opts.connectionTimeoutMs ?? 30_000;
  return nodemailer.createTransport({
    host: opts.host,
    port: opts.port,
    secure: opts.secure,
    ...(opts.auth ? { auth: { user: opts.auth.user, pass: opts.auth.pass } } : {}),
    ...(opts.name ? { name: opts.name } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    // The whole DATA phase of a short text reply takes well under this; a stalled server must not hold a worker for nodemailer's 10 minutes.
    socketTimeout: Math.max(timeout * 2, 60_000),
    logger: false,
    // A reply is plain text we composed; nothing in it may make nodemailer read files or fetch URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
}

export function createSmtpSender(opts: SmtpSenderOptions): SmtpSender {
  const transport = createSmtpTransport(opts);
  let closed = false;

  return {
    async send(m: OutgoingReply) {
      if (closed) throw new SmtpError(SMTP_ERROR_CODES.closed, false, 'the SMTP sender is closed');
      const raw = await composeReply(m);
      let info: { rejected?: unknown[] };
      try {
        info = await transport.sendMail({ envelope: { from: m.from.email, to: [m.to.email] }, raw });
      } catch (err) {
        throw toSmtpError(err);
      }
      // With one recipient a refusal normally throws; a server that accepts DATA after refusing RCPT must not count as sent.
      if (Array.isArray(info.rejected) && info.rejected.length > 0) {
        throw new SmtpError(SMTP_ERROR_CODES.rejected, false, 'the SMTP server refused the recipient', undefined, 'RCPT TO');
      }
      return { messageId: m.messageId, raw };
    },
    close() {
      closed = true;
      transport.close();
    },
  };
}

/**
 * The reply as RFC 5322 bytes with CRLF line ends: the transport sends CRLF
 * anyway, and the copy for the Sent folder must equal what was sent.
 * @throws SmtpError SMTP_INVALID_MESSAGE
 */
export async function composeReply(m: OutgoingReply): Promise<Buffer> {
  if (!MESSAGE_ID.test(m.messageId)) {
    throw new SmtpError(SMTP_ERROR_CODES.invalidMessage, false, 'the Message-ID must look like <id@host>');
  }
  if (!ADDRESS.test(m.from.email) || !ADDRESS.test(m.to.email)) {
    throw new SmtpError(SMTP_ERROR_CODES.invalidMessage, false, 'the sender or the recipient is not an e-mail address');
  }
  const composer = new MailComposer({
    from: toAddress(m.from),
    to: toAddress(m.to),
    subject: m.subject,
    text: m.text,
    messageId: m.messageId,
    date: m.date ?? new Date(),
    ...(m.inReplyTo ? { inReplyTo: m.inReplyTo } : {}),
    ...(m.references.length > 0 ? { references: m.references } : {}),
    headers: m.automatic === false ? { 'X-ESOR-Intake': 'staff-message' } : { ...AUTO_REPLY_HEADERS },
    newline: 'win',
    normalizeHeaderKey: (key: string) => HEADER_SPELLING[key] ?? key,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  try {
    return await composer.compile().build();
  } catch {
    throw new SmtpError(SMTP_ERROR_CODES.invalidMessage, false, 'the reply could not be composed');
  }
}

function toAddress(a: MailAddress): { name: string; address: string } | string {
  return a.name ? { name: a.name, address: a.email } : a.email;
}

/** Maps a nodemailer failure to a stable code: 4xx and connection faults are transient, 5xx (but 503) permanent. */
export function toSmtpError(err: unknown): SmtpError {
  if (err instanceof SmtpError) return err;
  const e = (err ?? {}) as NodemailerFailure;
  const command = typeof e.command === 'string' ? e.command : undefined;
  if (typeof e.responseCode === 'number') {
    const permanent = e.permanent ?? (e.responseCode >= 500 && e.responseCode < 600 && e.responseCode !== 503);
    if (e.code === 'EAUTH') {
      return new SmtpError(SMTP_ERROR_CODES.auth, !permanent, `the SMTP server refused the login (${e.responseCode})`, e.responseCode, command);
    }
    return permanent
      ? new SmtpError(SMTP_ERROR_CODES.rejected, false, `the SMTP server refused the reply (${e.responseCode})`, e.responseCode, command)
      : new SmtpError(SMTP_ERROR_CODES.temporary, true, `the SMTP server asked to try again later (${e.responseCode})`, e.responseCode, command);
  }
  switch (e.code) {
    case 'ECONNECTION':
    case 'ESOCKET':
    case 'ETIMEDOUT':
    case 'EDNS':
    case 'EPROXY':
      return new SmtpError(SMTP_ERROR_CODES.connection, true, `no usable connection to the SMTP server (${e.code})`, undefined, command);
    case 'ETLS':
      return new SmtpError(SMTP_ERROR_CODES.tls, true, 'the TLS handshake with the SMTP server failed', undefined, command);
    case 'EAUTH':
    case 'ENOAUTH':
      return new SmtpError(SMTP_ERROR_CODES.auth, false, `the SMTP login failed (${e.code})`, undefined, command);
    case 'EENVELOPE':
      return new SmtpError(SMTP_ERROR_CODES.invalidMessage, false, 'the SMTP envelope is invalid', undefined, command);
    default:
      return new SmtpError(SMTP_ERROR_CODES.failed, true, `sending over SMTP failed (${e.code ?? 'unknown error'})`, undefined, command);
  }
}
