/**
 * Per-member access to the committee pack: each member of a programme's
 * evaluation committee (rules/programmes/*.yaml `committee`, as the call names
 * them) gets a link of their own that downloads the pack without a dashboard
 * account, until it expires. A link is a signed token (HMAC-SHA256 over the
 * programme, the member's place in the list and the expiry), so nothing is
 * stored per link; the key is kept in the BlobStore (every role on every
 * machine checks with the same key), and replacing it revokes every link at
 * once. Downloads are in the event log as `committee:<programme>:<n>`: which
 * member, never a name.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { BlobStore } from '../../core/ports/blob-store';

const KIND = 'committee_links';
const ID = 'key';
const DAY_MS = 86_400_000;
export const MAX_LINK_DAYS = 60;

export interface LinkKey {
  /** 32 random bytes, hex. */
  key: string;
  createdAt: string;
  createdBy: string;
}

export interface LinkClaims {
  programme: string;
  /** 0-based place of the member in the programme's `committee` list. */
  member: number;
  /** Expiry, milliseconds since the epoch. */
  expires: number;
}

function isMissing(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'BLOB_NOT_FOUND' || code === 'ENOENT';
}

/** The key in force, or undefined when no link was ever made. @throws what the BlobStore throws but absence. */
export async function readLinkKey(files: Pick<BlobStore, 'readJson'>): Promise<LinkKey | undefined> {
  try {
    const k = await files.readJson<LinkKey>(KIND, ID);
    return typeof k?.key === 'string' && /^[0-9a-f]{64}$/.test(k.key) ? k : undefined;
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}

/** A new key: every link made before stops working. */
export async function replaceLinkKey(files: Pick<BlobStore, 'writeJson'>, by: string, now: Date): Promise<LinkKey> {
  const key: LinkKey = { key: randomBytes(32).toString('hex'), createdAt: now.toISOString(), createdBy: by };
  await files.writeJson(KIND, ID, key);
  return key;
}

function sign(key: string, payload: string): string {
  return createHmac('sha256', Buffer.from(key, 'hex')).update(`esor-committee-link\n${payload}`).digest('base64url');
}

/** The token of a link valid `days` days from `now`. */
export function makeLinkToken(key: LinkKey, claims: Omit<LinkClaims, 'expires'>, now: Date, days: number): { token: string; expires: Date } {
  const expires = now.getTime() + Math.min(Math.max(1, Math.round(days)), MAX_LINK_DAYS) * DAY_MS;
  const payload = Buffer.from(JSON.stringify({ p: claims.programme, m: claims.member, e: expires })).toString('base64url');
  return { token: `${payload}.${sign(key.key, payload)}`, expires: new Date(expires) };
}

/** The claims of a token signed with `key` and not expired at `now`; undefined otherwise (never throws). */
export function verifyLinkToken(key: LinkKey | undefined, token: string, now: Date): LinkClaims | undefined {
  if (!key || typeof token !== 'string' || token.length > 400) return undefined;
  const m = /^([A-Za-z0-9_-]{1,300})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return undefined;
  const expected = Buffer.from(sign(key.key, m[1]!));
  const given = Buffer.from(m[2]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  let claims: { p?: unknown; m?: unknown; e?: unknown };
  try {
    claims = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8')) as typeof claims;
  } catch {
    return undefined;
  }
  if (typeof claims.p !== 'string' || !Number.isInteger(claims.m) || typeof claims.e !== 'number') return undefined;
  if (now.getTime() >= claims.e) return undefined;
  return { programme: claims.p, member: claims.m as number, expires: claims.e };
}
