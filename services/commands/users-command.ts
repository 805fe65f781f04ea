/**
 * `esor-intake users`: the staff accounts of the dashboard, managed from the
 * command line of the machine that holds the store (there is no sign-up page,
 * and the first admin has to come from somewhere).
 *
 * Passwords are read from the terminal without echo, or as one line from
 * stdin (for scripts); they are never taken as arguments (visible in `ps` and
 * shell history) and never printed, nor is their hash.
 */
import { parseArgs } from 'node:util';
import { USER_ROLES, isStoreError, type Store, type UserRole } from '../../core/ports/store';
import { ConfigError, loadConfig } from '../common/config';
import { openStore } from '../common/open-store';
import { addAccount, checkNewPassword, isAccountError, setAccountDisabled, setAccountPassword, setAccountTotp, USERNAME_PATTERN } from '../dashboard/accounts';

export const USERS_HELP = `esor-intake users COMMAND

Manage the staff accounts of the dashboard.

Commands:
  users add USERNAME --role staff|admin [--password-stdin]
                           create an account (admins also manage rules and users)
  users passwd USERNAME [--password-stdin]
                           set a new password (signs the user out everywhere)
  users list               every account with its role (and "disabled", "two-factor")
  users disable USERNAME   disable an account (ends its sessions; one enabled admin stays)
  users enable USERNAME    enable it again
  users totp-reset USERNAME
                           turn off two-factor sign-in (a lost phone); the user can set it up again

Options:
  --password-stdin         read the password as one line from stdin; without it the
                           password is asked twice on the terminal, without echo
  -h, --help               this help

A username is 1 to 64 lowercase letters, digits, '.', '_' or '-'.
A password has at least 10 characters. The store is ESOR_DATABASE_URL's PostgreSQL database, else <ESOR_DATA_DIR>/esor-intake.sqlite.
Exit code 0 on success, 1 when the change cannot be made, 2 on a usage error.`;

export interface UsersCommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin?: NodeJS.ReadableStream;
  /** The environment the configuration is read from (default: process.env). */
  env?: Record<string, string | undefined>;
}

/** A password line longer than this is refused before it is all read. */
const MAX_LINE_BYTES = 64 * 1024;

/** A problem to report on one line with an exit code: 2 for usage, 1 for the rest. */
class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

const usage = (message: string) => new CommandError(`${message} (see esor-intake users --help)`, 2);
const failure = (message: string) => new CommandError(message, 1);

/** Runs `esor-intake users ...` (args after `users`); resolves to the exit code. */
export async function runUsersCommand(args: string[], io: UsersCommandIo): Promise<number> {
  try {
    return await runUsers(args, io);
  } catch (err) {
    if (err instanceof CommandError) {
      io.stderr.write(`esor-intake users: ${err.message}\n`);
      return err.exitCode;
    }
    if (err instanceof ConfigError) {
      io.stderr.write(`esor-intake users: invalid configuration: ${err.problems.join('; ')}\n`);
      return 1;
    }
    if (isAccountError(err)) {
      io.stderr.write(`esor-intake users: ${err.message}\n`);
      return 1;
    }
    if (isStoreError(err)) {
      io.stderr.write(`esor-intake users: ${err.code}: ${err.message.split('\n')[0]}\n`);
      return 1;
    }
    throw err;
  }
}

async function runUsers(args: string[], io: UsersCommandIo): Promise<number> {
  let parsed: ReturnType<typeof parseUsersArgs>;
  try {
    parsed = parseUsersArgs(args);
  } catch (err) {
    // node:util's messages are one line and name the option.
    throw usage((err as Error).message.split('\n')[0]!);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(`${USERS_HELP}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  switch (command) {
    case undefined:
      throw usage('missing command: add, passwd, list, disable, enable or totp-reset');
    case 'list': {
      if (rest.length > 0) throw usage(`unexpected argument "${rest[0]}"`);
      if (values.role !== undefined || values['password-stdin']) throw usage('list takes no options');
      return withStore(io, async (store) => {
        const users = await store.listUsers();
        if (users.length === 0) {
          io.stdout.write('no users yet: esor-intake users add USERNAME --role admin\n');
          return 0;
        }
        const width = Math.max(8, ...users.map((u) => u.username.length));
        io.stdout.write(`${'USERNAME'.padEnd(width)}  ROLE   CREATED                   UPDATED\n`);
        for (const u of users) {
          const marks = [u.disabledAt !== undefined ? 'disabled' : '', u.totpSecret !== undefined ? 'two-factor' : ''].filter(Boolean);
          io.stdout.write(`${u.username.padEnd(width)}  ${u.role.padEnd(5)}  ${u.createdAt}  ${u.updatedAt}${marks.length > 0 ? `  ${marks.join(' ')}` : ''}\n`);
        }
        return 0;
      });
    }
    case 'add': {
      const username = requireUsername(rest);
      if (values.role === undefined) throw usage(`--role is required: ${USER_ROLES.join(' or ')}`);
      if (!(USER_ROLES as readonly string[]).includes(values.role)) throw usage(`--role must be ${USER_ROLES.join(' or ')}`);
      const role = values.role as UserRole;
      return withStore(io, async (store) => {
        // Refused before the password is asked: nobody types one twice for nothing.
        if (await store.getUser(username)) throw failure(`user ${username} exists; use "esor-intake users passwd ${username}"`);
        const password = await readNewPassword(io, values['password-stdin'] === true);
        await addAccount({ store, actor: 'cli', at: new Date() }, { username, role, password });
        io.stdout.write(`user ${username} created (${role})\n`);
        return 0;
      });
    }
    case 'passwd': {
      const username = requireUsername(rest);
      if (values.role !== undefined) throw usage('passwd does not change the role');
      return withStore(io, async (store) => {
        if (!(await store.getUser(username))) throw failure(`no user ${username}`);
        const password = await readNewPassword(io, values['password-stdin'] === true);
        await setAccountPassword({ store, actor: 'cli', at: new Date() }, username, password);
        io.stdout.write(`password of ${username} changed; the user's sessions were ended\n`);
        return 0;
      });
    }
    case 'disable':
    case 'enable':
    case 'totp-reset': {
      const username = requireUsername(rest);
      if (values.role !== undefined || values['password-stdin']) throw usage(`${command} takes no options`);
      return withStore(io, async (store) => {
        const change = { store, actor: 'cli', at: new Date() };
        if (command === 'totp-reset') await setAccountTotp(change, username, null);
        else await setAccountDisabled(change, username, command === 'disable');
        io.stdout.write(`${username}: ${command === 'totp-reset' ? 'two-factor sign-in turned off' : `${command}d`}\n`);
        return 0;
      });
    }
    default:
      throw usage(`unknown command "${command}": add, passwd, list, disable, enable or totp-reset`);
  }
}

function parseUsersArgs(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      role: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function requireUsername(rest: string[]): string {
  if (rest.length === 0) throw usage('missing USERNAME');
  if (rest.length > 1) throw usage(`unexpected argument "${rest[1]}"`);
  const username = rest[0]!;
  if (!USERNAME_PATTERN.test(username)) throw usage(`invalid username "${username.slice(0, 80)}": 1 to 64 lowercase letters, digits, '.', '_' or '-'`);
  return username;
}

/** Opens the service's store as the other commands do (validated configuration, services/common/open-store.ts). */
async function withStore(io: UsersCommandIo, fn: (store: Store) => Promise<number>): Promise<number> {
  const config = loadConfig(io.env ?? process.env, process.cwd());
  const store = await openStore(config);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

// ---------------------------------------------------------------- reading the password

type TtyInput = NodeJS.ReadableStream & { isTTY?: boolean; isRaw?: boolean; setRawMode?: (mode: boolean) => unknown };

/**
 * The new password: one line from stdin with --password-stdin or when stdin is
 * no terminal; else asked twice on the terminal without echo. Checked for strength.
 */
async function readNewPassword(io: UsersCommandIo, fromStdin: boolean): Promise<string> {
  const stdin = (io.stdin ?? process.stdin) as TtyInput;
  let password: string;
  if (!fromStdin && stdin.isTTY === true && typeof stdin.setRawMode === 'function') {
    password = await promptHidden(stdin, io.stderr, 'New password: ');
    const again = await promptHidden(stdin, io.stderr, 'Repeat it: ');
    if (again !== password) throw failure('the two passwords differ; nothing was changed');
  } else {
    const line = await readLine(stdin);
    if (line === undefined) throw failure('no password on stdin');
    password = line;
  }
  // Checked here too, before the store is written: the account functions would refuse it the same way.
  checkNewPassword(password);
  return password;
}

/** The first line of the stream, without its line end; undefined when the stream ends empty. */
async function readLine(stream: NodeJS.ReadableStream): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    const nl = buf.indexOf(0x0a);
    if (nl >= 0) {
      chunks.push(buf.subarray(0, nl));
      return stripCr(Buffer.concat(chunks).toString('utf8'));
    }
    chunks.push(buf);
    size += buf.length;
    if (size > MAX_LINE_BYTES) throw failure('the password line on stdin is too long');
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : stripCr(text);
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** Reads one line from a terminal in raw mode, echoing nothing. Ctrl-C or Ctrl-D on an empty line aborts. */
function promptHidden(stdin: TtyInput, out: NodeJS.WritableStream, prompt: string): Promise<string> {
  out.write(prompt);
  const wasRaw = stdin.isRaw === true;
  stdin.setRawMode!(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (then: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode!(wasRaw);
      stdin.pause();
      out.write('\n');
      then();
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish(() => resolve(value));
        if (ch === '\u0003' || (ch === '\u0004' && value === '')) return finish(() => reject(failure('cancelled; nothing was changed')));
        if (ch === '\u007f' || ch === '\b') {
          value = [...value].slice(0, -1).join('');
        } else if (ch >= ' ') {
          value += ch;
        }
      }
      return undefined;
    };
    stdin.on('data', onData);
  });
}
