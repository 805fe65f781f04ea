/**
 * Admins manage the staff accounts at /rules/accounts: add (the initial password typed or made and shown
 * once), change the role, disable and enable, reset the password, turn off two-factor sign-in. The
 * changes and their events are services/dashboard/accounts.ts, the same code `esor-intake users` runs;
 * the store keeps one enabled admin at least.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UserRole } from '../../../core/ports/store';
import {
  addAccount,
  generatePassword,
  isAccountError,
  isRole,
  setAccountDisabled,
  setAccountPassword,
  setAccountRole,
  setAccountTotp,
  USERNAME_PATTERN,
  type AccountChange,
} from '../accounts';
import { redirectTo, sendPage, staffOf, stringField, type DashboardContext, type RouteModule } from '../context';
import { accountsPage, type AccountsModel } from '../views/accounts';
import type { Flash } from '../views/common';

const DONE: Record<string, string> = {
  role: 'Role changed.',
  disabled: 'Account disabled: its sessions are ended.',
  enabled: 'Account enabled.',
  'totp-reset': 'Two-factor sign-in turned off: the user can set it up again.',
  password: 'Password reset: the user’s sessions are ended.',
  added: 'Account created.',
};

const ERROR_WORDS: Record<string, string> = {
  ACCOUNT_LAST_ADMIN: 'At least one active admin must remain: make another admin first.',
  ACCOUNT_EXISTS: 'That username is taken.',
  ACCOUNT_NOT_FOUND: 'There is no such account.',
};

type Extra = Pick<AccountsModel, 'shownOnce' | 'flash' | 'form'>;

async function showAccounts(ctx: DashboardContext, request: FastifyRequest, reply: FastifyReply, extra: Extra = {}, status = 200): Promise<FastifyReply> {
  const user = staffOf(request);
  const words = ctx.words();
  const accounts = (await ctx.deps.store.listUsers()).map((u) => ({
    username: u.username,
    role: u.role,
    created: words.time(u.createdAt),
    ...(u.disabledAt !== undefined ? { disabledAt: u.disabledAt, disabledSince: words.time(u.disabledAt) } : {}),
    ...(u.totpSecret !== undefined ? { totpSecret: 'on' } : {}),
  }));
  const done = stringField(request.query, 'done');
  const flash: Flash | undefined = extra.flash ?? (done && Object.hasOwn(DONE, done) ? { kind: 'ok', text: DONE[done]! } : undefined);
  return sendPage(reply, accountsPage({ user, accounts, ...extra, ...(flash ? { flash } : {}) }), status);
}

/** Runs an account change; an AccountError becomes the page with its words (400, or 409 for the last admin). */
async function attempt(ctx: DashboardContext, request: FastifyRequest, reply: FastifyReply, change: () => Promise<FastifyReply>, form?: Extra['form']): Promise<FastifyReply> {
  try {
    return await change();
  } catch (err) {
    if (!isAccountError(err)) throw err;
    request.log.warn({ code: err.code }, 'dashboard: account change refused');
    const text = ERROR_WORDS[err.code] ?? `Not changed: ${err.message}.`;
    return showAccounts(ctx, request, reply, { flash: { kind: 'error', text }, ...(form ? { form } : {}) }, err.code === 'ACCOUNT_LAST_ADMIN' ? 409 : 400);
  }
}

export const accountRoutes: RouteModule = (app, ctx) => {
  const admin = { config: { access: 'admin' as const } };
  const changeBy = (request: FastifyRequest): AccountChange => ({ store: ctx.deps.store, actor: staffOf(request).username, at: ctx.deps.now() });
  type Named = { Params: { username: string } };
  // A username in the path that cannot exist is a 404 before anything is looked up.
  const target = (request: FastifyRequest<Named>) => (USERNAME_PATTERN.test(request.params.username) ? request.params.username : undefined);

  app.get('/rules/accounts', admin, async (request, reply) => showAccounts(ctx, request, reply));

  app.post('/rules/accounts/add', admin, async (request, reply) => {
    const username = (stringField(request.body, 'username') ?? '').trim().toLowerCase();
    const roleText = stringField(request.body, 'role') ?? '';
    const typed = stringField(request.body, 'password') ?? '';
    const form = { username: username.slice(0, 64), role: roleText };
    if (!isRole(roleText)) return showAccounts(ctx, request, reply, { flash: { kind: 'error', text: 'Choose staff or admin.' }, form }, 400);
    const password = typed === '' ? generatePassword() : typed;
    return attempt(
      ctx,
      request,
      reply,
      async () => {
        await addAccount(changeBy(request), { username, role: roleText, password });
        request.log.info({ user: username, role: roleText }, 'dashboard: account created');
        if (typed !== '') return redirectTo(reply, `/rules/accounts?done=added`);
        return showAccounts(ctx, request, reply, { shownOnce: { username, password, created: true } });
      },
      form,
    );
  });

  app.post<Named>('/rules/accounts/:username/role', admin, async (request, reply) => {
    const username = target(request);
    const role = stringField(request.body, 'role');
    if (!username) return showAccounts(ctx, request, reply, { flash: { kind: 'error', text: ERROR_WORDS.ACCOUNT_NOT_FOUND! } }, 404);
    if (!isRole(role)) return showAccounts(ctx, request, reply, { flash: { kind: 'error', text: 'Choose staff or admin.' } }, 400);
    return attempt(ctx, request, reply, async () => {
      await setAccountRole(changeBy(request), username, role as UserRole);
      // An admin who made themselves staff can no longer see this page.
      return redirectTo(reply, username === staffOf(request).username && role === 'staff' ? '/' : '/rules/accounts?done=role');
    });
  });

  for (const [action, disabled] of [['disable', true], ['enable', false]] as const) {
    app.post<Named>(`/rules/accounts/:username/${action}`, admin, async (request, reply) => {
      const username = target(request);
      if (!username) return showAccounts(ctx, request, reply, { flash: { kind: 'error', text: ERROR_WORDS.ACCOUNT_NOT_FOUND! } }, 404);
      if (disabled && username === staffOf(request).username) return showAccounts(ctx, request, reply, { flash: { kind: 'error', text: 'You cannot disable your own account.' } }, 400);
      return attempt(ctx, request, reply, async () => {
        await setAccountDisabled(changeBy(request), username, disabled);
        return redirectTo(reply, `/rules/accounts?done=${disabled ? 'disabled' : 'enabled'}`);
      });
    });
  }

  app.post<Named>('/rules/accounts/:username/password', admin, async (request, reply) => {
    const username = target(request);
    if (!username) return showAccounts(ctx, request, reply, { flash: { kind: 'error', text: ERROR_WORDS.ACCOUNT_NOT_FOUND! } }, 404);
    const typed = stringField(request.body, 'password') ?? '';
    const password = typed === '' ? generatePassword() : typed;
    return attempt(ctx, request, reply, async () => {
      await setAccountPassword(changeBy(request), username, password);
      if (typed !== '') return redirectTo(reply, '/rules/accounts?done=password');
      return showAccounts(ctx, request, reply, { shownOnce: { username, password, created: false } });
    });
  });

  app.post<Named>('/rules/accounts/:username/totp-reset', admin, async (request, reply) => {
    const username = target(request);
    if (!username) return showAccounts(ctx, request, reply, { flash: { kind: 'error', text: ERROR_WORDS.ACCOUNT_NOT_FOUND! } }, 404);
    return attempt(ctx, request, reply, async () => {
      await setAccountTotp(changeBy(request), username, null);
      return redirectTo(reply, '/rules/accounts?done=totp-reset');
    });
  });
};
