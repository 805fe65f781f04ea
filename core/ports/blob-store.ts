/**
 * The files of the pipeline: raw mails and PDFs content-addressed by their
 * SHA-256, the JSON kept per message ('mail', 'analysis') and the PDF cut out
 * for each section. A port, so the workers, the poller and the dashboard do not
 * know where the bytes live (adapters/file-store.ts keeps them under the data
 * folder today).
 *
 * Writes resolve (or return) only once the bytes are durable: the ledger says
 * "recorded" after a write, so a crash right after it must not lose the file.
 *
 * Page thumbnails are not here: they are a cache the page renderer rebuilds
 * from the PDF (adapters/page-renderer.ts), so each machine may keep its own.
 */

export interface BlobStore {
  /** Where the files live; every path this store returns is inside it (the dashboard checks paths read from JSON against it). */
  readonly root: string;
  /** Stores bytes under their hash in `kind` ('raw', 'pdf'); returns the hash and the path. Idempotent. */
  putBlob(kind: 'raw' | 'pdf', data: Uint8Array, ext: string): { sha256: string; path: string };
  /** A file by the path a write returned. Rejects when it does not exist. */
  readFile(file: string): Promise<Buffer>;
  /** JSON belonging to one message (e.g. 'mail', 'analysis'); returns its path. */
  writeJson(kind: string, messageId: string, value: unknown): string;
  /** Rejects when the message has no JSON of that kind. */
  readJson<T>(kind: string, messageId: string): Promise<T>;
  /** Stores the PDF of one section of one message under `name`; a second write of the name replaces it. */
  writeSection(messageId: string, name: string, data: Uint8Array): { sha256: string; path: string };
}
