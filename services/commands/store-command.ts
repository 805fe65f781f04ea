/**
 * `esor-intake store copy --to postgres://...`: moves a one-machine installation (the SQLite store
 * and the file store in ESOR_DATA_DIR) into PostgreSQL, where roles on several machines share it
 * (issue 11). Files first (adapters/blob-copy.ts), then rows (adapters/store-copy.ts): a row copied
 * never names a file that is not there yet. Both halves are idempotent, so the command is resumable
 * and may run again after the old service stopped, to take the mail that came meanwhile.
 *
 * The SQLite file is opened read-only and read in one transaction, a snapshot even while the old
 * service still writes. Prints counts only: no names, addresses or file contents.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { copyFileStore, type BlobCopyCounts } from '../../adapters/blob-copy';
import { refOfStoredPath } from '../../adapters/file-store';
import { openPostgresBlobStore } from '../../adapters/postgres-blob-store';
import { copySqliteRows, type RowCopyResult } from '../../adapters/store-copy';
import { migratePostgresStore } from '../../adapters/store/postgres/postgres-store';
import { ConfigError, loadConfig } from '../common/config';

export const STORE_HELP = `esor-intake store copy --to postgres://USER:PASSWORD@HOST:PORT/DATABASE

Copies the store of the data folder (ESOR_DATA_DIR: esor-intake.sqlite and files/) into PostgreSQL:
the raw mails, PDFs, section PDFs and stored JSON, then every row (ledger, applications, replies,
events, users, notes), keeping ids and times. Creates the tables when missing. Copies only what is
missing, so it can be run again after an interruption, and once more after the old service stopped.
Paths stored by versions before issue 11 become file references on the way. Prints counts.

Options:
  --to URL    the PostgreSQL database (default: ESOR_DATABASE_URL)
  -h, --help  this help`;

export interface CommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export async function runStoreCommand(args: string[], io: CommandIo, env: Record<string, string | undefined> = process.env, cwd: string = process.cwd()): Promise<number> {
  const fail = (message: string) => {
    io.stderr.write(`esor-intake store: ${message}\n`);
    return 1;
  };
  let parsed: { values: { to?: string; help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { to: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    return fail(`${(err as Error).message} (see esor-intake store --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    io.stdout.write(`${STORE_HELP}\n`);
    return values.help ? 0 : 1;
  }
  if (positionals[0] !== 'copy' || positionals.length > 1) return fail(`unknown command "${positionals.join(' ')}" (see esor-intake store --help)`);
  const url = values.to ?? env.ESOR_DATABASE_URL;
  if (!url || !/^postgres(ql)?:\/\//.test(url)) return fail('--to must be a postgres:// URL');
  try {
    const config = loadConfig(env, cwd);
    return await copyStore(config.dataDir, url, io);
  } catch (err) {
    if (err instanceof ConfigError) return fail(err.message);
    const code = (err as { code?: unknown }).code;
    return fail(`the copy stopped: ${(err as Error).message}${typeof code === 'string' ? ` (${code})` : ''}; run it again to go on`);
  }
}

/** Copies files then rows; resolves to the exit code. @throws database and file errors as they come. */
export async function copyStore(dataDir: string, url: string, io: CommandIo): Promise<number> {
  const sqliteFile = path.join(dataDir, 'esor-intake.sqlite');
  const filesRoot = path.join(dataDir, 'files');
  if (!existsSync(sqliteFile)) {
    io.stderr.write(`esor-intake store: no SQLite store at ${sqliteFile}\n`);
    return 1;
  }
  io.stdout.write(`Copying ${sqliteFile} and ${filesRoot} into ${describeUrl(url)}\n`);
  await migratePostgresStore(url);
  const pool = new pg.Pool({ connectionString: url, max: 4, application_name: 'esor-intake-store-copy' });
  pool.on('error', () => undefined);
  const db = new Database(sqliteFile, { readonly: true, fileMustExist: true });
  try {
    // One read transaction, begun before the files are walked: the rows are one moment's even while the
    // old service writes, and every file they name was on disk at that moment (files are written first).
    db.exec('BEGIN');
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    const blobs = await openPostgresBlobStore({ pool });
    const files = await copyFileStore(filesRoot, blobs, progress(io));
    io.stdout.write(describeFiles(files));
    const rows = await copySqliteRows(db, pool, { rewritePath: (p) => refOfStoredPath(filesRoot, p) });
    db.exec('COMMIT');
    io.stdout.write(describeRows(rows));
    return 0;
  } finally {
    db.close();
    await pool.end().catch(() => undefined);
  }
}

/** A line on stderr every 500 files, so a long copy shows it is alive. */
function progress(io: CommandIo): (c: BlobCopyCounts) => void {
  return (c) => {
    const n = c.raw + c.pdf + c.sections + c.json;
    if (n % 500 === 0) io.stderr.write(`  ${n} files copied\n`);
  };
}

function describeFiles(c: BlobCopyCounts): string {
  const lines = [`files: ${c.raw} raw mails, ${c.pdf} PDFs, ${c.sections} section PDFs, ${c.json} JSON (${c.pathsRewritten} stored paths made references)`];
  if (c.damaged.length > 0) lines.push(`  left behind, damaged (name not the content's hash, or JSON that does not parse): ${c.damaged.length}: ${c.damaged.slice(0, 20).join(', ')}`);
  if (c.ignored.length > 0) lines.push(`  left behind, not the store's files: ${c.ignored.length}: ${c.ignored.slice(0, 20).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

function describeRows(r: RowCopyResult): string {
  const lines = ['rows (in the SQLite file, of which new in PostgreSQL):'];
  for (const t of r.tables) lines.push(`  ${t.table.padEnd(18)} ${String(t.source).padStart(7)}  ${String(t.copied).padStart(7)} new`);
  if (r.pathsRewritten > 0) lines.push(`  ${r.pathsRewritten} stored paths made references`);
  if (r.skippedTables.length > 0) lines.push(`  not copied (unknown to this version): ${r.skippedTables.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/** Host, port and database, never the password. */
function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `postgres://${u.host}${u.pathname}`;
  } catch {
    return 'the PostgreSQL database';
  }
}
