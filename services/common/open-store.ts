/**
 * Which store the service uses, decided once from the validated configuration: PostgreSQL when
 * ESOR_DATABASE_URL is set (processes on several machines share it), else the SQLite file in the
 * data folder (one machine). Every entry point opens the store here, so none can pick another.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION as SQLITE_SCHEMA_VERSION, readSchemaVersion } from '../../adapters/store/migrations';
import { migratePostgresStore, openPostgresStore } from '../../adapters/store/postgres/postgres-store';
import { openSqliteStore } from '../../adapters/store/sqlite-store';
import type { Store } from '../../core/ports/store';
import { maskUrlPassword, type Config } from './config';

/** The SQLite store's file in the data folder. */
export function sqliteStoreFile(config: Pick<Config, 'dataDir'>): string {
  return path.join(config.dataDir, 'esor-intake.sqlite');
}

/** Where the store is, for messages and logs: the SQLite file, or the database URL without its password. */
export function describeStore(config: Pick<Config, 'dataDir' | 'databaseUrl'>): string {
  return config.databaseUrl ? maskUrlPassword(config.databaseUrl) : sqliteStoreFile(config);
}

/**
 * Opens (creating and migrating when needed) the configured store.
 * @throws StoreError STORE_SCHEMA_TOO_NEW, STORE_BUSY, STORE_IO (see the two stores).
 */
export async function openStore(config: Pick<Config, 'dataDir' | 'databaseUrl'>, opts: { now?: () => Date } = {}): Promise<Store> {
  return config.databaseUrl ? openPostgresStore(config.databaseUrl, opts) : openSqliteStore(sqliteStoreFile(config), opts);
}

/**
 * Applies the configured store's pending migrations (`esor-intake migrate`).
 * @returns the schema version before and after (0: the store was empty or absent).
 * @throws StoreError as openStore.
 */
export async function migrateStore(config: Pick<Config, 'dataDir' | 'databaseUrl'>): Promise<{ before: number; after: number }> {
  if (config.databaseUrl) {
    const { before, after } = await migratePostgresStore(config.databaseUrl);
    return { before, after };
  }
  const before = readSqliteVersion(sqliteStoreFile(config));
  // Opening migrates the SQLite file (under its write lock); the version it then has is the code's.
  await openSqliteStore(sqliteStoreFile(config)).close();
  return { before, after: SQLITE_SCHEMA_VERSION };
}

/** The SQLite file's schema version, 0 when the file does not exist yet. */
function readSqliteVersion(file: string): number {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch {
    return 0;
  }
  try {
    return readSchemaVersion(db);
  } finally {
    db.close();
  }
}
