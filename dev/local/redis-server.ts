/**
 * A real redis-server for tests and the demo: foreground process, loopback only, append-only
 * file on (so restart() keeps the queues), noeviction (BullMQ loses jobs under any other policy).
 */
import { existsSync, openSync, readSync, closeSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findFreePort } from './free-port';
import { prepareLocalDir } from './local-dir';
import { findExecutable, LocalServerError, spawnManaged, type ManagedProcess } from './managed-process';
import { waitForGreeting } from './wait-for-greeting';

export interface StartRedisOptions {
  /** Folder for the config, the AOF and the log; default a fresh temp dir. */
  dir?: string;
  /** Fixed port; default a free one (retried if another process takes it first). */
  port?: number;
  /** How long to wait for PONG; default 10 s. */
  startTimeoutMs?: number;
}

export interface RedisServer {
  host: string;
  port: number;
  /** redis://127.0.0.1:PORT */
  url: string;
  dir: string;
  configPath: string;
  logPath: string;
  /** Graceful stop (TERM: the AOF is flushed). Idempotent. `removeDir` removes the folder only if startRedis made it. */
  stop(options?: { removeDir?: boolean }): Promise<void>;
  /** SIGKILL, as in a crash: writes of the last second may be lost (appendfsync everysec). */
  kill9(): Promise<void>;
  /** Stops it if running, then starts it again on the same port and folder; data comes back from the AOF. */
  restart(): Promise<void>;
}

const HOST = '127.0.0.1';
const BIND_ATTEMPTS = 5;

/** Redis config strings: double quotes with backslash escapes. */
function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function renderRedisConfig(port: number, dir: string, logPath: string): string {
  return [
    `bind ${HOST}`,
    `port ${port}`,
    'protected-mode yes',
    'daemonize no',
    'supervised no',
    // Keeps the config path (and so the folder) in the command line: `pgrep -f DIR` finds the server.
    'set-proc-title no',
    `dir ${quote(dir)}`,
    `logfile ${quote(logPath)}`,
    'loglevel notice',
    'always-show-logo no',
    'appendonly yes',
    'appendfsync everysec',
    'save ""',
    'maxmemory-policy noeviction',
    '',
  ].join('\n');
}

/**
 * Ready once INFO names our process: a Redis already on that port would otherwise pass for ours
 * (setpriv execs redis-server, so the pid we spawned is the server's). -LOADING means not yet.
 */
function isAnsweredBy(pid: number): (received: string) => boolean | undefined {
  return (received) => {
    if (received.startsWith('-')) return received.includes('\n') ? false : undefined;
    const match = /\r\nprocess_id:(\d+)\r\n/.exec(received);
    return match ? Number(match[1]) === pid : undefined;
  };
}

/** Bytes appended to a log since `offset`, to tell why this start failed and not an earlier one. */
function readLogSince(logPath: string, offset: number): string {
  if (!existsSync(logPath)) return '';
  const size = statSync(logPath).size;
  if (size <= offset) return '';
  const fd = openSync(logPath, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(size - offset, 65536));
    readSync(fd, buffer, 0, buffer.length, size - buffer.length);
    return buffer.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * Starts redis-server and waits until it answers (INFO, checked to come from the process started here).
 * Throws LocalServerError (naming the log) when redis-server is missing, exits, or does not answer in time.
 */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisServer> {
  const binary = findExecutable('redis-server');
  const local = prepareLocalDir(options.dir, 'esor-redis-');
  const dir = local.dir;
  const configPath = path.join(dir, 'redis.conf');
  const logPath = path.join(dir, 'redis.log');
  const timeoutMs = options.startTimeoutMs ?? 10_000;
  let port = options.port ?? 0;
  let current: ManagedProcess | null = null;

  async function launch(): Promise<void> {
    writeFileSync(configPath, renderRedisConfig(port, dir, logPath));
    const logOffset = existsSync(logPath) ? statSync(logPath).size : 0;
    const server = await spawnManaged(`redis-server (port ${port})`, binary, [configPath], { cwd: dir });
    current = server;
    try {
      await waitForGreeting(server, [{ host: HOST, port, send: 'INFO server\r\n', check: isAnsweredBy(server.pid) }], timeoutMs, logPath);
    } catch (err) {
      await server.stop();
      current = null;
      if (readLogSince(logPath, logOffset).includes('Address already in use')) throw new PortTakenError(port);
      throw err;
    }
  }

  if (options.port) {
    await launch();
  } else {
    for (let attempt = 1; ; attempt++) {
      port = await findFreePort();
      try {
        await launch();
        break;
      } catch (err) {
        if (!(err instanceof PortTakenError) || attempt >= BIND_ATTEMPTS) throw err;
      }
    }
  }

  async function stopCurrent(kill: boolean): Promise<void> {
    const server = current;
    if (!server) return;
    await (kill ? server.kill9() : server.stop());
    if (current === server) current = null;
  }

  return {
    host: HOST,
    port,
    url: `redis://${HOST}:${port}`,
    dir,
    configPath,
    logPath,
    async stop(stopOptions) {
      await stopCurrent(false);
      if (stopOptions?.removeDir) local.remove();
    },
    kill9: () => stopCurrent(true),
    async restart() {
      await stopCurrent(false);
      await launch();
    },
  };
}

class PortTakenError extends LocalServerError {
  constructor(port: number) {
    super(`redis-server: port ${HOST}:${port} is already in use`);
  }
}
