/**
 * The errors the store port promises: callers decide retry or fail by the
 * code (or by `transient`), so they live with the port, not with one adapter.
 */

/**
 * The stable error codes of the store. A caller decides retry or fail by code
 * (or by `transient`), never by message.
 *
 * - `STORE_NOT_FOUND`      the id named does not exist.
 * - `STORE_INVALID_INPUT`  an argument is malformed (not a sha256, a UID that is no positive integer, a time that is no date, ...). Never succeeds on retry.
 * - `STORE_INVALID_STATE`  the change is not allowed from the record's current state (approving a reply that is not held, ...). Never succeeds on retry.
 * - `STORE_CONFLICT`       the input contradicts what is stored (another hash at a location already recorded). Never succeeds on retry.
 * - `STORE_SCHEMA_TOO_NEW` the file was migrated by a newer version of the service.
 * - `STORE_CLOSED`         the store was used after `close()`.
 * - `STORE_BUSY`           another process held the database longer than the busy timeout. Transient.
 * - `STORE_IO`             any other database failure (disk full, I/O error). Transient as far as the store can tell.
 */
export const STORE_ERROR_CODES = [
  'STORE_NOT_FOUND',
  'STORE_INVALID_INPUT',
  'STORE_INVALID_STATE',
  'STORE_CONFLICT',
  'STORE_SCHEMA_TOO_NEW',
  'STORE_CLOSED',
  'STORE_BUSY',
  'STORE_IO',
] as const;
export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number];

const TRANSIENT_CODES: ReadonlySet<StoreErrorCode> = new Set<StoreErrorCode>(['STORE_BUSY', 'STORE_IO']);

export class StoreError extends Error {
  /** True when the same call may succeed later (a queue job should retry, not fail). */
  readonly transient: boolean;
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
    this.transient = TRANSIENT_CODES.has(code);
  }
}

/** True when `err` is a StoreError, optionally with the given code. */
export function isStoreError(err: unknown, code?: StoreErrorCode): err is StoreError {
  return err instanceof StoreError && (code === undefined || err.code === code);
}
