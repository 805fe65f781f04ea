/**
 * The live service on local servers for the benches that time it (run-live-bench,
 * bench-hostile-live): Redis, Dovecot with the office mailbox, an SMTP relay that
 * delivers each reply to the applicant's mailbox and notes when it landed (by
 * the reply's In-Reply-To), and the poller and worker roles.
 */
import path from 'node:path';
import pino from 'pino';
import { configSchema } from '../../services/common/config';
import { createDovecotDelivery, startDovecot } from '../../dev/local/dovecot-server';
import { startRedis } from '../../dev/local/redis-server';
import { startSmtpRelay } from '../../dev/local/smtp-relay';
import { runService, type RunningService } from '../../services/service';

const OFFICE = { user: 'office@esor.bench', password: 'bench' };
const ROOT = path.resolve(__dirname, '../..');

export interface BenchService {
  service: RunningService;
  /** Delivers a mail into the office INBOX. */
  deliver(raw: Buffer): Promise<void>;
  /** When the reply to each applicant's Message-ID landed (performance.now()). */
  arrived: Map<string, number>;
  /** /healthz, when started with `http`. */
  healthUrl?: string;
  stop(): Promise<void>;
}

/** Starts everything under `dir` (which Dovecot's unprivileged processes must be able to pass through). */
export async function startBenchService(dir: string, opts: { http?: boolean } = {}): Promise<BenchService> {
  const redis = await startRedis({ dir: path.join(dir, 'redis') });
  const dovecot = await startDovecot({ dir: path.join(dir, 'dovecot'), users: [OFFICE] });
  const deliverToMailbox = createDovecotDelivery(dovecot, 'demo');
  const arrived = new Map<string, number>();
  const smtp = await startSmtpRelay({
    deliverTo: async (rcpt, raw, from) => {
      await deliverToMailbox(rcpt, raw, from);
      const inReplyTo = /^In-Reply-To:\s*(<[^>]+>)/im.exec(raw.toString('latin1'))?.[1];
      if (inReplyTo) arrived.set(inReplyTo, performance.now());
    },
  });
  const config = configSchema.parse({
    dataDir: path.join(dir, 'data'),
    rulesDir: path.join(ROOT, 'rules'),
    redis: { url: redis.url },
    imap: { host: '127.0.0.1', port: dovecot.imapPort, secure: false, user: OFFICE.user, password: OFFICE.password },
    smtp: { host: '127.0.0.1', port: smtp.port, secure: false, from: OFFICE.user },
    http: { port: 0 },
    poll: {},
    workers: {},
    limits: { repliesPerSenderPerHour: 1000 },
    // Historical demo mail delivered now: judged by its Date header, as the local demo does.
    receivedTime: 'header',
    logLevel: 'silent',
  });
  const service = await runService(config, ['poller', 'worker'], pino({ level: 'silent' }), { http: opts.http ?? false });
  return {
    service,
    deliver: (raw) => dovecot.deliver(OFFICE.user, raw),
    arrived,
    ...(service.http ? { healthUrl: `http://127.0.0.1:${service.http.port}/healthz` } : {}),
    async stop() {
      await service.stop();
      await smtp.stop();
      await dovecot.stop();
      await redis.stop();
    },
  };
}
