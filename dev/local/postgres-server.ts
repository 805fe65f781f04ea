/**
 * A real PostgreSQL for tests (and a local stack that wants one): Debian's server binaries, a
 * cluster made by initdb in a folder of its own, listening on 127.0.0.1 only, run in the foreground
 * by this process. fsync stays on: the store's promise is that a recorded mail survives a crash,
 * and a test server that skipped fsync could not show that.
 *
 * PostgreSQL refuses to run as root, so under root the cluster belongs to the `postgres` system
 * user (created when missing) and every PostgreSQL program is started through setpriv with that
 * user's ids.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { findUntraversableAncestor } from './dovecot-server';
import { findFreePort } from './free-port';
import { prepareLocalDir } from './local-dir';
import { findExecutable, LocalServerError, spawnManaged, type ManagedProcess } from './managed-process';

export interface StartPostgresOptions {
  /** Folder for the cluster (DIR/data), the socket (DIR/run) and the log (DIR/log); default a fresh temp dir. */
  dir?: string;
  /** Fixed port; default a free one (retried if another process takes it first). */
  port?: number;
  /** How long to wait for the server to accept connections; default 30 s (initdb and recovery included). */
  startTimeoutMs?: number;
}

export interface PostgresServer {
  host: string;
  port: number;
  /** postgres://esor:PASSWORD@127.0.0.1:PORT/postgres: the superuser on the maintenance database. */
  url: string;
  dir: string;
  dataDir: string;
  logPath: string;
  /** Creates an empty database (a fresh name unless given) and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Fast shutdown (SIGINT: open sessions are ended, the WAL is flushed). Idempotent. `removeDir` removes the folder only if startPostgres made it. */
  stop(options?: { removeDir?: boolean }): Promise<void>;
  /** SIGKILL to the server and all its processes, as in a crash: committed transactions come back from the WAL. */
  kill9(): Promise<void>;
  /** Stops it if running, then starts it again on the same port and cluster. */
  restart(): Promise<void>;
}

const HOST = '127.0.0.1';
const SUPERUSER = 'esor';
const BIND_ATTEMPTS = 5;
/** A unix socket path must fit in 107 bytes; past that the server listens on TCP only. */
const MAX_SOCKET_PATH = 100;
const STOP_GRACE_MS = 15_000;

/** The newest Debian PostgreSQL (/usr/lib/postgresql/<major>/bin). Throws naming the package when none is installed. */
export function findPostgresBin(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v) && existsSync(path.join(root, v, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (majors.length === 0) throw new LocalServerError(`no PostgreSQL server in ${root}/*/bin (scripts/lib/ensure.sh installs the postgresql package)`);
  return path.join(root, majors[0]!, 'bin');
}

interface RunAs {
  uid: number;
  gid: number;
}

/** Root runs the server as `postgres` (created when missing); anyone else runs it as themselves. */
function chooseServerUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = (): RunAs | undefined => {
    try {
      return {
        uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
        gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
      };
    } catch {
      return undefined;
    }
  };
  const found = lookup();
  if (found) return found;
  try {
    execFileSync(findExecutable('useradd'), ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'pipe' });
  } catch (err) {
    throw new LocalServerError(`PostgreSQL cannot run as root and the system user "postgres" could not be created: ${(err as Error).message}`);
  }
  const created = lookup();
  if (!created) throw new LocalServerError('PostgreSQL cannot run as root and the system user "postgres" was not found after useradd');
  return created;
}

/**
 * The command line of a PostgreSQL program run as `user`. The death signal is set by the same setpriv,
 * after the change of user: the kernel clears one set before it. INT asks the postmaster for a fast
 * shutdown, so the server never outlives this process.
 */
function commandAs(user: RunAs | undefined, program: string, args: string[]): [string, string[]] {
  const setpriv = findExecutable('setpriv');
  const ids = user ? ['--reuid', String(user.uid), '--regid', String(user.gid), '--clear-groups'] : [];
  return [setpriv, [...ids, '--pdeathsig', 'INT', '--', program, ...args]];
}

function runProgram(user: RunAs | undefined, program: string, args: string[], cwd: string): Promise<void> {
  const [file, argv] = commandAs(user, program, args);
  return new Promise((resolve, reject) => {
    execFile(file, argv, { cwd, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new LocalServerError(`${path.basename(program)} failed: ${(stderr || stdout || err.message).trim().split('\n').slice(-5).join(' | ')}`));
      else resolve();
    });
  });
}

/**
 * The folders the server writes belong to its user, mode 0700 (initdb and the postmaster insist on it);
 * DIR itself only needs to let that user through.
 */
function prepareFolders(dir: string, user: RunAs | undefined): { dataDir: string; runDir: string; logDir: string } {
  const dataDir = path.join(dir, 'data');
  const runDir = path.join(dir, 'run');
  const logDir = path.join(dir, 'log');
  if (user) {
    const blocked = findUntraversableAncestor(dir);
    if (blocked) throw new LocalServerError(`PostgreSQL folder ${dir}: ${blocked} is not searchable by the server's user (chmod o+x it)`);
    chmodSync(dir, statSync(dir).mode | 0o001);
  }
  for (const folder of [dataDir, runDir, logDir]) {
    mkdirSync(folder, { recursive: true });
    if (user) chownSync(folder, user.uid, user.gid);
    chmodSync(folder, 0o700);
  }
  return { dataDir, runDir, logDir };
}

/** `-c name=value` settings: what this project needs of the server, on the command line so no config file is edited. */
function serverArgs(dataDir: string, runDir: string, logDir: string, port: number): string[] {
  const socketDir = path.join(runDir, `.s.PGSQL.${port}`).length <= MAX_SOCKET_PATH ? runDir : '';
  const settings: Record<string, string> = {
    listen_addresses: HOST,
    port: String(port),
    unix_socket_directories: socketDir,
    fsync: 'on',
    full_page_writes: 'on',
    // synchronous_commit stays at its default (on): a commit returns once its WAL is on disk.
    shared_buffers: '32MB',
    max_connections: '100',
    logging_collector: 'on',
    log_directory: logDir,
    log_filename: 'postgresql.log',
    log_file_mode: '0600',
    log_min_messages: 'warning',
    dynamic_shared_memory_type: 'posix',
  };
  return ['-D', dataDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
}

/** The end of the server log (the lines of this start, as the log is read right after the server exits). */
function readLogTail(logPath: string): string {
  if (!existsSync(logPath)) return '';
  return readFileSync(logPath, 'utf8').slice(-4096);
}

/** Waits until the server answers a query on `url` and says it serves our cluster (another server may hold the port). */
async function waitUntilReady(server: ManagedProcess, url: string, dataDir: string, timeoutMs: number, logPath: string): Promise<'ready' | 'other-server'> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.hasExited()) {
      const exit = await server.exited;
      // The logging collector starts before the sockets are bound: a bind error is in the log, not on stderr.
      // The collector is a process of its own and may write it after the server has exited (a CI run read
      // the log too early and missed it), so the log is read again for up to 3 s.
      let tail = '';
      for (let tries = 0; tries < 30; tries++) {
        tail = `${server.outputTail().trim()}\n${readLogTail(logPath)}`.trim();
        if (/could not bind|Address already in use/i.test(tail)) return 'other-server';
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new LocalServerError(`${server.name} exited (code ${exit.code ?? '-'}, signal ${exit.signal ?? '-'}) before it accepted connections: ${tail.split('\n').slice(-5).join(' | ')}`, logPath);
    }
    if (Date.now() > deadline) throw new LocalServerError(`${server.name} did not accept connections within ${timeoutMs} ms`, logPath);
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const { rows } = await client.query<{ data_directory: string }>('SHOW data_directory');
      return rows[0]?.data_directory === dataDir ? 'ready' : 'other-server';
    } catch {
      // not up yet (refused, or "the database system is starting up")
    } finally {
      await client.end().catch(() => undefined);
    }
    await Promise.race([server.exited, new Promise((resolve) => setTimeout(resolve, 100))]);
  }
}

/**
 * Starts PostgreSQL (running initdb first when DIR/data holds no cluster) and waits until it answers.
 * Throws LocalServerError when the binaries are missing, initdb fails, or the server exits or does not answer in time.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const bin = findPostgresBin();
  const user = chooseServerUser();
  const local = prepareLocalDir(options.dir, 'esor-postgres-');
  const dir = local.dir;
  const { dataDir, runDir, logDir } = prepareFolders(dir, user);
  const logPath = path.join(logDir, 'postgresql.log');
  const passwordFile = path.join(dir, 'superuser-password');
  const timeoutMs = options.startTimeoutMs ?? 30_000;

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    const password = randomBytes(18).toString('base64url');
    // The password file is read by initdb as the server's user, then kept (0600) for a later start on the same folder.
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    if (user) chownSync(passwordFile, user.uid, user.gid);
    await runProgram(
      user,
      path.join(bin, 'initdb'),
      [
        '-D', dataDir, '-U', SUPERUSER, `--pwfile=${passwordFile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C', '--no-instructions',
        // A throwaway cluster in a fresh temp dir is not worth initdb's fsync of every file (2-3 s); a folder the caller keeps is.
        ...(local.created ? ['--no-sync'] : []),
      ],
      dir,
    );
  }
  const password = readFileSync(passwordFile, 'utf8').trim();
  let port = options.port ?? 0;
  let current: ManagedProcess | null = null;
  const urlFor = (database: string) => `postgres://${SUPERUSER}:${encodeURIComponent(password)}@${HOST}:${port}/${database}`;

  async function launch(): Promise<void> {
    const [file, argv] = commandAs(user, path.join(bin, 'postgres'), serverArgs(dataDir, runDir, logDir, port));
    const server = await spawnManaged(`postgres (port ${port})`, file, argv, { cwd: dir });
    current = server;
    let outcome: 'ready' | 'other-server';
    try {
      outcome = await waitUntilReady(server, urlFor('postgres'), dataDir, timeoutMs, logPath);
    } catch (err) {
      await stopProcess(server);
      current = null;
      throw err;
    }
    if (outcome === 'other-server') {
      await stopProcess(server);
      current = null;
      throw new PortTakenError(port);
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
    await (kill ? server.kill9() : stopProcess(server));
    if (current === server) current = null;
  }

  let databases = 0;
  return {
    host: HOST,
    port,
    url: urlFor('postgres'),
    dir,
    dataDir,
    logPath,
    async createDatabase(name) {
      const database = name ?? `esor_${process.pid}_${Date.now().toString(36)}_${++databases}`;
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(database)) throw new Error(`database name ${JSON.stringify(database)}: lowercase letters, digits and _ only`);
      const client = new Client({ connectionString: urlFor('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${database}`);
      } finally {
        await client.end();
      }
      return urlFor(database);
    },
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

/**
 * SIGINT first: PostgreSQL's TERM is a "smart" shutdown that waits for every client to leave, which a
 * test's open pool never does. Then the managed stop, which waits for (or kills) the server's children.
 */
async function stopProcess(server: ManagedProcess): Promise<void> {
  if (!server.hasExited()) {
    try {
      process.kill(server.pid, 'SIGINT');
    } catch {
      // already gone
    }
    await Promise.race([server.exited, new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref())]);
  }
  await server.stop();
}

class PortTakenError extends LocalServerError {
  constructor(port: number) {
    super(`postgres: port ${HOST}:${port} is already in use`);
  }
}
