/**
 * Staff passwords: scrypt (node:crypto) with a random salt per password,
 * stored as one self-describing string
 *
 *   scrypt$N$r$p$saltB64$hashB64
 *
 * so the cost can be raised later without breaking existing hashes: verify
 * reads the parameters from the string, hash writes the current ones.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt's cost for new hashes: N=2^17 (OWASP's minimum), 2^17 * 8 * 128 bytes = 128 MiB and a few
 * hundred ms per hash. Hashes made with the earlier 2^14 still verify (the cost is read from each hash).
 */
export const COST = { N: 2 ** 17, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
export const MIN_PASSWORD_LENGTH = 10;
/** Long enough for any passphrase, short enough that hashing one costs nothing unusual. */
export const MAX_PASSWORD_LENGTH = 1024;

/**
 * Bounds on parameters read back from a stored hash: a hash written into the
 * database by hand must not make one login take minutes or gigabytes.
 */
const LIMITS = { maxN: 2 ** 20, maxR: 32, maxP: 16, minKey: 16, maxKey: 64, minSalt: 8, maxSalt: 64 } as const;

function derive(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Room for scrypt's working memory (128 * N * r * p bytes) over its 32 MiB default. */
function maxmemFor(N: number, r: number, p: number): number {
  return 128 * N * r * p + 16 * 1024 * 1024;
}

/**
 * The encoded hash of `password`, with a fresh random salt.
 * @throws TypeError when the password is not a string.
 */
export async function hashPassword(password: string): Promise<string> {
  if (typeof password !== 'string') throw new TypeError('password must be a string');
  const salt = randomBytes(SALT_BYTES);
  const { N, r, p } = COST;
  const key = await derive(password, salt, KEY_BYTES, { N, r, p, maxmem: maxmemFor(N, r, p) });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/**
 * True when `password` is the one `encoded` was made from. False, never an
 * error, for a malformed or unsupported encoded hash (a login fails, it does not crash).
 */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  if (typeof password !== 'string' || typeof encoded !== 'string') return false;
  const parsed = parseEncoded(encoded);
  if (!parsed) return false;
  const { N, r, p, salt, key } = parsed;
  let candidate: Buffer;
  try {
    candidate = await derive(password, salt, key.length, { N, r, p, maxmem: maxmemFor(N, r, p) });
  } catch {
    return false;
  }
  return timingSafeEqual(candidate, key);
}

function parseEncoded(encoded: string): { N: number; r: number; p: number; salt: Buffer; key: Buffer } | undefined {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [, nText, rText, pText, saltB64, keyB64] = parts as [string, string, string, string, string, string];
  if (![nText, rText, pText].every((t) => /^[1-9]\d{0,7}$/.test(t))) return undefined;
  const N = Number(nText);
  const r = Number(rText);
  const p = Number(pText);
  // N must be a power of two above 1 (scrypt's own rule).
  if (N < 2 || N > LIMITS.maxN || (N & (N - 1)) !== 0 || r > LIMITS.maxR || p > LIMITS.maxP) return undefined;
  const base64 = /^[A-Za-z0-9+/]+={0,2}$/;
  if (!base64.test(saltB64) || !base64.test(keyB64)) return undefined;
  const salt = Buffer.from(saltB64, 'base64');
  const key = Buffer.from(keyB64, 'base64');
  if (salt.length < LIMITS.minSalt || salt.length > LIMITS.maxSalt || key.length < LIMITS.minKey || key.length > LIMITS.maxKey) return undefined;
  return { N, r, p, salt, key };
}

/** Why `password` is not acceptable as a new password, or undefined when it is. */
export function checkPasswordStrength(password: string): string | undefined {
  if (typeof password !== 'string') return 'the password must be text';
  // Characters as people count them, not UTF-16 units.
  const length = [...password.normalize('NFC')].length;
  if (length < MIN_PASSWORD_LENGTH) return `the password must have at least ${MIN_PASSWORD_LENGTH} characters`;
  if (length > MAX_PASSWORD_LENGTH) return `the password must have at most ${MAX_PASSWORD_LENGTH} characters`;
  if (password.trim() === '') return 'the password must not be only spaces';
  if (new Set(password).size === 1) return 'the password must not repeat a single character';
  return undefined;
}
