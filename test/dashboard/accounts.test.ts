/**
 * Accounts in the dashboard (issue 12, point 4) through inject(), on a real SQLite store: admins add,
 * disable, reset and change roles at /rules/accounts, never leaving no admin; staff are refused; every
 * change is in the event log without a password. TOTP: enrolment confirmed by a code computed here from
 * the secret the page shows, sign-in asking for the code after the password, a code not accepted twice.
 */
import type { FastifyInstance } from 'fastify';
import { totpCodeAt } from '../../services/dashboard/totp';
import { csrfOf, Fixture, get, login, PASSWORDS, post, postLogin, setCookie, type Session } from './dashboard-fixtures';

let f: Fixture;
let app: FastifyInstance;
let alice: Session;
let bob: Session;

beforeEach(async () => {
  f = await Fixture.create();
  app = await f.app();
  alice = await login(app, 'alice');
  bob = await login(app, 'bob');
});
afterEach(async () => {
  await app.close();
  await f.cleanup();
});

const form = { 'content-type': 'application/x-www-form-urlencoded' };

/** The one-time password shown on the page. */
function shownPassword(body: string): string {
  const m = /id="once-password" type="text" readonly value="([^"]+)"/.exec(body);
  if (!m) throw new Error('no password shown');
  return m[1]!;
}

/** The events of one action, oldest first (the store lists newest first). */
async function events(action: string) {
  return (await f.store.listEvents()).filter((e) => e.action === action).reverse();
}

describe('accounts page', () => {
  it('lists the accounts for an admin, and refuses staff every account route', async () => {
    const page = await get(app, alice, '/rules/accounts');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-account="alice"');
    expect(page.body).toContain('data-account="bob"');
    expect(page.body).not.toContain('scrypt$');
    expect(page.body).toContain('href="/rules/accounts"');
    expect((await get(app, bob, '/rules/accounts')).statusCode).toBe(403);
    for (const url of ['/rules/accounts/add', '/rules/accounts/alice/role', '/rules/accounts/alice/disable', '/rules/accounts/alice/password', '/rules/accounts/alice/totp-reset']) {
      const res = await post(app, bob, url, { username: 'mallory', role: 'admin', password: 'mallory-password-1' });
      expect({ url, status: res.statusCode }).toEqual({ url, status: 403 });
    }
    expect(await f.store.getUser('mallory')).toBeUndefined();
    expect((await f.store.getUser('alice'))!.role).toBe('admin');
    expect((await get(app, bob, '/')).body).not.toContain('href="/rules/accounts"');
  });

  it('refuses a change without the CSRF token', async () => {
    for (const csrf of [null, 'wrong', bob.csrf]) {
      const res = await post(app, alice, '/rules/accounts/bob/disable', {}, csrf);
      expect(res.statusCode).toBe(403);
    }
    expect((await f.store.getUser('bob'))!.disabledAt).toBeUndefined();
  });

  it('adds an account with a typed password, and one with a password made and shown once', async () => {
    const typed = await post(app, alice, '/rules/accounts/add', { username: 'Carla', role: 'staff', password: 'carla-password-1' });
    expect(typed.statusCode).toBe(303);
    expect((await postLogin(app, 'carla', 'carla-password-1')).statusCode).toBe(303);

    const made = await post(app, alice, '/rules/accounts/add', { username: 'dora', role: 'admin', password: '' });
    expect(made.statusCode).toBe(200);
    const password = shownPassword(made.body);
    expect(password).toMatch(/^[A-Za-z0-9]{16}$/);
    expect((await f.store.getUser('dora'))!.role).toBe('admin');
    expect((await postLogin(app, 'dora', password)).statusCode).toBe(303);
    // Shown once: the list afterwards does not carry it.
    expect((await get(app, alice, '/rules/accounts')).body).not.toContain(password);

    const created = await events('user.created');
    expect(created.map((e) => [e.actor, e.subject, e.detail])).toEqual([
      ['alice', 'carla', { role: 'staff' }],
      ['alice', 'dora', { role: 'admin' }],
    ]);
    const log = JSON.stringify(await f.store.listEvents()) + f.logLines.join('\n');
    expect(log).not.toContain(password);
    expect(log).not.toContain('carla-password-1');
  });

  it('refuses a taken name, a bad name, a weak password and an unknown role, keeping what was typed', async () => {
    const taken = await post(app, alice, '/rules/accounts/add', { username: 'bob', role: 'staff', password: 'another-password-1' });
    expect(taken.statusCode).toBe(400);
    expect(taken.body).toContain('That username is taken.');
    const bad = await post(app, alice, '/rules/accounts/add', { username: 'carla rossi', role: 'staff', password: 'carla-password-1' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('value="carla rossi"');
    const weak = await post(app, alice, '/rules/accounts/add', { username: 'carla', role: 'staff', password: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain('at least 10 characters');
    expect((await post(app, alice, '/rules/accounts/add', { username: 'carla', role: 'root', password: 'carla-password-1' })).statusCode).toBe(400);
    expect(await f.store.getUser('carla')).toBeUndefined();
  });

  it('disables an account (its session ends, it cannot sign in) and enables it again', async () => {
    const res = await post(app, alice, '/rules/accounts/bob/disable');
    expect(res.statusCode).toBe(303);
    expect((await get(app, bob, '/')).statusCode).toBe(303);
    const refused = await postLogin(app, 'bob', PASSWORDS.bob);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('This account is disabled');
    expect(setCookie(refused, 'esor_session')).toBeUndefined();
    // A wrong password does not learn that the account is disabled.
    expect((await postLogin(app, 'bob', 'wrong-password-99')).body).toContain('Wrong username or password.');
    expect((await get(app, alice, '/rules/accounts')).body).toMatch(/data-account="bob"[\s\S]*?Disabled/);

    expect((await post(app, alice, '/rules/accounts/bob/enable')).statusCode).toBe(303);
    expect((await postLogin(app, 'bob', PASSWORDS.bob)).statusCode).toBe(303);
    expect((await events('user.disabled')).map((e) => [e.actor, e.subject])).toEqual([['alice', 'bob']]);
    expect((await events('user.enabled')).map((e) => [e.actor, e.subject])).toEqual([['alice', 'bob']]);
  });

  it('resets a password (typed, or made and shown once): the old one and the sessions stop working', async () => {
    const made = await post(app, alice, '/rules/accounts/bob/password', { password: '' });
    expect(made.statusCode).toBe(200);
    const password = shownPassword(made.body);
    expect((await get(app, bob, '/')).statusCode).toBe(303);
    expect((await postLogin(app, 'bob', PASSWORDS.bob)).statusCode).toBe(401);
    expect((await postLogin(app, 'bob', password)).statusCode).toBe(303);

    expect((await post(app, alice, '/rules/accounts/bob/password', { password: 'bob-new-password-3' })).statusCode).toBe(303);
    expect((await postLogin(app, 'bob', 'bob-new-password-3')).statusCode).toBe(303);
    expect((await post(app, alice, '/rules/accounts/bob/password', { password: 'weak' })).statusCode).toBe(400);
    const changed = await events('user.password_changed');
    expect(changed).toHaveLength(2);
    expect(JSON.stringify(changed)).not.toContain('bob-new-password-3');
    expect((await post(app, alice, '/rules/accounts/nobody/password', { password: 'nobody-password-1' })).statusCode).toBe(400);
  });

  it('changes roles, and never leaves no active admin (the last admin can neither be demoted nor disabled)', async () => {
    const last = await post(app, alice, '/rules/accounts/alice/role', { role: 'staff' });
    expect(last.statusCode).toBe(409);
    expect(last.body).toContain('At least one active admin must remain');
    expect((await f.store.getUser('alice'))!.role).toBe('admin');
    // Nor by disabling themselves.
    expect((await post(app, alice, '/rules/accounts/alice/disable')).statusCode).toBe(400);
    expect((await f.store.getUser('alice'))!.disabledAt).toBeUndefined();

    expect((await post(app, alice, '/rules/accounts/bob/role', { role: 'admin' })).statusCode).toBe(303);
    expect((await get(app, bob, '/rules/accounts')).statusCode).toBe(200);
    // With bob an admin, alice may step down; then bob is the last one.
    const stepDown = await post(app, alice, '/rules/accounts/alice/role', { role: 'staff' });
    expect(stepDown.statusCode).toBe(303);
    expect(stepDown.headers.location).toBe('/');
    expect((await get(app, alice, '/rules/accounts')).statusCode).toBe(403);
    expect((await post(app, bob, '/rules/accounts/bob/role', { role: 'staff' })).statusCode).toBe(409);
    expect((await events('user.role_changed')).map((e) => [e.actor, e.subject, e.detail])).toEqual([
      ['alice', 'bob', { from: 'staff', to: 'admin' }],
      ['alice', 'alice', { from: 'admin', to: 'staff' }],
    ]);
  });
});

// ---------------------------------------------------------------- TOTP

/** Enrols `s` (signed in as `username`) from the enrolment page; returns the secret the page shows. */
async function enrol(s: Session): Promise<string> {
  const page = await get(app, s, '/account/totp');
  expect(page.statusCode).toBe(200);
  expect(page.body).toMatch(/<svg class="qr"[^>]*viewBox="0 0 \d+ \d+"/);
  const secret = /<code class="totp-secret">([A-Z2-7 ]+)<\/code>/.exec(page.body)![1]!.replace(/ /g, '');
  const token = /name="enrolment" value="([^"]+)"/.exec(page.body)![1]!;
  const wrong = await post(app, s, '/account/totp', { enrolment: token, code: '000000' === totpCodeAt(secret, f.now) ? '111111' : '000000' });
  expect(wrong.statusCode).toBe(400);
  const res = await post(app, s, '/account/totp', { enrolment: token, code: totpCodeAt(secret, f.now) });
  expect(res.statusCode).toBe(303);
  expect(res.headers.location).toBe('/account/totp?done=enrolled');
  return secret;
}

/** Password, then the code form: the response of the code's POST. */
async function signInWithCode(username: keyof typeof PASSWORDS, code: (pendingBody: string) => string) {
  const first = await postLogin(app, username, PASSWORDS[username]);
  expect(first.statusCode).toBe(200);
  expect(setCookie(first, 'esor_session')).toBeUndefined();
  expect(first.body).toContain('action="/login/totp"');
  const pending = setCookie(first, 'esor_totp_pending')!.value;
  const res = await app.inject({
    method: 'POST',
    url: '/login/totp',
    cookies: { esor_totp_pending: pending },
    payload: new URLSearchParams({ _csrf: csrfOf(first.body), code: code(first.body), next: '/applications' }).toString(),
    headers: form,
  });
  return { first, pending, res };
}

describe('TOTP two-factor sign-in', () => {
  it('enrols with a code computed from the secret shown, then asks for the code after the password', async () => {
    const secret = await enrol(bob);
    expect((await f.store.getUser('bob'))!.totpSecret).toBe(secret);
    expect((await get(app, bob, '/account/totp')).body).toContain('Two-factor sign-in is <strong>on</strong>');
    expect((await events('user.totp_enrolled')).map((e) => [e.actor, e.subject, e.detail])).toEqual([['bob', 'bob', {}]]);

    // The enrolment code was spent: the same step does not sign in.
    const replayOfEnrolment = await signInWithCode('bob', () => totpCodeAt(secret, f.now));
    expect(replayOfEnrolment.res.statusCode).toBe(401);

    f.now = new Date(f.now.getTime() + 30_000);
    const { res } = await signInWithCode('bob', () => totpCodeAt(secret, f.now));
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/applications');
    expect(setCookie(res, 'esor_session')!.value).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Secrets never reach the log or the event log.
    expect(f.logLines.join('\n')).not.toContain(secret);
    expect(JSON.stringify(await f.store.listEvents())).not.toContain(secret);
  });

  it('accepts the code of the step before or after, refuses older ones, and a used code twice', async () => {
    const secret = await enrol(bob);
    f.now = new Date(f.now.getTime() + 5 * 60_000);
    const early = await signInWithCode('bob', () => totpCodeAt(secret, new Date(f.now.getTime() - 30_000)));
    expect(early.res.statusCode).toBe(303);
    // The same code again, within its window: refused.
    const replay = await signInWithCode('bob', () => totpCodeAt(secret, new Date(f.now.getTime() - 30_000)));
    expect(replay.res.statusCode).toBe(401);
    expect(replay.res.body).toContain('Wrong or already used code');
    expect(setCookie(replay.res, 'esor_session')).toBeUndefined();
    const tooOld = await signInWithCode('bob', () => totpCodeAt(secret, new Date(f.now.getTime() - 90_000)));
    expect(tooOld.res.statusCode).toBe(401);
    const late = await signInWithCode('bob', () => totpCodeAt(secret, new Date(f.now.getTime() + 30_000)));
    expect(late.res.statusCode).toBe(303);
  });

  it('refuses the code form without the pending cookie, with a forged one, or with the wrong nonce', async () => {
    const secret = await enrol(bob);
    f.now = new Date(f.now.getTime() + 60_000);
    const first = await postLogin(app, 'bob', PASSWORDS.bob);
    const pending = setCookie(first, 'esor_totp_pending')!.value;
    const payload = (nonce: string) => new URLSearchParams({ _csrf: nonce, code: totpCodeAt(secret, f.now) }).toString();
    const attempts = [
      { payload: payload(csrfOf(first.body)) },
      { payload: payload(csrfOf(first.body)), cookies: { esor_totp_pending: pending.replace(/^bob\./, 'alice.') } },
      { payload: payload('x'.repeat(43)), cookies: { esor_totp_pending: pending } },
    ];
    for (const a of attempts) {
      const res = await app.inject({ method: 'POST', url: '/login/totp', headers: form, ...a });
      expect(res.statusCode).toBe(403);
      expect(setCookie(res, 'esor_session')).toBeUndefined();
    }
    // It expires after five minutes.
    f.now = new Date(f.now.getTime() + 5 * 60_000 + 1000);
    const late = await app.inject({ method: 'POST', url: '/login/totp', headers: form, payload: payload(csrfOf(first.body)), cookies: { esor_totp_pending: pending } });
    expect(late.statusCode).toBe(403);
  });

  it('an admin turns two-factor off for a user, who then signs in with the password alone', async () => {
    await enrol(bob);
    expect((await get(app, alice, '/rules/accounts')).body).toContain('action="/rules/accounts/bob/totp-reset"');
    expect((await post(app, alice, '/rules/accounts/bob/totp-reset')).statusCode).toBe(303);
    expect((await f.store.getUser('bob'))!.totpSecret).toBeUndefined();
    expect((await postLogin(app, 'bob', PASSWORDS.bob)).statusCode).toBe(303);
    expect((await events('user.totp_reset')).map((e) => [e.actor, e.subject])).toEqual([['alice', 'bob']]);
  });

  it('a wrong enrolment token or code turns nothing on', async () => {
    const page = await get(app, bob, '/account/totp');
    const secret = /<code class="totp-secret">([A-Z2-7 ]+)<\/code>/.exec(page.body)![1]!.replace(/ /g, '');
    // Another user's token is not bob's.
    const alicePage = await get(app, alice, '/account/totp');
    const aliceToken = /name="enrolment" value="([^"]+)"/.exec(alicePage.body)![1]!;
    expect((await post(app, bob, '/account/totp', { enrolment: aliceToken, code: totpCodeAt(secret, f.now) })).statusCode).toBe(400);
    expect((await post(app, bob, '/account/totp', { enrolment: `${secret}.9999999999999.forged`, code: totpCodeAt(secret, f.now) })).statusCode).toBe(400);
    expect((await f.store.getUser('bob'))!.totpSecret).toBeUndefined();
  });
});
