/**
 * A live service against real servers on loopback: Redis, Dovecot (office
 * and applicant mailboxes) and the SMTP relay that delivers replies into
 * the applicants' Dovecot mailboxes. Each test file gets its own.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startLocalStack, type LocalStack } from '../../dev/local/local-stack';
import { configSchema, type Config } from '../../services/common/config';
import { runService, type Role, type RunningService } from '../../services/service';

export const ROOT = path.resolve(__dirname, '../..');
export const OFFICE = { user: 'office@esor.test', password: 'office-secret' };

export interface Harness {
  stack: LocalStack;
  config: Config;
  dataDir: string;
  service: RunningService;
  deliver(file: string): Promise<Buffer>;
  stop(): Promise<void>;
}

export function demoMail(name: string): Buffer {
  return readFileSync(path.join(ROOT, 'demo/applications', name));
}

/** Builds the configuration the service would read from the environment, pointed at the local servers. */
export function configFor(stack: LocalStack, dataDir: string, overrides: Partial<Record<keyof Config, unknown>> = {}): Config {
  return configSchema.parse({
    dataDir,
    rulesDir: path.join(ROOT, 'rules'),
    redis: { url: stack.redis.url, prefix: `t${randomBytes(4).toString('hex')}` },
    imap: { host: '127.0.0.1', port: stack.dovecot.imapPort, secure: false, user: OFFICE.user, password: OFFICE.password },
    smtp: { host: '127.0.0.1', port: stack.smtp.port, secure: false, from: OFFICE.user },
    http: { port: 0 },
    poll: { intervalMs: 300, reconnectMinMs: 100, reconnectMaxMs: 1000 },
    workers: { backoffMs: 100, shutdownTimeoutMs: 5000 },
    limits: {},
    logLevel: 'silent',
    // The demo mails are historical (dated 2021) and delivered now: judged by their Date header, as the local demo does.
    receivedTime: 'header',
    ...overrides,
  });
}

export interface HarnessOptions {
  /** Configuration overrides passed to configFor (e.g. `{ dashboard: { port: 0 } }`). */
  config?: Partial<Record<keyof Config, unknown>>;
}

export async function startHarness(roles: readonly Role[] = ['poller', 'worker'], opts: HarnessOptions = {}): Promise<Harness> {
  const stack = await startLocalStack({ office: OFFICE });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'esor-e2e-data-'));
  const config = configFor(stack, dataDir, opts.config);
  const service = await runService(config, roles, pino({ level: 'silent' }));
  return {
    stack,
    config,
    dataDir,
    service,
    async deliver(name) {
      const raw = demoMail(name);
      await stack.dovecot.deliver(OFFICE.user, raw);
      return raw;
    },
    async stop() {
      await service.stop();
      await stack.stop({ removeDir: true });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` until it returns something truthy, or fails after `timeoutMs` naming what it waited for. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The address a demo mail comes from. */
export function senderOf(raw: Buffer): string {
  const m = /^From:.*?<([^>]+)>/im.exec(raw.toString('latin1'));
  if (!m) throw new Error('demo mail without a From address');
  return m[1]!.toLowerCase();
}

export function headerOf(raw: Buffer, name: string): string | undefined {
  const head = raw.toString('latin1').split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const m = new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head);
  return m?.[1]?.trim();
}
