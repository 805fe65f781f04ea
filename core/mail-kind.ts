/**
 * What kind of e-mail this is, before anyone looks at a PDF: mail written by
 * a machine (auto-replies, bounces, list mail, our own replies coming back)
 * must never be triaged as an application nor be answered, or two
 * auto-responders end up writing to each other forever (RFC 3834).
 *
 * The mail shapes live here, not in the mail adapter, so that the pure core
 * depends on nothing at the edge; `adapters/mail-reader.ts` fills them in and
 * re-exports them.
 *
 * Pure: no I/O, no clock. The words come from `rules/mail.yaml` (admins edit
 * them), loaded and validated elsewhere and passed in as `MachineMailPatterns`.
 */
import { foldText } from './normalize';

export interface MailAttachment {
  /** Decoded (RFC 2231 / RFC 2047) and NFC-normalised; empty when the part named none. */
  filename: string;
  /** Lowercased MIME type as declared (mailparser refines `application/octet-stream` from the name). */
  contentType: string;
  size: number;
  content: Buffer;
  /** Decided from the declared type, the name and the magic bytes together. */
  isPdf: boolean;
  /** `Content-Disposition: inline`, or an embedded (cid) part of `multipart/related`. */
  inline: boolean;
  /** Found inside an attached or forwarded `message/rfc822`. */
  fromEmbeddedMessage: boolean;
}

export interface MailAddress {
  email: string;
  name?: string;
}

/** What machine-mail detection and threading need; values are lowercased strings, unfolded. */
export interface MailHeaders {
  autoSubmitted?: string;
  precedence?: string;
  xAutoreply?: string;
  xAutorespond?: string;
  xAutoResponseSuppress?: string;
  listId?: string;
  listUnsubscribe?: string;
  returnPath?: string;
  xFailedRecipients?: string;
  /** Top-level MIME type, with the report-type parameter when there is one: `multipart/report; report-type=delivery-status`. */
  contentType?: string;
  xLoop?: string;
  /** Our own loop header: every reply we send carries `X-ESOR-Intake: auto-reply`. */
  xEsorIntake?: string;
}

export interface ReadMail {
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  subject: string;
  date?: Date;
  from?: MailAddress;
  replyTo?: MailAddress;
  to: MailAddress[];
  /** Plain-text body (converted from HTML when there is no text part), at most 50 000 characters. */
  text: string;
  /** In the order they appear in the message; parts of embedded messages at the place of that message. */
  attachments: MailAttachment[];
  headers: MailHeaders;
  /** Non-fatal oddities noticed while parsing; fixed wording, never personal data. */
  problems: string[];
}

export interface MachineMailPatterns {
  outOfOfficeSubjects: string[];
  bounceSubjects: string[];
  /** Local parts (before the @) of senders that are always machines: mailer-daemon, postmaster, ... */
  machineSenders: string[];
  /** Local parts of addresses nobody reads: noreply, do-not-reply, ... */
  noReplySenders: string[];
  questionWithoutApplication?: never;
}

export type MachineMailKind = 'auto_reply' | 'bounce' | 'list' | 'loop';

export interface MachineMailVerdict {
  machine: boolean;
  /** Which signal decided, e.g. "Auto-Submitted: auto-replied"; never the subject or an address. */
  reason?: string;
  kind?: MachineMailKind;
}

/**
 * Reply and forward markers in the languages of the call's applicants
 * (RE, AW, TR, FW, WG, SV, RIF, RV, ENC, ODP, PD, ΑΠ, ΣΧΕΤ, ...). They are the
 * mail clients' conventions, not office wording, so they stay in code.
 */
const REPLY_PREFIXES = new Set([
  're', 'aw', 'antw', 'antwort', 'tr', 'fw', 'fwd', 'wg', 'sv', 'vs', 'vl', 'rif', 'r', 'i', 'rv', 'res', 'enc', 'fs',
  'odp', 'pd', 'prz', 'απ', 'σχετ', 'προς', 'ref', 'doorst',
]);

const AUTO_RESPONSE_SUPPRESS_AUTO_VALUES = new Set(['all', 'oof', 'autoreply']);
const NEGATIVE_FLAG_VALUES = new Set(['no', 'false', '0', 'off']);

/**
 * The project's shared folding (case, accents, Greek final sigma, letters
 * like ł), plus punctuation as spaces, so "Réponse automatique :" and
 * "REPONSE AUTOMATIQUE -" are the same phrase. NFKC first: some clients
 * send full-width or ligature forms.
 */
function normalizePhrase(text: string): string {
  return foldText(text.normalize('NFKC'))
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Every form of the subject a pattern may start: as is, then with each reply/forward marker peeled off. */
function listSubjectStarts(subject: string): string[] {
  const starts: string[] = [];
  let rest = subject.trim();
  // Bounded: a subject has only so many "RE: AW: FW:" layers worth peeling.
  for (let i = 0; i < 10; i++) {
    starts.push(normalizePhrase(rest));
    const match = /^\s*([\p{L}]{1,7})\s*(\[\d+\]|\(\d+\))?\s*[:：]\s*/u.exec(rest);
    if (!match || !REPLY_PREFIXES.has(normalizePhrase(match[1] ?? ''))) break;
    rest = rest.slice(match[0].length);
  }
  return starts;
}

/**
 * Single words ("Ausente", "Afwezig", "Undeliverable:") count only where a
 * client puts them, at the start of the subject; phrases of two words or
 * more ("out of office", "fuori sede") also count anywhere as whole phrases.
 * A lone word anywhere would catch applicants' own subjects ("documento ausente").
 */
function matchesSubject(subject: string, patterns: string[]): boolean {
  if (!subject.trim()) return false;
  const starts = listSubjectStarts(subject);
  const whole = ` ${starts[0] ?? ''} `;
  for (const pattern of patterns) {
    const phrase = normalizePhrase(pattern);
    if (!phrase) continue;
    if (starts.some((start) => start === phrase || start.startsWith(`${phrase} `))) return true;
    if (phrase.includes(' ') && whole.includes(` ${phrase} `)) return true;
  }
  return false;
}

/** Local part split on the usual separators: "No_Reply.Alerts+x" -> ["no", "reply", "alerts"]. */
function tokenizeLocalPart(email: string): string[] {
  const at = email.lastIndexOf('@');
  const local = (at >= 0 ? email.slice(0, at) : email).toLowerCase().split('+')[0] ?? '';
  return local.split(/[-_.]+/).filter(Boolean);
}

/** The pattern whose tokens appear in a row inside the local part, or glued together make the whole of it. */
function matchesLocalPart(email: string, patterns: string[]): string | undefined {
  const tokens = tokenizeLocalPart(email);
  if (tokens.length === 0) return undefined;
  const glued = tokens.join('');
  for (const pattern of patterns) {
    const wanted = tokenizeLocalPart(pattern);
    if (wanted.length === 0) continue;
    if (glued === wanted.join('')) return pattern;
    // "noreply" also covers "alerts-noreply"; "no-reply" covers "no_reply.alerts".
    for (let i = 0; i + wanted.length <= tokens.length; i++) {
      if (wanted.every((token, j) => tokens[i + j] === token)) return pattern;
    }
  }
  return undefined;
}

/** The first token of a header value (`auto-replied; owner-email=...` -> `auto-replied`). */
function readToken(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const token = value.split(/[;,\s]/)[0]?.trim().toLowerCase() ?? '';
  return token === '' ? undefined : token;
}

function readReportType(contentType: string | undefined): { type?: string; reportType?: string } {
  if (!contentType) return {};
  const type = readToken(contentType);
  const reportType = /report-type\s*=\s*"?([a-z0-9-]+)/i.exec(contentType)?.[1]?.toLowerCase();
  return { type, reportType };
}

function isPresentFlag(value: string | undefined): boolean {
  if (value === undefined) return false;
  const token = readToken(value);
  return token !== undefined && !NEGATIVE_FLAG_VALUES.has(token);
}

/**
 * Tells mail written by a machine from mail written by a person.
 *
 * The signals are checked from the most specific to the most general, so the
 * verdict names the strongest one: our own loop header first (our reply came
 * back: never answer it), then bounces and delivery reports, then
 * auto-replies, then list mail. A Postfix bounce also says
 * `Auto-Submitted: auto-replied`, and is reported as a bounce.
 *
 * `X-Loop` alone is not a signal: forwarding filters (procmail and the like)
 * add it to ordinary mail, so an office mailbox behind such a forward would
 * see every application as machine mail. It counts only when it names us.
 *
 * Never throws.
 */
export function detectMachineMail(
  mail: Pick<ReadMail, 'subject' | 'from' | 'headers'>,
  patterns: MachineMailPatterns,
): MachineMailVerdict {
  const headers = mail.headers ?? {};
  const subject = mail.subject ?? '';
  const senderEmail = mail.from?.email ?? '';

  if (headers.xEsorIntake !== undefined) {
    return { machine: true, kind: 'loop', reason: 'X-ESOR-Intake header (our own reply came back)' };
  }
  if (headers.xLoop !== undefined && /esor[-_ ]?intake/i.test(headers.xLoop)) {
    return { machine: true, kind: 'loop', reason: 'X-Loop header names esor-intake' };
  }

  const { type, reportType } = readReportType(headers.contentType);
  // An abuse/feedback report (ARF, RFC 5965) from a mailbox provider: machine mail, never an application,
  // and never a bounce even from a machine sender (it says nothing about whether an address exists).
  if (type === 'multipart/report' && reportType === 'feedback-report') {
    return { machine: true, kind: 'auto_reply', reason: 'feedback report (multipart/report; report-type=feedback-report)' };
  }
  if (type === 'multipart/report' && reportType === 'delivery-status') {
    return { machine: true, kind: 'bounce', reason: 'delivery status report (multipart/report; report-type=delivery-status)' };
  }
  if (headers.xFailedRecipients !== undefined) {
    return { machine: true, kind: 'bounce', reason: 'X-Failed-Recipients header' };
  }
  const machineSender = matchesLocalPart(senderEmail, patterns.machineSenders);
  if (machineSender !== undefined) {
    return { machine: true, kind: 'bounce', reason: `machine sender (${machineSender})` };
  }
  if (matchesSubject(subject, patterns.bounceSubjects)) {
    return { machine: true, kind: 'bounce', reason: 'bounce subject' };
  }
  if (type === 'multipart/report' && reportType === 'disposition-notification') {
    return { machine: true, kind: 'auto_reply', reason: 'read receipt (multipart/report; report-type=disposition-notification)' };
  }

  const autoSubmitted = readToken(headers.autoSubmitted);
  if (autoSubmitted !== undefined && autoSubmitted !== 'no') {
    return { machine: true, kind: 'auto_reply', reason: `Auto-Submitted: ${autoSubmitted}` };
  }
  if (isPresentFlag(headers.xAutoreply)) {
    return { machine: true, kind: 'auto_reply', reason: 'X-Autoreply header' };
  }
  if (isPresentFlag(headers.xAutorespond)) {
    return { machine: true, kind: 'auto_reply', reason: 'X-Autorespond header' };
  }
  // Outlook also sends DR/NDR/RN values on ordinary mail: only these three mean "I am an auto-reply".
  const suppress = (headers.xAutoResponseSuppress ?? '')
    .toLowerCase()
    .split(/[,;\s]+/)
    .filter((value) => AUTO_RESPONSE_SUPPRESS_AUTO_VALUES.has(value));
  if (suppress.length > 0) {
    return { machine: true, kind: 'auto_reply', reason: `X-Auto-Response-Suppress: ${suppress.join(', ')}` };
  }
  const precedence = readToken(headers.precedence);
  if (precedence === 'auto_reply' || precedence === 'junk') {
    return { machine: true, kind: 'auto_reply', reason: `Precedence: ${precedence}` };
  }
  if (matchesSubject(subject, patterns.outOfOfficeSubjects)) {
    return { machine: true, kind: 'auto_reply', reason: 'out-of-office subject' };
  }
  // RFC 3834 asks auto-responders to send with an empty envelope sender; people never do.
  if (headers.returnPath !== undefined && /^<\s*>$/.test(headers.returnPath.trim())) {
    return { machine: true, kind: 'auto_reply', reason: 'empty Return-Path' };
  }

  if (headers.listId !== undefined) {
    return { machine: true, kind: 'list', reason: 'List-Id header' };
  }
  if (headers.listUnsubscribe !== undefined) {
    return { machine: true, kind: 'list', reason: 'List-Unsubscribe header' };
  }
  if (precedence === 'bulk' || precedence === 'list') {
    return { machine: true, kind: 'list', reason: `Precedence: ${precedence}` };
  }

  return { machine: false };
}

/**
 * True when nobody reads mail sent to this address: a no-reply sender or a
 * machine sender (mailer-daemon, postmaster). The reply stage asks this
 * before sending anything; an empty or unparseable address also answers true,
 * since there is nobody to reply to.
 *
 * Never throws.
 */
export function isNoReplyAddress(email: string, patterns: MachineMailPatterns): boolean {
  const trimmed = (email ?? '').trim().replace(/^<|>$/g, '');
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || at === trimmed.length - 1) return true;
  return (
    matchesLocalPart(trimmed, patterns.noReplySenders) !== undefined ||
    matchesLocalPart(trimmed, patterns.machineSenders) !== undefined
  );
}
