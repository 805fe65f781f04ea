/**
 * Sessions, CSRF tokens and the login rate limit of the dashboard.
 *
 * - A session token is 32 random bytes (base64url) in an HttpOnly, SameSite=Lax
 *   cookie; the store keeps only its SHA-256, so a copy of the database does
 *   not let anyone in. Sessions last 12 hours.
 * - Every POST carries the session's CSRF token in the `_csrf` field, compared
 *   in constant time. The login form, which has no session yet, uses a signed
 *   double-submit cookie: a random nonce in the form and the nonce with its
 *   HMAC in a cookie, the key being random per process (a restart only
 *   invalidates login forms already shown).
 * - Failed logins are counted per IP and per username, separately, in memory
 *   (the IP is the client's behind a reverse proxy only with ESOR_HTTP_TRUST_PROXY).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CookieSerializeOptions } from '@fastify/cookie';

export const SESSION_COOKIE = 'esor_session';
export const LOGIN_CSRF_COOKIE = 'esor_login_csrf';
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** How long a login form stays valid. */
export const LOGIN_FORM_TTL_MS = 60 * 60 * 1000;

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** 32 random bytes, base64url (43 characters). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** True for the shape newToken produces: anything else is not looked up. */
export function isWellFormedToken(token: unknown): token is string {
  return typeof token === 'string' && TOKEN.test(token);
}

/** The store's id of a session: the SHA-256 (hex) of its token. */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Constant-time equality of two strings (false when either is not a string). */
export function safeEqual(a: unknown, b: unknown): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  if (ab.length !== bb.length || ab.length === 0) return false;
  return timingSafeEqual(ab, bb);
}

export function cookieOptions(secure: boolean, maxAgeMs: number, path = '/'): CookieSerializeOptions {
  return { httpOnly: true, sameSite: 'lax', secure, path, maxAge: Math.floor(maxAgeMs / 1000) };
}

/** The signed double-submit token of the login form. */
export class LoginCsrf {
  private readonly key = randomBytes(32);

  /** A fresh nonce for the form and the cookie value that vouches for it. */
  issue(now: Date): { field: string; cookie: string } {
    const field = newToken();
    const expires = String(now.getTime() + LOGIN_FORM_TTL_MS);
    return { field, cookie: `${field}.${expires}.${this.mac(field, expires)}` };
  }

  /** True when the cookie is ours, unexpired, and names the nonce the form posted. */
  verify(cookie: unknown, field: unknown, now: Date): boolean {
    if (typeof cookie !== 'string' || typeof field !== 'string') return false;
    const parts = cookie.split('.');
    if (parts.length !== 3) return false;
    const [nonce, expires, mac] = parts as [string, string, string];
    if (!isWellFormedToken(nonce) || !/^\d{1,16}$/.test(expires)) return false;
    if (!safeEqual(mac, this.mac(nonce, expires))) return false;
    if (Number(expires) < now.getTime()) return false;
    return safeEqual(nonce, field);
  }

  private mac(nonce: string, expires: string): string {
    return createHmac('sha256', this.key).update(`${nonce}.${expires}`).digest('base64url');
  }
}

/**
 * Failed logins per key (an IP, a username) in a sliding window. In memory: a
 * restart forgets, which only matters to an attacker who can restart us.
 *
 * The two counts are separate and have their own limits: 5 failures lock one
 * username (whoever tries it), while an IP (`ip:` keys) is locked only after
 * `maxFailuresPerIp` failures across usernames. An office behind one NAT, or a
 * reverse proxy without ESOR_HTTP_TRUST_PROXY, shows one IP for everybody: a
 * colleague mistyping a password five times must not lock all staff out.
 */
export class LoginRateLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly now: () => Date,
    readonly maxFailures = 5,
    readonly windowMs = 15 * 60 * 1000,
    /** Bound on remembered keys, so a spray of usernames cannot fill memory. */
    private readonly maxKeys = 10_000,
    /** Failures from one IP across usernames (a password spray) before that IP is locked. */
    readonly maxFailuresPerIp = 20,
  ) {}

  private limitOf(key: string): number {
    return key.startsWith('ip:') ? this.maxFailuresPerIp : this.maxFailures;
  }

  /** Milliseconds until the first of `keys` may try again; 0 when all may. */
  retryAfterMs(keys: readonly string[]): number {
    const t = this.now().getTime();
    let wait = 0;
    for (const key of keys) {
      const recent = this.recent(key, t);
      const limit = this.limitOf(key);
      if (recent.length >= limit) wait = Math.max(wait, recent[recent.length - limit]! + this.windowMs - t);
    }
    return wait;
  }

  recordFailure(keys: readonly string[]): void {
    const t = this.now().getTime();
    if (this.failures.size >= this.maxKeys) this.prune(t);
    for (const key of keys) {
      const recent = this.recent(key, t);
      recent.push(t);
      this.failures.set(key, recent);
    }
  }

  reset(keys: readonly string[]): void {
    for (const key of keys) this.failures.delete(key);
  }

  private recent(key: string, t: number): number[] {
    return (this.failures.get(key) ?? []).filter((at) => at > t - this.windowMs);
  }

  private prune(t: number): void {
    for (const [key, times] of this.failures) {
      if (!times.some((at) => at > t - this.windowMs)) this.failures.delete(key);
    }
    // Still full: forget the oldest keys rather than grow without bound.
    for (const key of this.failures.keys()) {
      if (this.failures.size < this.maxKeys) break;
      this.failures.delete(key);
    }
  }
}
