/**
 * The sending of messages staff write to applicants (core/reply/staff-message.ts), one row per
 * message key. The row is what makes a message go out once: a worker claims it (a lease, taken
 * atomically) before handing it to the mail server and records it sent after, so a second run of
 * the same job (its BullMQ lock ran out while SMTP was slow, or a worker died mid-send) finds the
 * claim or the sent mark and does not send again. A message whose sending failed for good stays
 * `failed` until staff ask for it again (a new attempt).
 *
 * Every change the page shows is logged in the same transaction (`message.requested`, `.sent`,
 * `.failed`, `.retried`, ids and codes only), so the event log and the row never disagree.
 */

export const STAFF_MESSAGE_SEND_STATES = ['queued', 'sending', 'sent', 'failed'] as const;
export type StaffMessageSendState = (typeof STAFF_MESSAGE_SEND_STATES)[number];

export interface StaffMessageSend {
  key: string;
  applicationId: string;
  /** queued: waiting for a worker; sending: claimed by one (see leaseUntil); sent; failed: waits for staff. */
  state: StaffMessageSendState;
  /** 1, then one more each time staff ask again for a message that failed. */
  attempt: number;
  /** The end of the last claim; kept while a claim may still be sending. */
  leaseUntil?: string;
  /** Why the attempt failed: a code, never a server's words (they may quote an address). */
  error?: string;
  sentAt?: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * What a claim found:
 * - `claimed`: the caller holds the lease and sends;
 * - `taken-over`: the caller holds the lease, but an earlier claim ran out without a sent or failed
 *   mark, so whether that earlier send reached the mail server is unknown (the caller decides);
 * - `in-flight`: another claim's lease is still running: do not send now;
 * - `sent`, `failed`: nothing to send (a failed message waits for staff's retry).
 */
export type StaffMessageClaim = 'claimed' | 'taken-over' | 'in-flight' | 'sent' | 'failed';

export interface StaffMessageSends {
  /**
   * Records a message to send (queued, attempt 1) and logs `message.requested` { key } by `actor`.
   * A key already recorded is returned as it is (isNew false, nothing logged): a double press.
   * @throws StoreError STORE_INVALID_INPUT (empty key, application id or actor, `at` not a date).
   */
  requestStaffMessage(key: string, applicationId: string, actor: string, at: string): Promise<{ send: StaffMessageSend; isNew: boolean }>;
  /**
   * Takes the right to hand the message to the mail server until `until` (ISO), unless it is sent,
   * failed, or another claim's lease ends after `now`. A key not recorded yet (requested before
   * sends were recorded) is recorded by its first claim.
   * @throws StoreError STORE_INVALID_INPUT (times not dates, empty key or application id).
   */
  claimStaffMessageSend(key: string, applicationId: string, now: string, until: string): Promise<{ claim: StaffMessageClaim; send: StaffMessageSend }>;
  /** Gives a claim back after a send that certainly did not go (it will be retried): sending -> queued. */
  releaseStaffMessageSend(key: string): Promise<void>;
  /**
   * -> sent (whatever the state: a send that went through is the truth) and logs `message.sent` { key }
   * by `actor`; repeating it is a no-op.
   * @throws StoreError STORE_NOT_FOUND, STORE_INVALID_INPUT (`sentAt` not a date).
   */
  markStaffMessageSent(key: string, actor: string, sentAt: string): Promise<void>;
  /**
   * queued|sending -> failed with `reason` (a code) and logs `message.failed` { key, reason, attempt };
   * a key not recorded yet is recorded failed. The lease is kept unless `leaseEnded` (the caller holds
   * it and its send is over): a send that may still be running keeps a retry waiting until it ends.
   * @returns false when nothing changed (already failed, or sent).
   * @throws StoreError STORE_INVALID_INPUT.
   */
  markStaffMessageFailed(key: string, applicationId: string, reason: string, actor: string, at: string, opts?: { leaseEnded?: boolean }): Promise<boolean>;
  /**
   * Staff ask again for a failed message: failed at `attempt` -> queued at attempt + 1, logging
   * `message.retried` { key, attempt } by `actor`. Any other state or attempt changes nothing (a
   * second press of the same button): the record is returned as it is, for the caller to compare.
   * @returns undefined for an unknown key.
   * @throws StoreError STORE_INVALID_INPUT.
   */
  retryStaffMessage(key: string, attempt: number, actor: string, at: string): Promise<StaffMessageSend | undefined>;
  getStaffMessageSend(key: string): Promise<StaffMessageSend | undefined>;
  /**
   * Oldest first (by creation), optionally only those in `state`; default all.
   * @throws StoreError STORE_INVALID_INPUT (unknown state, limit not a positive integer).
   */
  listStaffMessageSends(filter?: { state?: StaffMessageSendState; limit?: number }): Promise<StaffMessageSend[]>;
}
