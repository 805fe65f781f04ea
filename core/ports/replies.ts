/**
 * Replies to applicants, reserved before they are sent so a retry never sends
 * twice, and the addresses that bounced (never answered again while marked).
 */
import type { Status } from '../types';

export const REPLY_STATES = ['held', 'pending', 'sent', 'failed', 'discarded'] as const;
export type ReplyState = (typeof REPLY_STATES)[number];

export interface ReplyRecord {
  id: string;
  applicationId: string;
  revision: number;
  status: Status;
  to: string;
  subject: string;
  body: string;
  state: ReplyState;
  /** Whether it was reserved as held for staff approval (stays true after approval). */
  held: boolean;
  inReplyTo?: string;
  /** Message-ID of the mail as sent. */
  messageId?: string;
  error?: string;
  /** Send attempts recorded (each markReplySent / markReplyFailed counts one). */
  attempts: number;
  /** The staff user who approved or discarded it. */
  decidedBy?: string;
  createdAt: string;
  updatedAt: string;
  sentAt?: string;
}

/** A reply to reserve: held replies wait for staff approval; the others are `pending` (ready to send). */
export type NewReply = Pick<ReplyRecord, 'applicationId' | 'revision' | 'status' | 'to' | 'subject' | 'body' | 'held' | 'inReplyTo'>;

export interface ReplyFilter {
  state?: ReplyState;
  applicationId?: string;
  /** Default: all. */
  limit?: number;
}

export interface Replies {

  /**
   * Reserves (writes) a reply BEFORE it is sent, unique per (applicationId, revision, status):
   * a second reservation returns `{ isNew: false }` and the existing row, whatever its state,
   * so a retry after a crash cannot send twice. Callers check `isAddressBounced` first.
   * @throws StoreError STORE_NOT_FOUND (no such revision), STORE_INVALID_INPUT (unknown status, empty `to`).
   */
  reserveReply(input: NewReply): Promise<{ reply: ReplyRecord; isNew: boolean }>;
  /**
   * pending|failed -> sent. Repeating it with the same messageId is a no-op.
   * @throws StoreError STORE_NOT_FOUND, STORE_INVALID_STATE (held, discarded, or sent with another messageId),
   *   STORE_INVALID_INPUT (sentAt not a date).
   */
  markReplySent(id: string, messageId: string, sentAt: string): Promise<void>;
  /**
   * Takes the right to hand this reply to the mail server until `until` (ISO): true when it is pending or
   * failed and no live lease (one ending after `now`) is held; false when another worker holds one or the
   * reply is no longer to send (sent, held, discarded). A lease is given back by releaseReplySend, and ends
   * with markReplySent / markReplyFailed.
   * @throws StoreError STORE_NOT_FOUND.
   */
  claimReplySend(id: string, now: string, until: string): Promise<boolean>;
  /** Gives a send lease back (the send failed and will be retried). */
  releaseReplySend(id: string): Promise<void>;
  /**
   * pending|failed -> failed, counting the attempt.
   * @throws StoreError STORE_NOT_FOUND, STORE_INVALID_STATE (held, sent, discarded).
   */
  markReplyFailed(id: string, error: string): Promise<void>;
  /**
   * pending|failed -> held, for staff, with the reason (kept in `error`): a reply over an hourly cap
   * waits for a person instead of being dropped. Holding a held reply is a no-op.
   * @throws StoreError STORE_NOT_FOUND, STORE_INVALID_STATE (sent, discarded), STORE_INVALID_INPUT (empty reason).
   */
  holdReply(id: string, reason: string): Promise<void>;
  /**
   * held -> pending, optionally with an edited subject/body; logs a `reply.approved` event
   * by `actor` in the same transaction.
   * @throws StoreError STORE_NOT_FOUND, STORE_INVALID_STATE (not held).
   */
  approveReply(id: string, actor: string, edited?: { subject?: string; body?: string }): Promise<ReplyRecord>;
  /**
   * held|pending|failed -> discarded; logs a `reply.discarded` event by `actor`.
   * Discarding a discarded reply is a no-op.
   * @throws StoreError STORE_NOT_FOUND, STORE_INVALID_STATE (already sent).
   */
  discardReply(id: string, actor: string): Promise<void>;
  getReply(id: string): Promise<ReplyRecord | undefined>;
  /** Oldest first. */
  listReplies(filter?: ReplyFilter): Promise<ReplyRecord[]>;

  // ---- bounces

  /**
   * Bounced addresses are never answered again (case-insensitive).
   * @throws StoreError STORE_INVALID_INPUT (empty address, `at` not a date).
   */
  markAddressBounced(email: string, at: string): Promise<void>;
  /**
   * With `since`, only a bounce at or after that time counts: marks expire, so an address whose
   * mailbox was full a month ago is tried again.
   * @throws StoreError STORE_INVALID_INPUT (`since` not a date).
   */
  isAddressBounced(email: string, since?: string): Promise<boolean>;
  /**
   * Staff clear a mark (the applicant fixed the mailbox); logs `bounce.cleared` by `actor` in the
   * same transaction. @returns whether there was a mark.
   * @throws StoreError STORE_INVALID_INPUT (empty address or actor, `at` not a date).
   */
  clearAddressBounce(email: string, actor: string, at: string): Promise<boolean>;
}
