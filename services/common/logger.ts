/**
 * The service's logger: pino JSON lines on stdout, with personal data
 * redacted by key and e-mail addresses masked in messages and errors.
 *
 * Applications carry passports, dates of birth and addresses (design.md §
 * Privacy), and the mail, IMAP and SMTP libraries echo addresses in their
 * errors, so the logger censors by key rather than trusting every call site.
 */
import pino from 'pino';

/** Keys whose values never reach a log line, at depths 1–3 of a logged object. */
export const REDACTED_KEYS = Object.freeze([
  // people and mail headers
  'email',
  'from',
  'to',
  'replyTo',
  'name',
  'applicant',
  'address',
  'dateOfBirth',
  'birthDate',
  'passportNumber',
  // mail and document content
  'subject',
  'text',
  'body',
  'html',
  'filename',
  'facts',
  'evidence',
  'snippet',
  'raw',
  'source',
  'content',
  // credentials
  'password',
  'pass',
  'accessToken',
  'token',
  'authorization',
  'cookie',
] as const);

export const CENSOR = '[redacted]';
const MASKED_EMAIL = '[email]';
const MAX_ERROR_MESSAGE = 2000;

/**
 * pino paths for every key in REDACTED_KEYS. A pino wildcard matches one
 * level only and `*.*.k` does not step into arrays (both verified), so each
 * depth and each array position gets its own path: `k`, `a.k`, `a.b.k`,
 * `a[i].k`, `a.b[i].k`, `a[i].b.k`. Deeper keys are not redacted: keep log
 * objects shallow.
 */
export const REDACT_PATHS: readonly string[] = Object.freeze(
  REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*[*].${k}`, `*.*[*].${k}`, `*[*].*.${k}`]),
);

// An error's class name ("TypeError", "ImapFlowError") is not personal data,
// and without it a logged error says nothing.
const ERROR_CLASS_NAME = /^(?:[A-Z][A-Za-z0-9]*)?(?:Error|Exception)$/;

// Local part and domain per RFC 5322 dot-atoms, with Unicode letters for
// internationalised addresses (RFC 6531). A domain without a dot still counts:
// masking "secret@redis" in a connection string is a welcome side effect.
// The local part is bounded (64, RFC 5321) so a long run of letters without
// an "@" costs linear time, not quadratic.
const EMAIL_ADDRESS = /[\p{L}\p{N}.!#$%&'*+/=?^_`{|}~-]{1,64}@[\p{L}\p{N}][\p{L}\p{N}-]*(?:\.[\p{L}\p{N}-]+)*/gu;

export interface LoggerOptions {
  /** pino level name; default "info". */
  level?: string;
  /** The process's name (poller, worker, …), logged as `name` on every line. */
  name?: string;
  /** Where JSON lines go; default stdout. Tests pass a stream to read them back. */
  destination?: NodeJS.WritableStream | pino.DestinationStream;
  /**
   * Pretty printing is deliberately not offered: pino transports run in a
   * worker thread that loses lines on a crash (pinojs/pino#2054). Pipe the
   * output through `npx pino-pretty` in development instead.
   */
  pretty?: false;
}

/** Error fields that are safe to log. */
export interface SafeError {
  code?: string | number;
  name: string;
  message: string;
}

/** Replaces every e-mail address in `text` with "[email]". */
export function maskEmailAddresses(text: string): string {
  return text.replace(EMAIL_ADDRESS, MASKED_EMAIL);
}

/**
 * An error reduced to { code, name, message }, with e-mail addresses masked
 * in the message and the message cut to 2,000 characters. Accepts anything
 * thrown, not only Errors. Never throws.
 */
export function safeError(err: unknown): SafeError {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const out: SafeError = { name: err.name || err.constructor?.name || 'Error', message: trimMessage(err.message) };
    if (typeof code === 'string' || typeof code === 'number') out.code = code;
    return out;
  }
  if (err && typeof err === 'object') {
    const o = err as { code?: unknown; name?: unknown; message?: unknown };
    const out: SafeError = {
      name: typeof o.name === 'string' ? o.name : 'NonError',
      // Not the object's JSON: a thrown object may hold anything, names included.
      message: trimMessage(typeof o.message === 'string' ? o.message : 'non-error object thrown'),
    };
    if (typeof o.code === 'string' || typeof o.code === 'number') out.code = o.code;
    return out;
  }
  return { name: 'NonError', message: trimMessage(String(err)) };
}

/**
 * Creates the process's logger: JSON to stdout by default, level labels
 * ("info" rather than 30), ISO timestamps, personal data censored by key
 * (REDACTED_KEYS), e-mail addresses masked in string arguments and errors.
 */
export function createLogger(opts: LoggerOptions = {}): pino.Logger {
  const name = opts.name;
  const options: pino.LoggerOptions = {
    level: opts.level ?? 'info',
    name,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: serializeError },
    redact: {
      paths: [...REDACT_PATHS],
      censor: (value: unknown, path: string[]) => {
        const key = path[path.length - 1];
        if (key === 'name' && typeof value === 'string') {
          // The logger's own `name` binding sits at the top level, where the
          // `name` path would otherwise censor it on every line.
          if (path.length === 1 && name !== undefined && value === name) return value;
          if (ERROR_CLASS_NAME.test(value)) return value;
        }
        return CENSOR;
      },
    },
    hooks: { logMethod: maskLogArguments },
  };
  return opts.destination ? pino(options, opts.destination as pino.DestinationStream) : pino(options);
}

/**
 * Masks e-mail addresses in the message and its format arguments; when an
 * error stands in for the message (`log.error(err)`, `log.error({ err })`),
 * pino would copy its raw message into `msg`, so the masked one is supplied.
 */
function maskLogArguments(this: pino.Logger, args: Parameters<pino.LogFn>, method: pino.LogFn): void {
  const out: unknown[] = args.map((a) => (typeof a === 'string' ? maskEmailAddresses(a) : a));
  const first = out[0];
  const err = first instanceof Error ? first : first && typeof first === 'object' && (first as { err?: unknown }).err instanceof Error ? ((first as { err: Error }).err) : undefined;
  if (err) {
    if (first === err) out[0] = { err };
    if (typeof out[1] !== 'string') out.splice(1, 0, trimMessage(err.message));
  }
  (method as (...a: unknown[]) => void).apply(this, out);
}

/** The `err` serializer: safeError plus the stack's frames (file positions, never the message line). */
function serializeError(err: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { ...safeError(err) };
  if (err instanceof Error) {
    const frames = (err.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
    if (frames.length > 0) out.stack = frames.map((f) => f.trim()).join('\n');
    if (err.cause !== undefined) out.cause = safeError(err.cause);
  }
  return out;
}

function trimMessage(message: string): string {
  if (message.length <= MAX_ERROR_MESSAGE) return maskEmailAddresses(message);
  // Mask a margin past the cut (an address is at most 254 characters), then
  // cut: an address straddling the cut is masked before it is cut in two.
  return `${maskEmailAddresses(message.slice(0, MAX_ERROR_MESSAGE + 300)).slice(0, MAX_ERROR_MESSAGE)}…`;
}
