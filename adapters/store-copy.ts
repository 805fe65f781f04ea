/**
 * Copies the rows of a SQLite store file (adapters/store/sqlite-store.ts) into a PostgreSQL store
 * database (adapters/store/postgres/), for `esor-intake store copy`. Row for row, not through the
 * Store port: the port would give new ids, times and event numbers, and a copy must keep them.
 *
 * Table by table in foreign-key order, each in batches in rowid order (primary-key order for a
 * WITHOUT ROWID table), each batch one INSERT ... ON
 * CONFLICT DO NOTHING: a second run (or a run after an interruption) copies only what is missing,
 * and never changes a row already there (the event log is append-only on both sides). The columns
 * are those both schemas have; what only PostgreSQL has is made here: the case-folded search
 * columns (the PostgreSQL store's foldCase), insertion order (`seq`, identity, given by inserting in
 * rowid order). Ids of events and notes are kept (OVERRIDING SYSTEM VALUE), and their identity then
 * continues after the highest. File paths an earlier version stored (absolute, inside the data
 * folder) become `blob:` references through `rewritePath`.
 *
 * A column PostgreSQL requires that neither SQLite has nor this code makes stops the copy before it
 * writes (STORE_COPY_SCHEMA): the two schemas moved apart and this file must learn the new column.
 */
import type Database from 'better-sqlite3';
import type pg from 'pg';
import { foldCase } from './store/input-checks';

/** Foreign-key order: a row's parents are copied before it. */
export const COPIED_TABLES = ['messages', 'message_locations', 'applications', 'revisions', 'section_files', 'replies', 'bounced_addresses', 'events', 'users', 'sessions', 'notes', 'staff_message_sends'] as const;
/** SQLite's own bookkeeping, not data. */
const NOT_COPIED = new Set(['schema_migrations', 'sqlite_sequence']);
/** Columns that hold a file reference (or an older version's path). */
const PATH_COLUMNS: Record<string, string[]> = { messages: ['raw_path'], section_files: ['path'] };
/** PostgreSQL-only columns made from SQLite's: the search's case folding. */
const DERIVED: Record<string, Record<string, (row: Record<string, unknown>) => unknown>> = {
  applications: { email_fold: (r) => foldCase(r.applicant_email), name_fold: (r) => foldCase(r.applicant_name) },
};
/** Identity columns whose values are kept (they are ids other rows or people refer to). */
const KEPT_IDENTITY: Record<string, string> = { events: 'id', notes: 'id' };
const BATCH = 200;

export class StoreCopyError extends Error {
  readonly code = 'STORE_COPY_SCHEMA';
  constructor(message: string) {
    super(message);
    this.name = 'StoreCopyError';
  }
}

export interface TableCount {
  table: string;
  /** Rows in the SQLite file. */
  source: number;
  /** Rows this run inserted (the others were there already). */
  copied: number;
}

export interface RowCopyResult {
  tables: TableCount[];
  /** Paths turned into references. */
  pathsRewritten: number;
  /** SQLite tables this code does not copy (a newer schema's): named so nobody thinks they went. */
  skippedTables: string[];
}

interface PgColumn {
  name: string;
  type: string;
  required: boolean;
  identity: 'ALWAYS' | 'BY DEFAULT' | null;
}

/**
 * Copies every row; `rewritePath` turns a stored path into a reference (undefined: keep it as it is).
 * @throws StoreCopyError when a PostgreSQL column cannot be filled; database errors as they come.
 */
export async function copySqliteRows(db: Database.Database, pool: pg.Pool, opts: { rewritePath: (p: string) => string | undefined; onBatch?: (t: TableCount) => void }): Promise<RowCopyResult> {
  const sqliteTables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>).map((r) => r.name);
  const plans = [];
  for (const table of COPIED_TABLES) {
    if (!sqliteTables.includes(table)) continue;
    plans.push(planTable(table, sqliteColumns(db, table), await pgColumns(pool, table)));
  }
  const result: RowCopyResult = { tables: [], pathsRewritten: 0, skippedTables: sqliteTables.filter((t) => !NOT_COPIED.has(t) && !(COPIED_TABLES as readonly string[]).includes(t)) };
  for (const plan of plans) result.tables.push(await copyTable(db, pool, plan, result, opts));
  return result;
}

interface TablePlan {
  table: string;
  /** Columns read from SQLite and written as they are (after path rewriting and type conversion). */
  shared: PgColumn[];
  derived: Array<[string, (row: Record<string, unknown>) => unknown]>;
  overriding: boolean;
}

function planTable(table: string, sqlite: string[], pgCols: PgColumn[]): TablePlan {
  if (pgCols.length === 0) throw new StoreCopyError(`the PostgreSQL database has no table ${table}: run the store's migration first`);
  const derivedFns = DERIVED[table] ?? {};
  const kept = KEPT_IDENTITY[table];
  const shared = pgCols.filter((c) => sqlite.includes(c.name) && (c.identity === null || c.name === kept));
  const derived = Object.entries(derivedFns).filter(([name]) => pgCols.some((c) => c.name === name));
  const missing = pgCols.filter((c) => c.required && c.identity === null && !shared.includes(c) && !derivedFns[c.name]);
  if (missing.length > 0) throw new StoreCopyError(`PostgreSQL's ${table} requires ${missing.map((c) => c.name).join(', ')}, which the SQLite file does not have`);
  return { table, shared, derived, overriding: kept !== undefined && shared.some((c) => c.name === kept) };
}

async function copyTable(db: Database.Database, pool: pg.Pool, plan: TablePlan, result: RowCopyResult, opts: { rewritePath: (p: string) => string | undefined; onBatch?: (t: TableCount) => void }): Promise<TableCount> {
  const count: TableCount = { table: plan.table, source: 0, copied: 0 };
  const names = [...plan.shared.map((c) => c.name), ...plan.derived.map(([n]) => n)];
  const keys = orderKey(db, plan.table);
  const picked = keys.map((k, i) => `${k} AS _k${i}`).join(', ');
  const order = keys.join(', ');
  const first = db.prepare(`SELECT ${picked}, * FROM ${plan.table} ORDER BY ${order} LIMIT ${BATCH}`);
  const next = db.prepare(`SELECT ${picked}, * FROM ${plan.table} WHERE (${order}) > (${keys.map(() => '?').join(', ')}) ORDER BY ${order} LIMIT ${BATCH}`);
  const pathCols = new Set(PATH_COLUMNS[plan.table] ?? []);
  for (let after: unknown[] | undefined; ; ) {
    const rows = (after ? next.all(...after) : first.all()) as Array<Record<string, unknown>>;
    if (rows.length === 0) break;
    const last = rows[rows.length - 1]!;
    after = keys.map((_, i) => last[`_k${i}`]);
    const values: unknown[] = [];
    const tuples = rows.map((row) => {
      const start = values.length;
      for (const c of plan.shared) values.push(convert(c, row[c.name], pathCols.has(c.name) ? opts.rewritePath : undefined, result));
      for (const [, make] of plan.derived) values.push(make(row));
      return `(${names.map((_, i) => `$${start + i + 1}`).join(', ')})`;
    });
    const sql = `INSERT INTO ${plan.table} (${names.join(', ')}) ${plan.overriding ? 'OVERRIDING SYSTEM VALUE ' : ''}VALUES ${tuples.join(', ')} ON CONFLICT DO NOTHING`;
    count.source += rows.length;
    count.copied += (await pool.query(sql, values)).rowCount ?? 0;
    opts.onBatch?.(count);
  }
  const kept = KEPT_IDENTITY[plan.table];
  if (plan.overriding && kept) {
    // The next event or note numbered by PostgreSQL follows the copied ones.
    await pool.query(`SELECT setval(pg_get_serial_sequence($1, $2), (SELECT coalesce(max(${kept}), 0) + 1 FROM ${plan.table}), false)`, [plan.table, kept]);
  }
  return count;
}

/** SQLite's value as PostgreSQL's column wants it: 0/1 to boolean, a stored path to its reference. */
function convert(c: PgColumn, v: unknown, rewrite: ((p: string) => string | undefined) | undefined, result: RowCopyResult): unknown {
  if (v === null || v === undefined) return null;
  if (c.type === 'boolean') return v === 1 || v === true || v === '1';
  if (rewrite && typeof v === 'string') {
    const ref = rewrite(v);
    if (ref !== undefined && ref !== v) {
      result.pathsRewritten += 1;
      return ref;
    }
  }
  if (typeof v === 'bigint') return v.toString();
  return v;
}

/** rowid (insertion order, which PostgreSQL's `seq` then keeps), or the primary key of a WITHOUT ROWID table. */
function orderKey(db: Database.Database, table: string): string[] {
  const sql = (db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table) as { sql: string }).sql;
  if (!/\)\s*WITHOUT\s+ROWID\s*;?\s*$/i.test(sql)) return ['rowid'];
  const pk = db.prepare(`SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk`).all(table) as Array<{ name: string }>;
  return pk.map((c) => c.name);
}

function sqliteColumns(db: Database.Database, table: string): string[] {
  return (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as Array<{ name: string }>).map((r) => r.name);
}

async function pgColumns(pool: pg.Pool, table: string): Promise<PgColumn[]> {
  const { rows } = await pool.query<{ column_name: string; data_type: string; is_nullable: string; column_default: string | null; identity_generation: string | null }>(
    `SELECT column_name, data_type, is_nullable, column_default, identity_generation
       FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((r) => ({
    name: r.column_name,
    type: r.data_type,
    required: r.is_nullable === 'NO' && r.column_default === null,
    identity: r.identity_generation === 'ALWAYS' || r.identity_generation === 'BY DEFAULT' ? r.identity_generation : null,
  }));
}
