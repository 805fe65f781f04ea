/**
 * The SQLite schema as numbered migrations: MIGRATIONS[i] is version i + 1.
 * A migration, once released, is never edited: a change is a new entry, so a
 * file written by any earlier version can be brought up to date.
 */
import type Database from 'better-sqlite3';
import { StoreError } from '../../core/ports/store';

const STATUS_CHECK = `('complete', 'incomplete', 'ineligible', 'needs_review', 'not_application')`;

export const MIGRATIONS: readonly string[] = [
  // 1: the whole first schema.
  `
  -- The ledger. The location columns are where the mail was first seen;
  -- message_locations holds every location, the first one included, so that
  -- findMessageAt and lastUid read a single table.
  CREATE TABLE messages (
    id            TEXT PRIMARY KEY CHECK (length(id) = 64),
    account       TEXT NOT NULL,
    mailbox       TEXT NOT NULL,
    uid_validity  TEXT NOT NULL,
    uid           INTEGER NOT NULL CHECK (uid > 0),
    size          INTEGER NOT NULL CHECK (size >= 0),
    received_at   TEXT NOT NULL,
    raw_path      TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'received'
                  CHECK (state IN ('received', 'analysed', 'triaged', 'replied', 'done', 'failed')),
    error         TEXT,
    folder        TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
  );
  CREATE INDEX messages_unfinished ON messages (created_at) WHERE state <> 'done';

  CREATE TABLE message_locations (
    account       TEXT NOT NULL,
    mailbox       TEXT NOT NULL,
    uid_validity  TEXT NOT NULL,
    uid           INTEGER NOT NULL CHECK (uid > 0),
    message_id    TEXT NOT NULL REFERENCES messages (id),
    created_at    TEXT NOT NULL,
    PRIMARY KEY (account, mailbox, uid_validity, uid)
  ) WITHOUT ROWID;
  CREATE INDEX message_locations_message ON message_locations (message_id);

  -- One row per (applicant, programme); status and latest_revision repeat the
  -- latest revision so that lists and counts need no join.
  CREATE TABLE applications (
    id               TEXT PRIMARY KEY,
    applicant_key    TEXT,
    programme        TEXT,
    applicant_email  TEXT,
    applicant_name   TEXT,
    status           TEXT NOT NULL CHECK (status IN ${STATUS_CHECK}),
    latest_revision  INTEGER NOT NULL CHECK (latest_revision >= 1),
    decided_at       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
  );
  -- NULLs are distinct in a UNIQUE index: ifnull makes "programme unknown" one key
  -- per applicant, and a NULL applicant_key (sender unknown) is never grouped.
  CREATE UNIQUE INDEX applications_key ON applications (applicant_key, ifnull(programme, ''))
    WHERE applicant_key IS NOT NULL;
  CREATE INDEX applications_status ON applications (programme, status);
  CREATE INDEX applications_decided ON applications (decided_at);

  CREATE TABLE revisions (
    application_id  TEXT NOT NULL REFERENCES applications (id),
    revision        INTEGER NOT NULL CHECK (revision >= 1),
    message_id      TEXT NOT NULL UNIQUE REFERENCES messages (id),
    status          TEXT NOT NULL CHECK (status IN ${STATUS_CHECK}),
    flags           TEXT NOT NULL CHECK (json_valid(flags)),
    facts           TEXT NOT NULL CHECK (json_valid(facts)),
    result          TEXT NOT NULL CHECK (json_valid(result)),
    rules_hash      TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    decided_at      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (application_id, revision)
  );

  -- Several 'other' spans can exist in one PDF, hence the first page in the key.
  CREATE TABLE section_files (
    application_id  TEXT NOT NULL,
    revision        INTEGER NOT NULL,
    section         TEXT NOT NULL,
    page_from       INTEGER NOT NULL CHECK (page_from >= 1),
    page_to         INTEGER NOT NULL,
    path            TEXT NOT NULL,
    sha256          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (application_id, revision, section, page_from),
    FOREIGN KEY (application_id, revision) REFERENCES revisions (application_id, revision),
    CHECK (page_to >= page_from)
  );

  -- The UNIQUE key is what makes a reply impossible to send twice.
  CREATE TABLE replies (
    id              TEXT PRIMARY KEY,
    application_id  TEXT NOT NULL,
    revision        INTEGER NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ${STATUS_CHECK}),
    to_address      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('held', 'pending', 'sent', 'failed', 'discarded')),
    held            INTEGER NOT NULL CHECK (held IN (0, 1)),
    in_reply_to     TEXT,
    message_id      TEXT,
    error           TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    decided_by      TEXT,
    sent_at         TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (application_id, revision, status),
    FOREIGN KEY (application_id, revision) REFERENCES revisions (application_id, revision)
  );
  CREATE INDEX replies_state ON replies (state, created_at);

  CREATE TABLE bounced_addresses (
    email             TEXT PRIMARY KEY,
    first_bounced_at  TEXT NOT NULL,
    last_bounced_at   TEXT NOT NULL,
    bounces           INTEGER NOT NULL DEFAULT 1
  ) WITHOUT ROWID;

  -- Append-only: the code has no UPDATE or DELETE for it, and the triggers
  -- refuse one from anywhere else (a script, a later migration by mistake).
  CREATE TABLE events (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    actor    TEXT NOT NULL,
    action   TEXT NOT NULL,
    subject  TEXT NOT NULL,
    detail   TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail)),
    at       TEXT NOT NULL
  );
  CREATE INDEX events_subject ON events (subject, id);
  CREATE TRIGGER events_no_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
  CREATE TRIGGER events_no_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
  `,

  // 2: staff. Users, sessions and notes; the reviewed mark; results amended by staff.
  `
  -- Cleared by the next revision: a new verdict has not been reviewed yet.
  ALTER TABLE applications ADD COLUMN reviewed_by TEXT;
  ALTER TABLE applications ADD COLUMN reviewed_at TEXT;

  -- result stays as triage produced it; amended_result is the result in force
  -- once staff amended it. status, flags and facts always repeat the result in
  -- force, so that lists and filters need not look inside the JSON.
  ALTER TABLE revisions ADD COLUMN amended_result TEXT CHECK (amended_result IS NULL OR json_valid(amended_result));
  ALTER TABLE revisions ADD COLUMN amended_by TEXT;
  ALTER TABLE revisions ADD COLUMN amended_at TEXT;
  ALTER TABLE revisions ADD COLUMN amended_action TEXT;
  ALTER TABLE revisions ADD COLUMN amended_reason TEXT;

  CREATE TABLE users (
    username       TEXT PRIMARY KEY CHECK (length(username) BETWEEN 1 AND 64 AND username NOT GLOB '*[^a-z0-9._-]*'),
    role           TEXT NOT NULL CHECK (role IN ('staff', 'admin')),
    password_hash  TEXT NOT NULL CHECK (password_hash <> ''),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
  ) WITHOUT ROWID;

  -- id is the SHA-256 of the cookie's token, never the token itself.
  CREATE TABLE sessions (
    id          TEXT PRIMARY KEY CHECK (length(id) = 64),
    username    TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    csrf_token  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX sessions_expires ON sessions (expires_at);
  CREATE INDEX sessions_user ON sessions (username);

  CREATE TABLE notes (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id  TEXT NOT NULL REFERENCES applications (id),
    author          TEXT NOT NULL,
    text            TEXT NOT NULL,
    at              TEXT NOT NULL
  );
  CREATE INDEX notes_application ON notes (application_id, id);
  `,

  // 3: the send lease of a reply. A worker takes it before handing the reply to the mail server, so a
  // second worker running the same job (its lock ran out while the first was still sending) does not
  // send it again; a crashed sender's lease runs out and the reply goes out after all.
  `
  ALTER TABLE replies ADD COLUMN send_lease_until TEXT;
  `,

  // 4: accounts managed in the dashboard. disabled_at set while an admin has disabled the account;
  // totp_secret once the user confirmed TOTP enrolment; totp_last_step the time step of the last code
  // accepted, so that one code does not sign in twice.
  `
  ALTER TABLE users ADD COLUMN disabled_at TEXT;
  ALTER TABLE users ADD COLUMN totp_secret TEXT CHECK (totp_secret IS NULL OR totp_secret <> '');
  ALTER TABLE users ADD COLUMN totp_last_step INTEGER;
  `,

  // 5: the sending of messages staff write (core/ports/staff-message-sends.ts): one row per message
  // key, claimed with a lease before the mail server gets it, so a job run twice sends it once. No
  // foreign key: like the event log, the row holds ids only and outlives nothing it points to.
  `
  CREATE TABLE staff_message_sends (
    key             TEXT PRIMARY KEY CHECK (key <> ''),
    application_id  TEXT NOT NULL CHECK (application_id <> ''),
    state           TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
    attempt         INTEGER NOT NULL CHECK (attempt >= 1),
    lease_until     TEXT,
    error           TEXT,
    sent_at         TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
  );
  CREATE INDEX staff_message_sends_application ON staff_message_sends (application_id);
  `,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * The file's schema version, 0 for a new file.
 * @throws StoreError STORE_SCHEMA_TOO_NEW when the file has versions this code does not know.
 */
export function readSchemaVersion(db: Database.Database): number {
  const table = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).get();
  if (!table) return 0;
  const current = (db.prepare('SELECT ifnull(max(version), 0) AS v FROM schema_migrations').get() as { v: number }).v;
  if (current > SCHEMA_VERSION) {
    throw new StoreError(
      'STORE_SCHEMA_TOO_NEW',
      `the store file is at schema version ${current}; this version of esor-intake knows ${SCHEMA_VERSION}`,
    );
  }
  return current;
}

/**
 * Brings the database up to SCHEMA_VERSION. All pending migrations run in one
 * IMMEDIATE transaction, so two processes opening a new file at once cannot
 * both apply them: the second waits for the lock, then finds nothing to do.
 * @returns the versions applied by this call (empty when up to date).
 * @throws StoreError STORE_SCHEMA_TOO_NEW when the file has versions this code does not know.
 */
export function migrateDatabase(db: Database.Database, now: () => Date): number[] {
  // The usual case, an up-to-date file, is decided by a read alone: opening must
  // not wait for the write lock another process may be holding.
  if (readSchemaVersion(db) === SCHEMA_VERSION) return [];
  const migrate = db.transaction((): number[] => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version     INTEGER PRIMARY KEY,
      applied_at  TEXT NOT NULL
    )`);
    // Read again under the lock: another process may have migrated meanwhile.
    const current = readSchemaVersion(db);
    const record = db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)');
    const applied: number[] = [];
    for (let version = current + 1; version <= SCHEMA_VERSION; version++) {
      db.exec(MIGRATIONS[version - 1]!);
      record.run(version, now().toISOString());
      applied.push(version);
    }
    return applied;
  });
  return migrate.immediate();
}
