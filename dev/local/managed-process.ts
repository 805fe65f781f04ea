/**
 * Child processes for the local servers (Redis, Dovecot): spawned so that they die with this
 * Node process, stopped with TERM then KILL, and stopped together with every process they forked,
 * so that a test run or the demo never leaves a daemon behind.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** A local server failed to start or to stop; the message names the server and its log file. */
export class LocalServerError extends Error {
  readonly logPath: string | undefined;

  constructor(message: string, logPath?: string) {
    super(logPath ? `${message} (server log: ${logPath})` : message);
    this.name = 'LocalServerError';
    this.logPath = logPath;
  }
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  /** Resolves when the process has exited (it never rejects). */
  readonly exited: Promise<ProcessExit>;
  hasExited(): boolean;
  /** The last few kilobytes the process wrote to stdout/stderr, for error messages. */
  outputTail(): string;
  /** TERM, then KILL after `graceMs`; also waits for (and if need be kills) every process it forked. */
  stop(graceMs?: number): Promise<ProcessExit>;
  /** KILL the process and everything it forked at once: a crash, for fault tests. */
  kill9(): Promise<ProcessExit>;
}

const OUTPUT_TAIL_BYTES = 8192;
const DESCENDANT_GRACE_MS = 3000;

/**
 * Finds an executable on PATH or, failing that, in the usual system folders (root's PATH in a
 * service or CI environment often lacks /usr/sbin, where Debian puts dovecot).
 * Throws when it is nowhere.
 */
export function findExecutable(name: string): string {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here: try the next folder
    }
  }
  throw new LocalServerError(`${name} not found on PATH or in /usr/sbin, /usr/bin (scripts/lib/ensure.sh installs it)`);
}

let setprivPath: string | null | undefined;

/** util-linux `setpriv --pdeathsig` makes the kernel signal the server when this process dies, even by SIGKILL. */
function findSetpriv(): string | null {
  if (setprivPath === undefined) {
    try {
      setprivPath = findExecutable('setpriv');
    } catch {
      setprivPath = null;
    }
  }
  return setprivPath;
}

/**
 * Starts `command` in the foreground, tied to this Node process.
 * Rejects when it cannot be spawned (missing binary, bad cwd).
 */
export function spawnManaged(name: string, command: string, args: string[], options: { cwd?: string } = {}): Promise<ManagedProcess> {
  const setpriv = findSetpriv();
  const [file, argv] = setpriv ? [setpriv, ['--pdeathsig', 'TERM', '--', command, ...args]] : [command, args];
  const child = spawn(file, argv, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });

  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_BYTES);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  let exit: ProcessExit | undefined;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
  });

  return new Promise((resolve, reject) => {
    // Also catches later errors (a failed kill): an 'error' event without a listener would crash the process.
    child.on('error', (err) => {
      if (child.pid === undefined) reject(new LocalServerError(`${name}: cannot start ${command}: ${err.message}`));
    });
    child.once('spawn', () => {
      const pid = child.pid as number;
      let stopping: Promise<ProcessExit> | undefined;
      const managed: ManagedProcess = {
        name,
        pid,
        exited,
        hasExited: () => exit !== undefined,
        outputTail: () => tail,
        stop(graceMs = 5000) {
          stopping ??= terminate(pid, exited, () => exit !== undefined, graceMs);
          return stopping;
        },
        kill9() {
          stopping ??= terminate(pid, exited, () => exit !== undefined, 0);
          return stopping;
        },
      };
      trackProcess(managed);
      void exited.then(() => untrackProcess(managed));
      resolve(managed);
    });
  });
}

async function terminate(pid: number, exited: Promise<ProcessExit>, hasExited: () => boolean, graceMs: number): Promise<ProcessExit> {
  // Listed before the signal: once the parent is gone its children are re-parented and untraceable.
  const family = listDescendants(pid);
  if (!hasExited()) {
    if (graceMs > 0) {
      sendSignal(pid, 'SIGTERM');
      const timer = delay(graceMs);
      const inTime = await Promise.race([exited.then(() => true), timer.promise.then(() => false)]);
      timer.cancel();
      if (!inTime) sendSignal(pid, 'SIGKILL');
    } else {
      sendSignal(pid, 'SIGKILL');
      for (const p of family) sendSignal(p.pid, 'SIGKILL');
    }
  }
  const result = await exited;
  await waitUntilGone(family, graceMs > 0 ? DESCENDANT_GRACE_MS : 0);
  return result;
}

async function waitUntilGone(family: ProcessId[], graceMs: number): Promise<void> {
  const deadline = Date.now() + graceMs;
  let alive = family.filter(isAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await delay(25).promise;
    alive = alive.filter(isAlive);
  }
  if (alive.length === 0) return;
  for (const p of alive) sendSignal(p.pid, 'SIGKILL');
  const killDeadline = Date.now() + 2000;
  while (alive.length > 0 && Date.now() < killDeadline) {
    await delay(25).promise;
    alive = alive.filter(isAlive);
  }
}

function sendSignal(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function delay(ms: number): { promise: Promise<void>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

// --- /proc: processes forked by a server --------------------------------------------------------

/** A pid together with its start time, so that a recycled pid is not mistaken for the old process. */
interface ProcessId {
  pid: number;
  start: string;
}

function readStat(pid: number): { ppid: number; state: string; start: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: split after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', ppid: Number(fields[1]), start: fields[19] ?? '' };
  } catch {
    return null;
  }
}

/** Every live process below `pid` (children, grandchildren, ...). Linux only; empty elsewhere. */
export function listDescendants(pid: number): ProcessId[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const childrenOf = new Map<number, ProcessId[]>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (!stat || stat.state === 'Z') continue;
    const list = childrenOf.get(stat.ppid) ?? [];
    list.push({ pid: Number(entry), start: stat.start });
    childrenOf.set(stat.ppid, list);
  }
  const found: ProcessId[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of childrenOf.get(queue.shift() as number) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

function isAlive(p: ProcessId): boolean {
  const stat = readStat(p.pid);
  // A zombie has exited already; in a container nobody may ever reap it.
  return stat !== null && stat.start === p.start && stat.state !== 'Z';
}

// --- cleanup when this Node process goes away ----------------------------------------------------

const running = new Set<ManagedProcess>();
const EXIT_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function onExit(): void {
  // Only synchronous work is possible here: TERM lets Redis flush its AOF and Dovecot stop its children.
  for (const p of running) sendSignal(p.pid, 'SIGTERM');
}

function onSignal(signal: NodeJS.Signals): void {
  // An application with its own handler shuts down in order (workers before Redis) and calls stop();
  // only when nobody else listens do we stand in for Node's default action.
  if (process.listenerCount(signal) > 1) return;
  onExit();
  removeHandlers();
  process.kill(process.pid, signal);
}

function installHandlers(): void {
  process.on('exit', onExit);
  for (const signal of EXIT_SIGNALS) process.on(signal, onSignal);
}

function removeHandlers(): void {
  process.off('exit', onExit);
  for (const signal of EXIT_SIGNALS) process.off(signal, onSignal);
}

function trackProcess(p: ManagedProcess): void {
  if (running.size === 0) installHandlers();
  running.add(p);
}

function untrackProcess(p: ManagedProcess): void {
  if (!running.delete(p)) return;
  // Handlers only while something runs, so that test files and restarts do not pile up listeners.
  if (running.size === 0) removeHandlers();
}
