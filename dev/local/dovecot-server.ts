/**
 * A real Dovecot (IMAP + LMTP) for tests and the demo, run in the foreground by this process:
 * the office mailbox the poller watches, and the applicants' mailboxes the demo's replies land in.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import { DEFAULT_DOVECOT_FOLDERS, renderDovecotConfig, type DovecotFolder } from './dovecot-config';
import { findFreePort } from './free-port';
import { listMailboxMessages, type ListedMessage } from './imap-messages';
import { prepareLocalDir } from './local-dir';
import { findExecutable, LocalServerError, spawnManaged, type ManagedProcess } from './managed-process';
import { firstLineMatches, waitForGreeting } from './wait-for-greeting';

export interface DovecotUser {
  user: string;
  password: string;
}

export interface StartDovecotOptions {
  /** Folder for config, log, accounts and mail; default a fresh temp dir. Made traversable (0711) for Dovecot's users. */
  dir?: string;
  /** Accounts to create (more can be added later with addUser). Accounts already in DIR/passwd.d are kept. */
  users?: DovecotUser[];
  /** Folders created in every account besides INBOX; default Sent (\Sent), Done, Problem. */
  folders?: readonly DovecotFolder[];
  /** Fixed ports; default free ones (retried if another process takes them first). */
  imapPort?: number;
  lmtpPort?: number;
  /** System user that owns all mail; default `mail`. */
  mailUser?: string;
  /** How long to wait for the IMAP and LMTP greetings; default 15 s. */
  startTimeoutMs?: number;
}

/** Connection options for imapflow: `new ImapFlow(dovecot.imapOptions(user))`. */
export interface DovecotImapOptions {
  host: string;
  port: number;
  secure: false;
  auth: { user: string; pass: string };
  logger: false;
}

export interface DovecotServer {
  host: string;
  imapPort: number;
  lmtpPort: number;
  dir: string;
  configPath: string;
  logPath: string;
  folders: readonly DovecotFolder[];
  /**
   * Creates or changes an account without a restart: a new one is usable at once, a changed password
   * resolves within about a second (see the code). Throws on names/passwords the passwd-file cannot hold.
   */
  addUser(user: string, password: string): Promise<void>;
  hasUser(user: string): boolean;
  /** imapflow options for an account created here; throws for an unknown account. */
  imapOptions(user: string): DovecotImapOptions;
  /**
   * Delivers a raw message into the account's INBOX over LMTP, as a mail server would. The envelope
   * sender defaults to the From header's address. Rejects with LocalServerError when Dovecot refuses.
   */
  deliver(user: string, raw: Buffer, options?: { from?: string }): Promise<void>;
  /** The messages of one folder of an account (for tests); `source: true` adds the raw message. */
  listMessages(user: string, mailbox?: string, options?: { source?: boolean }): Promise<ListedMessage[]>;
  /** Graceful stop; waits for Dovecot and every process it forked. Idempotent. `removeDir` removes the folder only if startDovecot made it. */
  stop(options?: { removeDir?: boolean }): Promise<void>;
  /** SIGKILL to Dovecot and all its processes, as in a crash. */
  kill(): Promise<void>;
  /** Stops it if running, then starts it again with the same ports, accounts and mail. */
  restart(): Promise<void>;
}

export type { DovecotFolder, ListedMessage };

const HOST = '127.0.0.1';
const BIND_ATTEMPTS = 5;
/** Leaves room under base_dir for Dovecot's longest socket name within the 107-byte unix socket limit. */
const MAX_BASE_DIR_LENGTH = 70;

/** Normalised as Dovecot does (auth_username_format %Lu), so the home folder and the passwd-file agree. */
function normaliseUser(user: string): string {
  return user.trim().toLowerCase();
}

function checkAccount(user: string, password: string): void {
  // The user name becomes a folder name and a passwd-file key; ':' and newlines would split the file.
  if (!/^[a-z0-9][a-z0-9._+@-]*$/.test(user) || user.length > 200) {
    throw new Error(`Dovecot account ${JSON.stringify(user)}: use letters, digits and . _ + @ - only`);
  }
  if (password.length === 0 || /[:\r\n\0]/.test(password)) {
    throw new Error(`Dovecot account ${JSON.stringify(user)}: the password must be non-empty, without ':' or line breaks`);
  }
}

function readPasswdDir(passwdDir: string): Map<string, string> {
  const users = new Map<string, string>();
  if (!existsSync(passwdDir)) return users;
  for (const name of readdirSync(passwdDir)) {
    if (name.endsWith('.tmp')) continue;
    const match = /^([^:#]+):\{PLAIN\}([^:]*):/.exec(readFileSync(path.join(passwdDir, name), 'utf8'));
    if (match) users.set(match[1] as string, match[2] as string);
  }
  return users;
}

/** Looks up a system user's uid and gid; throws naming the user when it does not exist. */
function lookupSystemUser(name: string): { uid: number; gid: number } {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new LocalServerError(`system user "${name}" not found (Dovecot needs it; the dovecot-core package creates dovecot and dovenull)`);
  }
}

/** Dovecot's login and mail processes run as other users: every folder above DIR must let them through. */
function checkTraversable(dir: string): void {
  const blocked = findUntraversableAncestor(dir);
  if (blocked) throw new LocalServerError(`Dovecot folder ${dir}: ${blocked} is not searchable by other users, whom Dovecot runs as (chmod o+x it)`);
}

/** The first existing folder above DIR that other users cannot pass through, or undefined. */
export function findUntraversableAncestor(dir: string): string | undefined {
  for (let current = path.dirname(path.resolve(dir)); ; current = path.dirname(current)) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) return current;
    if (path.dirname(current) === current) return undefined;
  }
}

/** The From header's address, for the envelope sender: an empty one would make the message look like a bounce. */
export function findFromAddress(raw: Buffer): string {
  const text = raw.subarray(0, 65536).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const header = (end >= 0 ? text.slice(0, end) : text).replace(/\r?\n[ \t]+/g, ' ');
  const line = /^from:(.*)$/im.exec(header);
  if (!line) return '';
  return addressparser(line[1] as string, { flatten: true })[0]?.address ?? '';
}

/**
 * Starts Dovecot with a generated config and waits until IMAP and LMTP greet.
 * Must run as root (Dovecot's master drops privileges itself). Throws LocalServerError naming
 * the log when Dovecot is missing, exits or does not answer in time.
 */
export async function startDovecot(options: StartDovecotOptions = {}): Promise<DovecotServer> {
  const binary = findExecutable('dovecot');
  const local = prepareLocalDir(options.dir, 'esor-dovecot-');
  const dir = local.dir;
  const configPath = path.join(dir, 'dovecot.conf');
  const logPath = path.join(dir, 'dovecot.log');
  const passwdDir = path.join(dir, 'passwd.d');
  const stateDir = path.join(dir, 'state');
  const mailRoot = path.join(dir, 'mail');
  const folders = options.folders ?? DEFAULT_DOVECOT_FOLDERS;
  const timeoutMs = options.startTimeoutMs ?? 15_000;
  const mailOwner = lookupSystemUser(options.mailUser ?? 'mail');
  const authGroup = lookupSystemUser('dovecot').gid;

  // Unix socket paths are short: with a long DIR the sockets go to a short temp folder of our own,
  // made anew at each start and removed at each stop.
  const ownBaseDir = path.join(dir, 'run').length > MAX_BASE_DIR_LENGTH ? path.join(os.tmpdir(), `esor-dc-${randomBytes(6).toString('hex')}`) : undefined;
  const baseDir = ownBaseDir ? path.join(ownBaseDir, 'run') : path.join(dir, 'run');
  const removeOwnBaseDir = () => {
    if (ownBaseDir) rmSync(ownBaseDir, { recursive: true, force: true });
  };

  try {
    checkTraversable(dir);
    chmodSync(dir, statSync(dir).mode | 0o011);
    mkdirSync(stateDir, { recursive: true });
    mkdirSync(mailRoot, { recursive: true });
    mkdirSync(passwdDir, { recursive: true });
    chownSync(passwdDir, 0, authGroup);
    chmodSync(passwdDir, 0o750);
    chownSync(mailRoot, mailOwner.uid, mailOwner.gid);
    chmodSync(mailRoot, 0o700);
  } catch (err) {
    if (err instanceof LocalServerError) throw err;
    throw new LocalServerError(`Dovecot: cannot prepare ${dir} (run as root): ${(err as Error).message}`);
  }

  const users = readPasswdDir(passwdDir);

  function writeAccount(user: string, password: string): void {
    // Written aside then renamed, so a login in the middle never reads half a file.
    const file = path.join(passwdDir, user);
    const temp = `${file}.tmp`;
    const previousMtime = existsSync(file) ? Math.floor(statSync(file).mtimeMs / 1000) : undefined;
    writeFileSync(temp, `${user}:{PLAIN}${password}::::::\n`, { mode: 0o640 });
    chownSync(temp, 0, authGroup);
    chmodSync(temp, 0o640);
    if (previousMtime !== undefined) {
      // Dovecot reloads a passwd-file when its mtime (whole seconds) or size changed: a password of
      // the same length written within the same second would go unnoticed, so the mtime moves on.
      const mtime = Math.max(Math.floor(Date.now() / 1000), previousMtime + 1);
      utimesSync(temp, mtime, mtime);
    }
    renameSync(temp, file);
    users.set(user, password);
  }

  for (const { user, password } of options.users ?? []) {
    const name = normaliseUser(user);
    checkAccount(name, password);
    writeAccount(name, password);
  }

  let imapPort = options.imapPort ?? 0;
  let lmtpPort = options.lmtpPort ?? 0;
  let current: ManagedProcess | null = null;

  async function launch(): Promise<void> {
    if (ownBaseDir) {
      mkdirSync(ownBaseDir, { recursive: true });
      // Login processes (dovenull) reach their sockets through it.
      chmodSync(ownBaseDir, 0o711);
    }
    const greeting = `esor-dovecot ready ${randomBytes(6).toString('hex')}`;
    writeFileSync(
      configPath,
      renderDovecotConfig({ host: HOST, imapPort, lmtpPort, baseDir, stateDir, logPath, passwdDir, mailRoot, mailUid: mailOwner.uid, mailGid: mailOwner.gid, folders, greeting }),
    );
    const logOffset = existsSync(logPath) ? statSync(logPath).size : 0;
    const server = await spawnManaged(`dovecot (imap ${imapPort}, lmtp ${lmtpPort})`, binary, ['-F', '-c', configPath], { cwd: dir });
    current = server;
    try {
      await waitForGreeting(
        server,
        [
          // The greeting carries this start's nonce: another Dovecot already on the port would not match.
          { host: HOST, port: imapPort, check: firstLineMatches(new RegExp(`^\\* OK .*${greeting}`)) },
          { host: HOST, port: lmtpPort, check: firstLineMatches(new RegExp(`^220 .*${greeting}`)) },
        ],
        timeoutMs,
        logPath,
      );
    } catch (err) {
      await server.stop();
      current = null;
      if (existsSync(logPath) && readFileSync(logPath).subarray(logOffset).toString('utf8').includes('Address already in use')) {
        throw new PortTakenError(imapPort, lmtpPort, logPath);
      }
      throw err;
    }
  }

  try {
    if (options.imapPort && options.lmtpPort) {
      await launch();
    } else {
      for (let attempt = 1; ; attempt++) {
        imapPort = options.imapPort ?? (await findFreePort());
        lmtpPort = options.lmtpPort ?? (await findFreePort());
        try {
          if (imapPort === lmtpPort) throw new PortTakenError(imapPort, lmtpPort, logPath);
          await launch();
          break;
        } catch (err) {
          if (!(err instanceof PortTakenError) || attempt >= BIND_ATTEMPTS) throw err;
        }
      }
    }
  } catch (err) {
    removeOwnBaseDir();
    throw err;
  }

  async function stopCurrent(kill: boolean): Promise<void> {
    const server = current;
    if (!server) return;
    await (kill ? server.kill9() : server.stop());
    if (current === server) current = null;
    removeOwnBaseDir();
  }

  function imapOptions(user: string): DovecotImapOptions {
    const name = normaliseUser(user);
    const password = users.get(name);
    if (password === undefined) throw new Error(`Dovecot account ${JSON.stringify(user)} does not exist (add it with addUser)`);
    return { host: HOST, port: imapPort, secure: false, auth: { user: name, pass: password }, logger: false };
  }

  return {
    host: HOST,
    imapPort,
    lmtpPort,
    dir,
    configPath,
    logPath,
    folders,
    async addUser(user, password) {
      const name = normaliseUser(user);
      checkAccount(name, password);
      const previous = users.get(name);
      if (previous === password) return;
      writeAccount(name, password);
      // A new account's file is read at its first lookup. A changed one: Dovecot looks at a file at
      // most once per second (by its clock), so a login later in this second could still get the
      // old password; return only once the second is over.
      if (previous !== undefined) await waitForNextSecond();
    },
    hasUser: (user) => users.has(normaliseUser(user)),
    imapOptions,
    async deliver(user, raw, deliverOptions) {
      const to = normaliseUser(user);
      const from = deliverOptions?.from ?? findFromAddress(raw);
      const transport = nodemailer.createTransport({
        host: HOST,
        port: lmtpPort,
        lmtp: true,
        secure: false,
        ignoreTLS: true,
        name: 'localhost',
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 60_000,
        logger: false,
      });
      let info;
      try {
        info = await transport.sendMail({ envelope: { from, to: [to] }, raw });
      } catch (err) {
        throw new LocalServerError(`Dovecot LMTP ${HOST}:${lmtpPort} refused the message for ${to}: ${(err as Error).message}`, logPath);
      } finally {
        transport.close();
      }
      // LMTP answers per recipient: a rejection can come back inside a resolved send.
      if (info.rejected.length > 0 || info.accepted.length === 0) {
        const reason = info.rejectedErrors?.map((e) => e.message).join('; ') || info.response;
        throw new LocalServerError(`Dovecot LMTP ${HOST}:${lmtpPort} refused the message for ${to}: ${reason}`, logPath);
      }
    },
    listMessages: (user, mailbox = 'INBOX', listOptions) => listMailboxMessages(imapOptions(user), mailbox, listOptions),
    async stop(stopOptions) {
      await stopCurrent(false);
      if (stopOptions?.removeDir) local.remove();
    },
    kill: () => stopCurrent(true),
    async restart() {
      await stopCurrent(false);
      await launch();
    },
  };
}

/**
 * A deliverTo for the SMTP relay: each recipient gets a Dovecot account (created on first mail, with
 * `password`) and the message in its INBOX, the way the demo shows applicants their replies.
 */
export function createDovecotDelivery(dovecot: DovecotServer, password: string): (rcpt: string, raw: Buffer, from?: string) => Promise<void> {
  return async (rcpt, raw, from) => {
    if (!dovecot.hasUser(rcpt)) {
      try {
        await dovecot.addUser(rcpt, password);
      } catch (err) {
        // An address that cannot be an account will never be deliverable: a permanent 550, not a retry.
        throw Object.assign(new Error(`no demo mailbox for ${rcpt}: ${(err as Error).message}`), { responseCode: 550 });
      }
    }
    await dovecot.deliver(rcpt, raw, from === undefined ? undefined : { from });
  };
}

function waitForNextSecond(): Promise<void> {
  // A little past the boundary: Dovecot's clock is read at its own loop iteration, not ours.
  return new Promise((resolve) => setTimeout(resolve, 1020 - (Date.now() % 1000)));
}

class PortTakenError extends LocalServerError {
  constructor(imapPort: number, lmtpPort: number, logPath: string) {
    super(`Dovecot: port ${HOST}:${imapPort} or ${HOST}:${lmtpPort} is already in use`, logPath);
  }
}
