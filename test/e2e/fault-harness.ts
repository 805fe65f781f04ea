/**
 * A harness for fault tests: the real local servers (Redis, Dovecot, SMTP
 * relay), the roles asked for running in this process, and worker processes
 * of their own (`esor-intake worker` from the sources) that a test can kill
 * with SIGKILL and start again. Short poll intervals, backoffs and job locks
 * keep a fault's recovery within seconds.
 *
 * `checkNothingLostNothingTwice` is the one verdict every fault test ends with.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { findExecutable, listDescendants } from '../../dev/local/managed-process';
import { startLocalStack, type LocalStack } from '../../dev/local/local-stack';
import type { ListedMessage } from '../../dev/local/imap-messages';
import type { Config } from '../../services/common/config';
import { mailKey } from '../../services/poller';
import { runService, type Role, type RunningService } from '../../services/service';
import { configFor, OFFICE, ROOT, waitFor } from './harness';
import type { TestMail } from './mails';

export { waitFor };

/**
 * Job locks: a killed worker's jobs (or one whose completion was lost with Redis) are taken over
 * within about this long. Not shorter: a worker whose event loop is held up longer than the lock
 * loses its job to another, which runs it a second time, and the stall counts against the mail.
 * 3 s was too short on a CI machine busy with the suite's other file: an analyse job stalled twice
 * before its worker was killed, and the mail went to Problem.
 */
export const WORKER_LOCK_MS = 6000;
export const WORKER_STALLED_CHECK_MS = 500;
/**
 * Liveness: a service process (tsx compiling the sources) is up in 2-5 s here, but took over 20 s
 * on this two-core machine while six other processes were busy.
 */
const PROCESS_START_MS = 60_000;
/** Far longer than a send takes here, even on a busy machine; short enough for a crashed sender's reply to go out within the tests' waits. */
export const REPLY_SEND_LEASE_MS = 15_000;

export interface FaultHarnessOptions {
  /** Roles run inside the test process; default the poller alone (workers run as processes). */
  roles?: readonly Role[];
  /** Worker concurrency of the in-process worker role. */
  concurrency?: number;
  /**
   * Short job locks for the in-process workers too (default true): a job whose completion was
   * lost with Redis is taken over within seconds instead of a minute. False keeps BullMQ's 30 s,
   * for tests whose event loop is held up for long (a 40 MB PDF).
   */
  shortLocks?: boolean;
  /** limits.maxMessageBytes of the in-process roles. */
  maxMessageBytes?: number;
  /**
   * The PostgreSQL store (ESOR_DATABASE_URL) for the in-process service and every process started:
   * state and files then live there, so each process can be given a data folder of its own.
   */
  databaseUrl?: string;
}

/** Options of a process the harness starts. */
export interface ProcessOptions {
  /** Its own ESOR_DATA_DIR (a "machine" of its own); default the harness's data folder. */
  dataDir?: string;
}

export interface WorkerProcess {
  pid: number;
  /** Lines the process wrote to stdout and stderr. */
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first line (past or future) matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGKILL: a crash, no cleanup. */
  kill9(): Promise<void>;
  /** SIGTERM: the command stops its workers and exits. */
  stop(): Promise<void>;
}

export interface FaultHarness {
  stack: LocalStack;
  config: Config;
  dataDir: string;
  /** The service of this process (poller, and workers when asked). */
  service: RunningService;
  /** Log lines of the in-process roles (pino objects). */
  logs: Array<Record<string, unknown>>;
  /** Delivers a mail into the office INBOX over LMTP; counts deliveries per Message-ID. */
  deliver(mail: TestMail): Promise<void>;
  deliveries: Map<string, number>;
  /** Starts `esor-intake worker` as a child process; `hooks` installs the test's stage hooks (see stage-hooks.ts). */
  startWorker(opts?: ProcessOptions & { hooks?: boolean; concurrency?: number }): Promise<WorkerProcess>;
  /** Starts `esor-intake poller` as a child process. */
  startPoller(opts?: ProcessOptions): Promise<WorkerProcess>;
  /** Starts `esor-intake dashboard` as a child process on a free port; `url` is where it listens. */
  startDashboard(opts?: ProcessOptions): Promise<WorkerProcess & { url: string }>;
  /** Runs another `esor-intake` command (e.g. `users add`) to its end, with `stdin` as its input. */
  runCommand(args: string[], opts?: ProcessOptions & { stdin?: string }): Promise<{ code: number | null; output: string }>;
  workers: WorkerProcess[];
  /** Stops every worker and poller process started so far (SIGTERM). */
  stopProcesses(): Promise<void>;
  /** Stops the in-process service and restarts it (a poller restart). */
  restartService(): Promise<void>;
  stop(): Promise<void>;
}

const ENTRY = path.join(__dirname, 'esor-intake-from-sources.js');

export async function startFaultHarness(opts: FaultHarnessOptions = {}): Promise<FaultHarness> {
  const roles = opts.roles ?? ['poller'];
  const stack = await startLocalStack({ office: OFFICE });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'esor-e2e-faults-'));
  const config = configFor(stack, dataDir, {
    poll: { intervalMs: 200, reconnectMinMs: 100, reconnectMaxMs: 500 },
    workers: {
      backoffMs: 100,
      shutdownTimeoutMs: 2000,
      ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
      replySendLeaseMs: REPLY_SEND_LEASE_MS,
      ...(opts.shortLocks === false ? {} : { lockDurationMs: WORKER_LOCK_MS, stalledIntervalMs: WORKER_STALLED_CHECK_MS }),
    },
    ...(opts.maxMessageBytes ? { limits: { maxMessageBytes: opts.maxMessageBytes } } : {}),
    ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}),
  });
  const logs: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  let service: RunningService;
  try {
    service = await runService(config, roles, logger, { http: false });
  } catch (err) {
    await stack.stop({ removeDir: true });
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const deliveries = new Map<string, number>();
  const workers: WorkerProcess[] = [];

  const env: Record<string, string> = {
    ESOR_DATA_DIR: dataDir,
    ESOR_RULES_DIR: config.rulesDir,
    ESOR_REDIS_URL: config.redis.url,
    ESOR_REDIS_PREFIX: config.redis.prefix,
    ESOR_IMAP_HOST: '127.0.0.1',
    ESOR_IMAP_PORT: String(stack.dovecot.imapPort),
    ESOR_IMAP_SECURE: 'false',
    ESOR_IMAP_USER: OFFICE.user,
    ESOR_IMAP_PASSWORD: OFFICE.password,
    ESOR_SMTP_HOST: '127.0.0.1',
    ESOR_SMTP_PORT: String(stack.smtp.port),
    ESOR_SMTP_SECURE: 'false',
    ESOR_REPLY_FROM: OFFICE.user,
    ESOR_HTTP_PORT: '0',
    ESOR_WORKERS_BACKOFF_MS: '100',
    ESOR_WORKERS_SHUTDOWN_TIMEOUT_MS: '2000',
    ESOR_WORKERS_LOCK_DURATION_MS: String(WORKER_LOCK_MS),
    ESOR_WORKERS_STALLED_INTERVAL_MS: String(WORKER_STALLED_CHECK_MS),
    // A crash between taking a reply's send lease and sending must resend within the tests' waits.
    ESOR_WORKERS_REPLY_SEND_LEASE_MS: String(REPLY_SEND_LEASE_MS),
    ESOR_LOG_LEVEL: 'warn',
    // The demo mails are historical and delivered now: judged by their Date header (configFor does the same).
    ESOR_RECEIVED_TIME: 'header',
    ...(opts.databaseUrl ? { ESOR_DATABASE_URL: opts.databaseUrl } : {}),
  };
  const envFor = (o: ProcessOptions) => (o.dataDir ? { ...env, ESOR_DATA_DIR: o.dataDir } : env);

  return {
    stack,
    config,
    dataDir,
    get service() {
      return service;
    },
    logs,
    deliveries,
    workers,
    async deliver(mail) {
      await stack.dovecot.deliver(OFFICE.user, mail.raw);
      deliveries.set(mail.messageId, (deliveries.get(mail.messageId) ?? 0) + 1);
    },
    async startPoller(o = {}) {
      const p = await spawnWorker('poller', { ...envFor(o), ESOR_POLL_INTERVAL_MS: '200', ESOR_POLL_RECONNECT_MIN_MS: '100', ESOR_POLL_RECONNECT_MAX_MS: '500' });
      workers.push(p);
      await p.waitForLine(/esor-intake: health/, PROCESS_START_MS);
      return p;
    },
    async startWorker(o = {}) {
      const w = await spawnWorker('worker', {
        ...envFor(o),
        ...(o.concurrency ? { ESOR_WORKERS_CONCURRENCY: String(o.concurrency) } : {}),
        ...(o.hooks ? { E2E_STAGE_HOOKS: '1' } : {}),
      });
      workers.push(w);
      // Up once it prints its health address: the service, its queues and workers are started.
      await w.waitForLine(/esor-intake: health/, PROCESS_START_MS);
      return w;
    },
    async startDashboard(o = {}) {
      const d = await spawnWorker('dashboard', { ...envFor(o), ESOR_DASHBOARD_PORT: '0' });
      workers.push(d);
      const line = await d.waitForLine(/esor-intake: dashboard http:\/\/\S+/, 30_000);
      return Object.assign(d, { url: /(http:\/\/[^/\s]+)/.exec(line)![1]! });
    },
    async runCommand(args, o = {}) {
      const p = await spawnWorker(args, envFor(o), o.stdin);
      const { code } = await p.exited;
      return { code, output: p.lines.join('\n') };
    },
    async stopProcesses() {
      await Promise.all(workers.splice(0).map((w) => w.stop()));
    },
    async restartService() {
      await service.stop();
      service = await runService(config, roles, logger, { http: false });
    },
    async stop() {
      await Promise.all(workers.splice(0).map((w) => w.stop()));
      await service.stop();
      await stack.stop({ removeDir: true });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** `node esor-intake-from-sources.js worker|poller|dashboard|OTHER ARGS...`, dying with this process (setpriv --pdeathsig). */
async function spawnWorker(command: 'worker' | 'poller' | 'dashboard' | string[], esorEnv: Record<string, string>, stdin?: string): Promise<WorkerProcess> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ESOR_') && k !== 'NODE_OPTIONS'));
  let setpriv: string | undefined;
  try {
    setpriv = findExecutable('setpriv');
  } catch {
    setpriv = undefined;
  }
  const args = [ENTRY, ...(Array.isArray(command) ? command : [command])];
  const stdio: ['pipe' | 'ignore', 'pipe', 'pipe'] = [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'];
  const child: ChildProcess = setpriv
    ? spawn(setpriv, ['--pdeathsig', 'KILL', '--', process.execPath, ...args], { cwd: ROOT, env: { ...inherited, ...esorEnv }, stdio })
    : spawn(process.execPath, args, { cwd: ROOT, env: { ...inherited, ...esorEnv }, stdio });
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  const onData = (() => {
    let buffer = '';
    return (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        for (const w of [...waiters]) {
          if (w.pattern.test(line)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(line);
          }
        }
      }
    };
  })();
  if (stdin !== undefined) child.stdin!.end(stdin);
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    }),
  );
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', reject);
  });
  const signal = async (sig: NodeJS.Signals) => {
    if (!exitInfo) child.kill(sig);
    await exited;
  };
  return {
    pid: child.pid!,
    lines,
    exited,
    waitForLine(pattern, timeoutMs = 20_000) {
      const seen = lines.find((l) => pattern.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`worker ${child.pid}: no line matching ${pattern} within ${timeoutMs} ms; it wrote:\n${lines.slice(-20).join('\n')}`));
        }, timeoutMs);
        const waiter = {
          pattern,
          resolve: (line: string) => {
            clearTimeout(timer);
            resolve(line);
          },
        };
        waiters.push(waiter);
        void exited.then(() => {
          if (waiters.includes(waiter)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            clearTimeout(timer);
            reject(new Error(`worker ${child.pid} exited before writing a line matching ${pattern}; it wrote:\n${lines.slice(-20).join('\n')}`));
          }
        });
      });
    },
    kill9: () => signal('SIGKILL'),
    async stop() {
      if (exitInfo) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// ---------------------------------------------------------------- mailbox helpers

/** Mails the in-process poller has recorded so far (its own counter; duplicates count). */
export async function mailsSeen(h: FaultHarness): Promise<number> {
  const metric = h.service.metrics.registry.getSingleMetric('esor_mails_seen_total');
  const values = (await metric?.get())?.values ?? [];
  return values.reduce((n, v) => n + v.value, 0);
}

/** Waits, checking every few milliseconds, until the poller has recorded `count` mails; returns how many it had. */
export async function waitForSeen(h: FaultHarness, count: number, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = await mailsSeen(h);
    if (seen >= count) return seen;
    if (Date.now() > deadline) throw new Error(`the poller recorded ${seen} of ${count} mails within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

export async function listFolder(h: FaultHarness, folder: string, source = false): Promise<ListedMessage[]> {
  return h.stack.dovecot.listMessages(OFFICE.user, folder, { source });
}

/** Replies the relay accepted for one address (each accepted message counts, duplicates included). */
export function repliesTo(h: FaultHarness, address: string): Array<{ raw: Buffer; messageId: string | undefined }> {
  return h.stack.smtp.received
    .filter((m) => m.to.some((t) => t.toLowerCase() === address.toLowerCase()))
    .map((m) => ({ raw: m.raw, messageId: /^message-id:\s*(\S+)/im.exec(m.raw.toString('latin1').split(/\r?\n\r?\n/)[0]!)?.[1] }));
}

/** Waits until none of `mails` is left in the INBOX and every delivered copy sits in Done or Problem, with its ledger row finished. */
export async function waitUntilFiled(h: FaultHarness, mails: TestMail[], timeoutMs = 120_000): Promise<void> {
  const ids = new Set(mails.map((m) => m.messageId));
  const expected = mails.reduce((n, m) => n + (h.deliveries.get(m.messageId) ?? 0), 0);
  await waitFor(
    `${mails.length} mails (${expected} copies) filed in Done/Problem with a finished ledger row`,
    async () => {
      // The ledger first: a few reads of the store, where each folder listed below is a new IMAP connection
      // (a Dovecot login and a fetch of the whole folder). Polled every 100 ms while the pipeline works, those
      // took CPU from it on two cores; now the mailbox is looked at once the ledger says every mail is finished.
      // The ledger id of a mail we composed: servers add only transit fields, which the id leaves out.
      for (const m of mails) {
        const state = (await h.service.store.getMessage(mailKey(m.raw)))?.state;
        if (state !== 'done' && state !== 'failed') return false;
      }
      const inbox = (await listFolder(h, 'INBOX')).filter((m) => ids.has(m.messageId ?? ''));
      if (inbox.length > 0) return false;
      const filed = [...(await listFolder(h, 'Done')), ...(await listFolder(h, 'Problem'))].filter((m) => ids.has(m.messageId ?? ''));
      return filed.length >= expected;
    },
    timeoutMs,
  ).catch(async (err: Error) => {
    throw new Error(`${err.message}\n${await describeState(h, mails)}`);
  });
}

/** Where things stand, for a failing test's message. */
export async function describeState(h: FaultHarness, mails: TestMail[]): Promise<string> {
  const ids = new Set(mails.map((m) => m.messageId));
  const count = async (f: string) => (await listFolder(h, f).catch(() => [])).filter((m) => ids.has(m.messageId ?? '')).length;
  const unfinished = await h.service.store.listUnfinishedMessages();
  const counts = await h.service.queues.counts().catch(() => []);
  return [
    `  INBOX ${await count('INBOX')}, Done ${await count('Done')}, Problem ${await count('Problem')}`,
    `  unfinished ledger rows: ${unfinished.map((m) => `${m.id.slice(0, 8)}=${m.state}${m.error ? `(${m.error})` : ''}`).join(' ') || 'none'}`,
    `  queues: ${counts.filter((c) => c.count > 0).map((c) => `${c.queue}.${c.state}=${c.count}`).join(' ') || 'empty'}`,
    `  relay accepted ${h.stack.smtp.received.length} replies`,
    ...h.workers.map((w) => `  worker ${w.pid}: ${w.lines.slice(-8).join(' | ')}`),
    `  poller log: ${h.logs.slice(-8).map((l) => String(l.msg)).join(' | ')}`,
  ].join('\n');
}

export interface Expectation {
  /** How many replies this mail's sender should get in all (default 1). */
  replies?: number;
  /** The folder it must end in (default Done). */
  folder?: 'Done' | 'Problem';
  /** The verdict's status, when the test knows it. */
  status?: string;
}

/**
 * Nothing lost: every delivered mail (every copy) left the INBOX for Done (or Problem),
 * its ledger row is finished and it has a stored verdict. Nothing twice: one ledger
 * row and one revision per mail, however often it was delivered or its jobs ran;
 * at most the expected number of replies per sender, each sent once, one copy each in Sent.
 */
export async function checkNothingLostNothingTwice(h: FaultHarness, mails: TestMail[], expect: (m: TestMail) => Expectation = () => ({})): Promise<void> {
  const problems: string[] = [];
  const ids = new Set(mails.map((m) => m.messageId));
  const inbox = (await listFolder(h, 'INBOX')).filter((m) => ids.has(m.messageId ?? ''));
  if (inbox.length > 0) problems.push(`${inbox.length} mails still in the INBOX`);
  const folders = { Done: await listFolder(h, 'Done', true), Problem: await listFolder(h, 'Problem', true) };
  const store = h.service.store;
  for (const mail of mails) {
    const e = { replies: 1, folder: 'Done' as const, ...expect(mail) };
    const label = `${mail.from} ${mail.messageId}`;
    const copies = (['Done', 'Problem'] as const).flatMap((f) => folders[f].filter((m) => m.messageId === mail.messageId).map((m) => ({ folder: f, m })));
    const delivered = h.deliveries.get(mail.messageId) ?? 0;
    if (copies.length !== delivered) problems.push(`${label}: ${delivered} copies delivered, ${copies.length} filed`);
    const wrongFolder = copies.filter((c) => c.folder !== e.folder);
    if (wrongFolder.length > 0) problems.push(`${label}: filed in ${wrongFolder.map((c) => c.folder).join(', ')}, expected ${e.folder}`);
    const keys = new Set(copies.map((c) => mailKey(c.m.source!)));
    if (keys.size > 1) problems.push(`${label}: ${keys.size} ledger rows for one mail (processed more than once)`);
    if (keys.size === 1 && !keys.has(mailKey(mail.raw))) problems.push(`${label}: the ledger id is not the id of the mail as sent`);
    for (const key of keys) {
      const record = await store.getMessage(key);
      if (!record) {
        problems.push(`${label}: no ledger row`);
        continue;
      }
      const wantState = e.folder === 'Done' ? 'done' : 'failed';
      if (record.state !== wantState) problems.push(`${label}: ledger state ${record.state}, expected ${wantState}`);
      if (e.folder === 'Problem' && !record.error) problems.push(`${label}: failed without a reason recorded`);
      const revision = await store.getRevisionByMessage(key);
      if (!revision) {
        problems.push(`${label}: no verdict stored`);
        continue;
      }
      if (e.status && revision.result.status !== e.status) problems.push(`${label}: status ${revision.result.status}, expected ${e.status}`);
      const app = await store.getApplication(revision.applicationId);
      const fromThisMail = app?.revisions.filter((r) => r.messageId === key) ?? [];
      if (fromThisMail.length !== 1) problems.push(`${label}: ${fromThisMail.length} revisions for one mail`);
      const replies = await store.listReplies({ applicationId: revision.applicationId });
      const perDecision = new Map<string, number>();
      for (const r of replies) perDecision.set(`${r.revision}/${r.status}`, (perDecision.get(`${r.revision}/${r.status}`) ?? 0) + 1);
      for (const [k, n] of perDecision) if (n > 1) problems.push(`${label}: ${n} replies for revision/status ${k}`);
    }
    const sent = repliesTo(h, mail.from);
    if (sent.length !== e.replies) problems.push(`${label}: ${sent.length} replies reached the applicant, expected ${e.replies}`);
  }
  // Every reply the relay accepted is one distinct reply (no resend of the same one), with one copy in Sent.
  const relayed = h.stack.smtp.received.map((m) => /^message-id:\s*(\S+)/im.exec(m.raw.toString('latin1').split(/\r?\n\r?\n/)[0]!)?.[1] ?? '?');
  const dup = relayed.filter((id, i) => relayed.indexOf(id) !== i);
  if (dup.length > 0) problems.push(`the same reply was sent more than once: ${dup.join(', ')}`);
  const sentCopies = (await listFolder(h, 'Sent')).map((m) => m.messageId);
  const dupSent = sentCopies.filter((id, i) => sentCopies.indexOf(id) !== i);
  if (dupSent.length > 0) problems.push(`Sent holds ${dupSent.length} second copies`);
  const unfinished = (await store.listUnfinishedMessages()).filter((m) => m.state !== 'failed');
  if (unfinished.length > 0) problems.push(`${unfinished.length} ledger rows never finished: ${unfinished.map((m) => m.state).join(', ')}`);
  if (problems.length > 0) throw new Error(`nothing lost, nothing twice:\n  ${problems.join('\n  ')}`);
}

// ---------------------------------------------------------------- Dovecot processes

/** The pids of the Dovecot `imap` processes serving this harness's mailbox connections. */
export function findImapProcesses(h: FaultHarness): number[] {
  const master = findProcessByCmdline(h.stack.dovecot.configPath);
  if (!master) return [];
  return listDescendants(master)
    .map((p) => p.pid)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'imap';
      } catch {
        return false;
      }
    });
}

function findProcessByCmdline(needle: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmd.some((a) => a === needle) && cmd.some((a) => a.endsWith('dovecot'))) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}
