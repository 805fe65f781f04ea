/**
 * The staff dashboard: a Fastify app rendering HTML on the server. This file
 * builds the app (plugins, security headers, sessions, CSRF, errors) without
 * listening; the service calls `.listen()`, tests call `.inject()`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import { safeError } from '../common/logger';
import { findPackageRoot } from '../common/paths';
import { isWellFormedToken, LoginCsrf, LoginRateLimiter, safeEqual, SESSION_COOKIE, sessionIdOf } from './auth';
import { sendMessage, stringField, type DashboardContext, type RouteModule } from './context';
import type { DashboardDeps } from './deps';
import { actionRoutes } from './routes/actions';
import { messageRoutes } from './routes/messages';
import { mergeRoutes } from './routes/merge';
import { applicationRoutes } from './routes/application';
import { authRoutes } from './routes/auth';
import { exportRoutes } from './routes/export';
import { fileRoutes } from './routes/files';
import { liveRoutes } from './routes/live';
import { overviewRoutes } from './routes/overview';
import { rulesRoutes } from './routes/rules';
import { esrMemberRoutes } from './routes/esr-members';
import { packRoutes } from './routes/pack';
import { committeeAccessRoutes } from './routes/committee-access';
import { accountRoutes } from './routes/accounts';
import { totpRoutes } from './routes/totp';
import { retentionRoutes } from './routes/retention';
import { DEFAULT_TIME_ZONE, OfficeWords, type OfficeVocabulary } from './words';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const ROUTE_MODULES: RouteModule[] = [authRoutes, overviewRoutes, applicationRoutes, fileRoutes, actionRoutes, messageRoutes, mergeRoutes, exportRoutes, rulesRoutes, liveRoutes, packRoutes, esrMemberRoutes, committeeAccessRoutes, accountRoutes, totpRoutes, retentionRoutes];

/** The stylesheet and the script, read once: they sit beside the sources, not in dist/. */
const STATIC_FILES: Record<string, { type: string }> = {
  'dashboard.css': { type: 'text/css; charset=utf-8' },
  'dashboard.js': { type: 'text/javascript; charset=utf-8' },
};

/**
 * The folder of the stylesheet and the script: beside this file when running
 * from the sources, under the package root when running from dist/ (tsc does
 * not copy them; an image must carry services/dashboard/static too).
 * @throws Error when neither holds them.
 */
export function staticDir(): string {
  const candidates = [path.join(__dirname, 'static'), path.join(findPackageRoot(__dirname), 'services', 'dashboard', 'static')];
  const found = candidates.find((dir) => existsSync(path.join(dir, 'dashboard.css')));
  if (!found) throw new Error(`dashboard static files not found in ${candidates.join(' or ')}`);
  return found;
}

function setSecurityHeaders(reply: FastifyReply): void {
  reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
  reply.header('x-frame-options', 'DENY');
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('cross-origin-resource-policy', 'same-origin');
  reply.header('cache-control', 'no-store');
}

/** One registered route, as the security tests enumerate them. */
export interface DashboardRoute {
  method: string;
  url: string;
  access: 'public' | 'staff' | 'admin';
  kind: 'page' | 'file' | 'api';
}

const ROUTES = Symbol('dashboard routes');

/** Every route the dashboard registered (HEAD twins of GET routes included), in order. */
export function listDashboardRoutes(app: FastifyInstance): DashboardRoute[] {
  return [...((app as unknown as { [ROUTES]?: DashboardRoute[] })[ROUTES] ?? [])];
}

export interface DashboardOptions {
  /**
   * Trust X-Forwarded-For from a reverse proxy (the login rate limit is per client IP): a hop count or
   * the proxies' addresses (config `http.trustProxy`, ESOR_HTTP_TRUST_PROXY). Default false.
   */
  trustProxy?: boolean | number | string | string[];
  /** The office's time zone for every date and time shown (config `office.timeZone`); default Europe/Paris. */
  timeZone?: string;
  /**
   * Section names, flag wordings and thresholds of the rules in force (words.ts `vocabularyOf`), asked
   * per page; without it the dashboard's own short names are used. Programme titles come from `deps.rules()`.
   */
  vocabulary?: () => OfficeVocabulary;
}

/**
 * Fastify's form of the setting. Fastify treats a number as "trust nobody" (fail closed), so a hop
 * count becomes the function proxy-addr calls per hop: the socket's peer is hop 0, and the first
 * `n` hops are our proxies, whose X-Forwarded-For entries are believed.
 */
function trustProxyOption(value: DashboardOptions['trustProxy']): boolean | string | string[] | ((address: string, hop: number) => boolean) {
  if (typeof value === 'number') return value > 0 ? (_address: string, hop: number) => hop < value : false;
  return value ?? false;
}

/** Builds the dashboard app (not listening). */
export async function buildDashboard(deps: DashboardDeps, options: DashboardOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger.child({ component: 'dashboard' }) as unknown as FastifyBaseLogger,
    // Fastify's request lines carry the URL, and a list URL carries the search (a name, an address).
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: trustProxyOption(options.trustProxy),
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 200 },
  });
  const routes: DashboardRoute[] = [];
  (app as unknown as { [ROUTES]: DashboardRoute[] })[ROUTES] = routes;
  app.addHook('onRoute', (route) => {
    const config = (route.config ?? {}) as { access?: DashboardRoute['access']; kind?: DashboardRoute['kind'] };
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, access: config.access ?? 'staff', kind: config.kind ?? 'page' });
  });
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const words = () => new OfficeWords(timeZone, { ...(options.vocabulary?.() ?? {}), programmes: deps.rules().programmes });
  const ctx: DashboardContext = { deps, loginCsrf: new LoginCsrf(), limiter: new LoginRateLimiter(() => deps.now()), words };
  const statics = new Map<string, { type: string; body: Buffer }>();
  for (const [name, { type }] of Object.entries(STATIC_FILES)) statics.set(name, { type, body: readFileSync(path.join(staticDir(), name)) });

  await app.register(cookie);
  await app.register(formbody);
  app.decorateRequest('staff', null);

  app.addHook('onRequest', async (request, reply) => {
    setSecurityHeaders(reply);
    request.staff = null;
    const token = request.cookies[SESSION_COOKIE];
    if (isWellFormedToken(token)) {
      const session = await deps.store.getSession(sessionIdOf(token), deps.now().toISOString());
      if (session) {
        request.staff = { sessionId: session.id, username: session.username, role: session.role, csrfToken: session.csrfToken };
      }
    }
    // An unknown path answers 404 whoever asks: it shows nothing.
    if (request.is404) return;
    const config = request.routeOptions.config;
    const access = config.access ?? 'staff';
    if (access === 'public') return;
    if (!request.staff) {
      const isPage = (config.kind ?? 'page') === 'page' && (request.method === 'GET' || request.method === 'HEAD');
      if (isPage) {
        const next = request.url.startsWith('/') && !request.url.startsWith('//') ? request.url : '/';
        return reply.code(303).header('location', `/login?next=${encodeURIComponent(next)}`).send();
      }
      return reply.code(401).type('text/plain; charset=utf-8').send('Sign in first.\n');
    }
    if (access === 'admin' && request.staff.role !== 'admin') {
      return sendMessage(reply, 403, 'Not allowed', 'This page is for admins.', request.staff);
    }
  });

  // CSRF: every POST of a signed-in user carries the session's token (login checks its own).
  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || request.is404) return;
    if ((request.routeOptions.config.access ?? 'staff') === 'public') return;
    if (!safeEqual(stringField(request.body, '_csrf'), request.staff?.csrfToken)) {
      request.log.warn({ route: request.routeOptions.url }, 'dashboard: POST refused, CSRF token missing or wrong');
      return sendMessage(reply, 403, 'Form expired', 'This form is out of date or did not come from the dashboard. Go back, reload the page and try again.', request.staff ?? undefined);
    }
  });

  // One line per request, with the route pattern, never the URL (it may carry a search for a name).
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      { method: request.method, route: request.is404 ? '(not found)' : request.routeOptions.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime), user: request.staff?.username },
      'dashboard request',
    );
  });

  app.setErrorHandler((err, request, reply) => {
    const status = typeof (err as { statusCode?: unknown }).statusCode === 'number' ? (err as { statusCode: number }).statusCode : 500;
    if (status >= 400 && status < 500) {
      return sendMessage(reply, status, 'Bad request', 'The request could not be understood.', request.staff ?? undefined);
    }
    request.log.error({ err: safeError(err), route: request.routeOptions.url }, 'dashboard: request failed');
    return sendMessage(reply, 500, 'Something went wrong', 'The dashboard could not answer. The error is logged; try again, or tell an admin.', request.staff ?? undefined);
  });

  app.setNotFoundHandler((request, reply) => sendMessage(reply, 404, 'Not found', 'There is nothing here.', request.staff ?? undefined));

  app.get<{ Params: { file: string } }>('/static/:file', { config: { access: 'public', kind: 'file' } }, async (request, reply) => {
    const file = statics.get(request.params.file);
    if (!file) return sendMessage(reply, 404, 'Not found', 'There is nothing here.');
    // Not personal, and the same for everyone: the browser may keep it briefly.
    return reply.header('cache-control', 'public, max-age=300').type(file.type).send(file.body);
  });

  for (const routes of ROUTE_MODULES) await routes(app, ctx);
  return app;
}
