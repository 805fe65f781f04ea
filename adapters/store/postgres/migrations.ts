/**
 * The PostgreSQL schema as numbered migrations: MIGRATIONS[i] is version i + 1, recorded in
 * `schema_version`. A migration, once released, is never edited: a change is a new entry. These
 * versions are the PostgreSQL store's own; version 1 is the whole schema the SQLite store reached
 * in its three (adapters/store/migrations.ts).
 *
 * Column choices, so that both stores answer alike:
 * - text columns compare and sort in "C" collation (by code point, as SQLite does), whatever the
 *   database's locale;
 * - times are text in toISOString form, as the port hands them over, so text order is time order;
 * - JSON documents are `json` (kept as written: `jsonb` would refuse a \u0000 escape a PDF's text may hold);
 * - name_fold / email_fold hold JavaScript's case folding for the search and the name sort (a
 *   database's lower() depends on its locale);
 * - seq gives insertion order where SQLite used its rowid.
 */
import type pg from 'pg';
import { StoreError } from '../../../core/ports/store';
import { inTransaction, type Sql } from './pool';

const T = 'text COLLATE "C"';
const STATUS_CHECK = `('complete', 'incomplete', 'ineligible', 'needs_review', 'not_application')`;

export const MIGRATIONS: readonly string[] = [
  // 1: the ledger, applications and revisions, section files, replies, bounces, the event log, staff.
  `
  CREATE TABLE messages (
    seq           bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    id            ${T} PRIMARY KEY CHECK (length(id) = 64),
    account       ${T} NOT NULL,
    mailbox       ${T} NOT NULL,
    uid_validity  ${T} NOT NULL,
    uid           bigint NOT NULL CHECK (uid > 0),
    size          bigint NOT NULL CHECK (size >= 0),
    received_at   ${T} NOT NULL,
    raw_path      ${T} NOT NULL,
    state         ${T} NOT NULL DEFAULT 'received'
                  CHECK (state IN ('received', 'analysed', 'triaged', 'replied', 'done', 'failed')),
    error         ${T},
    folder        ${T},
    created_at    ${T} NOT NULL,
    updated_at    ${T} NOT NULL
  );
  CREATE INDEX messages_unfinished ON messages (created_at, seq) WHERE state <> 'done';

  -- Every location of a message, the first one included, so findMessageAt and lastUid read one table.
  CREATE TABLE message_locations (
    account       ${T} NOT NULL,
    mailbox       ${T} NOT NULL,
    uid_validity  ${T} NOT NULL,
    uid           bigint NOT NULL CHECK (uid > 0),
    message_id    ${T} NOT NULL REFERENCES messages (id),
    created_at    ${T} NOT NULL,
    PRIMARY KEY (account, mailbox, uid_validity, uid)
  );
  CREATE INDEX message_locations_message ON message_locations (message_id);

  -- One row per (applicant, programme); status and latest_revision repeat the latest revision.
  CREATE TABLE applications (
    id               ${T} PRIMARY KEY,
    applicant_key    ${T},
    programme        ${T},
    applicant_email  ${T},
    applicant_name   ${T},
    email_fold       ${T},
    name_fold        ${T},
    status           ${T} NOT NULL CHECK (status IN ${STATUS_CHECK}),
    latest_revision  integer NOT NULL CHECK (latest_revision >= 1),
    decided_at       ${T} NOT NULL,
    reviewed_by      ${T},
    reviewed_at      ${T},
    created_at       ${T} NOT NULL,
    updated_at       ${T} NOT NULL
  );
  -- coalesce makes "programme unknown" one key per applicant; a NULL applicant_key is never grouped.
  CREATE UNIQUE INDEX applications_key ON applications (applicant_key, coalesce(programme, ''))
    WHERE applicant_key IS NOT NULL;
  CREATE INDEX applications_status ON applications (programme, status);
  CREATE INDEX applications_decided ON applications (decided_at);

  -- result stays as triage produced it; amended_result is the result in force once staff amended it.
  CREATE TABLE revisions (
    application_id  ${T} NOT NULL REFERENCES applications (id),
    revision        integer NOT NULL CHECK (revision >= 1),
    message_id      ${T} NOT NULL UNIQUE REFERENCES messages (id),
    status          ${T} NOT NULL CHECK (status IN ${STATUS_CHECK}),
    flags           json NOT NULL,
    facts           json NOT NULL,
    result          json NOT NULL,
    rules_hash      ${T} NOT NULL,
    received_at     ${T} NOT NULL,
    decided_at      ${T} NOT NULL,
    created_at      ${T} NOT NULL,
    amended_result  json,
    amended_by      ${T},
    amended_at      ${T},
    amended_action  ${T},
    amended_reason  ${T},
    PRIMARY KEY (application_id, revision)
  );

  CREATE TABLE section_files (
    application_id  ${T} NOT NULL,
    revision        integer NOT NULL,
    section         ${T} NOT NULL,
    page_from       integer NOT NULL CHECK (page_from >= 1),
    page_to         integer NOT NULL,
    path            ${T} NOT NULL,
    sha256          ${T} NOT NULL,
    created_at      ${T} NOT NULL,
    updated_at      ${T} NOT NULL,
    PRIMARY KEY (application_id, revision, section, page_from),
    FOREIGN KEY (application_id, revision) REFERENCES revisions (application_id, revision),
    CHECK (page_to >= page_from)
  );

  -- The UNIQUE key is what makes a reply impossible to send twice.
  CREATE TABLE replies (
    seq               bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    id                ${T} PRIMARY KEY,
    application_id    ${T} NOT NULL,
    revision          integer NOT NULL,
    status            ${T} NOT NULL CHECK (status IN ${STATUS_CHECK}),
    to_address        ${T} NOT NULL,
    subject           ${T} NOT NULL,
    body              ${T} NOT NULL,
    state             ${T} NOT NULL CHECK (state IN ('held', 'pending', 'sent', 'failed', 'discarded')),
    held              boolean NOT NULL,
    in_reply_to       ${T},
    message_id        ${T},
    error             ${T},
    attempts          integer NOT NULL DEFAULT 0,
    decided_by        ${T},
    sent_at           ${T},
    send_lease_until  ${T},
    created_at        ${T} NOT NULL,
    updated_at        ${T} NOT NULL,
    UNIQUE (application_id, revision, status),
    FOREIGN KEY (application_id, revision) REFERENCES revisions (application_id, revision)
  );
  CREATE INDEX replies_state ON replies (state, created_at, seq);

  CREATE TABLE bounced_addresses (
    email             ${T} PRIMARY KEY,
    first_bounced_at  ${T} NOT NULL,
    last_bounced_at   ${T} NOT NULL,
    bounces           integer NOT NULL DEFAULT 1
  );

  -- Append-only: the code has no UPDATE or DELETE for it, and the triggers refuse one from anywhere else.
  CREATE TABLE events (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor    ${T} NOT NULL,
    action   ${T} NOT NULL,
    subject  ${T} NOT NULL,
    detail   json NOT NULL DEFAULT '{}',
    at       ${T} NOT NULL
  );
  CREATE INDEX events_subject ON events (subject, id);
  CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'events are append-only' USING ERRCODE = 'restrict_violation'; END $$;
  CREATE TRIGGER events_no_update BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_append_only();
  CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();

  CREATE TABLE users (
    username       ${T} PRIMARY KEY CHECK (username ~ '^[a-z0-9._-]{1,64}$'),
    role           ${T} NOT NULL CHECK (role IN ('staff', 'admin')),
    password_hash  ${T} NOT NULL CHECK (password_hash <> ''),
    created_at     ${T} NOT NULL,
    updated_at     ${T} NOT NULL
  );

  -- id is the SHA-256 of the cookie's token, never the token itself.
  CREATE TABLE sessions (
    id          ${T} PRIMARY KEY CHECK (length(id) = 64),
    username    ${T} NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    csrf_token  ${T} NOT NULL,
    created_at  ${T} NOT NULL,
    expires_at  ${T} NOT NULL
  );
  CREATE INDEX sessions_expires ON sessions (expires_at);
  CREATE INDEX sessions_user ON sessions (username);

  CREATE TABLE notes (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id  ${T} NOT NULL REFERENCES applications (id),
    author          ${T} NOT NULL,
    text            ${T} NOT NULL,
    at              ${T} NOT NULL
  );
  CREATE INDEX notes_application ON notes (application_id, id);
  `,

  // 2: accounts managed in the dashboard (SQLite's version 4). disabled_at set while an admin has
  // disabled the account; totp_secret once the user confirmed TOTP enrolment; totp_last_step the time
  // step of the last code accepted, so that one code does not sign in twice.
  `
  ALTER TABLE users ADD COLUMN disabled_at ${T};
  ALTER TABLE users ADD COLUMN totp_secret ${T} CHECK (totp_secret IS NULL OR totp_secret <> '');
  ALTER TABLE users ADD COLUMN totp_last_step bigint;
  `,

  // 3: the sending of messages staff write (SQLite's version 5; core/ports/staff-message-sends.ts).
  `
  CREATE TABLE staff_message_sends (
    key             ${T} PRIMARY KEY CHECK (key <> ''),
    application_id  ${T} NOT NULL CHECK (application_id <> ''),
    state           ${T} NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
    attempt         integer NOT NULL CHECK (attempt >= 1),
    lease_until     ${T},
    error           ${T},
    sent_at         ${T},
    created_at      ${T} NOT NULL,
    updated_at      ${T} NOT NULL
  );
  CREATE INDEX staff_message_sends_application ON staff_message_sends (application_id);
  `,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * One key for every process migrating this database: pg_advisory_xact_lock serialises them, the
 * lock ends with the transaction. (The bytes of "esorschm" as a bigint.)
 */
const MIGRATION_LOCK_KEY = '7310309157505296493';
const MIGRATION_LOCK_TIMEOUT_S = 60;

/**
 * The database's schema version, 0 when it has none yet.
 * @throws StoreError STORE_SCHEMA_TOO_NEW when the database has versions this code does not know.
 */
export async function readSchemaVersion(sql: Sql): Promise<number> {
  const table = await sql.query<{ exists: boolean }>(`SELECT to_regclass('schema_version') IS NOT NULL AS exists`);
  if (!table.rows[0]?.exists) return 0;
  const current = Number((await sql.query<{ v: number }>('SELECT coalesce(max(version), 0) AS v FROM schema_version')).rows[0]?.v ?? 0);
  if (current > SCHEMA_VERSION) {
    throw new StoreError('STORE_SCHEMA_TOO_NEW', `the database is at schema version ${current}; this version of esor-intake knows ${SCHEMA_VERSION}`);
  }
  return current;
}

/**
 * Brings the database up to SCHEMA_VERSION: the pending migrations run in order in one transaction
 * that first takes an advisory lock, so two processes starting at once cannot both migrate (the second
 * waits, then finds nothing to do). DDL is transactional in PostgreSQL: a failed migration leaves the
 * database as it was.
 * @returns the version before and after, and the versions this call applied.
 * @throws StoreError STORE_SCHEMA_TOO_NEW; database errors as they come (the caller translates).
 */
export async function migratePostgres(pool: pg.Pool, now: () => Date): Promise<{ before: number; after: number; applied: number[] }> {
  // The usual case, an up-to-date database, is decided by a read alone.
  const seen = await readSchemaVersion(pool);
  if (seen === SCHEMA_VERSION) return { before: seen, after: seen, applied: [] };
  return inTransaction(pool, async (sql) => {
    // Another process's migration may outlast the pool's lock_timeout (a few seconds) on a busy machine:
    // starting must wait for it, as the SQLite store waits for a file another process is migrating.
    await sql.query(`SET LOCAL lock_timeout = '${MIGRATION_LOCK_TIMEOUT_S}s'`);
    await sql.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await sql.query(`CREATE TABLE IF NOT EXISTS schema_version (
      version     integer PRIMARY KEY,
      applied_at  text NOT NULL
    )`);
    // Read again under the lock: another process may have migrated meanwhile.
    const before = await readSchemaVersion(sql);
    const applied: number[] = [];
    for (let version = before + 1; version <= SCHEMA_VERSION; version++) {
      await sql.query(MIGRATIONS[version - 1]!);
      await sql.query('INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)', [version, now().toISOString()]);
      applied.push(version);
    }
    return { before, after: SCHEMA_VERSION, applied };
  }, 'locked');
}
