/**
 * Shared by the store tests: one contract suite for both stores. `forEachStore` runs a file's tests
 * against a store on a real SQLite file in a temp folder and against a real PostgreSQL (one server per
 * test file, a fresh database per test); synthetic messages and verdicts.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import type { Status, TriageResult } from '../../../core/types';
import { openPostgresStore } from '../../../adapters/store/postgres/postgres-store';
import { openSqliteStore } from '../../../adapters/store/sqlite-store';
import type { NewMessage, Store } from '../../../core/ports/store';
import { startPostgres, type PostgresServer } from '../../../dev/local/postgres-server';

export const STORE_KINDS = ['sqlite', 'postgres'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** What both stores accept; busyTimeoutMs is SQLite's busy timeout or PostgreSQL's lock_timeout. */
export interface TempStoreOptions {
  now?: () => Date;
  newId?: () => string;
  busyTimeoutMs?: number;
}

export interface TempStore {
  kind: StoreKind;
  /** A temp folder of the test's own (the SQLite file lives in it). */
  dir: string;
  /** The SQLite file ('' for PostgreSQL). */
  file: string;
  /** The PostgreSQL database ('' for SQLite). */
  url: string;
  store: Store;
  /** Opens another store on the same file or database, as a second process would. */
  reopen(opts?: TempStoreOptions): Promise<Store>;
  /** Another, new file path or database URL of this kind (nothing created in it yet), removed by cleanup. */
  newTarget(): Promise<string>;
  /** Opens a store on a target from newTarget; closed by cleanup. */
  openAt(target: string): Promise<Store>;
  /** Runs SQL from outside the store ($1, $2 ... parameters), as another program would; the rows it returns. */
  sql(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /**
   * Holds the ledger's write lock from outside the store (SQLite: BEGIN IMMEDIATE; PostgreSQL: LOCK TABLE
   * on the ledger tables) until the returned function is called.
   */
  holdWriteLock(): Promise<() => Promise<void>>;
  cleanup(): Promise<void>;
}

/** A clock that moves one second per reading, so createdAt order is visible. */
export function steppingClock(startIso = '2021-03-12T09:00:00.000Z'): () => Date {
  let t = Date.parse(startIso);
  return () => new Date((t += 1000));
}

// One PostgreSQL server per test file (Jest gives every file its own module registry, so its own copy of this).
let postgres: Promise<PostgresServer> | undefined;
let postgresUsers = 0;

function postgresServer(): Promise<PostgresServer> {
  postgres ??= startPostgres();
  return postgres;
}

/**
 * Runs `body` (the file's describe blocks and hooks) once per store kind, in a describe named after it.
 * The PostgreSQL server starts before the first PostgreSQL test of the file and stops after the last.
 */
export function forEachStore(body: (kind: StoreKind) => void): void {
  describe.each(STORE_KINDS)('%s store', (kind) => {
    if (kind === 'postgres') {
      beforeAll(async () => {
        postgresUsers++;
        await postgresServer();
      }, 120_000);
      afterAll(async () => {
        if (--postgresUsers > 0 || !postgres) return;
        const server = await postgres;
        postgres = undefined;
        await server.stop({ removeDir: true });
      }, 60_000);
    }
    body(kind);
  });
}

async function withPgClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A store of the given kind on a fresh file or database; `cleanup` closes every store opened on it and removes it. */
export async function openTempStore(kind: StoreKind = 'sqlite', opts: TempStoreOptions = {}): Promise<TempStore> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'esor-store-'));
  const file = kind === 'sqlite' ? path.join(dir, 'store.sqlite') : '';
  const server = kind === 'postgres' ? await postgresServer() : undefined;
  const databases: string[] = [];
  const newTarget = async (): Promise<string> => {
    if (!server) return path.join(dir, `store-${databases.length + 1}.sqlite`);
    const created = await server.createDatabase();
    databases.push(created);
    return created;
  };
  const url = server ? await newTarget() : '';
  const opened: Store[] = [];
  const openAt = async (target: string, o: TempStoreOptions = {}): Promise<Store> => {
    const { busyTimeoutMs, ...rest } = { now: steppingClock(), ...o };
    const s =
      kind === 'sqlite'
        ? openSqliteStore(target, { ...rest, ...(busyTimeoutMs === undefined ? {} : { busyTimeoutMs }) })
        : await openPostgresStore(target, { ...rest, ...(busyTimeoutMs === undefined ? {} : { lockTimeoutMs: busyTimeoutMs }) });
    opened.push(s);
    return s;
  };
  const open = (o: TempStoreOptions) => openAt(kind === 'sqlite' ? file : url, o);
  const store = await open(opts);

  const sql = async (text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> => {
    if (kind === 'postgres') return withPgClient(url, async (client) => (await client.query(text, params)).rows as Record<string, unknown>[]);
    const db = new Database(file);
    try {
      // Each $N once and in order, so SQLite's anonymous parameters take them.
      const statement = db.prepare(text.replace(/\$\d+/g, '?'));
      return statement.reader ? (statement.all(...params) as Record<string, unknown>[]) : (statement.run(...params), []);
    } catch (err) {
      // better-sqlite3's SqliteError belongs to the realm of the first test file that loaded the addon in this
      // worker; Jest's `rejects.toThrow` does not see an error of another realm as thrown.
      throw new Error((err as { message?: string }).message ?? String(err));
    } finally {
      db.close();
    }
  };

  const holdWriteLock = async (): Promise<() => Promise<void>> => {
    if (kind === 'sqlite') {
      const db = new Database(file);
      db.exec('BEGIN IMMEDIATE');
      return async () => {
        db.exec('ROLLBACK');
        db.close();
      };
    }
    const client = new Client({ connectionString: url });
    client.on('error', () => undefined);
    await client.connect();
    await client.query('BEGIN');
    // EXCLUSIVE lets readers through and stops every writer, as SQLite's write lock does.
    await client.query('LOCK TABLE messages, message_locations IN EXCLUSIVE MODE');
    return async () => {
      await client.query('ROLLBACK');
      await client.end();
    };
  };

  return {
    kind,
    dir,
    file,
    url,
    store,
    reopen: (o = {}) => open(o),
    newTarget,
    openAt: (target) => openAt(target),
    sql,
    holdWriteLock,
    cleanup: async () => {
      for (const s of opened) await s.close();
      rmSync(dir, { recursive: true, force: true });
      if (server) {
        await withPgClient(server.url, async (client) => {
          for (const database of databases) await client.query(`DROP DATABASE ${new URL(database).pathname.slice(1)} WITH (FORCE)`);
        });
      }
    },
  };
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A synthetic mail seen at INBOX uidValidity 1 (overridable). */
export function newMessage(seed: string, overrides: Partial<NewMessage> = {}): NewMessage {
  const id = sha256(`raw mail ${seed}`);
  return {
    id,
    account: 'office',
    mailbox: 'INBOX',
    uidValidity: '1',
    uid: 1,
    size: 1234,
    receivedAt: '2021-03-12T09:14:00.000Z',
    rawPath: `raw/${id.slice(0, 2)}/${id}.eml`,
    ...overrides,
  };
}

/** A synthetic verdict; flags are given as codes with the severity their status implies. */
export function triageResult(overrides: Partial<TriageResult> & { flagCodes?: string[] } = {}): TriageResult {
  const { flagCodes = [], ...rest } = overrides;
  const status: Status = rest.status ?? 'complete';
  const severity = status === 'ineligible' ? 'ineligible' : status === 'incomplete' ? 'incomplete' : status === 'needs_review' ? 'review' : 'info';
  return {
    status,
    programme: 'gustave-roussy-hybrid-imaging-2022',
    applicant: { email: 'A.Rossi@example.it', name: 'Anna Rossi' },
    receivedAt: '2021-03-12T09:14:00.000Z',
    pdf: { filename: 'application.pdf', pages: 12 },
    sections: [
      { id: 'motivation', pages: [1, 1], confidence: 0.97 },
      { id: 'cv', pages: [2, 4], confidence: 0.99 },
    ],
    missing: [],
    flags: flagCodes.map((code) => ({ code, severity, message: `flag ${code}` })),
    facts: { countryOfResidence: 'IT', publicationCount: 5 },
    ...rest,
  };
}

/** Records a message and saves a verdict for it, as the ingest and triage stages would. */
export async function recordAndTriage(
  store: Store,
  seed: string,
  opts: { uid: number; result?: TriageResult; applicantKey?: string | null; decidedAt?: string; mailbox?: string },
) {
  const { record } = await store.recordMessage(newMessage(seed, { uid: opts.uid, mailbox: opts.mailbox ?? 'INBOX' }));
  const saved = await store.saveTriage({
    messageId: record.id,
    result: opts.result ?? triageResult(),
    rulesHash: 'rules-v1',
    applicantKey: opts.applicantKey === undefined ? 'a.rossi@example.it' : opts.applicantKey,
    decidedAt: opts.decidedAt ?? '2021-03-12T09:15:00.000Z',
  });
  return { messageId: record.id, ...saved };
}

/** The code of a rejected store call. */
export async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (err) {
    return (err as { code?: string }).code;
  }
  throw new Error('expected the call to be refused');
}
