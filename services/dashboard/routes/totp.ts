/**
 * TOTP: the code asked after the password (POST /login/totp, with the pending sign-in cookie that
 * routes/auth.ts sets), and each user's own enrolment (GET/POST /account/totp). Admins turn it off for
 * a user on the accounts page (routes/accounts.ts).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UserRecord } from '../../../core/ports/store';
import { setAccountTotp } from '../accounts';
import { cookieOptions } from '../auth';
import { redirectTo, sendPage, staffOf, stringField, type DashboardContext, type RouteModule } from '../context';
import { matchTotpStep, newTotpSecret, PENDING_SIGN_IN_COOKIE, PENDING_SIGN_IN_TTL_MS, qrModules, TotpTokens, totpUri } from '../totp';
import type { Flash } from '../views/common';
import { qrSvg, totpEnrolPage, totpSignInPage } from '../views/totp';
import { safeNext, showLoginForm, startSession } from './auth';

// One signer per dashboard app, shared by auth.ts (which starts a pending sign-in) and this file.
const signers = new WeakMap<DashboardContext, TotpTokens>();
function tokensOf(ctx: DashboardContext): TotpTokens {
  let tokens = signers.get(ctx);
  if (!tokens) signers.set(ctx, (tokens = new TotpTokens()));
  return tokens;
}

function showCodeForm(reply: FastifyReply, nonce: string, next: unknown, status: number, error?: string): FastifyReply {
  const flash: Flash | undefined = error ? { kind: 'error', text: error } : undefined;
  return sendPage(reply, totpSignInPage({ nonce, next: safeNext(next), ...(flash ? { flash } : {}) }), status);
}

/** After the right password of a user with TOTP: the pending sign-in cookie and the code form. */
export function askTotpCode(ctx: DashboardContext, reply: FastifyReply, user: UserRecord, next: unknown): FastifyReply {
  const { cookie, nonce } = tokensOf(ctx).pendingSignIn(user.username, user.passwordHash, ctx.deps.now());
  reply.setCookie(PENDING_SIGN_IN_COOKIE, cookie, cookieOptions(ctx.deps.secureCookies, PENDING_SIGN_IN_TTL_MS, '/login'));
  return showCodeForm(reply, nonce, next, 200);
}

async function checkSignInCode(ctx: DashboardContext, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const { deps } = ctx;
  const now = deps.now();
  const next = stringField(request.body, 'next');
  const pending = tokensOf(ctx).readPendingUsername(request.cookies[PENDING_SIGN_IN_COOKIE]);
  const user = pending ? await deps.store.getUser(pending.username) : undefined;
  const nonce = stringField(request.body, '_csrf');
  if (!pending || !user?.totpSecret || user.disabledAt !== undefined || !tokensOf(ctx).verifyPendingSignIn(pending, user.passwordHash, nonce, now)) {
    request.log.warn('dashboard: sign-in code refused, no valid pending sign-in');
    return showLoginForm(ctx, request, reply, 403, 'The sign-in had expired. Please sign in again.');
  }
  const keys = [`ip:${request.ip}`, `user:${user.username}`];
  const wait = ctx.limiter.retryAfterMs(keys);
  if (wait > 0) {
    reply.header('retry-after', String(Math.ceil(wait / 1000)));
    request.log.warn('dashboard: sign-in code refused, too many failures');
    return showCodeForm(reply, pending.nonce, next, 429, 'Too many failed sign-ins. Wait a few minutes and try again.');
  }
  const step = matchTotpStep(user.totpSecret, stringField(request.body, 'code'), now);
  // useTotpStep is the replay guard: the step of a code that signed in once (or an earlier one) is refused.
  if (step === undefined || !(await deps.store.useTotpStep(user.username, step))) {
    ctx.limiter.recordFailure(keys);
    request.log.warn({ user: user.username }, 'dashboard: sign-in code wrong or already used');
    return showCodeForm(reply, pending.nonce, next, 401, 'Wrong or already used code. Wait for the next code and try again.');
  }
  ctx.limiter.reset([`user:${user.username}`]);
  reply.clearCookie(PENDING_SIGN_IN_COOKIE, cookieOptions(deps.secureCookies, 0, '/login'));
  return startSession(ctx, request, reply, user.username, next);
}

function enrolPage(ctx: DashboardContext, request: FastifyRequest, reply: FastifyReply, opts: { secret?: string; status?: number; flash?: Flash }): FastifyReply {
  const user = staffOf(request);
  const secret = opts.secret ?? newTotpSecret();
  const enrolment = { secret, qr: qrSvg(qrModules(totpUri(secret, user.username)), 'QR code for the authenticator app'), token: tokensOf(ctx).enrolment(user.username, secret, ctx.deps.now()) };
  return sendPage(reply, totpEnrolPage({ user, enrolled: false, enrolment, ...(opts.flash ? { flash: opts.flash } : {}) }), opts.status ?? 200);
}

export const totpRoutes: RouteModule = (app, ctx) => {
  const { deps } = ctx;

  app.post('/login/totp', { config: { access: 'public' } }, async (request, reply) => checkSignInCode(ctx, request, reply));

  app.get('/account/totp', async (request, reply) => {
    const user = staffOf(request);
    const record = await deps.store.getUser(user.username);
    if (record?.totpSecret !== undefined) {
      const flash: Flash | undefined = stringField(request.query, 'done') === 'enrolled' ? { kind: 'ok', text: 'Two-factor sign-in is on.' } : undefined;
      return sendPage(reply, totpEnrolPage({ user, enrolled: true, ...(flash ? { flash } : {}) }));
    }
    return enrolPage(ctx, request, reply, {});
  });

  app.post('/account/totp', async (request, reply) => {
    const user = staffOf(request);
    const now = deps.now();
    const record = await deps.store.getUser(user.username);
    if (record?.totpSecret !== undefined) return sendPage(reply, totpEnrolPage({ user, enrolled: true, flash: { kind: 'error', text: 'Two-factor sign-in is already on.' } }), 409);
    const secret = tokensOf(ctx).readEnrolment(stringField(request.body, 'enrolment'), user.username, now);
    if (!secret) return enrolPage(ctx, request, reply, { status: 400, flash: { kind: 'error', text: 'That set-up had expired: scan this new code.' } });
    const step = matchTotpStep(secret, stringField(request.body, 'code'), now);
    if (step === undefined) return enrolPage(ctx, request, reply, { secret, status: 400, flash: { kind: 'error', text: 'That code is not right. Check the app shows ESOR intake and type its current code.' } });
    await setAccountTotp({ store: deps.store, actor: user.username, at: now }, user.username, secret);
    // The confirming code is spent: it cannot sign in a second time.
    await deps.store.useTotpStep(user.username, step);
    request.log.info({ user: user.username }, 'dashboard: two-factor sign-in turned on');
    return redirectTo(reply, '/account/totp?done=enrolled');
  });
};
