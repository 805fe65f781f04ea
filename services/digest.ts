/**
 * The daily digest to staff: gathers the numbers from the store
 * (`collectDigest`), writes them with the pure builder
 * (core/digest/build-digest.ts) and mails them (`sendDigest`); the
 * `esor-intake digest` command (`runDigestCommand`); and a once-a-day timer
 * that only one process acts on (`startDigestSchedule`).
 *
 * Why its own mailer instead of adapters/smtp-sender.ts `SmtpSender`: that
 * one marks every message `Auto-Submitted: auto-replied` (RFC 3834: a
 * response to a message), and a digest answers nothing: it is
 * `auto-generated`. The transport settings (`SmtpSenderOptions`) and the
 * error catalogue (`SmtpError`, `toSmtpError`) are the adapter's.
 * `X-ESOR-Intake: digest` makes core/mail-kind.ts drop the digest as our own
 * mail should it be sent to the office mailbox itself.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import type { Redis } from 'ioredis';
import MailComposer from 'nodemailer/lib/mail-composer';
import { loadRules, RulesInvalidError } from '../adapters/rules-loader';
import { createSmtpTransport, smtpOptionsFromSettings, SMTP_ERROR_CODES, SmtpError, toSmtpError, type MailAddress, type SmtpSenderOptions } from '../adapters/smtp-sender';
import type { Store } from '../core/ports/store';
import { buildDigest, type Digest, type DigestInput, type DigestProgramme } from '../core/digest/build-digest';
import { STATUSES, type Status } from '../core/types';
import { ConfigError, loadConfig } from './common/config';
import { openStore, sqliteStoreFile } from './common/open-store';

// ---------------------------------------------------------------- collecting

export interface CollectDigestOptions {
  dashboardUrl?: string;
  /** Applications listed as waiting for review; default 50 (the total is counted anyway). */
  maxItems?: number;
}

/**
 * The digest's input from the store: counts per configured programme, `unknown` and `other`
 * (programmes no longer in the rules), what was received since `since`, applications waiting for
 * review (status needs_review, not yet marked reviewed; oldest first), and held replies.
 * Applicant names and addresses are left behind here.
 * @throws StoreError from the store.
 */
export async function collectDigest(store: Store, programmes: DigestProgramme[], now: Date, since: Date, opts: CollectDigestOptions = {}): Promise<DigestInput> {
  const maxItems = opts.maxItems ?? 50;
  const counts: Record<string, Record<Status, number>> = {};
  for (const p of programmes) counts[p.id] = await store.countByStatus(p.id);
  counts.unknown = await store.countByStatus(null);
  const all = await store.countByStatus();
  const other = emptyCounts();
  for (const s of STATUSES) other[s] = Math.max(0, all[s] - Object.values(counts).reduce((n, c) => n + (c[s] ?? 0), 0));
  counts.other = other;

  const reviewFilter = { status: 'needs_review' as const, unreviewed: true };
  const needsReview = await store.listApplications({ ...reviewFilter, sort: 'received', order: 'asc', limit: maxItems });
  const needsReviewTotal = await store.countApplications(reviewFilter);
  const newSince = await store.countApplications({ receivedFrom: since.toISOString() });
  const held = await store.listReplies({ state: 'held' });
  return {
    now,
    since,
    programmes: programmes.map((p) => ({ id: p.id, title: p.title, ...(p.deadline ? { deadline: p.deadline } : {}), ...(p.timezone ? { timezone: p.timezone } : {}) })),
    counts,
    newSince,
    needsReview: needsReview.map((a) => ({ id: a.id, programme: a.programme, status: a.status, flags: [...a.flags], receivedAt: a.receivedAt })),
    needsReviewTotal,
    heldReplies: held.map((r) => ({ id: r.id, applicationId: r.applicationId, status: r.status, createdAt: r.createdAt })),
    maxItems,
    ...(opts.dashboardUrl ? { dashboardUrl: opts.dashboardUrl } : {}),
  };
}

function emptyCounts(): Record<Status, number> {
  return Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
}

// ---------------------------------------------------------------- mailing

export interface DigestMail {
  from: MailAddress;
  /** Staff addresses; all in one To: header (they are colleagues). */
  to: string[];
  subject: string;
  text: string;
  /** `<id@host>` */
  messageId: string;
  date: Date;
}

export interface DigestMailer {
  /**
   * Sends one digest to all its recipients.
   * @returns who the server accepted and refused (a refusal of some recipients does not throw).
   * @throws SmtpError (adapters/smtp-sender.ts SMTP_ERROR_CODES), also when every recipient was refused.
   */
  send(m: DigestMail): Promise<{ messageId: string; accepted: string[]; rejected: string[] }>;
  close(): void;
}

const DIGEST_HEADERS = {
  'Auto-Submitted': 'auto-generated',
  'X-Auto-Response-Suppress': 'All',
  'X-ESOR-Intake': 'digest',
};
const HEADER_SPELLING: Record<string, string> = { 'X-Esor-Intake': 'X-ESOR-Intake' };
const ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+$/;
const MESSAGE_ID = /^<[^<>\s@]+@[^<>\s@]+>$/;

/** The digest as RFC 5322 bytes (CRLF). @throws SmtpError SMTP_INVALID_MESSAGE */
export async function composeDigestMail(m: DigestMail): Promise<Buffer> {
  if (!MESSAGE_ID.test(m.messageId)) throw new SmtpError(SMTP_ERROR_CODES.invalidMessage, false, 'the Message-ID must look like <id@host>');
  if (!ADDRESS.test(m.from.email) || m.to.length === 0 || !m.to.every((a) => ADDRESS.test(a))) {
    throw new SmtpError(SMTP_ERROR_CODES.invalidMessage, false, 'the sender or a recipient of the digest is not an e-mail address');
  }
  const composer = new MailComposer({
    from: m.from.name ? { name: m.from.name, address: m.from.email } : m.from.email,
    to: m.to,
    subject: m.subject,
    text: m.text,
    messageId: m.messageId,
    date: m.date,
    headers: { ...DIGEST_HEADERS },
    newline: 'win',
    normalizeHeaderKey: (key: string) => HEADER_SPELLING[key] ?? key,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  try {
    return await composer.compile().build();
  } catch {
    throw new SmtpError(SMTP_ERROR_CODES.invalidMessage, false, 'the digest could not be composed');
  }
}

/** A mailer over the same SMTP settings as the reply sender (`createSmtpSender`). */
export function createDigestMailer(opts: SmtpSenderOptions): DigestMailer {
  const transport = createSmtpTransport(opts);
  let closed = false;
  return {
    async send(m) {
      if (closed) throw new SmtpError(SMTP_ERROR_CODES.closed, false, 'the digest mailer is closed');
      const raw = await composeDigestMail(m);
      let info: { accepted?: unknown[]; rejected?: unknown[] };
      try {
        info = await transport.sendMail({ envelope: { from: m.from.email, to: m.to }, raw });
      } catch (err) {
        throw toSmtpError(err);
      }
      const addr = (a: unknown) => (typeof a === 'string' ? a : String((a as { address?: string })?.address ?? a));
      const accepted = (info.accepted ?? []).map(addr);
      const rejected = (info.rejected ?? []).map(addr);
      if (accepted.length === 0) throw new SmtpError(SMTP_ERROR_CODES.rejected, false, 'the SMTP server refused every recipient of the digest', undefined, 'RCPT TO');
      return { messageId: m.messageId, accepted, rejected };
    },
    close() {
      closed = true;
      transport.close();
    },
  };
}

export interface SendDigestOptions {
  store: Store;
  programmes: DigestProgramme[];
  mailer: DigestMailer;
  from: MailAddress;
  to: string[];
  now: Date;
  /** Default 24 hours before `now`. */
  since?: Date;
  dashboardUrl?: string;
}

/**
 * Collects, builds and mails the digest; logs a `digest.sent` event (recipient count and Message-ID, no addresses).
 * @throws Error when `to` is empty; SmtpError from the mailer; StoreError from the store.
 */
export async function sendDigest(opts: SendDigestOptions): Promise<{ digest: Digest; messageId: string; accepted: string[]; rejected: string[] }> {
  const to = [...new Set(opts.to.map((a) => a.trim()).filter(Boolean))];
  if (to.length === 0) throw new Error('the digest has no recipients');
  const since = opts.since ?? new Date(opts.now.getTime() - 24 * 3_600_000);
  const input = await collectDigest(opts.store, opts.programmes, opts.now, since, opts.dashboardUrl ? { dashboardUrl: opts.dashboardUrl } : {});
  const digest = buildDigest(input);
  const messageId = `<digest-${opts.now.getTime()}-${randomBytes(4).toString('hex')}@esor-intake>`;
  const sent = await opts.mailer.send({ from: opts.from, to, subject: digest.subject, text: digest.text, messageId, date: opts.now });
  await opts.store.appendEvent({
    actor: 'system',
    action: 'digest.sent',
    subject: 'digest',
    detail: { messageId, accepted: sent.accepted.length, rejected: sent.rejected.length },
    at: opts.now.toISOString(),
  });
  return { digest, ...sent };
}

// ---------------------------------------------------------------- the command

export const DIGEST_HELP = `esor-intake digest [--send] [--since HOURS]

Print the staff digest: applications by status per programme, days to each
deadline, applications waiting for review and replies held for approval.
It names no applicant (only ids), since it may travel by e-mail.

Options:
  --send          also mail it to the staff addresses of ESOR_DIGEST_TO (comma-separated),
                  through the SMTP server of ESOR_SMTP_* (from ESOR_REPLY_FROM)
  --since HOURS   the period counted as new (default 24)
  -h, --help      this help

ESOR_DASHBOARD_PUBLIC_URL, when set, adds a link to each application.
Exit code 0 when printed (and sent); 1 when the store, the rules or the mail server fail.`;

export interface DigestCommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/**
 * `esor-intake digest`: resolves to the exit code. Reads the configuration like the service
 * (loadConfig over `env`): `digest.to`, `dashboard.publicUrl`, `smtp`, `dataDir`, `rulesDir`.
 */
export async function runDigestCommand(
  args: string[],
  io: DigestCommandIo,
  env: Record<string, string | undefined> = process.env,
  cwd: string = process.cwd(),
  now: () => Date = () => new Date(),
): Promise<number> {
  const fail = (message: string) => {
    io.stderr.write(`esor-intake digest: ${message}\n`);
    return 1;
  };
  let values: { send?: boolean; since?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args, options: { send: { type: 'boolean' }, since: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    return fail(`${(err as Error).message} (see esor-intake digest --help)`);
  }
  if (values.help) {
    io.stdout.write(`${DIGEST_HELP}\n`);
    return 0;
  }
  const hours = values.since === undefined ? 24 : Number(values.since);
  if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 366) return fail(`--since takes a number of hours (got "${values.since}")`);

  try {
    const config = loadConfig(env, cwd);
    const to = [...config.digest.to];
    if (values.send) {
      if (to.length === 0) return fail('--send needs staff addresses (ESOR_DIGEST_TO, comma-separated)');
      if (!config.smtp) return fail('--send needs an SMTP server (ESOR_SMTP_HOST, ESOR_REPLY_FROM)');
    }
    // A missing SQLite file means a wrong ESOR_DATA_DIR: opening would create an empty store and report nothing.
    if (!config.databaseUrl && !existsSync(sqliteStoreFile(config))) return fail(`no store in ${config.dataDir} (has the service run? ESOR_DATA_DIR)`);
    const rules = loadRules(config.rulesDir);
    const store = await openStore(config);
    try {
      const at = now();
      const since = new Date(at.getTime() - hours * 3_600_000);
      const dashboardUrl = config.dashboard.publicUrl;
      const programmes = rules.programmes.map((p) => ({ id: p.id, title: p.title, deadline: p.deadline, timezone: p.timezone }));
      if (!values.send) {
        const digest = buildDigest(await collectDigest(store, programmes, at, since, dashboardUrl ? { dashboardUrl } : {}));
        io.stdout.write(`Subject: ${digest.subject}\n\n${digest.text}`);
        return 0;
      }
      const s = config.smtp!;
      const mailer = createDigestMailer(smtpOptionsFromSettings(s));
      try {
        const sent = await sendDigest({ store, programmes, mailer, from: { email: s.from, name: s.fromName }, to, now: at, since, ...(dashboardUrl ? { dashboardUrl } : {}) });
        io.stdout.write(`Subject: ${sent.digest.subject}\n\n${sent.digest.text}`);
        io.stderr.write(`esor-intake digest: sent to ${sent.accepted.length} recipient(s)${sent.rejected.length ? `, ${sent.rejected.length} refused` : ''}\n`);
        return 0;
      } finally {
        mailer.close();
      }
    } finally {
      await store.close();
    }
  } catch (err) {
    if (err instanceof ConfigError) return fail(`${err.message.split('\n')[0]} ${err.problems.join('; ')}`);
    if (err instanceof RulesInvalidError) return fail(`invalid rule files: ${err.problems[0]} (run esor-intake rules check)`);
    if (err instanceof SmtpError) return fail(`${err.message} (${err.code})`);
    return fail((err as Error).message.split('\n')[0] ?? 'unexpected error');
  }
}

// ---------------------------------------------------------------- the daily schedule

export interface DigestScheduleOptions {
  /** The hour (0..23, UTC) at which the digest goes out each day. */
  atHourUtc: number;
  /** Sends the digest for the period (since, now]; a throw is reported to `onError`. */
  send(period: { now: Date; since: Date }): Promise<void>;
  /**
   * With Redis, only one process sends per day: the first to `SET <prefix>:digest:<day> NX EX`
   * wins, the others skip. Without it every process that runs the schedule sends.
   */
  redis?: Pick<Redis, 'set'>;
  /** Key prefix; default `esor`. */
  prefix?: string;
  now?: () => Date;
  /** Default setTimeout, unref'd (the schedule alone does not keep the process alive). */
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  onError?: (err: unknown) => void;
  /** Told about each slot: sent, skipped (another process had it) or failed. */
  onRun?: (outcome: 'sent' | 'skipped' | 'failed', day: string) => void;
}

export interface DigestSchedule {
  /** When the next digest is due; undefined once stopped. */
  next(): Date | undefined;
  /** Resolves when the run in progress (if any) has finished. */
  idle(): Promise<void>;
  stop(): void;
}

/** The next `atHourUtc`:00:00 UTC strictly after `now`. */
export function nextDigestTime(now: Date, atHourUtc: number): Date {
  const slot = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), atHourUtc));
  if (slot.getTime() <= now.getTime()) slot.setUTCDate(slot.getUTCDate() + 1);
  return slot;
}

/**
 * Sends the digest once a day at `atHourUtc` (UTC), covering the 24 hours before the slot.
 * The timer is re-armed from the clock after each run, so a late wake-up does not drift.
 * @throws RangeError when atHourUtc is not an integer 0..23.
 */
export function startDigestSchedule(opts: DigestScheduleOptions): DigestSchedule {
  if (!Number.isInteger(opts.atHourUtc) || opts.atHourUtc < 0 || opts.atHourUtc > 23) throw new RangeError('atHourUtc must be an integer 0..23');
  const now = opts.now ?? (() => new Date());
  const setTimer =
    opts.setTimer ??
    ((fn: () => void, ms: number) => {
      const t = setTimeout(fn, ms);
      t.unref();
      return t;
    });
  const clearTimer = opts.clearTimer ?? ((h: unknown) => clearTimeout(h as NodeJS.Timeout));
  const prefix = opts.prefix ?? 'esor';
  const owner = `${hostname()}:${process.pid}`;
  let stopped = false;
  let due: Date | undefined;
  let handle: unknown;
  let running: Promise<void> = Promise.resolve();

  const arm = () => {
    if (stopped) return;
    // Never the slot just run again, should the timer fire a little before its time.
    const from = due && due.getTime() > now().getTime() ? due : now();
    const slot = nextDigestTime(from, opts.atHourUtc);
    due = slot;
    handle = setTimer(() => {
      running = run(slot).finally(arm);
    }, Math.max(0, slot.getTime() - now().getTime()));
  };

  const run = async (slot: Date) => {
    const day = slot.toISOString().slice(0, 10);
    try {
      if (opts.redis) {
        // 36 h: longer than a day, so a process whose clock is a little off cannot take the same day again.
        const won = await opts.redis.set(`${prefix}:digest:${day}`, owner, 'EX', 36 * 3600, 'NX');
        if (won !== 'OK') {
          opts.onRun?.('skipped', day);
          return;
        }
      }
      await opts.send({ now: now(), since: new Date(slot.getTime() - 24 * 3_600_000) });
      opts.onRun?.('sent', day);
    } catch (err) {
      opts.onRun?.('failed', day);
      opts.onError?.(err);
    }
  };

  arm();
  return {
    next: () => (stopped ? undefined : due),
    idle: () => running,
    stop() {
      stopped = true;
      if (handle !== undefined) clearTimer(handle);
    },
  };
}
