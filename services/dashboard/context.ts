/**
 * What every route module shares: the request's staff session, route access
 * levels, the helpers that read form fields and query values safely, and the
 * answers (page, redirect, refusal) with the right headers.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { UserRole } from '../../core/ports/store';
import type { DashboardDeps } from './deps';
import type { LoginCsrf, LoginRateLimiter } from './auth';
import type { SafeHtml } from './html';
import { messagePage, type PageUser } from './views/common';
import type { OfficeWords } from './words';

export interface StaffSession extends PageUser {
  /** The store's id of the session (sha256 of the token). */
  sessionId: string;
  role: UserRole;
}

/**
 * Who may call a route. `public`: anyone (login, static files). `staff`: any
 * signed-in user (the default). `admin`: admins only.
 * `kind` decides how a request without a session is refused: pages redirect
 * to the login form, files and JSON answer 401.
 */
export interface RouteAccess {
  access?: 'public' | 'staff' | 'admin';
  kind?: 'page' | 'file' | 'api';
}

declare module 'fastify' {
  interface FastifyRequest {
    staff: StaffSession | null;
  }
  interface FastifyContextConfig extends RouteAccess {}
}

export interface DashboardContext {
  deps: DashboardDeps;
  loginCsrf: LoginCsrf;
  limiter: LoginRateLimiter;
  /** The office's words with the rules in force now (built per call: rules reload while the app runs). */
  words(): OfficeWords;
}

export type RouteModule = (app: FastifyInstance, ctx: DashboardContext) => void | Promise<void>;

/** The signed-in user of a route that requires one (the access hook ran first). */
export function staffOf(request: FastifyRequest): StaffSession {
  if (!request.staff) throw new Error('route reached without a session');
  return request.staff;
}

export function sendPage(reply: FastifyReply, page: SafeHtml, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(page.value);
}

export function sendMessage(reply: FastifyReply, status: number, title: string, text: string, user?: PageUser): FastifyReply {
  return sendPage(reply, messagePage(title, text, user), status);
}

/** Post/Redirect/Get: 303 to a path of ours (never a URL from the request). */
export function redirectTo(reply: FastifyReply, pathAndQuery: string): FastifyReply {
  return reply.code(303).header('location', pathAndQuery).send();
}

/** A form field or query value when it is a single string; undefined for arrays, objects, absence. */
export function stringField(source: unknown, name: string): string | undefined {
  if (!source || typeof source !== 'object') return undefined;
  const value = (source as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** Ids of applications and replies: UUIDs in practice; never anything with a dot or a slash. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;

export function isId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

/** A positive integer written plainly (no sign, no exponent), at most `max`. */
export function parsePositiveInt(value: unknown, max = 1_000_000): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value)) return undefined;
  const n = Number(value);
  return n >= 1 && n <= max ? n : undefined;
}
