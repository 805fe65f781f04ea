/**
 * Messages staff write to an applicant (issue 12, point 3): a person's mail,
 * so it goes out without the automatic-reply headers, in the thread of the
 * applicant's mail. Its text lives in the BlobStore (kind STAFF_MESSAGE_KIND,
 * under its key), the event log records only ids (`message.requested`, then
 * `message.sent` or `message.none` with the key), so the log stays free of
 * personal data. The key comes from the form, so pressing the button twice
 * asks for one message; the reply worker sends a key once.
 *
 * Pure: no I/O, no clock.
 */
import { fillTemplate } from './fill-template';

export const STAFF_MESSAGE_KIND = 'staff_message';
export const STAFF_TEMPLATE_PLACEHOLDERS = ['applicant_name', 'programme_title', 'missing'] as const;
export const MESSAGE_EVENTS = {
  requested: 'message.requested',
  sent: 'message.sent',
  /** Not sent, by decision (the address bounced): nothing to try again. */
  none: 'message.none',
  /** Not sent, by failure (refused, unreachable): staff may ask again. */
  failed: 'message.failed',
  /** Staff asked again for a failed message. */
  retried: 'message.retried',
  /** An earlier send's claim ran out with its outcome unknown, and the message is sent again. */
  interrupted: 'message.send_interrupted',
} as const;

/** What the BlobStore keeps of a message. */
export interface StaffMessage {
  applicationId: string;
  /** The ledger id of the applicant's mail it answers (the thread). */
  messageId: string;
  to: string;
  subject: string;
  body: string;
  by: string;
  at: string;
}

export interface StaffTemplate {
  name: string;
  body: string;
}

/**
 * The job key (workers/queues.ts `enqueue` opts.key) of a message's attempt: one job per attempt, so a
 * second press finds its job and staff's retry after a failure gets a new one (the failed job stays).
 */
export function staffMessageJobKey(key: string, attempt: number): string {
  return attempt === 1 ? `message-${key}` : `message-${key}-retry-${attempt}`;
}

/** A form's message key: random, long enough not to be guessed or repeated, and a BlobStore segment (a letter or digit first). */
export function isMessageKey(s: unknown): s is string {
  return typeof s === 'string' && /^[A-Za-z0-9][A-Za-z0-9_-]{15,63}$/.test(s);
}

/**
 * A template filled for one applicant; a line whose placeholder has no value (no missing
 * documents, no name) is left out, as in the automatic replies.
 */
export function fillStaffTemplate(t: StaffTemplate, values: { applicantName?: string; programmeTitle?: string; missing: readonly string[] }): string {
  const v = {
    applicant_name: values.applicantName ?? 'applicant',
    programme_title: values.programmeTitle,
    missing: values.missing.length > 0 ? values.missing.map((m) => `- ${m}`).join('\n') : undefined,
  };
  return fillTemplate(t.body, v);
}

/** "Re: <subject>" without piling up markers. */
export function replySubject(subject: string, fallback: string): string {
  const rest = subject.replace(/\s+/g, ' ').trim().replace(/^((re|aw|sv|antw|r)\s*:\s*)+/i, '');
  return `Re: ${rest || fallback}`;
}

/** In-Reply-To and References of a reply to a mail with these headers (RFC 5322 § 3.6.4). */
export function threadOf(mail: { headerMessageId?: string; references: readonly string[] }): { inReplyTo?: string; references: string[] } {
  return mail.headerMessageId ? { inReplyTo: mail.headerMessageId, references: [...mail.references, mail.headerMessageId] } : { references: [...mail.references] };
}
