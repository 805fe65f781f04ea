/**
 * The files of the pipeline: raw mails and PDFs content-addressed by their
 * SHA-256, the JSON kept per message ('mail', 'analysis') and the PDF cut out
 * for each section. A port, so the workers, the poller and the dashboard do not
 * know where the bytes live (adapters/file-store.ts keeps them under the data
 * folder, adapters/postgres-blob-store.ts in PostgreSQL).
 *
 * Every write returns a *reference* (core/ports/blob-ref.ts), kept in the
 * ledger and in the stored JSON under the historical field name `path`. It is
 * no file path: the roles may run on different machines that share only
 * PostgreSQL and Redis, so a reference must mean the same bytes on every
 * machine and with either store (`esor-intake store copy` moves files between
 * stores without rewriting the references in the rows).
 *
 * Writes resolve only once the bytes are durable: the ledger says "recorded"
 * after a write, so a crash right after it must not lose the file.
 *
 * Page thumbnails are not here: they are a cache the page renderer rebuilds
 * from the PDF (adapters/page-renderer.ts), so each machine may keep its own.
 */

export interface BlobStore {
  /** Stores bytes under their hash in `kind` ('raw', 'pdf'); resolves with the hash and the reference. Idempotent. */
  putBlob(kind: 'raw' | 'pdf', data: Uint8Array, ext: string): Promise<{ sha256: string; path: string }>;
  /**
   * The bytes of a reference a write returned (by this or any other instance of the same kind of store).
   * @throws BlobStoreError BLOB_UNKNOWN_REF (not a reference of this store), BLOB_NOT_FOUND; other errors are transient.
   */
  readFile(ref: string): Promise<Buffer>;
  /**
   * True when `ref` is a reference this store issues (checked before serving a reference read from stored
   * JSON: a forged path such as `/etc/passwd` or `../store.sqlite` never is). Says nothing of existence.
   */
  isRef(ref: string): boolean;
  /** JSON belonging to one message (e.g. 'mail', 'analysis'); resolves with its reference. A second write replaces it. */
  writeJson(kind: string, messageId: string, value: unknown): Promise<string>;
  /** @throws BlobStoreError BLOB_NOT_FOUND when the message has no JSON of that kind. */
  readJson<T>(kind: string, messageId: string): Promise<T>;
  /** Stores the PDF of one section of one message under `name`; a second write of the name replaces it. */
  writeSection(messageId: string, name: string, data: Uint8Array): Promise<{ sha256: string; path: string }>;
}

/**
 * The stable error codes of a BlobStore; a caller decides retry or fail by code, never by message.
 *
 * - `BLOB_UNKNOWN_REF`  the reference is not one this store issues (malformed, a path outside the store). Never succeeds on retry.
 * - `BLOB_NOT_FOUND`    a well-formed reference to nothing stored. Never succeeds on retry.
 * - `BLOB_INVALID_INPUT` a write's kind, message id or name is not allowed in a reference. Never succeeds on retry.
 * - `BLOB_SCHEMA_TOO_NEW` (opening) the store's tables were migrated by a newer version of the service.
 *
 * Anything else a store throws (a lost connection, a full disk) is transient.
 */
export const BLOB_ERROR_CODES = ['BLOB_UNKNOWN_REF', 'BLOB_NOT_FOUND', 'BLOB_INVALID_INPUT', 'BLOB_SCHEMA_TOO_NEW'] as const;
export type BlobErrorCode = (typeof BLOB_ERROR_CODES)[number];

export class BlobStoreError extends Error {
  constructor(
    readonly code: BlobErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BlobStoreError';
  }
}

/** True when `err` is a BlobStoreError, optionally with the given code. */
export function isBlobStoreError(err: unknown, code?: BlobErrorCode): err is BlobStoreError {
  return err instanceof BlobStoreError && (code === undefined || err.code === code);
}
