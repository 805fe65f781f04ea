import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { openSqliteStore } from '../../../adapters/store/sqlite-store';
import { verifyPassword } from '../../../services/dashboard/passwords';
import { USERS_HELP, runUsersCommand } from '../../../services/commands/users-command';

const PASSWORD = 'a good long password';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'esor-users-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

function sink(): Writable & { text: () => string } {
  let text = '';
  const w = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return Object.assign(w, { text: () => text });
}

async function run(args: string[], stdin?: NodeJS.ReadableStream) {
  const stdout = sink();
  const stderr = sink();
  const code = await runUsersCommand(args, { stdout, stderr, stdin: stdin ?? Readable.from([]), env: { ESOR_DATA_DIR: dataDir } });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

const lines = (...l: string[]) => Readable.from([Buffer.from(l.join(''))]);

async function withStore<T>(fn: (store: ReturnType<typeof openSqliteStore>) => Promise<T>): Promise<T> {
  const store = openSqliteStore(path.join(dataDir, 'esor-intake.sqlite'));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** A fake terminal: isTTY, raw mode recorded, keystrokes typed after the prompt is shown. */
function fakeTty(keystrokes: string[]) {
  const tty = new PassThrough() as PassThrough & { isTTY: boolean; isRaw: boolean; setRawMode: (m: boolean) => void; modes: boolean[] };
  tty.isTTY = true;
  tty.isRaw = false;
  tty.modes = [];
  tty.setRawMode = (m: boolean) => {
    tty.isRaw = m;
    tty.modes.push(m);
    // Type the next line once the prompt switched to raw mode, as a person would.
    if (m) {
      const next = keystrokes.shift();
      if (next !== undefined) setImmediate(() => tty.write(next));
    }
  };
  return tty;
}

describe('esor-intake users', () => {
  it('adds a user with the password from stdin, stored as a scrypt hash in <dataDir>/esor-intake.sqlite', async () => {
    const out = await run(['add', 'anna', '--role', 'admin', '--password-stdin'], lines(`${PASSWORD}\n`, 'ignored second line\n'));
    expect(out).toEqual({ code: 0, stdout: 'user anna created (admin)\n', stderr: '' });
    await withStore(async (store) => {
      const user = await store.getUser('anna');
      expect(user).toMatchObject({ username: 'anna', role: 'admin' });
      expect(user!.passwordHash).toMatch(/^scrypt\$/);
      expect(await verifyPassword(PASSWORD, user!.passwordHash)).toBe(true);
      expect((await store.listEvents('anna'))[0]).toMatchObject({ actor: 'cli', action: 'user.created', detail: { role: 'admin' } });
    });
  });

  it('reads one line from a stdin that is no terminal even without --password-stdin (CRLF too)', async () => {
    expect((await run(['add', 'bob', '--role', 'staff'], lines(`${PASSWORD}\r\n`))).code).toBe(0);
    await withStore(async (store) => expect(await verifyPassword(PASSWORD, (await store.getUser('bob'))!.passwordHash)).toBe(true));
  });

  it('asks twice on a terminal without echo, restoring the terminal mode', async () => {
    const tty = fakeTty([`${PASSWORD}x\u007f\r`, `${PASSWORD}\r`]);
    const out = await run(['add', 'carla', '--role', 'staff'], tty);
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('New password: \nRepeat it: \n');
    expect(out.stdout + out.stderr).not.toContain(PASSWORD);
    expect(tty.modes).toEqual([true, false, true, false]);
    await withStore(async (store) => expect(await verifyPassword(PASSWORD, (await store.getUser('carla'))!.passwordHash)).toBe(true));
  });

  it('changes nothing when the two entries differ or the prompt is cancelled', async () => {
    const differ = await run(['add', 'carla', '--role', 'staff'], fakeTty([`${PASSWORD}\r`, `${PASSWORD}!\r`]));
    expect(differ.code).toBe(1);
    expect(differ.stderr).toMatch(/differ/);
    const cancelled = await run(['add', 'carla', '--role', 'staff'], fakeTty(['abc\u0003']));
    expect(cancelled.code).toBe(1);
    expect(cancelled.stderr).toMatch(/cancelled/);
    await withStore(async (store) => expect(await store.listUsers()).toEqual([]));
  });

  it('changes a password and ends the sessions of that user', async () => {
    await run(['add', 'anna', '--role', 'staff', '--password-stdin'], lines(`${PASSWORD}\n`));
    const sessionId = createHash('sha256').update('token').digest('hex');
    await withStore((store) =>
      store.createSession({ id: sessionId, username: 'anna', csrfToken: 'c', createdAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 3_600_000).toISOString() }),
    );
    const out = await run(['passwd', 'anna', '--password-stdin'], lines('another good password\n'));
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/password of anna changed/);
    await withStore(async (store) => {
      const user = (await store.getUser('anna'))!;
      expect(await verifyPassword('another good password', user.passwordHash)).toBe(true);
      expect(await verifyPassword(PASSWORD, user.passwordHash)).toBe(false);
      expect(user.role).toBe('staff');
      expect(await store.getSession(sessionId, new Date().toISOString())).toBeUndefined();
      expect((await store.listEvents('anna'))[0]).toMatchObject({ action: 'user.password_changed', detail: {} });
    });
  });

  it('disables and enables an account, keeps the last enabled admin, and turns off two-factor (a lost phone)', async () => {
    await run(['add', 'anna', '--role', 'admin', '--password-stdin'], lines(`${PASSWORD}\n`));
    await run(['add', 'zoe', '--role', 'staff', '--password-stdin'], lines(`${PASSWORD}\n`));
    expect(await run(['disable', 'zoe'])).toMatchObject({ code: 0, stdout: 'zoe: disabled\n' });
    const last = await run(['disable', 'anna']);
    expect(last).toMatchObject({ code: 1, stderr: 'esor-intake users: at least one enabled admin must remain\n' });
    await withStore((store) => store.updateUser('anna', { totpSecret: 'JBSWY3DPEHPK3PXP', at: new Date().toISOString() }));
    expect((await run(['list'])).stdout).toMatch(/^anna\s+admin\s+\S+\s+\S+\s+two-factor\nzoe\s+staff\s+\S+\s+\S+\s+disabled\n$/m);
    expect(await run(['totp-reset', 'anna'])).toMatchObject({ code: 0, stdout: 'anna: two-factor sign-in turned off\n' });
    expect(await run(['enable', 'zoe'])).toMatchObject({ code: 0, stdout: 'zoe: enabled\n' });
    expect(await run(['enable', 'nobody'])).toMatchObject({ code: 1 });
    await withStore(async (store) => {
      expect(await store.getUser('anna')).not.toHaveProperty('totpSecret');
      expect(await store.getUser('zoe')).not.toHaveProperty('disabledAt');
      expect((await store.listEvents()).map((e) => [e.actor, e.action, e.subject]).slice(0, 3)).toEqual([
        ['cli', 'user.enabled', 'zoe'],
        ['cli', 'user.totp_reset', 'anna'],
        ['cli', 'user.disabled', 'zoe'],
      ]);
    });
  });

  it('lists users with their roles, never a hash', async () => {
    expect((await run(['list'])).stdout).toMatch(/^no users yet/);
    await run(['add', 'zoe', '--role', 'staff', '--password-stdin'], lines(`${PASSWORD}\n`));
    await run(['add', 'anna.rossi', '--role', 'admin', '--password-stdin'], lines(`${PASSWORD}\n`));
    const out = await run(['list']);
    expect(out.code).toBe(0);
    const rows = out.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^USERNAME\s+ROLE\s+CREATED\s+UPDATED$/);
    expect(rows.slice(1).map((r) => r.split(/\s+/).slice(0, 2))).toEqual([
      ['anna.rossi', 'admin'],
      ['zoe', 'staff'],
    ]);
    expect(out.stdout).not.toContain('scrypt');
  });

  it('refuses weak passwords, existing users, unknown users and an empty stdin with exit 1', async () => {
    const weak = await run(['add', 'anna', '--role', 'staff', '--password-stdin'], lines('short\n'));
    expect(weak).toMatchObject({ code: 1, stdout: '' });
    expect(weak.stderr).toMatch(/^esor-intake users: the password must have at least 10 characters\n$/);
    expect(weak.stderr).not.toContain('short');

    const empty = await run(['add', 'anna', '--role', 'staff', '--password-stdin'], lines(''));
    expect(empty).toMatchObject({ code: 1, stderr: 'esor-intake users: no password on stdin\n' });

    await run(['add', 'anna', '--role', 'staff', '--password-stdin'], lines(`${PASSWORD}\n`));
    const twice = await run(['add', 'anna', '--role', 'admin', '--password-stdin'], lines(`${PASSWORD}\n`));
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/user anna exists/);

    const nobody = await run(['passwd', 'bob', '--password-stdin'], lines(`${PASSWORD}\n`));
    expect(nobody).toMatchObject({ code: 1, stderr: 'esor-intake users: no user bob\n' });
  });

  it.each([
    [[], /missing command/],
    [['remove', 'anna'], /unknown command "remove"/],
    [['add'], /missing USERNAME/],
    [['add', 'anna'], /--role is required/],
    [['add', 'anna', '--role', 'root'], /--role must be staff or admin/],
    [['add', 'Anna Rossi', '--role', 'staff'], /invalid username/],
    [['add', 'anna', 'bob', '--role', 'staff'], /unexpected argument "bob"/],
    [['add', 'anna', '--role', 'staff', '--password', 'secret-in-argv'], /--password/],
    [['passwd', 'anna', '--role', 'admin'], /does not change the role/],
    [['list', 'anna'], /unexpected argument/],
  ])('exits 2 with one line on stderr for a usage error: %j', async (args, message) => {
    const out = await run(args as string[], lines(`${PASSWORD}\n`));
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(message);
    expect(out.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(out.stderr).not.toContain('secret-in-argv');
  });

  it('prints its help with --help', async () => {
    const out = await run(['--help']);
    expect(out).toEqual({ code: 0, stdout: `${USERS_HELP}\n`, stderr: '' });
    expect((await run(['add', '-h'])).code).toBe(0);
  });

  it('reports an invalid configuration on one line with exit 1', async () => {
    const stderr = sink();
    const code = await runUsersCommand(['list'], { stdout: sink(), stderr, env: { ESOR_DATA_DIR: dataDir, ESOR_REDIS_URL: 'http://nope' } });
    expect(code).toBe(1);
    expect(stderr.text()).toMatch(/^esor-intake users: invalid configuration: redis\.url/);
  });
});
