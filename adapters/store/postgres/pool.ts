/**
 * The connection pool of the PostgreSQL store and the two ways its methods reach the database:
 * single reads on any pooled connection, and transactions.
 *
 * Writes run SERIALIZABLE, the PostgreSQL counterpart of the SQLite store's IMMEDIATE
 * transactions: a read-then-write ("is this location recorded? no: insert") cannot interleave with
 * another process's. PostgreSQL lets both run and fails one with a serialization failure instead of
 * blocking; such a transaction is run again from the start, a few times, before the caller sees
 * STORE_BUSY. Transaction bodies therefore must do nothing but database work.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { StoreError } from '../../../core/ports/store';

/** What a store method is given to run its statements (a transaction's connection, or the pool). */
export interface Sql {
  query<R extends object = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<pg.QueryResult<R>>;
}

/**
 * PostgreSQL text cannot hold U+0000 (SQLite's can): a NUL that PDF text or a mail header carried into a
 * name, a subject or an error would make the whole write fail. Every string parameter has its NULs
 * replaced by U+FFFD instead. JSON documents are unaffected: JSON.stringify escapes NUL as \u0000.
 */
function withoutNul(params: readonly unknown[] | undefined): unknown[] | undefined {
  return params?.map((p) => (typeof p === 'string' && p.includes('\0') ? p.replace(/\0/g, '\uFFFD') : p));
}

/** The statements of `target` with withoutNul applied to their parameters. */
export function textSafe(target: { query: pg.Pool['query'] }): Sql {
  return { query: <R extends object>(text: string, params?: readonly unknown[]) => target.query<R & pg.QueryResultRow>(text, withoutNul(params)) as Promise<pg.QueryResult<R>> };
}

export interface PoolOptions {
  /** How long a statement waits for a row lock another session holds, in ms (SQLite's busy timeout). */
  lockTimeoutMs: number;
  /** Most connections this process opens. */
  maxConnections: number;
}

/** How many times a write transaction that lost a serialization race is run again. */
const WRITE_ATTEMPTS = 12;
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * bigint (int8) columns come back as numbers: UIDs, sizes, ids and counts stay far below 2^53, and the
 * port's types are numbers. Everything else keeps node-postgres's parsing (json columns are parsed).
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

export function createPool(url: string, options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    lock_timeout: options.lockTimeoutMs,
    types,
    application_name: 'esor-intake',
  });
  // An idle connection the server closed (a restart, an administrator) is dropped by the pool;
  // without a listener its error event would end the process.
  pool.on('error', () => undefined);
  return pool;
}

/** node-postgres's server errors carry the five-character SQLSTATE; checked by shape, not by class. */
function sqlState(err: unknown): string | undefined {
  const e = err as { code?: unknown; severity?: unknown } | null;
  return typeof e === 'object' && e !== null && typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && typeof e.severity === 'string' ? e.code : undefined;
}

function isRetryable(err: unknown): boolean {
  const state = sqlState(err);
  // serialization_failure, deadlock_detected
  return state === '40001' || state === '40P01';
}

/** A failure to reach the server at all: refused, reset, timed out, or the connection closed under us. */
function isConnectionError(err: unknown): boolean {
  // By shape: an Error made by another realm (a test runner's) fails instanceof.
  const e = err as { code?: unknown; message?: unknown } | null;
  if (typeof e !== 'object' || e === null) return false;
  const message = typeof e.message === 'string' ? e.message : '';
  return (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code)) || /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(message);
}

/**
 * Everything leaving the store is a StoreError with a stable code; programming errors pass unchanged.
 * SQLSTATE classes: 23 constraint (CONFLICT, as SQLite's SQLITE_CONSTRAINT), 40 lost race and 55P03/57014
 * lock or statement timeout (BUSY), 53 out of connections or memory (BUSY), 22 bad data such as a NUL in a
 * text (INVALID_INPUT: PostgreSQL text cannot hold it), the rest (IO).
 */
export function toStoreError(err: unknown): unknown {
  if (err instanceof StoreError) return err;
  const state = sqlState(err);
  const message = (err as Error | undefined)?.message ?? String(err);
  if (state === undefined) {
    if (isConnectionError(err)) {
      const busy = /timeout exceeded when trying to connect/i.test(message);
      return new StoreError(busy ? 'STORE_BUSY' : 'STORE_IO', `cannot reach the PostgreSQL store: ${message}`, { cause: err });
    }
    return err;
  }
  if (state.startsWith('23')) return new StoreError('STORE_CONFLICT', `the change breaks a constraint: ${message}`, { cause: err });
  if (state.startsWith('40') || state === '55P03' || state === '57014' || state.startsWith('53')) {
    return new StoreError('STORE_BUSY', `the store is busy with other sessions: ${message}`, { cause: err });
  }
  if (state.startsWith('22')) return new StoreError('STORE_INVALID_INPUT', `the database refused a value: ${message}`, { cause: err });
  return new StoreError('STORE_IO', `the store failed (SQLSTATE ${state}): ${message}`, { cause: err });
}

const BEGIN = {
  write: 'BEGIN ISOLATION LEVEL SERIALIZABLE',
  read: 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
  locked: 'BEGIN ISOLATION LEVEL READ COMMITTED',
} as const;

async function rollback(client: pg.PoolClient): Promise<boolean> {
  try {
    await client.query('ROLLBACK');
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `body` in one transaction on one connection. Write transactions (the default) are SERIALIZABLE
 * and run again after a serialization failure or deadlock; read transactions are REPEATABLE READ READ
 * ONLY, so the several statements of one read see one snapshot. `locked` is READ COMMITTED, for a body
 * that serialises itself with a lock: each statement after the lock must see what the lock's previous
 * holder committed, which a snapshot taken before the wait would hide.
 * @throws whatever `body` throws (after ROLLBACK), STORE_BUSY when every attempt lost its race.
 */
export async function inTransaction<T>(pool: pg.Pool, body: (sql: Sql) => Promise<T>, mode: 'write' | 'read' | 'locked' = 'write'): Promise<T> {
  const begin = BEGIN[mode];
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    let healthy = true;
    try {
      await client.query(begin);
      const result = await body(textSafe(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      healthy = await rollback(client);
      if (!isRetryable(err) || attempt >= WRITE_ATTEMPTS) throw err;
    } finally {
      // A connection that cannot even roll back is broken: the pool must not hand it out again.
      client.release(healthy ? undefined : true);
    }
    // Apart, at random, so that the same two transactions do not collide again.
    await sleep(Math.floor(Math.random() * 10 * attempt) + 1);
  }
}
