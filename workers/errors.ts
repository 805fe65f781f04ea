/**
 * The error catalog of the queue stages. The error decides: input that can
 * never succeed fails at once (BullMQ's UnrecoverableError, no retries);
 * anything else (network, Redis, SMTP 4xx, a busy store) is retried with
 * backoff.
 */
import { UnrecoverableError } from 'bullmq';

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

/** The stable code of any error, for metrics and the ledger (never its message: it may hold an address). */
export function codeOf(err: unknown): string {
  const e = err as { code?: unknown; name?: unknown };
  if (typeof e?.code === 'string' && /^[A-Z0-9_]+$/.test(e.code)) return e.code;
  if (typeof e?.name === 'string' && e.name !== 'Error') return e.name;
  return 'ERROR';
}
