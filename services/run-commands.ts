/**
 * The long-running commands: `start` (every role; on the local default when
 * no mailbox is configured), `poller`, `worker`, and `replay FILE.eml`; and
 * `migrate`, which brings the configured store's schema up to date.
 * This is the one place that reads the process environment.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { openQueues } from '../workers/queues';
import { loadConfig, type Config } from './common/config';
import type { LocalStack } from '../dev/local/local-stack';
import { createLogger } from './common/logger';
import { openBlobStore } from './common/open-files';
import { describeStore, migrateStore, openStore } from './common/open-store';
import { findPackageRoot } from './common/paths';
import { mailKey } from './poller';
import { hashPassword } from './dashboard/passwords';
import { runService, type Role, type RunningService } from './service';

export interface CommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const DEMO_OFFICE = { user: 'office@esor.local', password: 'demo' };

/** Runs roles until SIGINT/SIGTERM; resolves with the exit code. */
export async function runRoles(roles: Role[] | 'start', io: CommandIo): Promise<number> {
  let config = loadConfig(process.env, process.cwd());
  const logger = createLogger({ level: config.logLevel, name: roles === 'start' ? 'esor-intake' : roles.join('+') });
  let stack: LocalStack | undefined;
  const demo = roles === 'start' && !config.imap;
  if (demo) {
    // Loaded only here: the local stack (and smtp-server, a development dependency) is no part of a
    // production process, whose image installs without development dependencies.
    const { startLocalStack } = await import('../dev/local/local-stack');
    stack = await startLocalStack({ dir: path.join(config.dataDir, 'local'), office: DEMO_OFFICE });
    config = localConfig(config, stack);
  }
  // A start that fails (a port in use, invalid rules) stops the local servers it started, so the
  // command ends with its one-line message and exit 1 instead of hanging on their child processes.
  const service = await runService(config, roles === 'start' ? ['poller', 'worker', 'dashboard'] : roles, logger).catch(async (err: unknown) => {
    await stack?.stop();
    throw err;
  });
  const stopAll = async () => {
    await service.stop();
    await stack?.stop();
  };
  if (demo && stack) await deliverDemo(stack, service, io, logger);
  if (service.dashboard) {
    const logins = demo ? await ensureDemoLogins(service, path.join(config.dataDir, 'local')) : undefined;
    io.stderr.write(`esor-intake: dashboard ${service.dashboard.url}/${logins ? `  log in as ${logins}` : ''}\n`);
  }
  if (service.http) io.stderr.write(`esor-intake: health http://${config.http.host}:${service.http.port}/healthz, metrics /metrics\n`);
  const reporter = demo ? reportVerdicts(service, io) : undefined;
  await new Promise<void>((resolve) => {
    const done = () => resolve();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  if (reporter) clearInterval(reporter);
  io.stderr.write('esor-intake: stopping (finishing running jobs)\n');
  await stopAll();
  return 0;
}

/** The configuration pointed at the local servers, keeping everything else as configured. */
function localConfig(config: Config, stack: LocalStack): Config {
  return {
    ...config,
    // The demo's mail is delivered now but dated when it was written: its Date header is the received time.
    receivedTime: config.receivedTime ?? 'header',
    redis: { ...config.redis, url: stack.redis.url },
    imap: { host: '127.0.0.1', port: stack.dovecot.imapPort, secure: false, user: DEMO_OFFICE.user, password: DEMO_OFFICE.password, mailbox: 'INBOX', doneFolder: 'Done', problemFolder: 'Problem', sentFolder: 'Sent' },
    smtp: config.smtp ?? { host: '127.0.0.1', port: stack.smtp.port, secure: false, from: DEMO_OFFICE.user, fromName: 'ESOR Office (demo)' },
  };
}

/** Delivers the demo applications into the office mailbox, once per data folder. */
async function deliverDemo(stack: LocalStack, service: RunningService, io: CommandIo, logger: Logger): Promise<void> {
  const already = (await service.store.listApplications({ limit: 1 })).length > 0;
  const dir = path.join(findPackageRoot(), 'demo', 'applications');
  io.stderr.write(
    [
      'esor-intake: local demo',
      `  office mailbox   imap://127.0.0.1:${stack.dovecot.imapPort}  user ${DEMO_OFFICE.user}  password ${DEMO_OFFICE.password}`,
      `  applicants       replies land in their own mailboxes on the same server (password "demo")`,
      `  send mail        smtp://127.0.0.1:${stack.smtp.port} (no login), or: bin/esor-intake replay FILE.eml`,
      ...(stack.dovecotDir.startsWith(stack.dir) ? [] : [`  demo mail kept in ${stack.dovecotDir} (Dovecot's users cannot reach ${stack.dir})`]),
      '',
    ].join('\n'),
  );
  if (already) return;
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.eml')).sort()) {
    await stack.dovecot.deliver(DEMO_OFFICE.user, readFileSync(path.join(dir, name)));
  }
  logger.info({ count: readdirSync(dir).length }, 'demo applications delivered to the office mailbox');
}

/**
 * The demo's dashboard accounts, `admin` and `staff`, with passwords made once per data folder and
 * kept (mode 0600) in local/demo-logins.txt, so a newcomer can log in at once. Never on a real mailbox:
 * there, accounts are made with `esor-intake users add`.
 */
async function ensureDemoLogins(service: RunningService, dir: string): Promise<string> {
  const file = path.join(dir, 'demo-logins.txt');
  const logins: Record<string, string> = {};
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const [user, password] = line.trim().split(/\s+/);
      if (user && password) logins[user] = password;
    }
  }
  for (const [username, role] of [['admin', 'admin'], ['staff', 'staff']] as const) {
    if (logins[username] && (await service.store.getUser(username))) continue;
    const password = logins[username] ?? randomBytes(9).toString('base64url');
    const passwordHash = await hashPassword(password);
    const at = new Date().toISOString();
    if (await service.store.getUser(username)) await service.store.updateUser(username, { passwordHash, at });
    else await service.store.createUser({ username, role, passwordHash, at });
    logins[username] = password;
  }
  writeFileSync(file, Object.entries(logins).map(([u, p]) => `${u} ${p}\n`).join(''), { mode: 0o600 });
  return `admin / ${logins.admin} or staff / ${logins.staff} (kept in ${path.relative(process.cwd(), file) || file})`;
}

/** Prints each new verdict and reply as it happens, so a newcomer sees the loop. */
function reportVerdicts(service: RunningService, io: CommandIo): NodeJS.Timeout {
  const seen = new Map<string, string>();
  return setInterval(() => {
    void (async () => {
      for (const app of await service.store.listApplications({ limit: 50 })) {
        const replies = await service.store.listReplies({ applicationId: app.id });
        const line = `${app.status.padEnd(16)} ${app.applicantEmail ?? '(no sender)'}  flags: ${app.flags.join(', ') || 'none'}  reply: ${replies.map((r) => r.state).join(', ') || 'none'}`;
        if (seen.get(app.id) !== line) {
          seen.set(app.id, line);
          io.stdout.write(`${line}\n`);
        }
      }
    })().catch(() => undefined);
  }, 1000);
}

/**
 * Pushes one mail through the live pipeline (without IMAP): records it in
 * the ledger, queues it, and waits for the verdict.
 */
export async function replayMail(file: string, io: CommandIo, timeoutMs = 60_000): Promise<number> {
  const config = loadConfig(process.env, process.cwd());
  const raw = readFileSync(file);
  const store = await openStore(config);
  const files = await openBlobStore(config).catch(async (err: unknown) => {
    await store.close();
    throw err;
  });
  const queues = openQueues({ redisUrl: config.redis.url, prefix: config.redis.prefix, attempts: config.workers.attempts, backoffMs: config.workers.backoffMs });
  try {
    const { path: rawPath } = await files.putBlob('raw', raw, '.eml');
    // The same id the poller gives this mail, so a replayed mail that also arrives by IMAP is one message.
    const sha256 = mailKey(raw);
    const uid = (await store.lastUid('replay', 'replay', '1')) + 1;
    const { isNew } = await store.recordMessage({ id: sha256, account: 'replay', mailbox: 'replay', uidValidity: '1', uid, size: raw.length, receivedAt: new Date().toISOString(), rawPath });
    if (isNew) await queues.enqueue('ingest', sha256);
    else io.stderr.write('esor-intake: this exact mail was processed before; showing its verdict\n');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rev = await store.getRevisionByMessage(sha256);
      if (rev) {
        io.stdout.write(`${JSON.stringify(rev.result, null, 2)}\n`);
        return 0;
      }
      if (Date.now() > deadline) {
        io.stderr.write('esor-intake: queued, but no verdict yet: is a worker running (esor-intake start or worker)?\n');
        return 1;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await queues.close();
    await files.close();
    await store.close();
  }
}

/**
 * `esor-intake migrate`: applies the configured store's pending migrations (every process also does so
 * when it opens the store; this lets an operator do it first, and see it) and prints the version before
 * and after. The store is named without its password.
 * @throws StoreError STORE_SCHEMA_TOO_NEW (the store is newer than this version), STORE_BUSY, STORE_IO.
 */
export async function migrateCommand(args: string[], io: CommandIo): Promise<number> {
  if (args.length > 0) {
    io.stderr.write('esor-intake: migrate takes no arguments (ESOR_DATABASE_URL or ESOR_DATA_DIR says which store)\n');
    return 1;
  }
  const config = loadConfig(process.env, process.cwd());
  const { before, after } = await migrateStore(config);
  const where = describeStore(config);
  io.stdout.write(before === after ? `${where}: schema version ${after}, up to date\n` : `${where}: schema version ${before} -> ${after}\n`);
  return 0;
}
