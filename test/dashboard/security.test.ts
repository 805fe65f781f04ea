/**
 * The dashboard's defences: no route without a session (every registered
 * route, so a new one is covered without editing this file), CSRF on every
 * POST, admin pages closed to staff, no path traversal through file routes,
 * the login rate limit, cookie flags, security headers, and no personal data
 * or password in the log.
 */
import type { FastifyInstance } from 'fastify';
import { createHash } from 'node:crypto';
import { buildDashboard, listDashboardRoutes, type DashboardRoute } from '../../services/dashboard/server';
import { csrfOf, Fixture, get, login, PASSWORDS, PEOPLE, post, postLogin, setCookie, type Seeded } from './dashboard-fixtures';
import { testPasswordHash } from '../support/test-password-hash';

let f: Fixture;
let seeded: Seeded;
let app: FastifyInstance;

beforeEach(async () => {
  f = await Fixture.create();
  seeded = await f.seed();
  app = await f.app();
});
afterEach(async () => {
  await app.close();
  await f.cleanup();
});

/** A concrete URL for a route pattern, with ids of seeded records. */
function urlFor(route: DashboardRoute): string {
  return route.url
    .replace(':id', seeded.jean.applicationId)
    .replace(':replyId', seeded.jean.heldReplyId)
    .replace(':username', 'bob')
    .replace(':file', route.url.includes('/pages/') ? '1.png' : route.url.includes('/static/') ? 'dashboard.css' : 'passport.pdf');
}

function personalDataIn(text: string): string[] {
  return Object.values(PEOPLE)
    .flatMap((p) => [p.name, p.email])
    .filter((s) => text.toLowerCase().includes(s.toLowerCase()));
}

describe('routes', () => {
  it('registers the routes this test expects to find (the enumeration works)', () => {
    const routes = listDashboardRoutes(app).map((r) => `${r.method} ${r.url}`);
    expect(routes.length).toBeGreaterThan(20);
    expect(routes).toEqual(expect.arrayContaining(['GET /', 'HEAD /', 'POST /applications/:id/status', 'GET /applications/:id/pages/:file', 'GET /rules']));
  });

  it('only the login form and the static files are public', () => {
    const open = listDashboardRoutes(app)
      .filter((r) => r.access === 'public')
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    // The committee members' pack links: a signed, expiring token is the only key (test/dashboard/committee-and-members.test.ts).
    // POST /login/totp: the sign-in code, which needs the signed cookie of a password just given (test/dashboard/accounts.test.ts).
    expect(open).toEqual(['GET /committee-pack/:token', 'GET /login', 'GET /static/:file', 'HEAD /committee-pack/:token', 'HEAD /login', 'HEAD /static/:file', 'POST /login', 'POST /login/totp']);
  });

  it('every other route refuses without a session: pages go to the login form, files and posts get 401', async () => {
    const routes = listDashboardRoutes(app).filter((r) => r.access !== 'public');
    for (const route of routes) {
      const url = urlFor(route);
      const res = await app.inject({ method: route.method as 'GET', url, ...(route.method === 'POST' ? { payload: '_csrf=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {}) });
      const expected = route.method !== 'POST' && route.kind === 'page' ? 303 : 401;
      expect({ route: `${route.method} ${route.url}`, status: res.statusCode }).toEqual({ route: `${route.method} ${route.url}`, status: expected });
      if (expected === 303) expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
      expect(personalDataIn(res.body)).toEqual([]);
    }
    expect(f.renderCalls).toEqual([]);
    expect(f.replyRequests).toEqual([]);
    expect((await f.store.getReply(seeded.jean.heldReplyId))!.state).toBe('held');
  });

  it('a forged or stale session cookie is no session', async () => {
    for (const cookie of ['x'.repeat(43), 'not-a-token', '']) {
      const res = await app.inject({ method: 'GET', url: `/applications/${seeded.jean.applicationId}/pdf`, cookies: { esor_session: cookie } });
      expect(res.statusCode).toBe(401);
    }
  });
});

describe('CSRF', () => {
  it('every POST refuses a missing or wrong token with 403 and changes nothing', async () => {
    const alice = await login(app, 'alice');
    const other = await login(app, 'bob');
    const posts = listDashboardRoutes(app).filter((r) => r.method === 'POST' && r.access !== 'public');
    expect(posts.length).toBeGreaterThanOrEqual(9);
    for (const route of posts) {
      for (const csrf of [null, '', 'wrong-token', other.csrf, `${alice.csrf}x`]) {
        const res = await post(app, alice, urlFor(route), { dir: f.dir, status: 'complete', reason: 'r', text: 'note', subject: 's', body: 'b' }, csrf);
        expect({ route: route.url, csrf, status: res.statusCode }).toEqual({ route: route.url, csrf, status: 403 });
      }
    }
    expect((await f.store.getReply(seeded.jean.heldReplyId))!.state).toBe('held');
    expect(await f.store.listNotes(seeded.jean.applicationId)).toEqual([]);
    expect((await f.store.getApplication(seeded.jean.applicationId))!.status).toBe('ineligible');
    expect(f.replyRequests).toEqual([]);
    expect(f.redecideCalls).toEqual([]);
    expect(f.dryRunCalls).toEqual([]);
    // Still signed in: the refused logout did not sign out.
    expect((await get(app, alice, '/')).statusCode).toBe(200);
  });

  it('the token in a JSON body is checked the same way', async () => {
    const bob = await login(app, 'bob');
    const res = await app.inject({ method: 'POST', url: `/applications/${seeded.jean.applicationId}/reviewed`, cookies: { esor_session: bob.cookie }, payload: { _csrf: 'nope' } });
    expect(res.statusCode).toBe(403);
  });

  it('the login form refuses a post without its signed cookie, or with a token that does not match it', async () => {
    const form = await app.inject({ method: 'GET', url: '/login' });
    const token = csrfOf(form.body);
    const cookie = setCookie(form, 'esor_login_csrf')!.value;
    const body = (t: string) => new URLSearchParams({ _csrf: t, username: 'alice', password: PASSWORDS.alice }).toString();
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    const attempts = [
      { payload: body(token), headers },
      { payload: body(token), headers, cookies: { esor_login_csrf: `${token}.9999999999999.forged` } },
      { payload: body('a'.repeat(43)), headers, cookies: { esor_login_csrf: cookie } },
      { payload: body(''), headers, cookies: { esor_login_csrf: cookie } },
    ];
    for (const a of attempts) {
      const res = await app.inject({ method: 'POST', url: '/login', ...a });
      expect(res.statusCode).toBe(403);
      expect(setCookie(res, 'esor_session')).toBeUndefined();
    }
    // The genuine pair works.
    expect((await app.inject({ method: 'POST', url: '/login', payload: body(token), headers, cookies: { esor_login_csrf: cookie } })).statusCode).toBe(303);
  });

  it('a login form expires after an hour', async () => {
    const form = await app.inject({ method: 'GET', url: '/login' });
    f.now = new Date(f.now.getTime() + 61 * 60 * 1000);
    const res = await app.inject({
      method: 'POST',
      url: '/login',
      cookies: { esor_login_csrf: setCookie(form, 'esor_login_csrf')!.value },
      payload: new URLSearchParams({ _csrf: csrfOf(form.body), username: 'alice', password: PASSWORDS.alice }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('roles', () => {
  it('a staff account cannot reach any /rules route (403); an admin can', async () => {
    const bob = await login(app, 'bob');
    const alice = await login(app, 'alice');
    const admin = listDashboardRoutes(app).filter((r) => r.access === 'admin');
    expect(admin.map((r) => `${r.method} ${r.url}`).sort()).toEqual([
      'GET /rules',
      'GET /rules/accounts',
      'GET /rules/committee',
      'GET /rules/dry-run',
      'GET /rules/erasure/:id',
      'GET /rules/esr-members',
      'GET /rules/retention',
      'HEAD /rules',
      'HEAD /rules/accounts',
      'HEAD /rules/committee',
      'HEAD /rules/dry-run',
      'HEAD /rules/erasure/:id',
      'HEAD /rules/esr-members',
      'HEAD /rules/retention',
      'POST /rules/accounts/:username/disable',
      'POST /rules/accounts/:username/enable',
      'POST /rules/accounts/:username/password',
      'POST /rules/accounts/:username/role',
      'POST /rules/accounts/:username/totp-reset',
      'POST /rules/accounts/add',
      'POST /rules/committee/link',
      'POST /rules/committee/revoke',
      'POST /rules/dry-run',
      'POST /rules/erasure/:id',
      'POST /rules/esr-members',
      'POST /rules/retention/delete',
    ]);
    for (const route of admin) {
      expect(admin.every((r) => r.url.startsWith('/rules'))).toBe(true);
      const res = route.method === 'POST' ? await post(app, bob, route.url, { dir: f.dir }) : await app.inject({ method: route.method as 'GET', url: route.url, cookies: { esor_session: bob.cookie } });
      expect({ route: `${route.method} ${route.url}`, status: res.statusCode }).toEqual({ route: `${route.method} ${route.url}`, status: 403 });
    }
    expect(f.dryRunCalls).toEqual([]);
    expect((await get(app, bob, '/')).body).not.toContain('href="/rules"');
    expect((await get(app, alice, '/rules')).statusCode).toBe(200);
    expect((await get(app, alice, '/')).body).toContain('href="/rules"');
  });
});

describe('files', () => {
  it('path traversal through the file routes answers 404 and reads nothing', async () => {
    const bob = await login(app, 'bob');
    const id = seeded.anna.applicationId;
    const attempts = [
      `/applications/..%2F..%2Fstore.sqlite/pdf`,
      `/applications/%2e%2e/pdf`,
      `/applications/${id}%2F..%2F..%2Fetc/pdf`,
      `/applications/${id}/sections/..%2F..%2F..%2Fstore.sqlite`,
      `/applications/${id}/sections/..%2Fpassport.pdf`,
      `/applications/${id}/sections/%2e%2e%2fpassport.pdf`,
      `/applications/${id}/sections/passport.pdf%00.png`,
      `/applications/${id}/sections/..%5Cpassport.pdf`,
      `/applications/${id}/sections/%2Fetc%2Fpasswd`,
      `/applications/${id}/pages/..%2F1.png`,
      `/applications/${id}/pages/1.png%2F..%2F..`,
      `/applications/${id}/pages/-1.png`,
      `/applications/${id}/pages/1e3.png`,
      `/applications/${id}/pdf?doc=../../store.sqlite`,
      `/applications/${id}/pdf?doc=-1`,
      `/applications/${id}/../../../etc/passwd`,
      `/applications/${id}/sections/../../pdf`,
    ];
    for (const url of attempts) {
      const res = await get(app, bob, url);
      expect({ url, status: res.statusCode }).toEqual({ url, status: 404 });
      expect(res.headers['content-type']).not.toBe('application/pdf');
    }
    expect(f.renderCalls).toEqual([]);
  });

  it('a stored path outside the data folder is never served', async () => {
    const bob = await login(app, 'bob');
    const messageId = seeded.anna.messageIds[0]!;
    const mail = await f.files.readJson<Record<string, unknown>>('mail', messageId);
    // The file store's root is f.dir/data; a reference is never a path, and an old absolute path is served only inside the root.
    const forged = [`${f.dir}/data/../store.sqlite`, `${f.dir}/store.sqlite`, '../store.sqlite', 'blob:pdf/../../store.sqlite', `blob:section/${messageId}/../../../store.sqlite`, 'blob:json/mail/..%2F..%2Fstore.json', 'file:../store.sqlite'];
    for (const ref of forged) {
      await f.files.writeJson('mail', messageId, { ...mail, pdfs: [{ filename: 'x.pdf', path: ref, sha256: 'a'.repeat(64), size: 1 }] });
      expect({ ref, status: (await get(app, bob, `/applications/${seeded.anna.applicationId}/pdf`)).statusCode }).toEqual({ ref, status: 404 });
      expect({ ref, status: (await get(app, bob, `/applications/${seeded.anna.applicationId}/pages/1.png`)).statusCode }).toEqual({ ref, status: 404 });
    }
    expect(f.renderCalls).toEqual([]);
  });
});

/**
 * Accounts `<prefix><from>` … `<prefix>19` (low-cost hash) for the sprays of wrong passwords below: a try at an
 * unknown username verifies against the dummy hash, made and checked at the real cost (≈0.3 s each, and once more
 * per app to make it), so the sprays try existing accounts. The per-IP test keeps its `user0` unknown: both kinds
 * of failure count toward the lock. That an unknown user gets the same answer as a wrong password: routes.test.ts.
 */
async function seedSprayTargets(prefix: string, from = 0): Promise<void> {
  for (let i = from; i < 20; i++) await f.store.createUser({ username: `${prefix}${i}`, role: 'staff', passwordHash: testPasswordHash('spray-target-password-1'), at: f.now.toISOString() });
}

describe('login rate limit', () => {
  it('after 5 failures for a username, even the right password gets 429 until 15 minutes pass', async () => {
    for (let i = 0; i < 5; i++) expect((await postLogin(app, 'alice', `wrong-${i}-password`)).statusCode).toBe(401);
    const limited = await postLogin(app, 'alice', PASSWORDS.alice);
    expect(limited.statusCode).toBe(429);
    expect(limited.body).toContain('Too many failed sign-ins. Wait 15 minutes and try again.');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(setCookie(limited, 'esor_session')).toBeUndefined();
    f.now = new Date(f.now.getTime() + 15 * 60 * 1000 + 1000);
    expect((await postLogin(app, 'alice', PASSWORDS.alice)).statusCode).toBe(303);
  });

  it('counts per IP across usernames, and per username across IPs', async () => {
    await seedSprayTargets('user', 1);
    // Five failures from one IP lock no one but the usernames tried: that IP may be a whole office.
    for (let i = 0; i < 5; i++) await postLogin(app, `user${i}`, 'wrong-password-1');
    expect((await postLogin(app, 'bob', PASSWORDS.bob)).statusCode).toBe(303);
    // A spray across usernames locks the IP after 20.
    for (let i = 5; i < 20; i++) await postLogin(app, `user${i}`, 'wrong-password-1');
    expect((await postLogin(app, 'alice', PASSWORDS.alice)).statusCode).toBe(429);

    await app.close();
    app = await f.app();
    const from = (ip: string, user: string, pw: string) => postLoginFrom(app, ip, user, pw);
    for (let i = 0; i < 5; i++) expect((await from(`10.0.0.${i + 1}`, 'bob', 'wrong-password-1')).statusCode).toBe(401);
    expect((await from('10.0.0.99', 'bob', PASSWORDS.bob)).statusCode).toBe(429);
    expect((await from('10.0.0.99', 'alice', PASSWORDS.alice)).statusCode).toBe(303);
  });
});

describe('behind a reverse proxy (ESOR_HTTP_TRUST_PROXY)', () => {
  const PROXY = '10.1.2.3';
  const viaProxy = (a: FastifyInstance, client: string, username: string, password: string) => postLoginFrom(a, PROXY, username, password, client);

  it('with the proxy trusted, a spray from one client does not lock out another client behind the same proxy', async () => {
    await seedSprayTargets('staff');
    for (const trustProxy of [[PROXY], 1] as const) {
      await app.close();
      app = await buildDashboard(f.deps(), { trustProxy: trustProxy as string[] | number });
      for (let i = 0; i < 20; i++) await viaProxy(app, '203.0.113.5', `staff${i}`, 'wrong-password-1');
      expect((await viaProxy(app, '203.0.113.5', 'bob', PASSWORDS.bob)).statusCode).toBe(429);
      expect((await viaProxy(app, '203.0.113.6', 'bob', PASSWORDS.bob)).statusCode).toBe(303);
    }
  });

  it('untrusted (the default), X-Forwarded-For is ignored: a client cannot dodge the lock by forging it', async () => {
    await seedSprayTargets('staff');
    for (let i = 0; i < 20; i++) await postLoginFrom(app, '203.0.113.9', `staff${i}`, 'wrong-password-1', `198.51.100.${i}`);
    expect((await postLoginFrom(app, '203.0.113.9', 'bob', PASSWORDS.bob, '198.51.100.200')).statusCode).toBe(429);
  });
});

async function postLoginFrom(app: FastifyInstance, ip: string, username: string, password: string, forwardedFor?: string) {
  const forwarded = forwardedFor ? { 'x-forwarded-for': forwardedFor } : {};
  const form = await app.inject({ method: 'GET', url: '/login', remoteAddress: ip, headers: forwarded });
  return app.inject({
    method: 'POST',
    url: '/login',
    remoteAddress: ip,
    cookies: { esor_login_csrf: setCookie(form, 'esor_login_csrf')!.value },
    payload: new URLSearchParams({ _csrf: csrfOf(form.body), username, password }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...forwarded },
  });
}

describe('cookies and headers', () => {
  it('the session cookie is HttpOnly, SameSite=Lax, path /, Secure only when asked; the store keeps only its hash', async () => {
    const res = await postLogin(app, 'bob', PASSWORDS.bob);
    const raw = [res.headers['set-cookie']].flat().find((c) => String(c).startsWith('esor_session='))!;
    expect(raw).toMatch(/; HttpOnly/i);
    expect(raw).toMatch(/; SameSite=Lax/i);
    expect(raw).toMatch(/; Path=\//);
    expect(raw).not.toMatch(/; Secure/i);
    const token = setCookie(res, 'esor_session')!.value;
    const now = f.now.toISOString();
    expect(await f.store.getSession(token, now)).toBeUndefined();
    expect(await f.store.getSession(createHash('sha256').update(token).digest('hex'), now)).toMatchObject({ username: 'bob', role: 'staff' });

    await app.close();
    app = await f.app({ secureCookies: true });
    const secure = await postLogin(app, 'bob', PASSWORDS.bob);
    for (const c of [secure.headers['set-cookie']].flat()) expect(String(c)).toMatch(/; Secure/i);
    const form = await app.inject({ method: 'GET', url: '/login' });
    const csrfCookie = [form.headers['set-cookie']].flat().find((c) => String(c).startsWith('esor_login_csrf='))!;
    expect(csrfCookie).toMatch(/; HttpOnly/i);
    expect(csrfCookie).toMatch(/; Secure/i);
  });

  it('signing in again replaces the old session (no fixation)', async () => {
    const first = await login(app, 'bob');
    const form = await app.inject({ method: 'GET', url: '/login' });
    const res = await app.inject({
      method: 'POST',
      url: '/login',
      cookies: { esor_login_csrf: setCookie(form, 'esor_login_csrf')!.value, esor_session: first.cookie },
      payload: new URLSearchParams({ _csrf: csrfOf(form.body), username: 'bob', password: PASSWORDS.bob }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(setCookie(res, 'esor_session')!.value).not.toBe(first.cookie);
    expect((await get(app, first, '/')).statusCode).toBe(303);
  });

  it('pages, files, redirects and errors carry the security headers and no-store', async () => {
    const bob = await login(app, 'bob');
    const responses = [
      await get(app, bob, '/'),
      await get(app, bob, `/applications/${seeded.anna.applicationId}`),
      await get(app, bob, `/applications/${seeded.anna.applicationId}/pdf`),
      await get(app, bob, `/applications/${seeded.anna.applicationId}/pages/1.png`),
      await get(app, bob, '/export.csv'),
      await get(app, bob, '/live.json'),
      await get(app, bob, '/nowhere'),
      await get(app, undefined, '/'),
      await app.inject({ method: 'GET', url: '/login' }),
    ];
    for (const res of responses) {
      expect(res.headers['content-security-policy']).toMatch(/^default-src 'self'; /);
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });

  it('pages have no inline script or style attribute (the CSP would block them)', async () => {
    const bob = await login(app, 'bob');
    for (const url of ['/', '/applications', `/applications/${seeded.maria.applicationId}`, '/login']) {
      const body = (await get(app, bob, url)).body;
      expect(body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(body).not.toMatch(/\son[a-z]+=/i);
      expect(body).not.toMatch(/\sstyle=/i);
    }
  });
});

describe('logs', () => {
  it('hold no applicant name or e-mail, no password, no note text and no search term', async () => {
    // A failed sign-in typing an applicant's address as username and a password.
    await postLogin(app, PEOPLE.anna.email, 'typed-secret-password-9');
    await postLogin(app, 'alice', 'alice-wrong-password-7');
    const alice = await login(app, 'alice');
    await get(app, alice, '/');
    await get(app, alice, `/applications?q=${encodeURIComponent(PEOPLE.maria.name)}`);
    await get(app, alice, `/applications?q=${encodeURIComponent(PEOPLE.jean.email)}`);
    for (const s of Object.values(seeded)) await get(app, alice, `/applications/${s.applicationId}`);
    await get(app, alice, `/applications/${seeded.anna.applicationId}/pdf`);
    await get(app, alice, `/applications/${seeded.anna.applicationId}/pages/99.png`);
    await post(app, alice, `/applications/${seeded.maria.applicationId}/notes`, { text: 'Confidential remark about Quetzalcoatl' });
    await post(app, alice, `/applications/${seeded.jean.applicationId}/status`, { status: 'complete', reason: 'Reason naming Quetzalcoatl' });
    await post(app, alice, `/applications/${seeded.jean.applicationId}/replies/${seeded.jean.heldReplyId}/edit`, { subject: 'Subject Quetzalcoatl', body: `Dear ${PEOPLE.jean.name}` });
    await get(app, alice, '/export.csv');
    await post(app, alice, `/applications/${seeded.maria.applicationId}/reviewed`, {}, 'bad');
    await post(app, alice, '/logout');

    const log = f.logLines.join('\n');
    expect(f.logLines.length).toBeGreaterThan(20);
    expect(personalDataIn(log)).toEqual([]);
    for (const secret of ['typed-secret-password-9', 'alice-wrong-password-7', PASSWORDS.alice, 'Quetzalcoatl', alice.cookie, alice.csrf]) expect(log).not.toContain(secret);
    // What is logged: routes by pattern, staff usernames, outcomes.
    expect(log).toContain('"route":"/applications/:id"');
    expect(log).toContain('dashboard: sign-in failed');
  });
});
