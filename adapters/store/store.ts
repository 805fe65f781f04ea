/**
 * The one interface every caller uses to reach the store: the message ledger,
 * triaged applications and their revisions, section files, replies, bounced
 * addresses and the event log. No database appears here, so a PostgreSQL
 * store can replace the SQLite one (sqlite-store.ts) without touching callers.
 *
 * Every method returns a Promise even though SQLite answers synchronously:
 * a PostgreSQL client cannot, and an interface that is synchronous today would
 * make that change touch every caller.
 *
 * Times are ISO-8601 strings chosen by the caller (the clock stays out of the
 * store); they are stored normalised to UTC (`toISOString()` form), so they
 * sort as text. Only `createdAt`/`updatedAt` bookkeeping and the events the
 * store writes itself for staff actions use the clock injected at open.
 *
 * Each method is atomic: it changes all of its rows or none.
 */
import type { Facts, Flag, SectionId, SectionSpan, Status, TriageResult } from '../../core/types';

// ---------------------------------------------------------------- errors

/**
 * The stable error codes of the store. A caller decides retry or fail by code
 * (or by `transient`), never by message.
 *
 * - `STORE_NOT_FOUND`      the id named does not exist.
 * - `STORE_INVALID_INPUT`  an argument is malformed (not a sha256, a UID that is no positive integer, a time that is no date, ...). Never succeeds on retry.
 * - `STORE_INVALID_STATE`  the change is not allowed from the record's current state (approving a reply that is not held, ...). Never succeeds on retry.
 * - `STORE_CONFLICT`       the input contradicts what is stored (another hash at a location already recorded). Never succeeds on retry.
 * - `STORE_SCHEMA_TOO_NEW` the file was migrated by a newer version of the service.
 * - `STORE_CLOSED`         the store was used after `close()`.
 * - `STORE_BUSY`           another process held the database longer than the busy timeout. Transient.
 * - `STORE_IO`             any other database failure (disk full, I/O error). Transient as far as the store can tell.
 */
export const STORE_ERROR_CODES = [
  'STORE_NOT_FOUND',
  'STORE_INVALID_INPUT',
  'STORE_INVALID_STATE',
  'STORE_CONFLICT',
  'STORE_SCHEMA_TOO_NEW',
  'STORE_CLOSED',
  'STORE_BUSY',
  'STORE_IO',
] as const;
export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number];

const TRANSIENT_CODES: ReadonlySet<StoreErrorCode> = new Set<StoreErrorCode>(['STORE_BUSY', 'STORE_IO']);

export class StoreError extends Error {
  /** True when the same call may succeed later (a queue job should retry, not fail). */
  readonly transient: boolean;
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
    this.transient = TRANSIENT_CODES.has(code);
  }
}

/** True when `err` is a StoreError, optionally with the given code. */
export function isStoreError(err: unknown, code?: StoreErrorCode): err is StoreError {
  return err instanceof StoreError && (code === undefined || err.code === code);
}

// ---------------------------------------------------------------- messages (the ledger)

export const MESSAGE_STATES = ['received', 'analysed', 'triaged', 'replied', 'done', 'failed'] as const;
export type MessageState = (typeof MESSAGE_STATES)[number];

/** Where a message sits in the mailbox: UIDs are only meaningful with their UIDVALIDITY. */
export interface MailLocation {
  account: string;
  mailbox: string;
  /** UIDVALIDITY as text: a 32-bit unsigned number that callers need not parse. */
  uidValidity: string;
  uid: number;
}

export interface MessageRecord extends MailLocation {
  /**
   * The ledger id, lowercase hex: the SHA-256 of the mail without the header fields added in transit
   * (services/poller.ts `mailKey`), so two deliveries of one mail share it. The location fields are
   * where it was first seen.
   */
  id: string;
  size: number;
  receivedAt: string;
  rawPath: string;
  state: MessageState;
  error?: string;
  /** The folder it was moved to. */
  folder?: string;
  createdAt: string;
  updatedAt: string;
}

export type NewMessage = Omit<MessageRecord, 'state' | 'createdAt' | 'updatedAt' | 'error' | 'folder'>;

// ---------------------------------------------------------------- applications

export interface TriageInput {
  /** The ledger id (sha256) of the message that was triaged. */
  messageId: string;
  result: TriageResult;
  /** Hash of the rule files that decided, to tell later which rules a verdict came from. */
  rulesHash: string;
  /**
   * Who applied: the sender's e-mail (lowercased and trimmed by the store).
   * `null` when unknown: such a message is never grouped with another.
   */
  applicantKey: string | null;
  decidedAt: string;
}

/** The latest verdict before this one, for the `resubmission` flag and the reply. */
export interface PreviousRevision {
  revision: number;
  status: Status;
  /** Flag codes. */
  flags: string[];
  messageId: string;
}

export interface SavedTriage {
  applicationId: string;
  revision: number;
  /** True when this call stored the revision; false when the message had been saved before. */
  isNew: boolean;
  /** Absent for the first revision of an application. */
  previous?: PreviousRevision;
  /** Other programmes the same applicant applied to (known programmes only, sorted): the `duplicate_application` flag. */
  otherProgrammes: string[];
}

export interface RevisionView {
  revision: number;
  messageId: string;
  status: Status;
  flags: Flag[];
  facts: Facts;
  sections: SectionSpan[];
  missing: SectionId[];
  /** The mail's date (the result's `receivedAt`, else the ledger's). */
  receivedAt: string;
  decidedAt: string;
  rulesHash: string;
  /** The result document in force: as triage produced it, or as last amended by staff (`amendRevision`). */
  result: TriageResult;
  /** Present when staff amended the result: who, when, what action, why. The original is in the event log. */
  amended?: { by: string; at: string; action: string; reason?: string };
}

export interface ApplicationSummary {
  id: string;
  /** `null`: the mail did not say which programme. */
  programme: string | null;
  /** From the latest revision. */
  applicantEmail: string | null;
  applicantName: string | null;
  /** Of the latest revision. */
  status: Status;
  /** Flag codes of the latest revision. */
  flags: string[];
  revisionCount: number;
  /** Set when a member of staff marked the application reviewed (cleared by a new revision). */
  reviewedBy?: string;
  reviewedAt?: string;
  /** Of the latest revision. */
  receivedAt: string;
  decidedAt: string;
  createdAt: string;
  updatedAt: string;
}

export interface ApplicationView extends ApplicationSummary {
  latest: RevisionView;
  /** Oldest first. */
  revisions: RevisionView[];
}

export interface ApplicationFilter {
  /** A programme id, or `null` for applications whose programme is unknown. */
  programme?: string | null;
  status?: Status;
  /** Only applications whose latest revision carries this flag code. */
  flag?: string;
  /** Latest revision received on or after / before this ISO time (`receivedAt`). */
  receivedFrom?: string;
  receivedBefore?: string;
  /** Case-insensitive substring of the applicant's name or e-mail. */
  search?: string;
  /** Default `decided` (latest decision first). */
  sort?: 'decided' | 'received' | 'name' | 'status' | 'programme';
  /** Default `desc`. */
  order?: 'asc' | 'desc';
  /** Only applications not yet marked reviewed (true) or only reviewed ones (false). */
  unreviewed?: boolean;
  /** Default 100. */
  limit?: number;
  offset?: number;
}

export interface SectionFile {
  /** A section id, or `other`. */
  section: string;
  /** [first, last], 1-based, inclusive. */
  pages: [number, number];
  path: string;
  sha256: string;
}

// ---------------------------------------------------------------- replies

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

export interface NewReply {
  applicationId: string;
  revision: number;
  status: Status;
  to: string;
  subject: string;
  body: string;
  /** Held replies wait for staff approval; the others are `pending` (ready to send). */
  held: boolean;
  inReplyTo?: string;
}

export interface ReplyFilter {
  state?: ReplyState;
  applicationId?: string;
  /** Default: all. */
  limit?: number;
}

// ---------------------------------------------------------------- staff: users, sessions, notes

export const USER_ROLES = ['staff', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export interface UserRecord {
  /** The login name: lowercase letters, digits, `.`, `_`, `-`; 1..64 characters. */
  username: string;
  role: UserRole;
  /** An encoded password hash (see services/dashboard/passwords.ts); the store never sees a password. */
  passwordHash: string;
  createdAt: string;
  updatedAt: string;
}

export interface SessionRecord {
  /** SHA-256 (hex) of the session token: the token itself lives only in the browser's cookie. */
  id: string;
  username: string;
  role: UserRole;
  /** The per-session CSRF token every form posts back. */
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

export interface NoteRecord {
  id: number;
  applicationId: string;
  author: string;
  text: string;
  at: string;
}

export interface AmendRevision {
  applicationId: string;
  revision: number;
  /** The new result in force for that revision (status, flags, sections ...). */
  result: TriageResult;
  /** Set when the amendment re-ran the rules (the hash of the rules that decided). */
  rulesHash?: string;
  /** `status.overridden` | `sections.overridden` | `application.retriaged`. */
  action: string;
  actor: string;
  reason?: string;
  at: string;
}

// ---------------------------------------------------------------- events

export interface NewEvent {
  /** 'system' | 'poller' | 'worker:<stage>' | a staff user. */
  actor: string;
  action: string;
  /** The id the event is about (message hash, application id, reply id). */
  subject: string;
  /** No personal data beyond ids. */
  detail?: Record<string, unknown>;
  at: string;
}

export interface EventRecord {
  id: number;
  actor: string;
  action: string;
  subject: string;
  detail: Record<string, unknown>;
  at: string;
}

// ---------------------------------------------------------------- the store

export interface Store {
  // ---- ledger

  /**
   * Records a message seen at (account, mailbox, uidValidity, uid) with content hash `id`.
   * Idempotent: the same location or the same hash again returns `{ isNew: false }` and the
   * existing record; a second location of the same hash is remembered too (for `findMessageAt`
   * and `lastUid`). Durable (fsync) when the promise resolves, so the mail may then be touched.
   * @throws StoreError STORE_INVALID_INPUT (id not a sha256, uid not a positive integer, receivedAt not a date),
   *   STORE_CONFLICT (the location is already recorded with another hash).
   */
  recordMessage(m: NewMessage): Promise<{ record: MessageRecord; isNew: boolean }>;
  getMessage(id: string): Promise<MessageRecord | undefined>;
  /** The message recorded at this location (first or later location). */
  findMessageAt(account: string, mailbox: string, uidValidity: string, uid: number): Promise<MessageRecord | undefined>;
  /** Highest UID recorded for (account, mailbox, uidValidity), 0 when none: fetch `last+1:*`. */
  lastUid(account: string, mailbox: string, uidValidity: string): Promise<number>;
  /**
   * Sets the processing state; `error` is stored with it and cleared when absent.
   * @throws StoreError STORE_NOT_FOUND, STORE_INVALID_INPUT (unknown state).
   */
  setMessageState(id: string, state: MessageState, error?: string): Promise<void>;
  /** @throws StoreError STORE_NOT_FOUND. */
  setMessageFolder(id: string, folder: string): Promise<void>;
  /**
   * Messages recorded but not yet `done` (`failed` ones included: the caller decides
   * whether to retry them), in the order they were recorded, for restart recovery.
   * @throws StoreError STORE_INVALID_INPUT (limit not a positive integer).
   */
  listUnfinishedMessages(limit?: number): Promise<MessageRecord[]>;

  // ---- applications

  /**
   * Stores a triage verdict. Applications are keyed by (applicantKey, programme); a later
   * message from the same applicant for the same programme becomes revision n+1 of the same
   * application (an unknown programme is a key of its own; a null applicantKey always starts
   * a new application). Idempotent per messageId: saving the same message again stores
   * nothing and returns the revision saved first, with the same `previous`.
   * @throws StoreError STORE_NOT_FOUND (messageId not in the ledger), STORE_INVALID_INPUT
   *   (unknown status, decidedAt not a date).
   */
  saveTriage(input: TriageInput): Promise<SavedTriage>;
  /** The application with its latest revision and all revisions. */
  getApplication(applicationId: string): Promise<ApplicationView | undefined>;
  /**
   * Latest decision first.
   * @throws StoreError STORE_INVALID_INPUT (limit/offset not integers, unknown status).
   */
  listApplications(filter?: ApplicationFilter): Promise<ApplicationSummary[]>;
  /**
   * Applications by the status of their latest revision, all programmes or one (`null`: programme
   * unknown); every status is present (0 when none).
   */
  /** Every application of one applicant (e-mail, any case), oldest first: resubmissions and second programmes are found before saving. */
  listApplicationsOf(applicantKey: string): Promise<ApplicationSummary[]>;
  countByStatus(programme?: string | null): Promise<Record<Status, number>>;
  getRevisionByMessage(messageId: string): Promise<{ applicationId: string; revision: number; result: TriageResult } | undefined>;

  // ---- section files

  /**
   * Records the file split out for one section of a revision. Saving the same
   * (section, first page) again replaces the row, so a retried split is harmless.
   * @throws StoreError STORE_NOT_FOUND (no such revision), STORE_INVALID_INPUT (pages not 1 <= first <= last).
   */
  saveSectionFile(input: SectionFile & { applicationId: string; revision: number }): Promise<void>;
  /** In page order. */
  listSectionFiles(applicationId: string, revision: number): Promise<SectionFile[]>;

  // ---- replies

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

  // ---- events

  /**
   * Appends to the event log, which nothing can update or delete.
   * @throws StoreError STORE_INVALID_INPUT (empty actor/action/subject, `at` not a date, detail not JSON).
   */
  appendEvent(e: NewEvent): Promise<void>;
  /** Newest first, default 100. */
  listEvents(subject?: string, limit?: number): Promise<EventRecord[]>;

  // ---- staff

  /**
   * @throws StoreError STORE_CONFLICT (the username exists), STORE_INVALID_INPUT (bad username, role or empty hash).
   */
  createUser(user: { username: string; role: UserRole; passwordHash: string; at: string }): Promise<UserRecord>;
  /** Replaces the password hash and/or role. @throws StoreError STORE_NOT_FOUND. */
  updateUser(username: string, change: { passwordHash?: string; role?: UserRole; at: string }): Promise<UserRecord>;
  getUser(username: string): Promise<UserRecord | undefined>;
  /** By username. */
  listUsers(): Promise<UserRecord[]>;
  /** @throws StoreError STORE_NOT_FOUND (no such user). */
  createSession(session: Omit<SessionRecord, 'role'>): Promise<SessionRecord>;
  /** The session if it exists and has not expired at `now` (role read from the user). */
  getSession(id: string, now: string): Promise<SessionRecord | undefined>;
  deleteSession(id: string): Promise<void>;
  /** Removes sessions expired at `now`; returns how many. */
  deleteExpiredSessions(now: string): Promise<number>;

  /** Appends a note and a `note.added` event. @throws StoreError STORE_NOT_FOUND, STORE_INVALID_INPUT (empty text). */
  addNote(applicationId: string, author: string, text: string, at: string): Promise<NoteRecord>;
  /** Oldest first. */
  listNotes(applicationId: string): Promise<NoteRecord[]>;
  /** Marks the application reviewed (an `application.reviewed` event). @throws StoreError STORE_NOT_FOUND. */
  markReviewed(applicationId: string, actor: string, at: string): Promise<void>;
  /**
   * Replaces the result in force of one revision (a status or section override, a re-run of triage);
   * the application's status follows when it is the latest revision. Logs an event with `action`,
   * the actor, the reason and the previous status and flags, in the same transaction.
   * @throws StoreError STORE_NOT_FOUND (no such revision), STORE_INVALID_INPUT (unknown status).
   */
  amendRevision(change: AmendRevision): Promise<RevisionView>;
  /** Applications matching the filter (limit/offset ignored), for paging. */
  countApplications(filter?: ApplicationFilter): Promise<number>;

  /** Closes the store; further calls throw STORE_CLOSED. Closing twice is harmless. */
  close(): Promise<void>;
}
