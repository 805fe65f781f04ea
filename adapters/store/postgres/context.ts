/**
 * What every area of the PostgreSQL store is built from: the pool, the two transaction kinds, the
 * clock and the id source given at open, and the event insert that staff actions share.
 */
import type pg from 'pg';
import { inTransaction, textSafe, type Sql } from './pool';

export interface StoreContext {
  /** Single statements (reads, and writes that are one statement) on any pooled connection. */
  sql: Sql;
  /** A SERIALIZABLE transaction, run again when it loses a race (so its body does database work only). */
  write<T>(body: (sql: Sql) => Promise<T>): Promise<T>;
  /** A read-only transaction: several reads from one snapshot. */
  read<T>(body: (sql: Sql) => Promise<T>): Promise<T>;
  /** The injected clock as an ISO string, for createdAt/updatedAt and the events of staff actions. */
  stamp(): string;
  newId(): string;
}

export function createContext(pool: pg.Pool, now: () => Date, newId: () => string): StoreContext {
  return {
    sql: textSafe(pool),
    write: (body) => inTransaction(pool, body, 'write'),
    read: (body) => inTransaction(pool, body, 'read'),
    stamp: () => now().toISOString(),
    newId,
  };
}

export interface EventInsert {
  actor: string;
  action: string;
  subject: string;
  detail: Record<string, unknown>;
  at: string;
}

/** Appends one event with the statement's connection: in a transaction, it commits or rolls back with the change it logs. */
export async function insertEvent(sql: Sql, e: EventInsert): Promise<void> {
  await sql.query('INSERT INTO events (actor, action, subject, detail, at) VALUES ($1, $2, $3, $4, $5)', [
    e.actor,
    e.action,
    e.subject,
    JSON.stringify(e.detail),
    e.at,
  ]);
}
