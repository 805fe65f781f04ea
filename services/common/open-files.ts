/**
 * Which BlobStore the service uses, decided once from the validated configuration, like the store
 * (services/common/open-store.ts): with ESOR_DATABASE_URL the files live in PostgreSQL beside the
 * rows (adapters/postgres-blob-store.ts), so roles on several machines read each other's files;
 * else under the data folder (adapters/file-store.ts). The data folder stays every machine's
 * scratch space either way (page thumbnails, the OCR cache).
 */
import path from 'node:path';
import { createFileStore } from '../../adapters/file-store';
import { openPostgresBlobStore } from '../../adapters/postgres-blob-store';
import type { BlobStore } from '../../core/ports/blob-store';
import type { Config } from './config';

export interface OpenedBlobStore extends BlobStore {
  /** Ends the PostgreSQL pool (nothing to do for the file store). */
  close(): Promise<void>;
}

/** The file store's folder in the data folder. */
export function fileStoreRoot(config: Pick<Config, 'dataDir'>): string {
  return path.join(config.dataDir, 'files');
}

/**
 * Opens the configured BlobStore (PostgreSQL: creating its tables when missing).
 * @throws BlobStoreError BLOB_SCHEMA_TOO_NEW; connection errors as they come.
 */
export async function openBlobStore(config: Pick<Config, 'dataDir' | 'databaseUrl'>, opts: { now?: () => Date } = {}): Promise<OpenedBlobStore> {
  if (config.databaseUrl) return openPostgresBlobStore(config.databaseUrl, opts);
  return { ...createFileStore(fileStoreRoot(config)), close: async () => undefined };
}
