/**
 * The BlobStore port (core/ports/blob-store.ts) in PostgreSQL, for roles on
 * machines that share only PostgreSQL and Redis (issue 11): every file a
 * reference names (core/ports/blob-ref.ts) is a row, so any machine reads it.
 *
 * - blob_contents: bytes by their SHA-256 (raw mails, PDFs, section PDFs), written once.
 * - blob_sections: (message, name) -> the content of that section's PDF; a second cut replaces it.
 * - blob_json:     (kind, message) -> the JSON text; a second write replaces it.
 *
 * Storage: a plain `bytea` column, not large objects. Measured with
 * test/bench/blob-store-pg.ts (local server, fsync on, the shared two-core
 * machine; median of 11 rounds; two runs, ratios to bytea as run 1 / run 2):
 *   15 MB: large object write x2.59 / x1.40, read x1.73 / x1.26
 *          (bytea: write 255 / 251 ms, read 305 / 289 ms);
 *    1 MB: large object write x1.58 / x0.64, read x1.29 / x1.23
 *          (bytea: write 12 / 31 ms, read 11 / 9 ms).
 * Large objects lost at 15 MB in both runs and were mixed at 1 MB (where
 * the machine's noise is as large as the figures); node-postgres reads both
 * as hex text, and large objects add their own clean-up (lo_unlink, no
 * cascade) and per-object permissions. STORAGE EXTERNAL (no compression
 * attempt) was within the noise of the default (15 MB write x0.83 / x1.00,
 * read x1.01 / x1.18), so the default stays: it lets a raw mail's text
 * compress, and pglz gives up early on a PDF's compressed streams.
 *
 * Durability: each write is one statement committed with PostgreSQL's default
 * synchronous_commit, so it is on the server's disk when the promise resolves.
 * The schema is this adapter's own (tables prefixed `blob_`, versions in
 * `blob_schema_version`), apart from the Store's `schema_version`
 * (adapters/store/postgres/migrations.ts): the two may share one database.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { contentRef, formatBlobRef, jsonRef, parseBlobRef, sectionRef, type BlobRef } from '../core/ports/blob-ref';
import { BlobStoreError, type BlobStore } from '../core/ports/blob-store';

export interface PostgresBlobStore extends BlobStore {
  /** Ends the pool this store opened (a pool passed in is left to its owner). */
  close(): Promise<void>;
}

export interface PostgresBlobStoreOptions {
  /** Timestamps of the rows; default the system clock. */
  now?: () => Date;
  /** Connections this store's own pool opens (ignored with a pool passed in); default 4. */
  maxConnections?: number;
}

/**
 * Opens the store on `source` (a postgres:// URL, or a pool shared with the Store) and brings its
 * schema up to date.
 * @throws BlobStoreError BLOB_SCHEMA_TOO_NEW when a newer version migrated the tables; connection errors as they come.
 */
export async function openPostgresBlobStore(source: string | { pool: pg.Pool }, opts: PostgresBlobStoreOptions = {}): Promise<PostgresBlobStore> {
  const owned = typeof source === 'string';
  const pool = owned ? new pg.Pool({ connectionString: source, max: opts.maxConnections ?? 4, application_name: 'esor-intake-blobs' }) : source.pool;
  // An idle connection the server closed must not end the process through an unhandled 'error'.
  if (owned) pool.on('error', () => undefined);
  const now = opts.now ?? (() => new Date());
  try {
    await migrateBlobSchema(pool, now);
  } catch (err) {
    if (owned) await pool.end().catch(() => undefined);
    throw err;
  }
  return createPostgresBlobStore(pool, now, owned);
}

function createPostgresBlobStore(pool: pg.Pool, now: () => Date, owned: boolean): PostgresBlobStore {
  return {
    async putBlob(kind, data, ext) {
      const sha256 = sha256Of(data);
      const ref = contentRef(kind, sha256, ext);
      await putContent(pool, sha256, kind, data, now);
      return { sha256, path: formatBlobRef(ref) };
    },
    async readFile(text) {
      const ref = parseBlobRef(text);
      if (!ref) throw new BlobStoreError('BLOB_UNKNOWN_REF', 'not a blob: reference');
      return readRef(pool, ref);
    },
    isRef: (text) => parseBlobRef(text) !== undefined,
    async writeJson(kind, messageId, value) {
      const ref = jsonRef(kind, messageId);
      await pool.query(
        `INSERT INTO blob_json (kind, message_id, value, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (kind, message_id) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
        [kind, messageId, JSON.stringify(value), now().toISOString()],
      );
      return formatBlobRef(ref);
    },
    async readJson<T>(kind: string, messageId: string) {
      const buf = await readRef(pool, jsonRef(kind, messageId));
      return JSON.parse(buf.toString('utf8')) as T;
    },
    async writeSection(messageId, name, data) {
      const ref = sectionRef(messageId, name);
      const sha256 = sha256Of(data);
      await putContent(pool, sha256, 'section', data, now);
      await pool.query(
        `INSERT INTO blob_sections (message_id, name, sha256, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (message_id, name) DO UPDATE SET sha256 = EXCLUDED.sha256, updated_at = EXCLUDED.updated_at`,
        [messageId, name, sha256, now().toISOString()],
      );
      return { sha256, path: formatBlobRef(ref) };
    },
    async close() {
      if (owned) await pool.end();
    },
  };
}

function sha256Of(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Stores content once: a mail delivered again (or a PDF attached twice) is not sent over the wire again. */
async function putContent(pool: pg.Pool, sha256: string, kind: string, data: Uint8Array, now: () => Date): Promise<void> {
  const seen = await pool.query('SELECT 1 FROM blob_contents WHERE sha256 = $1', [sha256]);
  if (seen.rowCount) return;
  await pool.query(
    `INSERT INTO blob_contents (sha256, kind, size, bytes, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (sha256) DO NOTHING`,
    [sha256, kind, data.length, Buffer.from(data.buffer, data.byteOffset, data.length), now().toISOString()],
  );
}

async function readRef(pool: pg.Pool, ref: BlobRef): Promise<Buffer> {
  let rows: Array<{ bytes: Buffer | string }>;
  switch (ref.type) {
    case 'blob':
      rows = (await pool.query<{ bytes: Buffer }>('SELECT bytes FROM blob_contents WHERE sha256 = $1', [ref.sha256])).rows;
      break;
    case 'section':
      rows = (
        await pool.query<{ bytes: Buffer }>(
          'SELECT c.bytes FROM blob_sections s JOIN blob_contents c ON c.sha256 = s.sha256 WHERE s.message_id = $1 AND s.name = $2',
          [ref.messageId, ref.name],
        )
      ).rows;
      break;
    case 'json':
      // As text: the pool's owner may have its own type parsers, and a reference reads as bytes.
      rows = (await pool.query<{ bytes: string }>('SELECT value::text AS bytes FROM blob_json WHERE kind = $1 AND message_id = $2', [ref.kind, ref.messageId])).rows;
      break;
  }
  const row = rows[0];
  if (!row) throw new BlobStoreError('BLOB_NOT_FOUND', 'no such file in the store');
  return typeof row.bytes === 'string' ? Buffer.from(row.bytes, 'utf8') : row.bytes;
}

/**
 * The migrations of this adapter's tables, in order; released ones are never edited (a change is a new
 * entry). JSON is `json` (kept verbatim), not `jsonb`: jsonb refuses the \u0000 a hostile mail's text may hold.
 */
export const BLOB_MIGRATIONS: readonly string[] = [
  `CREATE TABLE blob_contents (
     sha256     text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
     kind       text NOT NULL CHECK (kind IN ('raw', 'pdf', 'section')),
     size       bigint NOT NULL,
     bytes      bytea NOT NULL,
     created_at text NOT NULL
   );
   CREATE TABLE blob_sections (
     message_id text NOT NULL,
     name       text NOT NULL,
     sha256     text NOT NULL REFERENCES blob_contents (sha256),
     updated_at text NOT NULL,
     PRIMARY KEY (message_id, name)
   );
   CREATE TABLE blob_json (
     kind       text NOT NULL,
     message_id text NOT NULL,
     value      json NOT NULL,
     updated_at text NOT NULL,
     PRIMARY KEY (kind, message_id)
   );`,
];

export const BLOB_SCHEMA_VERSION = BLOB_MIGRATIONS.length;
/** Serialises migrating processes; not the Store's key. (The bytes of "esorblob" as a bigint.) */
const BLOB_MIGRATION_LOCK_KEY = '7310309157220675426';

/**
 * Brings the blob tables up to BLOB_SCHEMA_VERSION in one transaction under an advisory lock, so two
 * processes starting at once migrate once.
 * @throws BlobStoreError BLOB_SCHEMA_TOO_NEW; database errors as they come.
 */
export async function migrateBlobSchema(pool: pg.Pool, now: () => Date): Promise<{ before: number; after: number }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [BLOB_MIGRATION_LOCK_KEY]);
      await client.query('CREATE TABLE IF NOT EXISTS blob_schema_version (version integer PRIMARY KEY, applied_at text NOT NULL)');
      const before = Number((await client.query<{ v: number }>('SELECT coalesce(max(version), 0)::int AS v FROM blob_schema_version')).rows[0]?.v ?? 0);
      if (before > BLOB_SCHEMA_VERSION) {
        throw new BlobStoreError('BLOB_SCHEMA_TOO_NEW', `the blob tables are at version ${before}; this version of esor-intake knows ${BLOB_SCHEMA_VERSION}`);
      }
      for (let v = before + 1; v <= BLOB_SCHEMA_VERSION; v++) {
        await client.query(BLOB_MIGRATIONS[v - 1]!);
        await client.query('INSERT INTO blob_schema_version (version, applied_at) VALUES ($1, $2)', [v, now().toISOString()]);
      }
      await client.query('COMMIT');
      return { before, after: Math.max(before, BLOB_SCHEMA_VERSION) };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  } finally {
    client.release();
  }
}
