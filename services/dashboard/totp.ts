/**
 * TOTP two-factor sign-in (RFC 6238: SHA-1, 6 digits, 30 s steps, what every authenticator app reads
 * from an otpauth:// QR code), and the two signed tokens its pages carry between requests:
 *
 * - the enrolment token holds a new secret until the user confirms it with a first code, so nothing is
 *   stored for a QR code nobody scanned;
 * - the pending sign-in cookie says "this browser gave the right password for U" for five minutes,
 *   until the code is given. Its MAC covers the password hash too: a password reset in between voids it.
 *
 * Both are HMACed with a key random per process (like the login form's token): a restart only voids
 * enrolments and sign-ins under way. The secret never goes to a log.
 */
import { createHmac } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { newToken, safeEqual } from './auth';

export const TOTP_PERIOD_S = 30;
/** Codes of the step before and after the current one are accepted too (clocks drift, people type slowly). */
export const TOTP_WINDOW = 1;
export const PENDING_SIGN_IN_COOKIE = 'esor_totp_pending';
export const PENDING_SIGN_IN_TTL_MS = 5 * 60 * 1000;
const ENROLMENT_TTL_MS = 30 * 60 * 1000;
const ISSUER = 'ESOR intake';

/** A new random secret (160 bits, the RFC's recommendation for SHA-1), base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpOf(secret: string, username: string): TOTP {
  return new TOTP({ issuer: ISSUER, label: username, algorithm: 'SHA1', digits: 6, period: TOTP_PERIOD_S, secret: Secret.fromBase32(secret) });
}

/** The otpauth:// URI an authenticator app reads from the QR code. */
export function totpUri(secret: string, username: string): string {
  return totpOf(secret, username).toString();
}

/** The code of `secret` at `at` (tests and the enrolment check use the library's own generator). */
export function totpCodeAt(secret: string, at: Date): string {
  return totpOf(secret, 'x').generate({ timestamp: at.getTime() });
}

/**
 * The time step the code belongs to when it is right within ±TOTP_WINDOW steps of `now`, else undefined.
 * The caller records the step (Store.useTotpStep) so that a code is accepted once.
 */
export function matchTotpStep(secret: string, code: unknown, now: Date): number | undefined {
  if (typeof code !== 'string') return undefined;
  const token = code.replace(/[\s-]/g, '');
  if (!/^\d{6}$/.test(token)) return undefined;
  const delta = totpOf(secret, 'x').validate({ token, timestamp: now.getTime(), window: TOTP_WINDOW });
  if (delta === null) return undefined;
  return TOTP.counter({ period: TOTP_PERIOD_S, timestamp: now.getTime() }) + delta;
}

/** The dark modules of the QR code of `text`: its size and a test per module (the view draws them). */
export function qrModules(text: string): { size: number; dark(x: number, y: number): boolean } {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  return { size: qr.modules.size, dark: (x, y) => qr.modules.get(y, x) === 1 };
}

/** Signs and checks the enrolment token and the pending sign-in cookie. */
export class TotpTokens {
  private readonly key = newToken();

  /** A token carrying a not yet confirmed secret for `username`. */
  enrolment(username: string, secret: string, now: Date): string {
    const expires = String(now.getTime() + ENROLMENT_TTL_MS);
    return `${secret}.${expires}.${this.mac('enrol', username, secret, expires)}`;
  }

  /** The secret of an enrolment token made for `username` and not expired, else undefined. */
  readEnrolment(token: unknown, username: string, now: Date): string | undefined {
    const parts = typeof token === 'string' ? token.split('.') : [];
    if (parts.length !== 3) return undefined;
    const [secret, expires, mac] = parts as [string, string, string];
    if (!/^[A-Z2-7]{16,128}$/.test(secret) || !/^\d{1,16}$/.test(expires)) return undefined;
    if (!safeEqual(mac, this.mac('enrol', username, secret, expires)) || Number(expires) < now.getTime()) return undefined;
    return secret;
  }

  /** The pending sign-in cookie and the nonce its form posts back (the form's CSRF token). */
  pendingSignIn(username: string, passwordHash: string, now: Date): { cookie: string; nonce: string } {
    const nonce = newToken();
    const expires = String(now.getTime() + PENDING_SIGN_IN_TTL_MS);
    return { nonce, cookie: `${username}.${expires}.${nonce}.${this.mac('sign-in', username, expires, nonce, passwordHash)}` };
  }

  /** The username a pending sign-in cookie names, when the cookie is ours, unexpired, and the form's nonce matches. */
  readPendingUsername(cookie: unknown): { username: string; expires: string; nonce: string; mac: string } | undefined {
    const parts = typeof cookie === 'string' ? cookie.split('.') : [];
    // A username may hold dots: the last three fields are fixed.
    if (parts.length < 4) return undefined;
    const [mac, nonce, expires] = [parts.pop()!, parts.pop()!, parts.pop()!];
    return { username: parts.join('.'), expires, nonce, mac };
  }

  /** True when the pending cookie was made for this user with this password hash, is unexpired and `field` is its nonce. */
  verifyPendingSignIn(p: { username: string; expires: string; nonce: string; mac: string }, passwordHash: string, field: unknown, now: Date): boolean {
    if (!/^\d{1,16}$/.test(p.expires) || Number(p.expires) < now.getTime()) return false;
    if (!safeEqual(p.mac, this.mac('sign-in', p.username, p.expires, p.nonce, passwordHash))) return false;
    return safeEqual(field, p.nonce);
  }

  private mac(...parts: string[]): string {
    return createHmac('sha256', this.key).update(parts.join('\u0000')).digest('base64url');
  }
}
