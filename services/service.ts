/**
 * Assembles the running service from the validated configuration: the
 * store, the files, the rules, the queues, the workers, the poller, replies
 * by SMTP, the daily digest, the staff dashboard and the health/metrics
 * endpoint. Roles can run together (the default) or apart, several worker
 * processes sharing one Redis.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createOcrEngine } from '../adapters/ocr';
import { createReplyRate } from '../adapters/reply-rate';
import { closePdfSandbox, configurePdfReading } from '../adapters/pdf-reader';
import { appendToFolder } from '../adapters/imap-mailbox';
import { createTokenProvider } from '../adapters/oauth2-token';
import { createSmtpSender, smtpOptionsFromSettings, type SmtpSender } from '../adapters/smtp-sender';
import type { Store } from '../core/ports/store';
import { requeueApprovedReplies } from '../workers/approved-replies';
import { requeueStaffMessages } from '../workers/staff-message';
import { openQueues, runWorkers, type QueueSet, type RunningWorkers } from '../workers/queues';
import type { StageContext } from '../workers/stage-context';
import type { Config } from './common/config';
import { computeHealthStatus, startHttpServer, type HttpServer } from './common/http-server';
import { safeError } from './common/logger';
import { openBlobStore } from './common/open-files';
import { openStore } from './common/open-store';
import { createMetrics, type Metrics } from './common/metrics';
import { startPoller, type Poller } from './poller';
import { openRulesHolder, type RulesHolder } from './common/rules-holder';
import { dashboardDeps } from './dashboard-deps';
import { buildDashboard } from './dashboard/server';
import { vocabularyOf } from './dashboard/words';
import { createDigestMailer, sendDigest, startDigestSchedule, type DigestMailer, type DigestSchedule } from './digest';

export type Role = 'poller' | 'worker' | 'dashboard';

/** A listen error as one line that names the setting to change (EADDRINUSE, EACCES); others unchanged. */
function portError(err: unknown, what: string, host: string, port: number, setting: string): unknown {
  const code = (err as { code?: string }).code;
  if (code === 'EADDRINUSE') return Object.assign(new Error(`the ${what} port ${host}:${port} is in use (set ${setting})`), { code });
  if (code === 'EACCES') return Object.assign(new Error(`no permission to listen on ${host}:${port} for the ${what} (set ${setting})`), { code });
  return err;
}

export interface RunningService {
  store: Store;
  queues: QueueSet;
  poller?: Poller;
  http?: HttpServer;
  /** The staff dashboard, when the role runs: where it listens. */
  dashboard?: { url: string };
  metrics: Metrics;
  /** The rules in force, reloaded when the rule files change (for the dashboard: hash, files, last error). */
  rules: RulesHolder;
  stop(): Promise<void>;
}

/** Starts the given roles. @throws RulesInvalidError when the rule files are invalid, or a connection error. */
export async function runService(config: Config, roles: readonly Role[], logger: Logger, opts: { now?: () => Date; http?: boolean } = {}): Promise<RunningService> {
  const now = opts.now ?? (() => new Date());
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const store = await openStore(config);
  const files = await openBlobStore(config, { now }).catch(async (err: unknown) => {
    await store.close();
    throw err;
  });
  const rules = await openRulesHolder(config.rulesDir, { logger, store, now });
  const metrics = createMetrics({ labels: { component: roles.join('+') } });
  const settings = { redisUrl: config.redis.url, prefix: config.redis.prefix, attempts: config.workers.attempts, backoffMs: config.workers.backoffMs };
  const queues = openQueues(settings);
  metrics.setQueueDepthSource(() => queues.counts());
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 3 });
  redis.on('error', () => undefined);
  // What has started so far, undone in reverse when a later step fails (a port in use, a missing
  // mailbox): a failed start must not leave workers, timers and connections keeping the process alive.
  const undo: Array<() => unknown> = [() => rules.close(), () => queues.close(), () => redis.disconnect(), () => store.close(), () => files.close()];
  const failStart = async (err: unknown): Promise<never> => {
    for (const step of undo.reverse()) await Promise.resolve().then(step).catch(() => undefined);
    throw err;
  };

  // With OAuth2 refresh settings, every new IMAP connection logs in with a token that a timer
  // keeps fresh (the provider refreshes it a minute before expiry and saves it).
  let imap = config.imap;
  let tokenTimer: NodeJS.Timeout | undefined;
  if (imap?.oauth2) {
    const provider = createTokenProvider(imap.oauth2, path.join(config.dataDir, 'oauth2-token.json'));
    let token = await provider.getAccessToken();
    tokenTimer = setInterval(() => {
      provider.getAccessToken().then(
        (t) => (token = t),
        (err: unknown) => logger.error({ code: (err as { code?: string }).code }, 'could not refresh the OAuth2 access token'),
      );
    }, 30_000);
    tokenTimer.unref();
    undo.push(() => clearInterval(tokenTimer));
    imap = Object.defineProperty({ ...imap }, 'accessToken', { get: () => token, enumerable: true });
  }

  let workers: RunningWorkers | undefined;
  let smtp: SmtpSender | undefined;
  if (roles.includes('worker')) {
    if (!config.smtp) return failStart(new Error('the worker role needs an SMTP server (ESOR_SMTP_HOST, ESOR_REPLY_FROM)'));
    // The analyse stage reads PDFs in a child process with these budgets (adapters/pdf-sandbox).
    configurePdfReading({ timeoutMs: config.limits.pdfReadMs, memoryMb: config.limits.pdfReadMemoryMb });
    const s = config.smtp;
    smtp = createSmtpSender(smtpOptionsFromSettings(s));
    const ctx: StageContext = {
      store,
      files,
      rules: () => rules.current(),
      rulesHash: () => rules.hash(),
      enqueue: (stage, id) => queues.enqueue(stage, id),
      sendMail: (m) => smtp!.send(m),
      saveSentCopy: async (raw) => {
        if (imap) await appendToFolder(imap, imap.sentFolder, raw);
      },
      replyFrom: { email: s.from, name: s.fromName },
      replySendLeaseMs: config.workers.replySendLeaseMs,
      replyRate: createReplyRate({ redis, prefix: config.redis.prefix, perRecipientPerHour: config.limits.repliesPerSenderPerHour, perHour: config.replies.maxPerHour, now }),
      bounceExpiryDays: config.replies.bounceExpiryDays,
      trustedAuthservIds: config.mail.trustedAuthservIds,
      maxMessageBytes: config.limits.maxMessageBytes,
      receivedTime: config.receivedTime ?? 'server',
      ...(config.ocr.enabled ? { ocr: createOcrEngine() } : {}),
      logger,
      now,
      observe: {
        timeStage: (stage, work) => metrics.timeStage(stage, work),
        verdict: (programme, status) => metrics.countApplication(programme ?? 'unknown', status),
        reply: (status, outcome) => metrics.countReply(status, outcome),
      },
    };
    workers = runWorkers({ ...settings, concurrency: config.workers.concurrency, lockDurationMs: config.workers.lockDurationMs, stalledIntervalMs: config.workers.stalledIntervalMs }, ctx);
    undo.push(() => smtp?.close(), () => workers?.close(config.workers.shutdownTimeoutMs));
  }

  // Approved replies whose job was never queued (see workers/approved-replies.ts): at start and every minute.
  let approvedSweep: NodeJS.Timeout | undefined;
  if (roles.includes('worker')) {
    const sweep = () =>
      requeueApprovedReplies(store, queues).then(
        (n) => n > 0 && logger.info({ count: n }, 'approved replies queued again'),
        (err: unknown) => logger.warn({ err: safeError(err) }, 'could not look for approved replies to queue'),
      );
    // Staff messages likewise (workers/staff-message.ts requeueStaffMessages).
    const sweepMessages = () =>
      requeueStaffMessages({ store, files }, queues).then(
        (n) => n > 0 && logger.debug({ count: n }, 'staff messages waiting to be sent asked of the queue'),
        (err: unknown) => logger.warn({ err: safeError(err) }, 'could not look for staff messages to queue'),
      );
    void sweep();
    void sweepMessages();
    approvedSweep = setInterval(() => void sweep().then(sweepMessages), 60_000);
    approvedSweep.unref();
    undo.push(() => clearInterval(approvedSweep));
  }

  // The daily digest to staff, from the worker role: every worker process schedules it, and a
  // claim in Redis per day lets exactly one of them send it.
  let digest: DigestSchedule | undefined;
  let digestMailer: DigestMailer | undefined;
  if (roles.includes('worker') && config.smtp && config.digest.to.length > 0) {
    const s = config.smtp;
    const mailer = (digestMailer = createDigestMailer(smtpOptionsFromSettings(s)));
    digest = startDigestSchedule({
      atHourUtc: config.digest.hourUtc,
      redis,
      prefix: config.redis.prefix,
      now,
      send: async ({ now: at, since }) => {
        const programmes = rules.current().rules.programmes.map((p) => ({ id: p.id, title: p.title, deadline: p.deadline, timezone: p.timezone }));
        await sendDigest({ store, programmes, mailer, from: { email: s.from, name: s.fromName }, to: [...config.digest.to], now: at, since, ...(config.dashboard.publicUrl ? { dashboardUrl: config.dashboard.publicUrl } : {}) });
      },
      onError: (err) => logger.error({ err: safeError(err) }, 'daily digest not sent'),
      onRun: (outcome, day) => logger.info({ outcome, day }, 'daily digest'),
    });
  }
  undo.push(() => digest?.stop(), () => digestMailer?.close());

  let dashboard: { url: string; close: () => Promise<void> } | undefined;
  if (roles.includes('dashboard')) {
    const app = await buildDashboard(dashboardDeps({ config, store, files, rules, queues, logger, now }), {
      trustProxy: config.http.trustProxy,
      timeZone: config.office.timeZone,
      vocabulary: () => vocabularyOf(rules.current().rules),
    });
    undo.push(() => app.close());
    await app.listen({ host: config.dashboard.host, port: config.dashboard.port }).catch((err: unknown) => failStart(portError(err, 'dashboard', config.dashboard.host, config.dashboard.port, 'ESOR_DASHBOARD_PORT')));
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.dashboard.port;
    dashboard = { url: `http://${config.dashboard.host}:${port}`, close: () => app.close() };
  }

  let poller: Poller | undefined;
  if (roles.includes('poller')) {
    if (!imap) return failStart(new Error('the poller role needs an IMAP mailbox (ESOR_IMAP_HOST, ESOR_IMAP_USER, ESOR_IMAP_PASSWORD)'));
    poller = startPoller({
      imap,
      poll: config.poll,
      store,
      files,
      enqueue: (id) => queues.enqueue('ingest', id),
      logger,
      now,
      onMailSeen: (mailbox) => metrics.countMailSeen(mailbox),
      onPoll: (at) => metrics.recordPoll(at),
      stopTimeoutMs: config.workers.shutdownTimeoutMs,
    });
  }

  // The alert of a stale mailbox: a log line (once per stale spell) besides the health check.
  let staleReported = false;
  const staleWatch = poller
    ? setInterval(() => {
        const last = poller!.lastPollAt();
        const stale = !last || now().getTime() - last.getTime() > config.poll.staleAfterMs;
        if (stale && !staleReported) logger.error({ lastPollAt: last?.toISOString() ?? null }, 'no successful poll of the mailbox for too long');
        staleReported = stale;
      }, Math.max(1000, Math.min(config.poll.staleAfterMs, 60_000)))
    : undefined;
  staleWatch?.unref();
  if (poller) undo.push(() => poller!.stop());
  if (staleWatch) undo.push(() => clearInterval(staleWatch));

  let http: HttpServer | undefined;
  if (opts.http !== false) {
    http = await startHttpServer({
      host: config.http.host,
      port: config.http.port,
      metrics,
      health: async () => {
        const checks: Record<string, { ok: boolean; detail?: string; [k: string]: unknown }> = {};
        checks.redis = await redis.ping().then(
          () => ({ ok: true }),
          (err: unknown) => ({ ok: false, detail: safeError(err).message }),
        );
        if (poller) {
          const last = poller.lastPollAt();
          const age = last ? (now().getTime() - last.getTime()) / 1000 : Infinity;
          checks.imap = { ok: poller.connected() && age * 1000 <= config.poll.staleAfterMs, lastPollAt: last?.toISOString() ?? null, staleSeconds: Number.isFinite(age) ? Math.round(age) : null };
        }
        return { status: computeHealthStatus(checks, ['redis']), checks };
      },
    }).catch((err: unknown) => failStart(portError(err, 'health and metrics', config.http.host, config.http.port, 'ESOR_HTTP_PORT')));
  }

  let stopping: Promise<void> | undefined;
  return {
    store,
    queues,
    ...(poller ? { poller } : {}),
    ...(http ? { http } : {}),
    ...(dashboard ? { dashboard: { url: dashboard.url } } : {}),
    metrics,
    rules,
    stop() {
      stopping ??= (async () => {
        rules.close();
        digest?.stop();
        if (approvedSweep) clearInterval(approvedSweep);
        if (staleWatch) clearInterval(staleWatch);
        if (tokenTimer) clearInterval(tokenTimer);
        // Side by side: each waits for its running work up to the shutdown timeout, and neither needs the other.
        await Promise.all([poller?.stop(), workers?.close(config.workers.shutdownTimeoutMs), dashboard?.close(), digest?.idle()]);
        await queues.close();
        await closePdfSandbox();
        smtp?.close();
        digestMailer?.close();
        redis.disconnect();
        await http?.close();
        await store.close();
        await files.close();
      })();
      return stopping;
    },
  };
}
