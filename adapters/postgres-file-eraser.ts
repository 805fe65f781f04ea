/**
 * The FileEraser port (core/ports/erasure.ts) for the BlobStore in PostgreSQL
 * (adapters/postgres-blob-store.ts): the file half of retention and erasure
 * once the files live there. The record half (a PostgreSQL RecordEraser) is
 * not written yet, so `esor-intake erase` and `retention` still refuse a
 * PostgreSQL store; this is ready for them.
 *
 * Content is stored once per hash, so deleting a reference's content deletes
 * it for every row naming the same bytes: the same document, hence the same
 * personal data, which is what erasure asks for. A section row pointing at
 * deleted bytes goes with them (the foreign key would refuse otherwise). Page
 * images are each machine's own cache: only this machine's are erased here
 * (`thumbnails`, adapters/file-eraser.ts on its data folder).
 */
import type pg from 'pg';
import { isJsonKind, isRefSegment, parseBlobRef } from '../core/ports/blob-ref';
import type { FileEraser } from '../core/ports/erasure';

export function createPostgresFileEraser(pool: pg.Pool, thumbnails: Pick<FileEraser, 'eraseThumbnails'>): FileEraser {
  return {
    async eraseRef(text) {
      const ref = parseBlobRef(text);
      if (!ref) return false;
      switch (ref.type) {
        case 'blob':
          return inTransaction(pool, async (c) => {
            await c.query('DELETE FROM blob_sections WHERE sha256 = $1', [ref.sha256]);
            return ((await c.query('DELETE FROM blob_contents WHERE sha256 = $1', [ref.sha256])).rowCount ?? 0) > 0;
          });
        case 'section':
          return (await eraseSectionRows(pool, 'message_id = $1 AND name = $2', [ref.messageId, ref.name])) > 0;
        case 'json':
          return ((await pool.query('DELETE FROM blob_json WHERE kind = $1 AND message_id = $2', [ref.kind, ref.messageId])).rowCount ?? 0) > 0;
      }
    },
    async eraseJson(kind, messageId) {
      if (!isJsonKind(kind) || !isRefSegment(messageId)) return false;
      return ((await pool.query('DELETE FROM blob_json WHERE kind = $1 AND message_id = $2', [kind, messageId])).rowCount ?? 0) > 0;
    },
    async eraseSections(messageId) {
      if (!isRefSegment(messageId)) return 0;
      return eraseSectionRows(pool, 'message_id = $1', [messageId]);
    },
    eraseThumbnails: (sha256) => thumbnails.eraseThumbnails(sha256),
  };
}

/**
 * Deletes the section rows matching `where`, then the section PDFs' bytes no other section row names
 * (bytes first stored as an attached PDF or a raw mail stay: their own reference erases them).
 * @returns the section rows deleted.
 */
async function eraseSectionRows(pool: pg.Pool, where: string, params: unknown[]): Promise<number> {
  return inTransaction(pool, async (c) => {
    const gone = await c.query<{ sha256: string }>(`DELETE FROM blob_sections WHERE ${where} RETURNING sha256`, params);
    const shas = [...new Set(gone.rows.map((r) => r.sha256))];
    if (shas.length > 0) {
      await c.query(
        `DELETE FROM blob_contents c WHERE c.sha256 = ANY($1) AND c.kind = 'section'
           AND NOT EXISTS (SELECT 1 FROM blob_sections s WHERE s.sha256 = c.sha256)`,
        [shas],
      );
    }
    return gone.rowCount ?? 0;
  });
}

async function inTransaction<T>(pool: pg.Pool, work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const out = await work(client);
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
