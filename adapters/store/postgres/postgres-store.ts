/**
 * The Store on PostgreSQL: the same port, the same answers and error codes as the SQLite store
 * (test/unit/store runs one contract suite against both), for deployments where the processes do
 * not share one machine's disk.
 *
 * - Each area (ledger, applications, replies, staff, staff message sends, events) is a file of its own; this one opens
 *   the pool, migrates, composes the areas and puts the closed check and the error translation
 *   around every method, so the areas need neither.
 * - Writes are SERIALIZABLE transactions run again when they lose a race (pool.ts); a commit
 *   returns once its WAL is on disk (synchronous_commit as the server has it, on by default).
 * - Opening applies pending migrations under an advisory lock (migrations.ts).
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { StoreError, type Store } from '../../../core/ports/store';
import { createApplications } from './applications';
import { createContext } from './context';
import { createEventLog } from './events';
import { createLedger } from './ledger';
import { migratePostgres, SCHEMA_VERSION } from './migrations';
import { createPool, toStoreError } from './pool';
import { createReplies } from './replies';
import { createStaff } from './staff';
import { createStaffMessageSends } from './staff-message-sends';

export interface PostgresStoreOptions {
  /** The clock for createdAt/updatedAt and for the events of staff actions. */
  now?: () => Date;
  /** Ids of applications and replies; random UUIDs by default. */
  newId?: () => string;
  /** How long a statement waits for a row lock another session holds, in ms (default 5000): past it, STORE_BUSY. */
  lockTimeoutMs?: number;
  /** Connections this process may open (default 10). */
  maxConnections?: number;
}

type Methods = Omit<Store, 'close'>;

/** Every method: STORE_CLOSED after close, and only StoreErrors (or programming errors) out. */
function guard(methods: Methods, isClosed: () => boolean): Methods {
  const guarded: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(methods) as [string, (...args: unknown[]) => Promise<unknown>][]) {
    guarded[name] = async (...args: unknown[]) => {
      if (isClosed()) throw new StoreError('STORE_CLOSED', 'the store is closed');
      try {
        return await method(...args);
      } catch (err) {
        throw toStoreError(err);
      }
    };
  }
  return guarded as unknown as Methods;
}

function openPool(url: string, opts: PostgresStoreOptions): pg.Pool {
  return createPool(url, { lockTimeoutMs: opts.lockTimeoutMs ?? 5000, maxConnections: opts.maxConnections ?? 10 });
}

/**
 * Opens the store on the database at `url` (postgres://...), applying pending migrations first.
 * @throws StoreError STORE_SCHEMA_TOO_NEW (the database was migrated by a newer version), STORE_IO
 *   (the server cannot be reached or refused the login), STORE_BUSY.
 */
export async function openPostgresStore(url: string, opts: PostgresStoreOptions = {}): Promise<Store> {
  const now = opts.now ?? (() => new Date());
  const pool = openPool(url, opts);
  try {
    await migratePostgres(pool, now);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw toStoreError(err);
  }
  const ctx = createContext(pool, now, opts.newId ?? randomUUID);
  let closed = false;
  const methods = guard(
    { ...createLedger(ctx), ...createApplications(ctx), ...createReplies(ctx), ...createStaff(ctx), ...createStaffMessageSends(ctx), ...createEventLog(ctx) },
    () => closed,
  );
  return {
    ...methods,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await pool.end();
      } catch (err) {
        throw toStoreError(err);
      }
    },
  };
}

/**
 * Applies the pending migrations of the database at `url` and says what it found and left: for
 * `esor-intake migrate`.
 * @throws StoreError as openPostgresStore.
 */
export async function migratePostgresStore(url: string, opts: { now?: () => Date } = {}): Promise<{ before: number; after: number; applied: number[] }> {
  const pool = openPool(url, {});
  try {
    return await migratePostgres(pool, opts.now ?? (() => new Date()));
  } catch (err) {
    throw toStoreError(err);
  } finally {
    await pool.end().catch(() => undefined);
  }
}

export { SCHEMA_VERSION as POSTGRES_SCHEMA_VERSION };
