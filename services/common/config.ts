/**
 * The service's configuration: read once at start-up from environment
 * variables (and an optional JSON file), validated with zod, every problem
 * reported together, then frozen and passed down. No other module reads
 * process.env.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** True when Intl knows the zone (e.g. Europe/Paris, UTC). */
function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** A postgres:// or postgresql:// URL that names a host. */
function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** The URL with its password, if any, replaced by *** (for printing and logs). */
export function maskUrlPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*):[^@/]*@/i, '$1:***@');
}

const port = z.coerce.number().int().min(1).max(65535);
const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])]).transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');
const ms = z.coerce.number().int().min(0);
/** false, a hop count (0 = false), or a list of proxy addresses/CIDRs; never "trust anyone" (X-Forwarded-For is forged at will). */
const trustProxySchema = z
  .union([z.literal(false), z.number().int().min(0).max(32), z.array(z.string()), z.string()])
  .transform((v, ctx): false | number | string[] => {
    if (v === false || v === 'false' || v === '' || v === 0 || v === '0') return false;
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && /^\d{1,2}$/.test(v.trim())) return Number(v.trim());
    const list = (Array.isArray(v) ? v : v.split(',')).map((a) => a.trim()).filter(Boolean);
    const bad = list.filter((a) => !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(a));
    if (list.length === 0 || bad.length > 0) {
      ctx.addIssue({ code: 'custom', message: 'expected false, a hop count, or proxy addresses (comma-separated IPs or CIDRs)' });
      return z.NEVER;
    }
    return list;
  });

const imapSchema = z
  .strictObject({
    host: z.string().min(1),
    port: port.default(993),
    secure: bool.default(true),
    user: z.string().min(1),
    password: z.string().min(1).optional(),
    /** OAuth2 access token (XOAUTH2) for Microsoft 365 or Gmail, instead of a password. */
    accessToken: z.string().min(1).optional(),
    /** Or the means to refresh one: refreshed tokens are saved in the data folder. */
    oauth2: z
      .strictObject({
        tokenUrl: z.url(),
        clientId: z.string().min(1),
        clientSecret: z.string().min(1).optional(),
        refreshToken: z.string().min(1),
        scope: z.string().min(1).optional(),
      })
      .optional(),
    mailbox: z.string().min(1).default('INBOX'),
    doneFolder: z.string().min(1).default('Done'),
    problemFolder: z.string().min(1).default('Problem'),
    sentFolder: z.string().min(1).default('Sent'),
  })
  .refine((v) => v.password || v.accessToken || v.oauth2, { error: 'set a password, an OAuth2 access token, or OAuth2 refresh settings', path: ['password'] });

const smtpSchema = z.strictObject({
  host: z.string().min(1),
  port: port.default(587),
  secure: bool.default(false),
  user: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
  from: z.email(),
  fromName: z.string().min(1).default('ESOR Office'),
});

export const configSchema = z.strictObject({
  dataDir: z.string().min(1),
  rulesDir: z.string().min(1),
  /**
   * The PostgreSQL store (ESOR_DATABASE_URL, postgres://user:password@host:port/database); absent: the
   * SQLite file in dataDir. Printed and logged with its password masked (describeConfig).
   */
  databaseUrl: z
    .string()
    .refine(isPostgresUrl, { error: 'expected postgres://user:password@host:port/database (or postgresql://)' })
    .optional(),
  redis: z.strictObject({ url: z.string().regex(/^rediss?:\/\//, { error: 'expected redis://host:port' }), prefix: z.string().regex(/^[a-z0-9-]+$/).default('esor') }),
  imap: imapSchema.nullable(),
  smtp: smtpSchema.nullable(),
  http: z.strictObject({
    host: z.string().default('127.0.0.1'),
    port: z.coerce.number().int().min(0).max(65535).default(9464),
    /**
     * The dashboard's reverse proxies (ESOR_HTTP_TRUST_PROXY): false (the default), a hop count, or
     * their addresses/CIDRs (comma-separated). Then X-Forwarded-For names the client, and the login
     * lock-out counts per real client instead of per proxy.
     */
    trustProxy: trustProxySchema.default(false),
  }),
  dashboard: z.strictObject({
    /** Default 127.0.0.1: put a TLS reverse proxy in front to open it to the office. */
    host: z.string().default('127.0.0.1'),
    port: z.coerce.number().int().min(0).max(65535).default(8080),
    /** Cookies marked Secure: set true behind HTTPS (the local demo runs on plain http). */
    secureCookies: bool.default(false),
    /** Where staff reach it, for links in the daily digest. */
    publicUrl: z.url().optional(),
  }).prefault({}),
  office: z.strictObject({
    /**
     * The office's time zone (ESOR_OFFICE_TIME_ZONE, an IANA name): every date and time the dashboard
     * shows is in it, so staff read the hour on their own clock.
     */
    timeZone: z.string().refine(isTimeZone, { error: 'expected a time zone name such as Europe/Paris' }).default('Europe/Paris'),
  }).prefault({}),
  digest: z.strictObject({
    /** Staff addresses for the daily digest; none: no digest is sent. */
    to: z.array(z.email()).default([]),
    /** Hour of the day (UTC) the digest goes out. */
    hourUtc: z.coerce.number().int().min(0).max(23).default(7),
  }).prefault({}),
  poll: z.strictObject({
    /** Polling fallback when IDLE says nothing; also how often finished mail is moved. */
    intervalMs: ms.default(5000),
    reconnectMinMs: ms.default(1000),
    reconnectMaxMs: ms.default(60000),
    /** A fresh connection this often, even when the old one looks alive (connections die silently). */
    forceReconnectMs: ms.default(30 * 60_000),
    /** Health turns degraded when the last successful poll is older than this. */
    staleAfterMs: ms.default(5 * 60_000),
  }),
  workers: z.strictObject({
    concurrency: z.coerce.number().int().min(1).default(2),
    attempts: z.coerce.number().int().min(1).default(5),
    backoffMs: ms.default(1000),
    shutdownTimeoutMs: ms.default(20_000),
    /**
     * How long a job stays locked to a worker that stopped renewing it (a killed process), and how
     * often workers look for such jobs: together, how soon another worker takes a crashed one's job over.
     */
    lockDurationMs: z.coerce.number().int().min(1000).default(30_000),
    stalledIntervalMs: z.coerce.number().int().min(100).default(30_000),
    /** How long a worker holds a reply's send lease; longer than the slowest send (SMTP timeouts: 2 min). */
    replySendLeaseMs: z.coerce.number().int().min(1000).default(300_000),
  }),
  limits: z.strictObject({
    /** Mail larger than this is not downloaded for analysis; it gets a verdict of its own. */
    maxMessageBytes: z.coerce.number().int().min(1).default(60 * 1024 * 1024),
    repliesPerSenderPerHour: z.coerce.number().int().min(1).default(5),
    /** Wall time for reading one PDF (a child process, killed past it): the PDF is then unreadable_pdf. Same default as the CLI's. */
    pdfReadMs: z.coerce.number().int().min(1000).default(60_000),
    /** Memory one PDF may add to the child reading it, in MB (a decompression bomb is stopped here). Same default as the CLI's. */
    pdfReadMemoryMb: z.coerce.number().int().min(128).default(384),
  }),
  /** Replies in all, per hour: over it a reply is held for staff (a flood of forged mail cannot make us spam). */
  replies: z.strictObject({
    maxPerHour: z.coerce.number().int().min(1).default(200),
    /** A bounce stops replies to its address for this many days, then the address is tried again. */
    bounceExpiryDays: z.coerce.number().int().min(1).default(30),
  }).prefault({}),
  /**
   * RFC 8601 authserv-ids of the office's own mail server: only its `Authentication-Results` are read.
   * Empty: no authentication result is trusted, nothing is flagged, and no sender counts as verified.
   */
  mail: z.strictObject({ trustedAuthservIds: z.array(z.string().trim().min(1).regex(/^[^\s;=()]+$/, { error: 'an authserv-id has no spaces, ; = or ()' })).default([]) }).prefault({}),
  /**
   * Where the received time comes from (contract § 5): `server`, the office server's arrival time
   * (IMAP INTERNALDATE), since a sender writes its own Date header; `header` for the local demo and
   * replayed historical mail. Unset: `server` for a real mailbox, `header` for the local default.
   */
  receivedTime: z.enum(['server', 'header']).optional(),
  /** Read scanned pages with tesseract (when installed). */
  ocr: z.strictObject({ enabled: bool.default(true) }).prefault({}),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type Config = z.infer<typeof configSchema>;
export type ImapConfig = NonNullable<Config['imap']>;
export type SmtpConfig = NonNullable<Config['smtp']>;

type Env = Record<string, string | undefined>;

/**
 * Builds the configuration from environment variables (ESOR_*) over an
 * optional JSON file (ESOR_CONFIG). IMAP and SMTP are null when not set: the
 * local default then starts its own servers.
 * @throws ConfigError listing every problem.
 */
export function loadConfig(env: Env, cwd: string): Readonly<Config> {
  const problems: string[] = [];
  let file: Record<string, unknown> = {};
  if (env.ESOR_CONFIG) {
    try {
      file = JSON.parse(readFileSync(path.resolve(cwd, env.ESOR_CONFIG), 'utf8')) as Record<string, unknown>;
    } catch (err) {
      problems.push(`ESOR_CONFIG: cannot read ${env.ESOR_CONFIG} (${(err as Error).message.split('\n')[0]})`);
    }
  }
  const pick = (...names: string[]) => {
    const o: Record<string, string> = {};
    for (const n of names) {
      const v = env[`ESOR_${n}`];
      if (v !== undefined && v !== '') o[toCamel(n)] = v;
    }
    return o;
  };
  const sub = (key: string, vars: Record<string, unknown>) => ({ ...((file[key] as object) ?? {}), ...vars });
  const imapVars = pick('IMAP_HOST', 'IMAP_PORT', 'IMAP_SECURE', 'IMAP_USER', 'IMAP_PASSWORD', 'IMAP_ACCESS_TOKEN', 'IMAP_MAILBOX', 'IMAP_DONE_FOLDER', 'IMAP_PROBLEM_FOLDER', 'IMAP_SENT_FOLDER');
  const smtpVars = pick('SMTP_HOST', 'SMTP_PORT', 'SMTP_SECURE', 'SMTP_USER', 'SMTP_PASSWORD', 'REPLY_FROM', 'REPLY_FROM_NAME');
  const strip = (o: Record<string, string>, prefix: string) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k.startsWith(prefix) ? k[prefix.length]!.toLowerCase() + k.slice(prefix.length + 1) : k, v]));
  const imap: Record<string, unknown> = strip(imapVars, 'imap');
  const oauth2 = strip(pick('IMAP_OAUTH2_TOKEN_URL', 'IMAP_OAUTH2_CLIENT_ID', 'IMAP_OAUTH2_CLIENT_SECRET', 'IMAP_OAUTH2_REFRESH_TOKEN', 'IMAP_OAUTH2_SCOPE'), 'imapOauth2');
  if (Object.keys(oauth2).length > 0) imap.oauth2 = oauth2;
  const smtp = strip(smtpVars, 'smtp');
  if (smtp.replyFrom) (smtp.from = smtp.replyFrom), delete smtp.replyFrom;
  if (smtp.replyFromName) (smtp.fromName = smtp.replyFromName), delete smtp.replyFromName;
  const raw = {
    dataDir: path.resolve(cwd, env.ESOR_DATA_DIR ?? (file.dataDir as string) ?? '.data'),
    rulesDir: path.resolve(cwd, env.ESOR_RULES_DIR ?? (file.rulesDir as string) ?? 'rules'),
    databaseUrl: env.ESOR_DATABASE_URL || (file.databaseUrl as string | undefined),
    redis: sub('redis', pick('REDIS_URL', 'REDIS_PREFIX')) as Record<string, unknown>,
    imap: Object.keys(imap).length || file.imap ? sub('imap', imap) : null,
    smtp: Object.keys(smtp).length || file.smtp ? sub('smtp', smtp) : null,
    http: sub('http', strip(pick('HTTP_HOST', 'HTTP_PORT', 'HTTP_TRUST_PROXY'), 'http')),
    dashboard: sub('dashboard', strip(pick('DASHBOARD_HOST', 'DASHBOARD_PORT', 'DASHBOARD_SECURE_COOKIES', 'DASHBOARD_PUBLIC_URL'), 'dashboard')),
    office: sub('office', env.ESOR_OFFICE_TIME_ZONE ? { timeZone: env.ESOR_OFFICE_TIME_ZONE } : {}),
    digest: sub('digest', {
      ...(env.ESOR_DIGEST_TO ? { to: env.ESOR_DIGEST_TO.split(',').map((a) => a.trim()).filter(Boolean) } : {}),
      ...(env.ESOR_DIGEST_HOUR_UTC ? { hourUtc: env.ESOR_DIGEST_HOUR_UTC } : {}),
    }),
    poll: sub('poll', strip(pick('POLL_INTERVAL_MS', 'POLL_RECONNECT_MIN_MS', 'POLL_RECONNECT_MAX_MS', 'POLL_FORCE_RECONNECT_MS', 'POLL_STALE_AFTER_MS'), 'poll')),
    workers: sub('workers', strip(pick('WORKERS_CONCURRENCY', 'WORKERS_ATTEMPTS', 'WORKERS_BACKOFF_MS', 'WORKERS_SHUTDOWN_TIMEOUT_MS', 'WORKERS_LOCK_DURATION_MS', 'WORKERS_STALLED_INTERVAL_MS', 'WORKERS_REPLY_SEND_LEASE_MS'), 'workers')),
    limits: sub('limits', strip(pick('LIMITS_MAX_MESSAGE_BYTES', 'LIMITS_REPLIES_PER_SENDER_PER_HOUR', 'LIMITS_PDF_READ_MS', 'LIMITS_PDF_READ_MEMORY_MB'), 'limits')),
    ocr: sub('ocr', env.ESOR_OCR ? { enabled: env.ESOR_OCR } : {}),
    receivedTime: env.ESOR_RECEIVED_TIME || (file.receivedTime as string | undefined),
    replies: sub('replies', strip(pick('REPLIES_MAX_PER_HOUR', 'REPLIES_BOUNCE_EXPIRY_DAYS'), 'replies')),
    mail: sub('mail', env.ESOR_MAIL_TRUSTED_AUTHSERV_IDS !== undefined ? { trustedAuthservIds: env.ESOR_MAIL_TRUSTED_AUTHSERV_IDS.split(',').map((a) => a.trim()).filter(Boolean) } : {}),
    logLevel: env.ESOR_LOG_LEVEL ?? (file.logLevel as string) ?? 'info',
  };
  const redis = raw.redis as Record<string, unknown>;
  if (redis.redisUrl) (redis.url = redis.redisUrl), delete redis.redisUrl;
  if (redis.redisPrefix) (redis.prefix = redis.redisPrefix), delete redis.redisPrefix;
  redis.url ??= 'redis://127.0.0.1:6379';
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.') || '(config)'}: ${issue.message}`);
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return deepFreeze(parsed.data);
}

/** Secrets masked, for printing the configuration in use. */
export function describeConfig(c: Config): Record<string, unknown> {
  return {
    ...c,
    imap: c.imap && {
      ...c.imap,
      password: c.imap.password && '***',
      accessToken: c.imap.accessToken && '***',
      oauth2: c.imap.oauth2 && { ...c.imap.oauth2, clientSecret: c.imap.oauth2.clientSecret && '***', refreshToken: '***' },
    },
    smtp: c.smtp && { ...c.smtp, password: c.smtp.password && '***' },
    redis: { ...c.redis, url: c.redis.url.replace(/\/\/[^@/]*@/, '//***@') },
    databaseUrl: c.databaseUrl && maskUrlPassword(c.databaseUrl),
  };
}

function toCamel(name: string): string {
  return name.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}
