/**
 * Whether a message staff wrote may be handed to the mail server now (core/ports/staff-message-sends.ts):
 * the decision both stores take inside their transaction, and the reasons a failure is recorded with.
 *
 * Pure: the clock is the `now` passed in (ISO strings in toISOString form, so text order is time order).
 */
import type { StaffMessageClaim, StaffMessageSend } from '../ports/staff-message-sends';

/**
 * What a claim at `now` finds. A lease that has not ended belongs to a worker that may be in the
 * middle of the SMTP conversation: nobody else sends. A lease that ended on a message still
 * `sending` means its worker neither recorded the send nor gave the claim back: it died (or hung
 * past the SMTP timeouts, which are shorter than the lease), so the outcome of its send is unknown.
 */
export function claimOf(send: Pick<StaffMessageSend, 'state' | 'leaseUntil'> | undefined, now: string): StaffMessageClaim {
  if (!send) return 'claimed';
  if (send.state === 'sent' || send.state === 'failed') return send.state;
  if (send.leaseUntil !== undefined && send.leaseUntil > now) return 'in-flight';
  return send.state === 'sending' ? 'taken-over' : 'claimed';
}

/** Whether the claim lets the caller send (it then holds the lease). */
export function maySend(claim: StaffMessageClaim): boolean {
  return claim === 'claimed' || claim === 'taken-over';
}

/**
 * Why a message was not sent, as recorded (`message.failed` detail.reason) and worded on the
 * application page (services/dashboard/views/staff-message.ts).
 */
export const SEND_FAILURES = {
  /** The mail server refused it for good (5xx: an unknown recipient, a message it will not take). */
  refused: 'refused',
  /** The mail server could not be reached, or kept answering "try later", for as long as the queue retries. */
  unreachable: 'unreachable',
  /** The mail server refused the office's login: its settings must change. */
  settings: 'settings',
  /** The applicant's address bounced a mail of ours lately: staff clear the bounce mark first. */
  bounced: 'bounced',
  /** Anything else that ended the job (its text or the applicant's mail went missing, a worker kept dying). */
  failed: 'failed',
} as const;
export type SendFailure = (typeof SEND_FAILURES)[keyof typeof SEND_FAILURES];

const FAILURE_OF_CODE: Readonly<Record<string, SendFailure>> = {
  SMTP_REJECTED: 'refused',
  SMTP_INVALID_MESSAGE: 'refused',
  REPLY_REJECTED: 'refused',
  SMTP_TEMPORARY: 'unreachable',
  SMTP_CONNECTION: 'unreachable',
  SMTP_TLS: 'unreachable',
  SMTP_FAILED: 'unreachable',
  // Another worker's claim outlived every retry: it hung past its lease, as a mail server that never answers does.
  REPLY_IN_FLIGHT: 'unreachable',
  SMTP_AUTH: 'settings',
  SMTP_SENDER_CLOSED: 'settings',
};

/** The reason recorded for an error's stable code (adapters/smtp-sender.ts, workers/errors.ts). */
export function failureOf(code: string): SendFailure {
  return FAILURE_OF_CODE[code] ?? SEND_FAILURES.failed;
}
