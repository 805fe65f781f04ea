/**
 * Password hashes for seeding staff accounts in tests, at a low scrypt cost.
 *
 * The service hashes new passwords at COST (N=2^17, a few hundred ms each) and verifies any
 * cost written in the hash string (services/dashboard/passwords.ts). Tests that only need a
 * user who can sign in store a hash made here, in the same `scrypt$N$r$p$salt$hash` form, at
 * N=2^12: a sign-in then verifies in milliseconds through the real verifyPassword. Each
 * password is hashed once per process and the string reused.
 *
 * Not for tests of hashing itself: test/unit/services/passwords.test.ts, and anything that
 * checks new hashes use COST, hash through the service at the real cost.
 */
import { randomBytes, scryptSync } from 'node:crypto';

export const TEST_HASH_COST = { N: 2 ** 12, r: 8, p: 1 } as const;

const cache = new Map<string, string>();

/** `password` encoded as passwords.ts encodes it (NFC, 16-byte salt, 32-byte key), at TEST_HASH_COST. */
export function testPasswordHash(password: string): string {
  let encoded = cache.get(password);
  if (encoded === undefined) {
    const { N, r, p } = TEST_HASH_COST;
    const salt = randomBytes(16);
    const key = scryptSync(password.normalize('NFC'), salt, 32, { N, r, p });
    encoded = `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
    cache.set(password, encoded);
  }
  return encoded;
}
