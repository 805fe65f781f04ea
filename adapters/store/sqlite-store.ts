/**
 * The Store on one SQLite file (better-sqlite3 12), shared by every process
 * of the service on one machine.
 *
 * - WAL, so readers in one process never wait for the writer in another.
 * - synchronous = FULL, so a recorded message survives a power cut: the
 *   poller moves a mail in the mailbox only after recordMessage resolved.
 * - busy_timeout, so a process waits for another's write instead of failing.
 * - Every read-then-write runs in an IMMEDIATE transaction: the write lock is
 *   taken before the read, so two processes cannot both decide "new".
 */
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { STATUSES, type Facts, type Flag, type SectionId, type Status, type TriageResult } from '../../core/types';
import { checkUserChange, requireTotpStep, type CheckedUserChange } from './input-checks';
import { migrateDatabase } from './migrations';
import { createSqliteStaffMessageSends } from './sqlite-staff-message-sends';
import {
  MESSAGE_STATES,
  REPLY_STATES,
  StoreError,
  USER_ROLES,
  type AmendRevision,
  type ApplicationFilter,
  type ApplicationSummary,
  type ApplicationView,
  type EventRecord,
  type MessageRecord,
  type MessageState,
  type NewEvent,
  type NoteRecord,
  type NewMessage,
  type NewReply,
  type ReplyFilter,
  type ReplyRecord,
  type ReplyState,
  type RevisionView,
  type SavedTriage,
  type SectionFile,
  type SessionRecord,
  type Store,
  type TriageInput,
  type UserRecord,
  type UserRole,
} from '../../core/ports/store';

export interface SqliteStoreOptions {
  /** The clock for createdAt/updatedAt and for the events of staff actions. */
  now?: () => Date;
  /** Ids of applications and replies; random UUIDs by default. */
  newId?: () => string;
  /** How long to wait for another process's write lock, in ms (default 5000). */
  busyTimeoutMs?: number;
}

// ---------------------------------------------------------------- rows

interface MessageRow {
  id: string;
  account: string;
  mailbox: string;
  uid_validity: string;
  uid: number;
  size: number;
  received_at: string;
  raw_path: string;
  state: MessageState;
  error: string | null;
  folder: string | null;
  created_at: string;
  updated_at: string;
}

interface ApplicationRow {
  id: string;
  applicant_key: string | null;
  programme: string | null;
  applicant_email: string | null;
  applicant_name: string | null;
  status: Status;
  latest_revision: number;
  decided_at: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
  created_at: string;
  updated_at: string;
}

interface SummaryRow extends ApplicationRow {
  latest_flags: string;
  latest_received_at: string;
}

interface RevisionRow {
  application_id: string;
  revision: number;
  message_id: string;
  status: Status;
  flags: string;
  facts: string;
  result: string;
  rules_hash: string;
  received_at: string;
  decided_at: string;
  created_at: string;
  amended_result: string | null;
  amended_by: string | null;
  amended_at: string | null;
  amended_action: string | null;
  amended_reason: string | null;
}

interface UserRow {
  username: string;
  role: UserRole;
  password_hash: string;
  created_at: string;
  updated_at: string;
  disabled_at: string | null;
  totp_secret: string | null;
}

interface SessionRow {
  id: string;
  username: string;
  role: UserRole;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

interface NoteRow {
  id: number;
  application_id: string;
  author: string;
  text: string;
  at: string;
}

interface SectionFileRow {
  section: string;
  page_from: number;
  page_to: number;
  path: string;
  sha256: string;
}

interface ReplyRow {
  id: string;
  application_id: string;
  revision: number;
  status: Status;
  to_address: string;
  subject: string;
  body: string;
  state: ReplyState;
  held: number;
  in_reply_to: string | null;
  message_id: string | null;
  error: string | null;
  attempts: number;
  decided_by: string | null;
  sent_at: string | null;
  created_at: string;
  updated_at: string;
}

interface EventRow {
  id: number;
  actor: string;
  action: string;
  subject: string;
  detail: string;
  at: string;
}

// ---------------------------------------------------------------- input checks

const SHA256_HEX = /^[0-9a-f]{64}$/;
const DEFAULT_APPLICATION_LIMIT = 100;
const DEFAULT_EVENT_LIMIT = 100;

function invalid(message: string): StoreError {
  return new StoreError('STORE_INVALID_INPUT', message);
}

function requireSha256(value: unknown, field: string): string {
  const hex = typeof value === 'string' ? value.toLowerCase() : '';
  if (!SHA256_HEX.test(hex)) throw invalid(`${field} must be a sha256 in hex`);
  return hex;
}

function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(`${field} must be a non-empty string`);
  return value;
}

function requireInteger(value: unknown, field: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw invalid(`${field} must be an integer >= ${min}`);
  }
  return value;
}

/** Times are stored in one form (UTC, toISOString) so that text order is time order. */
function requireTime(value: unknown, field: string): string {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw invalid(`${field} must be an ISO-8601 date-time`);
  return new Date(ms).toISOString();
}

function requireStatus(value: unknown, field: string): Status {
  if (!(STATUSES as readonly unknown[]).includes(value)) throw invalid(`${field} must be one of ${STATUSES.join(', ')}`);
  return value as Status;
}

function optionalLimit(value: unknown, field: string, fallback: number): number {
  return value === undefined ? fallback : requireInteger(value, field, 1);
}

/** Lowercased and trimmed; '' means unknown. */
function normaliseEmail(value: string | null | undefined): string | null {
  const email = (value ?? '').trim().toLowerCase();
  return email === '' ? null : email;
}

const USERNAME = /^[a-z0-9._-]{1,64}$/;
const AMEND_ACTIONS: readonly string[] = ['status.overridden', 'sections.overridden', 'application.retriaged'];
const SORTS = ['decided', 'received', 'name', 'status', 'programme'] as const;
type Sort = (typeof SORTS)[number];
type Order = 'asc' | 'desc';

/** Login names are compared lowercased and trimmed: `Anna` and `anna` are one user. */
function normaliseUsername(value: unknown): string | undefined {
  const name = typeof value === 'string' ? value.trim().toLowerCase() : '';
  return USERNAME.test(name) ? name : undefined;
}

function requireUsername(value: unknown, field = 'username'): string {
  const name = normaliseUsername(value);
  if (name === undefined) throw invalid(`${field} must be 1 to 64 lowercase letters, digits, '.', '_' or '-'`);
  return name;
}

function requireRole(value: unknown): UserRole {
  if (!(USER_ROLES as readonly unknown[]).includes(value)) throw invalid(`role must be one of ${USER_ROLES.join(', ')}`);
  return value as UserRole;
}

/** The result must at least carry what the revision's columns repeat. */
function requireResult(result: unknown, field: string): TriageResult {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) throw invalid(`${field} must be a triage result`);
  const r = result as TriageResult;
  requireStatus(r.status, `${field}.status`);
  if (!Array.isArray(r.flags)) throw invalid(`${field}.flags must be an array`);
  return r;
}

/**
 * The case folding of the search: JavaScript's, registered as the SQL function
 * `esor_fold`, because SQLite's own lower() and LIKE fold ASCII letters only
 * (a search for "élise" must find "Élise").
 */
function foldCase(value: unknown): string | null {
  return typeof value === 'string' ? value.normalize('NFKC').toLowerCase() : null;
}

/** A LIKE pattern matching `text` anywhere, its own `%`, `_` and `\` taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

interface FilterParams {
  anyProgramme: number;
  programme: string;
  status: Status | null;
  flag: string | null;
  receivedFrom: string | null;
  receivedBefore: string | null;
  search: string | null;
  reviewed: number | null;
}

/** Validates a filter into the parameters of the filter's WHERE clause. */
function toFilterParams(filter: ApplicationFilter): FilterParams {
  if (filter.programme !== undefined && filter.programme !== null && typeof filter.programme !== 'string') {
    throw invalid('programme must be a string or null');
  }
  if (filter.flag !== undefined && (typeof filter.flag !== 'string' || filter.flag.trim() === '')) throw invalid('flag must be a non-empty string');
  if (filter.search !== undefined && typeof filter.search !== 'string') throw invalid('search must be a string');
  if (filter.unreviewed !== undefined && typeof filter.unreviewed !== 'boolean') throw invalid('unreviewed must be a boolean');
  const search = filter.search === undefined ? '' : foldCase(filter.search.trim())!;
  return {
    anyProgramme: filter.programme === undefined ? 1 : 0,
    programme: filter.programme ?? '',
    status: filter.status === undefined ? null : requireStatus(filter.status, 'status'),
    flag: filter.flag === undefined ? null : filter.flag.trim(),
    receivedFrom: filter.receivedFrom === undefined ? null : requireTime(filter.receivedFrom, 'receivedFrom'),
    receivedBefore: filter.receivedBefore === undefined ? null : requireTime(filter.receivedBefore, 'receivedBefore'),
    // An empty search matches everything rather than nothing.
    search: search === '' ? null : containsPattern(search),
    reviewed: filter.unreviewed === undefined ? null : filter.unreviewed ? 0 : 1,
  };
}

function toSortOrder(filter: ApplicationFilter): { sort: Sort; order: Order } {
  const sort = filter.sort ?? 'decided';
  const order = filter.order ?? 'desc';
  if (!(SORTS as readonly unknown[]).includes(sort)) throw invalid(`sort must be one of ${SORTS.join(', ')}`);
  if (order !== 'asc' && order !== 'desc') throw invalid('order must be asc or desc');
  return { sort, order };
}

/** An application with what its summary repeats of the latest revision. */
const SUMMARY_SELECT = `
  SELECT a.*, r.flags AS latest_flags, r.received_at AS latest_received_at
  FROM applications a
  JOIN revisions r ON r.application_id = a.id AND r.revision = a.latest_revision`;

/** Application rows matching a filter: shared by the list and the count, so the two cannot disagree. */
const FILTER_WHERE = `
  WHERE (@anyProgramme = 1 OR ifnull(a.programme, '') = @programme)
    AND (@status IS NULL OR a.status = @status)
    AND (@flag IS NULL OR EXISTS (SELECT 1 FROM json_each(r.flags) f WHERE json_extract(f.value, '$.code') = @flag))
    AND (@receivedFrom IS NULL OR r.received_at >= @receivedFrom)
    AND (@receivedBefore IS NULL OR r.received_at < @receivedBefore)
    AND (@search IS NULL
         OR esor_fold(a.applicant_name) LIKE @search ESCAPE '\\'
         OR esor_fold(a.applicant_email) LIKE @search ESCAPE '\\')
    AND (@reviewed IS NULL OR (a.reviewed_at IS NOT NULL) = @reviewed)`;

/** Statuses sort in the order of STATUSES (complete first), not alphabetically. */
const STATUS_RANK = `CASE a.status ${STATUSES.map((st, i) => `WHEN '${st}' THEN ${i}`).join(' ')} END`;

/**
 * ORDER BY for a sort: only these fixed texts reach the SQL. Unknown names and
 * programmes come last either way; ties fall back to the latest decision first.
 */
function orderBy(sort: Sort, order: Order): string {
  const dir = order === 'asc' ? 'ASC' : 'DESC';
  const keys: Record<Sort, string> = {
    decided: `a.decided_at ${dir}`,
    received: `r.received_at ${dir}`,
    name: `a.applicant_name IS NULL, esor_fold(a.applicant_name) ${dir}`,
    status: `${STATUS_RANK} ${dir}`,
    programme: `a.programme IS NULL, a.programme ${dir}`,
  };
  return `ORDER BY ${keys[sort]}, a.decided_at DESC, a.id`;
}

// ---------------------------------------------------------------- row mapping

function toMessage(row: MessageRow): MessageRecord {
  const record: MessageRecord = {
    id: row.id,
    account: row.account,
    mailbox: row.mailbox,
    uidValidity: row.uid_validity,
    uid: row.uid,
    size: row.size,
    receivedAt: row.received_at,
    rawPath: row.raw_path,
    state: row.state,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.error !== null) record.error = row.error;
  if (row.folder !== null) record.folder = row.folder;
  return record;
}

function flagCodes(flagsJson: string): string[] {
  return (JSON.parse(flagsJson) as Flag[]).map((f) => f.code);
}

function toRevision(row: RevisionRow): RevisionView {
  const result = JSON.parse(row.amended_result ?? row.result) as TriageResult;
  const view: RevisionView = {
    revision: row.revision,
    messageId: row.message_id,
    status: row.status,
    flags: JSON.parse(row.flags) as Flag[],
    facts: JSON.parse(row.facts) as Facts,
    sections: result.sections ?? [],
    missing: (result.missing ?? []) as SectionId[],
    receivedAt: row.received_at,
    decidedAt: row.decided_at,
    rulesHash: row.rules_hash,
    result,
  };
  if (row.amended_result !== null) {
    view.amended = { by: row.amended_by ?? '', at: row.amended_at ?? '', action: row.amended_action ?? '' };
    if (row.amended_reason !== null) view.amended.reason = row.amended_reason;
  }
  return view;
}

function toSummary(row: SummaryRow): ApplicationSummary {
  const summary: ApplicationSummary = {
    id: row.id,
    programme: row.programme,
    applicantEmail: row.applicant_email,
    applicantName: row.applicant_name,
    status: row.status,
    flags: flagCodes(row.latest_flags),
    revisionCount: row.latest_revision,
    receivedAt: row.latest_received_at,
    decidedAt: row.decided_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.reviewed_by !== null) summary.reviewedBy = row.reviewed_by;
  if (row.reviewed_at !== null) summary.reviewedAt = row.reviewed_at;
  return summary;
}

function toUser(row: UserRow): UserRecord {
  const user: UserRecord = { username: row.username, role: row.role, passwordHash: row.password_hash, createdAt: row.created_at, updatedAt: row.updated_at };
  if (row.disabled_at !== null) user.disabledAt = row.disabled_at;
  if (row.totp_secret !== null) user.totpSecret = row.totp_secret;
  return user;
}

function toSession(row: SessionRow): SessionRecord {
  return { id: row.id, username: row.username, role: row.role, csrfToken: row.csrf_token, createdAt: row.created_at, expiresAt: row.expires_at };
}

function toNote(row: NoteRow): NoteRecord {
  return { id: row.id, applicationId: row.application_id, author: row.author, text: row.text, at: row.at };
}

function toReply(row: ReplyRow): ReplyRecord {
  const reply: ReplyRecord = {
    id: row.id,
    applicationId: row.application_id,
    revision: row.revision,
    status: row.status,
    to: row.to_address,
    subject: row.subject,
    body: row.body,
    state: row.state,
    held: row.held === 1,
    attempts: row.attempts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.in_reply_to !== null) reply.inReplyTo = row.in_reply_to;
  if (row.message_id !== null) reply.messageId = row.message_id;
  if (row.error !== null) reply.error = row.error;
  if (row.decided_by !== null) reply.decidedBy = row.decided_by;
  if (row.sent_at !== null) reply.sentAt = row.sent_at;
  return reply;
}

function toEvent(row: EventRow): EventRecord {
  return { ...row, detail: JSON.parse(row.detail) as Record<string, unknown> };
}

// ---------------------------------------------------------------- errors

/**
 * By shape rather than `instanceof`: the native addon keeps the SqliteError class
 * of the first copy of better-sqlite3 loaded in the process, and a test runner's
 * module registries (each with its own `Error` realm) or a second copy in
 * node_modules load others.
 */
function isSqliteError(err: unknown): err is Error & { code: string } {
  const e = err as { name?: unknown; code?: unknown } | null;
  return typeof e === 'object' && e !== null && e.name === 'SqliteError' && typeof e.code === 'string' && e.code.startsWith('SQLITE_');
}

/** Everything leaving the store is a StoreError with a stable code; programming errors pass unchanged. */
function toStoreError(err: unknown): unknown {
  if (err instanceof StoreError || !isSqliteError(err)) return err;
  const code = err.code;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreError('STORE_BUSY', `the store is locked by another process: ${err.message}`, { cause: err });
  }
  if (code.startsWith('SQLITE_CONSTRAINT')) {
    return new StoreError('STORE_CONFLICT', `the change breaks a constraint: ${err.message}`, { cause: err });
  }
  return new StoreError('STORE_IO', `the store failed (${code}): ${err.message}`, { cause: err });
}

/** Creates the file readable by the service alone (WAL and SHM files inherit its mode). */
function prepareFile(file: string): void {
  if (file === ':memory:' || file === '' || file.startsWith('file:')) return;
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
}

// ---------------------------------------------------------------- the store

/** How long opening waits, in all, for another process that creates or migrates the same file. */
const OPEN_BUSY_MS = 30_000;
const OPEN_RETRY_MS = 200;

/** Blocks the thread for `ms` (opening is synchronous, and happens once, at a process's start). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Opens (creating and migrating when needed) the store at `file`.
 * @throws StoreError STORE_SCHEMA_TOO_NEW (the file was written by a newer version), STORE_BUSY, STORE_IO.
 */
export function openSqliteStore(file: string, opts: SqliteStoreOptions = {}): Store {
  const now = opts.now ?? (() => new Date());
  const newId = opts.newId ?? randomUUID;
  const busyTimeoutMs = opts.busyTimeoutMs ?? 5000;
  const stamp = (): string => now().toISOString();

  let db: Database.Database;
  try {
    prepareFile(file);
    db = new Database(file, { timeout: busyTimeoutMs });
  } catch (err) {
    const translated = toStoreError(err);
    if (translated instanceof StoreError) throw translated;
    // A folder that cannot be created or a file that cannot be opened: the disk's fault, not the caller's.
    throw new StoreError('STORE_IO', `cannot open the store file: ${(err as Error).message}`, { cause: err });
  }
  // Another process creating or migrating the same new file holds its lock for as long as the schema takes
  // to write; on a machine busy with other work that outlasted busy_timeout (a writer in the two-process
  // test failed with STORE_BUSY while two CPU burners ran). Opening waits for it, up to OPEN_BUSY_MS.
  const openDeadline = Date.now() + Math.max(OPEN_BUSY_MS, busyTimeoutMs);
  for (;;) {
    try {
      // busy_timeout first: switching to WAL needs a lock another process may hold.
      db.pragma(`busy_timeout = ${busyTimeoutMs}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      migrateDatabase(db, now);
      break;
    } catch (err) {
      const translated = toStoreError(err);
      if (translated instanceof StoreError && translated.code === 'STORE_BUSY' && Date.now() < openDeadline) {
        sleepSync(OPEN_RETRY_MS);
        continue;
      }
      db.close();
      throw translated;
    }
  }

  // Before the statements that use it are prepared.
  db.function('esor_fold', { deterministic: true }, foldCase);
  const q = prepareStatements(db);
  let closed = false;

  /** One list statement per (sort, order), prepared on first use. */
  const listStatements = new Map<string, Database.Statement<FilterParams & { limit: number; offset: number }, SummaryRow>>();
  function listStatement(sort: Sort, order: Order) {
    const key = `${sort} ${order}`;
    let statement = listStatements.get(key);
    if (!statement) {
      statement = db.prepare<FilterParams & { limit: number; offset: number }, SummaryRow>(
        `${SUMMARY_SELECT} ${FILTER_WHERE} ${orderBy(sort, order)} LIMIT @limit OFFSET @offset`,
      );
      listStatements.set(key, statement);
    }
    return statement;
  }

  /** Runs `fn` with the store's error translation, as a Promise (the interface is async for PostgreSQL's sake). */
  function run<T>(fn: () => T): Promise<T> {
    try {
      if (closed) throw new StoreError('STORE_CLOSED', 'the store is closed');
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(toStoreError(err));
    }
  }

  function requireReply(id: string): ReplyRow {
    const row = q.getReply.get(id);
    if (!row) throw new StoreError('STORE_NOT_FOUND', `no reply ${id}`);
    return row;
  }

  function requireRevision(applicationId: string, revision: number): void {
    if (!q.getRevision.get(applicationId, revision)) {
      throw new StoreError('STORE_NOT_FOUND', `no revision ${revision} of application ${applicationId}`);
    }
  }

  function insertEvent(e: { actor: string; action: string; subject: string; detail: Record<string, unknown>; at: string }): void {
    q.insertEvent.run({ ...e, detail: JSON.stringify(e.detail) });
  }

  // ---- ledger

  const recordMessageTx = db.transaction((m: NewMessage): { record: MessageRecord; isNew: boolean } => {
    const at = stamp();
    const location = { account: m.account, mailbox: m.mailbox, uidValidity: m.uidValidity, uid: m.uid };
    const there = q.messageAt.get(location);
    if (there) {
      // UIDVALIDITY + UID name one immutable message; another hash there means a broken
      // server or a broken caller, and taking either side silently could lose a mail.
      if (there.id !== m.id) {
        throw new StoreError('STORE_CONFLICT', `location ${m.mailbox} ${m.uidValidity}/${m.uid} is recorded with another hash`);
      }
      return { record: toMessage(there), isNew: false };
    }
    const known = q.getMessage.get(m.id);
    if (!known) q.insertMessage.run({ ...m, at });
    q.insertLocation.run({ ...location, id: m.id, at });
    return { record: toMessage(known ?? q.getMessage.get(m.id)!), isNew: !known };
  });

  // ---- applications

  function describeSaved(applicationId: string, revision: number, isNew: boolean): SavedTriage {
    const app = q.getApplication.get(applicationId)!;
    const saved: SavedTriage = { applicationId, revision, isNew, otherProgrammes: [] };
    if (revision > 1) {
      const prev = q.getRevision.get(applicationId, revision - 1)!;
      saved.previous = { revision: prev.revision, status: prev.status, flags: flagCodes(prev.flags), messageId: prev.message_id };
    }
    if (app.applicant_key !== null) {
      saved.otherProgrammes = q.otherProgrammes.all(app.applicant_key, app.programme ?? '').map((r) => r.programme);
    }
    return saved;
  }

  const saveTriageTx = db.transaction((input: TriageInput, applicantKey: string | null, decidedAt: string): SavedTriage => {
    const already = q.revisionByMessage.get(input.messageId);
    if (already) return describeSaved(already.application_id, already.revision, false);

    const message = q.getMessage.get(input.messageId);
    if (!message) throw new StoreError('STORE_NOT_FOUND', `no message ${input.messageId} in the ledger`);

    const result = input.result;
    const programme = result.programme === null || result.programme === '' ? null : result.programme;
    const receivedAt = result.receivedAt ? requireTime(result.receivedAt, 'result.receivedAt') : message.received_at;
    const at = stamp();
    const latest = {
      status: result.status,
      applicantEmail: result.applicant?.email ?? null,
      applicantName: result.applicant?.name ?? null,
      decidedAt,
      at,
    };

    const existing = applicantKey === null ? undefined : q.applicationByKey.get(applicantKey, programme ?? '');
    let applicationId: string;
    let revision: number;
    if (existing) {
      applicationId = existing.id;
      revision = existing.latest_revision + 1;
    } else {
      applicationId = newId();
      revision = 1;
      q.insertApplication.run({ id: applicationId, applicantKey, programme, ...latest });
    }
    q.insertRevision.run({
      applicationId,
      revision,
      messageId: input.messageId,
      status: result.status,
      flags: JSON.stringify(result.flags ?? []),
      facts: JSON.stringify(result.facts ?? {}),
      result: JSON.stringify(result),
      rulesHash: input.rulesHash,
      receivedAt,
      decidedAt,
      at,
    });
    if (existing) q.updateApplicationLatest.run({ id: applicationId, revision, ...latest });
    return describeSaved(applicationId, revision, true);
  });

  const getApplicationTx = db.transaction((applicationId: string): ApplicationView | undefined => {
    const row = q.getSummary.get(applicationId);
    if (!row) return undefined;
    const revisions = q.listRevisions.all(applicationId).map(toRevision);
    return { ...toSummary(row), latest: revisions[revisions.length - 1]!, revisions };
  });

  // ---- replies

  const reserveReplyTx = db.transaction((r: NewReply): { reply: ReplyRecord; isNew: boolean } => {
    requireRevision(r.applicationId, r.revision);
    const existing = q.replyByKey.get(r.applicationId, r.revision, r.status);
    if (existing) return { reply: toReply(existing), isNew: false };
    const id = newId();
    q.insertReply.run({
      id,
      applicationId: r.applicationId,
      revision: r.revision,
      status: r.status,
      to: r.to,
      subject: r.subject,
      body: r.body,
      state: r.held ? 'held' : 'pending',
      held: r.held ? 1 : 0,
      inReplyTo: r.inReplyTo ?? null,
      at: stamp(),
    });
    return { reply: toReply(q.getReply.get(id)!), isNew: true };
  });

  const markReplySentTx = db.transaction((id: string, messageId: string, sentAt: string): void => {
    const row = requireReply(id);
    if (row.state === 'sent') {
      if (row.message_id === messageId) return;
      throw new StoreError('STORE_INVALID_STATE', `reply ${id} was already sent as another message`);
    }
    if (row.state !== 'pending' && row.state !== 'failed') {
      throw new StoreError('STORE_INVALID_STATE', `reply ${id} is ${row.state}, not ready to send`);
    }
    q.markReplySent.run({ id, messageId, sentAt, at: stamp() });
  });

  const markReplyFailedTx = db.transaction((id: string, error: string): void => {
    const row = requireReply(id);
    if (row.state !== 'pending' && row.state !== 'failed') {
      throw new StoreError('STORE_INVALID_STATE', `reply ${id} is ${row.state}, it was not being sent`);
    }
    q.markReplyFailed.run({ id, error, at: stamp() });
  });

  const holdReplyTx = db.transaction((id: string, reason: string): void => {
    const row = requireReply(id);
    if (row.state === 'held') return;
    if (row.state !== 'pending' && row.state !== 'failed') {
      throw new StoreError('STORE_INVALID_STATE', `reply ${id} is ${row.state}, it cannot be held`);
    }
    q.holdReply.run({ id, reason, at: stamp() });
  });

  const approveReplyTx = db.transaction(
    (id: string, actor: string, edited: { subject?: string; body?: string }): ReplyRecord => {
      const row = requireReply(id);
      if (row.state !== 'held') throw new StoreError('STORE_INVALID_STATE', `reply ${id} is ${row.state}, not held`);
      const at = stamp();
      const editedFields = (['body', 'subject'] as const).filter((k) => edited[k] !== undefined);
      q.approveReply.run({ id, actor, subject: edited.subject ?? null, body: edited.body ?? null, at });
      insertEvent({
        actor,
        action: 'reply.approved',
        subject: id,
        // Which fields changed, never their text: the log holds no personal data.
        detail: { applicationId: row.application_id, revision: row.revision, edited: editedFields },
        at,
      });
      return toReply(q.getReply.get(id)!);
    },
  );

  const discardReplyTx = db.transaction((id: string, actor: string): void => {
    const row = requireReply(id);
    if (row.state === 'discarded') return;
    if (row.state === 'sent') throw new StoreError('STORE_INVALID_STATE', `reply ${id} was already sent`);
    const at = stamp();
    q.discardReply.run({ id, actor, at });
    insertEvent({
      actor,
      action: 'reply.discarded',
      subject: id,
      detail: { applicationId: row.application_id, revision: row.revision, from: row.state },
      at,
    });
  });

  const saveSectionFileTx = db.transaction((f: SectionFile & { applicationId: string; revision: number }): void => {
    requireRevision(f.applicationId, f.revision);
    q.upsertSectionFile.run({
      applicationId: f.applicationId,
      revision: f.revision,
      section: f.section,
      pageFrom: f.pages[0],
      pageTo: f.pages[1],
      path: f.path,
      sha256: f.sha256,
      at: stamp(),
    });
  });

  // ---- staff

  const createUserTx = db.transaction((u: { username: string; role: UserRole; passwordHash: string; at: string }): UserRecord => {
    if (q.getUser.get(u.username)) throw new StoreError('STORE_CONFLICT', `user ${u.username} exists`);
    q.insertUser.run(u);
    return toUser(q.getUser.get(u.username)!);
  });

  const updateUserTx = db.transaction((username: string, change: CheckedUserChange): UserRecord => {
    const before = q.getUser.get(username);
    if (!before) throw new StoreError('STORE_NOT_FOUND', `no user ${username}`);
    q.updateUser.run({ username, ...change, disabled: change.disabled === null ? null : Number(change.disabled), totpChange: Number(change.totpChange) });
    // Checked after the change, inside the transaction: the throw rolls it back.
    if (before.role === 'admin' && before.disabled_at === null && q.countActiveAdmins.get()!.n === 0) {
      throw new StoreError('STORE_INVALID_STATE', `${username} is the last enabled admin`);
    }
    // A new password logs the user out everywhere: whoever knew the old one keeps no session; so does disabling.
    if (change.passwordHash !== null || change.disabled === true) q.deleteSessionsOf.run(username);
    return toUser(q.getUser.get(username)!);
  });

  const createSessionTx = db.transaction(
    (s: { id: string; username: string; csrfToken: string; createdAt: string; expiresAt: string }): SessionRecord => {
      const user = q.getUser.get(s.username);
      if (!user) throw new StoreError('STORE_NOT_FOUND', `no user ${s.username}`);
      q.insertSession.run(s);
      return { id: s.id, username: s.username, role: user.role, csrfToken: s.csrfToken, createdAt: s.createdAt, expiresAt: s.expiresAt };
    },
  );

  function requireApplication(applicationId: string): ApplicationRow {
    const row = q.getApplication.get(applicationId);
    if (!row) throw new StoreError('STORE_NOT_FOUND', `no application ${applicationId}`);
    return row;
  }

  const addNoteTx = db.transaction((applicationId: string, author: string, text: string, at: string): NoteRecord => {
    requireApplication(applicationId);
    const noteId = q.insertNote.run({ applicationId, author, text, at }).lastInsertRowid;
    // The note's id, never its text: notes may hold personal data, the event log must not.
    insertEvent({ actor: author, action: 'note.added', subject: applicationId, detail: { noteId: Number(noteId) }, at });
    return toNote(q.getNote.get(noteId)!);
  });

  const markReviewedTx = db.transaction((applicationId: string, actor: string, at: string): void => {
    const app = requireApplication(applicationId);
    q.markReviewed.run({ id: applicationId, actor, at, stamp: stamp() });
    insertEvent({ actor, action: 'application.reviewed', subject: applicationId, detail: { revision: app.latest_revision }, at });
  });

  const amendRevisionTx = db.transaction((c: AmendRevision): RevisionView => {
    const before = q.getRevision.get(c.applicationId, c.revision);
    if (!before) throw new StoreError('STORE_NOT_FOUND', `no revision ${c.revision} of application ${c.applicationId}`);
    const result = c.result;
    q.amendRevision.run({
      applicationId: c.applicationId,
      revision: c.revision,
      status: result.status,
      flags: JSON.stringify(result.flags),
      facts: JSON.stringify(result.facts ?? {}),
      result: JSON.stringify(result),
      rulesHash: c.rulesHash ?? null,
      actor: c.actor,
      action: c.action,
      reason: c.reason ?? null,
      at: c.at,
    });
    const app = q.getApplication.get(c.applicationId)!;
    if (app.latest_revision === c.revision) {
      q.amendApplication.run({
        id: c.applicationId,
        status: result.status,
        applicantEmail: result.applicant?.email ?? null,
        applicantName: result.applicant?.name ?? null,
        at: stamp(),
      });
    }
    const detail: Record<string, unknown> = {
      revision: c.revision,
      previousStatus: before.status,
      previousFlags: flagCodes(before.flags),
      status: result.status,
      flags: result.flags.map((f) => f.code),
    };
    if (c.reason !== undefined) detail.reason = c.reason;
    if (c.rulesHash !== undefined) detail.rulesHash = c.rulesHash;
    insertEvent({ actor: c.actor, action: c.action, subject: c.applicationId, detail, at: c.at });
    return toRevision(q.getRevision.get(c.applicationId, c.revision)!);
  });

  const store: Store = {
    ...createSqliteStaffMessageSends(db, { stamp, run }),

    recordMessage: (m) =>
      run(() => {
        const message: NewMessage = {
          id: requireSha256(m.id, 'id'),
          account: requireText(m.account, 'account'),
          mailbox: requireText(m.mailbox, 'mailbox'),
          uidValidity: requireText(String(m.uidValidity), 'uidValidity'),
          uid: requireInteger(m.uid, 'uid', 1),
          size: requireInteger(m.size, 'size', 0),
          receivedAt: requireTime(m.receivedAt, 'receivedAt'),
          rawPath: requireText(m.rawPath, 'rawPath'),
        };
        return recordMessageTx.immediate(message);
      }),

    getMessage: (id) =>
      run(() => {
        const row = q.getMessage.get(String(id).toLowerCase());
        return row && toMessage(row);
      }),

    findMessageAt: (account, mailbox, uidValidity, uid) =>
      run(() => {
        const row = q.messageAt.get({ account, mailbox, uidValidity: String(uidValidity), uid });
        return row && toMessage(row);
      }),

    lastUid: (account, mailbox, uidValidity) => run(() => q.lastUid.get(account, mailbox, String(uidValidity))!.last),

    setMessageState: (id, state, error) =>
      run(() => {
        if (!(MESSAGE_STATES as readonly unknown[]).includes(state)) throw invalid(`state must be one of ${MESSAGE_STATES.join(', ')}`);
        const changed = q.setMessageState.run({ id, state, error: error ?? null, at: stamp() }).changes;
        if (changed === 0) throw new StoreError('STORE_NOT_FOUND', `no message ${id}`);
      }),

    setMessageFolder: (id, folder) =>
      run(() => {
        const changed = q.setMessageFolder.run({ id, folder: requireText(folder, 'folder'), at: stamp() }).changes;
        if (changed === 0) throw new StoreError('STORE_NOT_FOUND', `no message ${id}`);
      }),

    listUnfinishedMessages: (limit) =>
      run(() => q.listUnfinished.all(limit === undefined ? -1 : requireInteger(limit, 'limit', 1)).map(toMessage)),

    saveTriage: (input) =>
      run(() => {
        const result = input.result;
        if (typeof result !== 'object' || result === null) throw invalid('result must be a triage result');
        requireStatus(result.status, 'result.status');
        if (!Array.isArray(result.flags)) throw invalid('result.flags must be an array');
        requireText(input.rulesHash, 'rulesHash');
        const decidedAt = requireTime(input.decidedAt, 'decidedAt');
        return saveTriageTx.immediate(
          { ...input, messageId: String(input.messageId).toLowerCase() },
          normaliseEmail(input.applicantKey),
          decidedAt,
        );
      }),

    getApplication: (applicationId) => run(() => getApplicationTx(applicationId)),

    listApplications: (filter: ApplicationFilter = {}) =>
      run(() => {
        const params = toFilterParams(filter);
        const { sort, order } = toSortOrder(filter);
        const rows = listStatement(sort, order).all({
          ...params,
          limit: optionalLimit(filter.limit, 'limit', DEFAULT_APPLICATION_LIMIT),
          offset: filter.offset === undefined ? 0 : requireInteger(filter.offset, 'offset', 0),
        });
        return rows.map(toSummary);
      }),

    countApplications: (filter: ApplicationFilter = {}) =>
      run(() => {
        // Validated like the list, so a filter the list refuses is not silently counted.
        toSortOrder(filter);
        return q.countSummaries.get(toFilterParams(filter))!.n;
      }),

    listApplicationsOf: (applicantKey) =>
      run(() => {
        const key = normaliseEmail(applicantKey);
        return key === null ? [] : q.listByApplicant.all({ applicantKey: key }).map(toSummary);
      }),

    countByStatus: (programme) =>
      run(() => {
        const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
        const rows = q.countByStatus.all({ anyProgramme: programme === undefined ? 1 : 0, programme: programme ?? '' });
        for (const row of rows) counts[row.status] = row.n;
        return counts;
      }),

    getRevisionByMessage: (messageId) =>
      run(() => {
        const row = q.revisionByMessage.get(String(messageId).toLowerCase());
        // The result in force: a reply requested after a staff override answers the amended verdict.
        return row && { applicationId: row.application_id, revision: row.revision, result: toRevision(row).result };
      }),

    saveSectionFile: (input) =>
      run(() => {
        const [from, to] = Array.isArray(input.pages) ? input.pages : [];
        requireInteger(from, 'pages[0]', 1);
        requireInteger(to, 'pages[1]', typeof from === 'number' ? from : 1);
        saveSectionFileTx.immediate({
          ...input,
          section: requireText(input.section, 'section'),
          path: requireText(input.path, 'path'),
          sha256: requireSha256(input.sha256, 'sha256'),
        });
      }),

    listSectionFiles: (applicationId, revision) =>
      run(() =>
        q.listSectionFiles.all(applicationId, revision).map((r) => ({
          section: r.section,
          pages: [r.page_from, r.page_to] as [number, number],
          path: r.path,
          sha256: r.sha256,
        })),
      ),

    reserveReply: (input) =>
      run(() => {
        requireStatus(input.status, 'status');
        const to = requireText(input.to, 'to').trim();
        return reserveReplyTx.immediate({ ...input, to, subject: String(input.subject), body: String(input.body) });
      }),

    markReplySent: (id, messageId, sentAt) =>
      run(() => markReplySentTx.immediate(id, requireText(messageId, 'messageId'), requireTime(sentAt, 'sentAt'))),

    markReplyFailed: (id, error) => run(() => markReplyFailedTx.immediate(id, String(error))),
    claimReplySend: (id, now, until) =>
      run(() => {
        requireReply(id);
        return q.claimReplySend.run({ id, now: requireTime(now, 'now'), until: requireTime(until, 'until'), at: stamp() }).changes === 1;
      }),
    releaseReplySend: (id) => run(() => void q.releaseReplySend.run({ id, at: stamp() })),

    holdReply: (id, reason) => run(() => holdReplyTx.immediate(id, requireText(reason, 'reason'))),

    approveReply: (id, actor, edited = {}) => run(() => approveReplyTx.immediate(id, requireText(actor, 'actor'), edited)),

    discardReply: (id, actor) => run(() => discardReplyTx.immediate(id, requireText(actor, 'actor'))),

    getReply: (id) =>
      run(() => {
        const row = q.getReply.get(id);
        return row && toReply(row);
      }),

    listReplies: (filter: ReplyFilter = {}) =>
      run(() => {
        if (filter.state !== undefined && !(REPLY_STATES as readonly unknown[]).includes(filter.state)) {
          throw invalid(`state must be one of ${REPLY_STATES.join(', ')}`);
        }
        return q.listReplies
          .all({
            state: filter.state ?? null,
            applicationId: filter.applicationId ?? null,
            limit: filter.limit === undefined ? -1 : requireInteger(filter.limit, 'limit', 1),
          })
          .map(toReply);
      }),

    markAddressBounced: (email, at) =>
      run(() => {
        const address = normaliseEmail(email);
        if (address === null) throw invalid('email must be a non-empty string');
        q.markBounced.run({ email: address, at: requireTime(at, 'at') });
      }),

    isAddressBounced: (email, since) =>
      run(() => {
        const address = normaliseEmail(email);
        const row = address === null ? undefined : q.isBounced.get(address);
        if (!row) return false;
        return since === undefined || row.last_bounced_at >= requireTime(since, 'since');
      }),

    clearAddressBounce: (email, actor, at) =>
      run(() => {
        const address = normaliseEmail(email);
        if (address === null) throw invalid('email must be a non-empty string');
        if (typeof actor !== 'string' || actor.trim() === '') throw invalid('actor must be a non-empty string');
        const when = requireTime(at, 'at');
        return db.transaction(() => {
          const cleared = q.clearBounced.run(address).changes > 0;
          // The address itself is personal data: the event says that a mark was cleared, and by whom.
          if (cleared) insertEvent({ actor, action: 'bounce.cleared', subject: 'bounces', detail: {}, at: when });
          return cleared;
        })();
      }),

    appendEvent: (e: NewEvent) =>
      run(() => {
        const detail = e.detail ?? {};
        if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) throw invalid('detail must be an object');
        let detailJson: string;
        try {
          detailJson = JSON.stringify(detail);
        } catch {
          throw invalid('detail must be serialisable as JSON');
        }
        q.insertEvent.run({
          actor: requireText(e.actor, 'actor'),
          action: requireText(e.action, 'action'),
          subject: requireText(e.subject, 'subject'),
          detail: detailJson,
          at: requireTime(e.at, 'at'),
        });
      }),

    listEvents: (subject, limit) =>
      run(() => {
        const n = optionalLimit(limit, 'limit', DEFAULT_EVENT_LIMIT);
        const rows = subject === undefined ? q.listEvents.all(n) : q.listEventsFor.all(subject, n);
        return rows.map(toEvent);
      }),

    createUser: (user) =>
      run(() =>
        createUserTx.immediate({
          username: requireUsername(user.username),
          role: requireRole(user.role),
          passwordHash: requireText(user.passwordHash, 'passwordHash'),
          at: requireTime(user.at, 'at'),
        }),
      ),

    updateUser: (username, change) => run(() => updateUserTx.immediate(requireUsername(username), checkUserChange(change))),

    useTotpStep: (username, step) =>
      run(() => {
        const name = requireUsername(username);
        return q.useTotpStep.run({ step: requireTotpStep(step), username: name }).changes === 1;
      }),

    getUser: (username) =>
      run(() => {
        const name = normaliseUsername(username);
        const row = name === undefined ? undefined : q.getUser.get(name);
        return row && toUser(row);
      }),

    listUsers: () => run(() => q.listUsers.all().map(toUser)),

    createSession: (session) =>
      run(() => {
        const createdAt = requireTime(session.createdAt, 'createdAt');
        const expiresAt = requireTime(session.expiresAt, 'expiresAt');
        if (expiresAt <= createdAt) throw invalid('expiresAt must be after createdAt');
        return createSessionTx.immediate({
          id: requireSha256(session.id, 'id'),
          username: requireUsername(session.username),
          csrfToken: requireText(session.csrfToken, 'csrfToken'),
          createdAt,
          expiresAt,
        });
      }),

    getSession: (id, now) =>
      run(() => {
        const at = requireTime(now, 'now');
        if (typeof id !== 'string' || !SHA256_HEX.test(id.toLowerCase())) return undefined;
        const row = q.getSession.get(id.toLowerCase(), at);
        return row && toSession(row);
      }),

    deleteSession: (id) =>
      run(() => {
        if (typeof id === 'string') q.deleteSession.run(id.toLowerCase());
      }),

    deleteExpiredSessions: (now) => run(() => q.deleteExpiredSessions.run(requireTime(now, 'now')).changes),

    addNote: (applicationId, author, text, at) =>
      run(() => addNoteTx.immediate(applicationId, requireText(author, 'author'), requireText(text, 'text'), requireTime(at, 'at'))),

    listNotes: (applicationId) => run(() => q.listNotes.all(applicationId).map(toNote)),

    markReviewed: (applicationId, actor, at) =>
      run(() => markReviewedTx.immediate(applicationId, requireText(actor, 'actor'), requireTime(at, 'at'))),

    amendRevision: (change) =>
      run(() => {
        const action = requireText(change.action, 'action');
        if (!AMEND_ACTIONS.includes(action)) throw invalid(`action must be one of ${AMEND_ACTIONS.join(', ')}`);
        if (change.reason !== undefined && typeof change.reason !== 'string') throw invalid('reason must be a string');
        return amendRevisionTx.immediate({
          applicationId: requireText(change.applicationId, 'applicationId'),
          revision: requireInteger(change.revision, 'revision', 1),
          result: requireResult(change.result, 'result'),
          ...(change.rulesHash === undefined ? {} : { rulesHash: requireText(change.rulesHash, 'rulesHash') }),
          action,
          actor: requireText(change.actor, 'actor'),
          ...(change.reason === undefined || change.reason.trim() === '' ? {} : { reason: change.reason }),
          at: requireTime(change.at, 'at'),
        });
      }),

    close: () => {
      if (!closed) {
        closed = true;
        try {
          db.close();
        } catch (err) {
          return Promise.reject(toStoreError(err));
        }
      }
      return Promise.resolve();
    },
  };
  return store;
}

// ---------------------------------------------------------------- statements

type LocationParams = { account: string; mailbox: string; uidValidity: string; uid: number };

/** Prepared once per connection: SQLite parses each statement a single time. */
function prepareStatements(db: Database.Database) {
  const MESSAGE_COLUMNS = 'm.id, m.account, m.mailbox, m.uid_validity, m.uid, m.size, m.received_at, m.raw_path, m.state, m.error, m.folder, m.created_at, m.updated_at';
  return {
    // ledger
    getMessage: db.prepare<[string], MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.id = ?`),
    messageAt: db.prepare<LocationParams, MessageRow>(`
      SELECT ${MESSAGE_COLUMNS} FROM message_locations l JOIN messages m ON m.id = l.message_id
      WHERE l.account = @account AND l.mailbox = @mailbox AND l.uid_validity = @uidValidity AND l.uid = @uid`),
    insertMessage: db.prepare<NewMessage & { at: string }>(`
      INSERT INTO messages (id, account, mailbox, uid_validity, uid, size, received_at, raw_path, state, created_at, updated_at)
      VALUES (@id, @account, @mailbox, @uidValidity, @uid, @size, @receivedAt, @rawPath, 'received', @at, @at)`),
    insertLocation: db.prepare<LocationParams & { id: string; at: string }>(`
      INSERT INTO message_locations (account, mailbox, uid_validity, uid, message_id, created_at)
      VALUES (@account, @mailbox, @uidValidity, @uid, @id, @at)`),
    lastUid: db.prepare<[string, string, string], { last: number }>(`
      SELECT ifnull(max(uid), 0) AS last FROM message_locations WHERE account = ? AND mailbox = ? AND uid_validity = ?`),
    setMessageState: db.prepare<{ id: string; state: string; error: string | null; at: string }>(
      'UPDATE messages SET state = @state, error = @error, updated_at = @at WHERE id = @id',
    ),
    setMessageFolder: db.prepare<{ id: string; folder: string; at: string }>(
      'UPDATE messages SET folder = @folder, updated_at = @at WHERE id = @id',
    ),
    listUnfinished: db.prepare<[number], MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.state <> 'done' ORDER BY m.created_at, m.rowid LIMIT ?`,
    ),

    // applications
    getApplication: db.prepare<[string], ApplicationRow>('SELECT * FROM applications WHERE id = ?'),
    applicationByKey: db.prepare<[string, string], ApplicationRow>(
      `SELECT * FROM applications WHERE applicant_key = ? AND ifnull(programme, '') = ?`,
    ),
    otherProgrammes: db.prepare<[string, string], { programme: string }>(`
      SELECT DISTINCT programme FROM applications
      WHERE applicant_key = ? AND programme IS NOT NULL AND programme <> ? ORDER BY programme`),
    insertApplication: db.prepare<{
      id: string;
      applicantKey: string | null;
      programme: string | null;
      status: Status;
      applicantEmail: string | null;
      applicantName: string | null;
      decidedAt: string;
      at: string;
    }>(`
      INSERT INTO applications (id, applicant_key, programme, applicant_email, applicant_name, status, latest_revision, decided_at, created_at, updated_at)
      VALUES (@id, @applicantKey, @programme, @applicantEmail, @applicantName, @status, 1, @decidedAt, @at, @at)`),
    updateApplicationLatest: db.prepare<{
      id: string;
      revision: number;
      status: Status;
      applicantEmail: string | null;
      applicantName: string | null;
      decidedAt: string;
      at: string;
    }>(`
      UPDATE applications SET latest_revision = @revision, status = @status,
        applicant_email = ifnull(@applicantEmail, applicant_email), applicant_name = ifnull(@applicantName, applicant_name),
        decided_at = @decidedAt, reviewed_by = NULL, reviewed_at = NULL, updated_at = @at
      WHERE id = @id`),
    insertRevision: db.prepare<{
      applicationId: string;
      revision: number;
      messageId: string;
      status: Status;
      flags: string;
      facts: string;
      result: string;
      rulesHash: string;
      receivedAt: string;
      decidedAt: string;
      at: string;
    }>(`
      INSERT INTO revisions (application_id, revision, message_id, status, flags, facts, result, rules_hash, received_at, decided_at, created_at)
      VALUES (@applicationId, @revision, @messageId, @status, @flags, @facts, @result, @rulesHash, @receivedAt, @decidedAt, @at)`),
    getRevision: db.prepare<[string, number], RevisionRow>('SELECT * FROM revisions WHERE application_id = ? AND revision = ?'),
    revisionByMessage: db.prepare<[string], RevisionRow>('SELECT * FROM revisions WHERE message_id = ?'),
    listRevisions: db.prepare<[string], RevisionRow>('SELECT * FROM revisions WHERE application_id = ? ORDER BY revision'),
    getSummary: db.prepare<[string], SummaryRow>(`${SUMMARY_SELECT} WHERE a.id = ?`),
    countSummaries: db.prepare<FilterParams, { n: number }>(`
      SELECT count(*) AS n FROM applications a
      JOIN revisions r ON r.application_id = a.id AND r.revision = a.latest_revision ${FILTER_WHERE}`),
    markReviewed: db.prepare<{ id: string; actor: string; at: string; stamp: string }>(`
      UPDATE applications SET reviewed_by = @actor, reviewed_at = @at, updated_at = @stamp WHERE id = @id`),
    amendRevision: db.prepare<{
      applicationId: string;
      revision: number;
      status: Status;
      flags: string;
      facts: string;
      result: string;
      rulesHash: string | null;
      actor: string;
      action: string;
      reason: string | null;
      at: string;
    }>(`
      UPDATE revisions SET status = @status, flags = @flags, facts = @facts, rules_hash = ifnull(@rulesHash, rules_hash),
        amended_result = @result, amended_by = @actor, amended_at = @at, amended_action = @action, amended_reason = @reason
      WHERE application_id = @applicationId AND revision = @revision`),
    amendApplication: db.prepare<{ id: string; status: Status; applicantEmail: string | null; applicantName: string | null; at: string }>(`
      UPDATE applications SET status = @status,
        applicant_email = ifnull(@applicantEmail, applicant_email), applicant_name = ifnull(@applicantName, applicant_name),
        updated_at = @at
      WHERE id = @id`),
    listByApplicant: db.prepare<{ applicantKey: string }, SummaryRow>(`${SUMMARY_SELECT}
      WHERE a.applicant_key = @applicantKey ORDER BY a.decided_at, a.id`),
    countByStatus: db.prepare<{ anyProgramme: number; programme: string }, { status: Status; n: number }>(`
      SELECT status, count(*) AS n FROM applications
      WHERE @anyProgramme = 1 OR ifnull(programme, '') = @programme GROUP BY status`),

    // section files
    upsertSectionFile: db.prepare<{
      applicationId: string;
      revision: number;
      section: string;
      pageFrom: number;
      pageTo: number;
      path: string;
      sha256: string;
      at: string;
    }>(`
      INSERT INTO section_files (application_id, revision, section, page_from, page_to, path, sha256, created_at, updated_at)
      VALUES (@applicationId, @revision, @section, @pageFrom, @pageTo, @path, @sha256, @at, @at)
      ON CONFLICT (application_id, revision, section, page_from)
      DO UPDATE SET page_to = excluded.page_to, path = excluded.path, sha256 = excluded.sha256, updated_at = excluded.updated_at`),
    listSectionFiles: db.prepare<[string, number], SectionFileRow>(`
      SELECT section, page_from, page_to, path, sha256 FROM section_files
      WHERE application_id = ? AND revision = ? ORDER BY page_from, section`),

    // replies
    getReply: db.prepare<[string], ReplyRow>('SELECT * FROM replies WHERE id = ?'),
    replyByKey: db.prepare<[string, number, string], ReplyRow>(
      'SELECT * FROM replies WHERE application_id = ? AND revision = ? AND status = ?',
    ),
    insertReply: db.prepare<{
      id: string;
      applicationId: string;
      revision: number;
      status: Status;
      to: string;
      subject: string;
      body: string;
      state: ReplyState;
      held: number;
      inReplyTo: string | null;
      at: string;
    }>(`
      INSERT INTO replies (id, application_id, revision, status, to_address, subject, body, state, held, in_reply_to, created_at, updated_at)
      VALUES (@id, @applicationId, @revision, @status, @to, @subject, @body, @state, @held, @inReplyTo, @at, @at)`),
    markReplySent: db.prepare<{ id: string; messageId: string; sentAt: string; at: string }>(`
      UPDATE replies SET state = 'sent', message_id = @messageId, sent_at = @sentAt, error = NULL,
        attempts = attempts + 1, send_lease_until = NULL, updated_at = @at
      WHERE id = @id`),
    markReplyFailed: db.prepare<{ id: string; error: string; at: string }>(`
      UPDATE replies SET state = 'failed', error = @error, attempts = attempts + 1, send_lease_until = NULL, updated_at = @at WHERE id = @id`),
    claimReplySend: db.prepare<{ id: string; now: string; until: string; at: string }>(`
      UPDATE replies SET send_lease_until = @until, updated_at = @at
      WHERE id = @id AND state IN ('pending', 'failed') AND (send_lease_until IS NULL OR send_lease_until <= @now)`),
    releaseReplySend: db.prepare<{ id: string; at: string }>(`
      UPDATE replies SET send_lease_until = NULL, updated_at = @at WHERE id = @id`),
    holdReply: db.prepare<{ id: string; reason: string; at: string }>(`
      UPDATE replies SET state = 'held', held = 1, error = @reason, updated_at = @at WHERE id = @id`),
    approveReply: db.prepare<{ id: string; actor: string; subject: string | null; body: string | null; at: string }>(`
      UPDATE replies SET state = 'pending', decided_by = @actor,
        subject = ifnull(@subject, subject), body = ifnull(@body, body), updated_at = @at
      WHERE id = @id`),
    discardReply: db.prepare<{ id: string; actor: string; at: string }>(`
      UPDATE replies SET state = 'discarded', decided_by = @actor, updated_at = @at WHERE id = @id`),
    listReplies: db.prepare<{ state: ReplyState | null; applicationId: string | null; limit: number }, ReplyRow>(`
      SELECT * FROM replies
      WHERE (@state IS NULL OR state = @state) AND (@applicationId IS NULL OR application_id = @applicationId)
      ORDER BY created_at, rowid LIMIT @limit`),

    // bounces
    markBounced: db.prepare<{ email: string; at: string }>(`
      INSERT INTO bounced_addresses (email, first_bounced_at, last_bounced_at, bounces) VALUES (@email, @at, @at, 1)
      ON CONFLICT (email) DO UPDATE SET
        first_bounced_at = min(first_bounced_at, excluded.first_bounced_at),
        last_bounced_at = max(last_bounced_at, excluded.last_bounced_at),
        bounces = bounces + 1`),
    isBounced: db.prepare<[string], { email: string; last_bounced_at: string }>('SELECT email, last_bounced_at FROM bounced_addresses WHERE email = ?'),
    clearBounced: db.prepare<[string]>('DELETE FROM bounced_addresses WHERE email = ?'),

    // staff
    insertUser: db.prepare<{ username: string; role: UserRole; passwordHash: string; at: string }>(`
      INSERT INTO users (username, role, password_hash, created_at, updated_at) VALUES (@username, @role, @passwordHash, @at, @at)`),
    updateUser: db.prepare<{
      username: string;
      role: UserRole | null;
      passwordHash: string | null;
      disabled: number | null;
      totpChange: number;
      totpSecret: string | null;
      at: string;
    }>(`
      UPDATE users SET role = ifnull(@role, role), password_hash = ifnull(@passwordHash, password_hash),
        disabled_at = CASE @disabled WHEN 1 THEN ifnull(disabled_at, @at) WHEN 0 THEN NULL ELSE disabled_at END,
        totp_secret = CASE @totpChange WHEN 1 THEN @totpSecret ELSE totp_secret END,
        totp_last_step = CASE @totpChange WHEN 1 THEN NULL ELSE totp_last_step END,
        updated_at = @at
      WHERE username = @username`),
    countActiveAdmins: db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled_at IS NULL`),
    useTotpStep: db.prepare<{ step: number; username: string }>(`
      UPDATE users SET totp_last_step = @step
      WHERE username = @username AND totp_secret IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < @step)`),
    getUser: db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?'),
    listUsers: db.prepare<[], UserRow>('SELECT * FROM users ORDER BY username'),
    insertSession: db.prepare<{ id: string; username: string; csrfToken: string; createdAt: string; expiresAt: string }>(`
      INSERT INTO sessions (id, username, csrf_token, created_at, expires_at) VALUES (@id, @username, @csrfToken, @createdAt, @expiresAt)`),
    getSession: db.prepare<[string, string], SessionRow>(`
      SELECT s.id, s.username, u.role, s.csrf_token, s.created_at, s.expires_at
      FROM sessions s JOIN users u ON u.username = s.username
      WHERE s.id = ? AND s.expires_at > ? AND u.disabled_at IS NULL`),
    deleteSession: db.prepare<[string]>('DELETE FROM sessions WHERE id = ?'),
    deleteSessionsOf: db.prepare<[string]>('DELETE FROM sessions WHERE username = ?'),
    deleteExpiredSessions: db.prepare<[string]>('DELETE FROM sessions WHERE expires_at <= ?'),
    insertNote: db.prepare<{ applicationId: string; author: string; text: string; at: string }>(`
      INSERT INTO notes (application_id, author, text, at) VALUES (@applicationId, @author, @text, @at)`),
    getNote: db.prepare<[number | bigint], NoteRow>('SELECT * FROM notes WHERE id = ?'),
    listNotes: db.prepare<[string], NoteRow>('SELECT * FROM notes WHERE application_id = ? ORDER BY id'),

    // events: INSERT and SELECT only, by design
    insertEvent: db.prepare<{ actor: string; action: string; subject: string; detail: string; at: string }>(`
      INSERT INTO events (actor, action, subject, detail, at) VALUES (@actor, @action, @subject, @detail, @at)`),
    listEvents: db.prepare<[number], EventRow>('SELECT * FROM events ORDER BY id DESC LIMIT ?'),
    listEventsFor: db.prepare<[string, number], EventRow>('SELECT * FROM events WHERE subject = ? ORDER BY id DESC LIMIT ?'),
  };
}
