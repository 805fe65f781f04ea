/**
 * The error catalog of the queue stages. The error decides: input that can
 * never succeed fails at once (BullMQ's UnrecoverableError, no retries);
 * anything else (network, Redis, SMTP 4xx, a busy store) is retried with
 * backoff.
 */
import { UnrecoverableError } from 'bullmq';
import { isStoreError } from '../core/ports/store';
import { isBlobStoreError } from '../core/ports/blob-store';

export const STAGE_ERROR_CODES = {
  /** The job names a message the ledger does not know. */
  UNKNOWN_MESSAGE: 'UNKNOWN_MESSAGE',
  /** A file the ledger points to is gone. */
  MISSING_FILE: 'MISSING_FILE',
  /** The job's payload is not what the stage expects. */
  INVALID_PAYLOAD: 'INVALID_PAYLOAD',
  /** The mail server refused the reply for good (e.g. 550 unknown recipient). */
  REPLY_REJECTED: 'REPLY_REJECTED',
} as const;
export type StageErrorCode = (typeof STAGE_ERROR_CODES)[keyof typeof STAGE_ERROR_CODES];

/** Input that can never be processed: no retries. */
export class StageInputError extends UnrecoverableError {
  constructor(
    readonly code: StageErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'StageInputError';
  }
}

/**
 * Another worker holds this reply's send lease: it is sending it now (this job ran again because its lock
 * ran out), or it died sending and the lease has not run out yet. Retried with backoff: the retry finds
 * the reply sent, or takes the lease once it ran out.
 */
export class ReplyInFlightError extends Error {
  readonly code = 'REPLY_IN_FLIGHT';
  constructor() {
    super('REPLY_IN_FLIGHT: another worker is sending this reply');
    this.name = 'ReplyInFlightError';
  }
}

/** The stable code of any error, for metrics and the ledger (never its message: it may hold an address). */
export function codeOf(err: unknown): string {
  const e = err as { code?: unknown; name?: unknown };
  if (typeof e?.code === 'string' && /^[A-Z0-9_]+$/.test(e.code)) return e.code;
  if (typeof e?.name === 'string' && e.name !== 'Error') return e.name;
  return 'ERROR';
}

/** A store error no retry can mend (its `transient` is false), failing the job at once; `code` is the store's. */
export class PermanentStoreError extends UnrecoverableError {
  constructor(
    readonly code: string,
    options: { cause: unknown },
  ) {
    super(`${code}: the store refused the change for good`);
    this.name = 'PermanentStoreError';
    this.cause = options.cause;
  }
}

/**
 * Store errors whose retry cannot succeed. The store marks what may pass (`StoreError.transient`: busy,
 * I/O): that is retried. Of the rest, a retry is still right where another worker is the cause: two
 * workers running one stalled job race to the same rows (STORE_CONFLICT, STORE_INVALID_STATE,
 * STORE_NOT_FOUND), and the retry finds the work done; STORE_CLOSED means this process is shutting
 * down. What is left fails the same on every retry: the job fails at once and the mail goes to a person.
 */
const PERMANENT_STORE_CODES: ReadonlySet<string> = new Set(['STORE_INVALID_INPUT', 'STORE_SCHEMA_TOO_NEW']);

/** A PermanentStoreError for a store error no retry can mend; undefined for anything else (retried as before). */
export function permanentStoreError(err: unknown): PermanentStoreError | undefined {
  if (!isStoreError(err) || err.transient || !PERMANENT_STORE_CODES.has(err.code)) return undefined;
  return new PermanentStoreError(err.code, { cause: err });
}

/**
 * For `.catch` on a BlobStore read: a file the store does not have, a reference it does not issue, or JSON
 * that does not parse fails the job at once (MISSING_FILE). Anything else (PostgreSQL unreachable, a full
 * disk) is thrown again and retried: with the files in PostgreSQL, a lost connection is no missing file.
 */
export function missingFile(message: string): (err: unknown) => never {
  return (err) => {
    if (isBlobStoreError(err) || err instanceof SyntaxError) throw new StageInputError(STAGE_ERROR_CODES.MISSING_FILE, message);
    throw err;
  };
}
