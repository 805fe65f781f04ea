/** Sign in (with its own pre-session CSRF token and a rate limit) and sign out. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { cookieOptions, LOGIN_CSRF_COOKIE, LOGIN_FORM_TTL_MS, newToken, SESSION_COOKIE, SESSION_TTL_MS, sessionIdOf } from '../auth';
import { redirectTo, sendPage, staffOf, stringField, type DashboardContext, type RouteModule } from '../context';
import { hashPassword, verifyPassword } from '../passwords';
import { flashFrom } from '../views/common';
import { loginPage } from '../views/login';
import { askTotpCode } from './totp';

/** Where to go after signing in: a path of this site only (no `//host`, no `/\host`). */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next.length > 500) return '/';
  return /^\/(?![/\\])[^\s\\]*$/.test(next) && !next.startsWith('/login') ? next : '/';
}

const MAX_USERNAME = 64;
const MAX_PASSWORD = 1024;

/** The sign-in form with a fresh pre-session CSRF token (and its cookie). */
export function showLoginForm(ctx: DashboardContext, request: FastifyRequest, reply: FastifyReply, status: number, error?: string, username?: string): FastifyReply {
  const { deps } = ctx;
  const { field, cookie } = ctx.loginCsrf.issue(deps.now());
  reply.setCookie(LOGIN_CSRF_COOKIE, cookie, cookieOptions(deps.secureCookies, LOGIN_FORM_TTL_MS, '/login'));
  const flash = error ? { kind: 'error' as const, text: error } : flashFrom(request.query);
  return sendPage(reply, loginPage({ csrf: field, next: safeNext(stringField(request.query, 'next') ?? stringField(request.body, 'next')), ...(flash ? { flash } : {}), ...(username ? { username } : {}) }), status);
}

/** Signs `username` in: a new session (any earlier one of this browser ended), its cookie, and the redirect to `next`. */
export async function startSession(ctx: DashboardContext, request: FastifyRequest, reply: FastifyReply, username: string, next: unknown): Promise<FastifyReply> {
  const { deps } = ctx;
  const now = deps.now();
  const old = request.staff;
  if (old) await deps.store.deleteSession(old.sessionId);
  const token = newToken();
  await deps.store.createSession({
    id: sessionIdOf(token),
    username,
    csrfToken: newToken(),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
  });
  await deps.store.deleteExpiredSessions(now.toISOString());
  reply.setCookie(SESSION_COOKIE, token, cookieOptions(deps.secureCookies, SESSION_TTL_MS));
  reply.clearCookie(LOGIN_CSRF_COOKIE, cookieOptions(deps.secureCookies, 0, '/login'));
  request.log.info({ user: username }, 'dashboard: signed in');
  return redirectTo(reply, safeNext(next));
}

export const authRoutes: RouteModule = (app, ctx) => {
  const { deps } = ctx;
  // Verifying against a real hash when the user does not exist keeps the answer time the same.
  let dummyHash: Promise<string> | undefined;
  const dummy = () => (dummyHash ??= hashPassword(newToken()));
  const showForm = (request: FastifyRequest, reply: FastifyReply, status: number, error?: string, username?: string) =>
    showLoginForm(ctx, request, reply, status, error, username);

  app.get('/login', { config: { access: 'public' } }, async (request, reply) => {
    if (request.staff) return redirectTo(reply, '/');
    return showForm(request, reply, 200);
  });

  app.post('/login', { config: { access: 'public' } }, async (request, reply) => {
    const now = deps.now();
    if (!ctx.loginCsrf.verify(request.cookies[LOGIN_CSRF_COOKIE], stringField(request.body, '_csrf'), now)) {
      request.log.warn('dashboard: sign-in refused, login form token missing or wrong');
      return showForm(request, reply, 403, 'The sign-in form had expired. Please try again.');
    }
    const username = (stringField(request.body, 'username') ?? '').trim().toLowerCase();
    const password = stringField(request.body, 'password') ?? '';
    const keys = [`ip:${request.ip}`, `user:${username}`];
    const wait = ctx.limiter.retryAfterMs(keys);
    if (wait > 0) {
      const minutes = Math.max(1, Math.ceil(wait / 60_000));
      request.log.warn('dashboard: sign-in refused, too many failures');
      reply.header('retry-after', String(Math.ceil(wait / 1000)));
      return showForm(request, reply, 429, `Too many failed sign-ins. Wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`);
    }
    let ok = false;
    const user = username && username.length <= MAX_USERNAME ? await deps.store.getUser(username) : undefined;
    if (password.length > 0 && password.length <= MAX_PASSWORD) {
      if (user) ok = await verifyPassword(password, user.passwordHash);
      else await verifyPassword(password, await dummy());
    }
    if (!user || !ok) {
      ctx.limiter.recordFailure(keys);
      // Not the username typed: people type their password into it.
      request.log.warn('dashboard: sign-in failed');
      return showForm(request, reply, 401, 'Wrong username or password.', username.length <= MAX_USERNAME ? username : undefined);
    }
    // Said only to someone who knew the password: to others a disabled account looks like any wrong try.
    if (user.disabledAt !== undefined) {
      request.log.warn('dashboard: sign-in refused, account disabled');
      return showForm(request, reply, 403, 'This account is disabled. Ask an admin.');
    }
    // With TOTP the password alone opens nothing: the code comes next (routes/totp.ts), and the username's
    // failure count is reset only once it is right.
    if (user.totpSecret !== undefined) return askTotpCode(ctx, reply, user, stringField(request.body, 'next'));
    ctx.limiter.reset([`user:${username}`]);
    return startSession(ctx, request, reply, user.username, stringField(request.body, 'next'));
  });

  app.post('/logout', { config: { kind: 'page' } }, async (request, reply) => {
    const staff = staffOf(request);
    await deps.store.deleteSession(staff.sessionId);
    reply.clearCookie(SESSION_COOKIE, cookieOptions(deps.secureCookies, 0));
    request.log.info({ user: staff.username }, 'dashboard: signed out');
    return redirectTo(reply, '/login?done=logged-out');
  });
};

export type { DashboardContext };
