import { scryptSync } from 'node:crypto';
import { checkPasswordStrength, hashPassword, verifyPassword } from '../../../services/dashboard/passwords';

describe('hashPassword / verifyPassword', () => {
  it('still verifies a hash made with the earlier cost N=2^14', async () => {
    const salt = Buffer.alloc(16, 7);
    const key = scryptSync('an older password', salt, 32, { N: 16384, r: 8, p: 1 });
    const old = `scrypt$16384$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
    expect(await verifyPassword('an older password', old)).toBe(true);
    expect(await verifyPassword('another password', old)).toBe(false);
  });

  it('encodes scrypt with its parameters and a random salt, and verifies only the same password', async () => {
    const encoded = await hashPassword('correct horse battery');
    const parts = encoded.split('$');
    expect(parts.slice(0, 4)).toEqual(['scrypt', '131072', '8', '1']);
    expect(Buffer.from(parts[4]!, 'base64')).toHaveLength(16);
    expect(Buffer.from(parts[5]!, 'base64')).toHaveLength(32);
    expect(encoded).not.toContain('horse');

    expect(await verifyPassword('correct horse battery', encoded)).toBe(true);
    expect(await verifyPassword('correct horse batterY', encoded)).toBe(false);
    expect(await verifyPassword('', encoded)).toBe(false);

    const again = await hashPassword('correct horse battery');
    expect(again).not.toBe(encoded);
    expect(await verifyPassword('correct horse battery', again)).toBe(true);
  });

  it('verifies hashes made with other parameters (the cost can change later)', async () => {
    // scrypt$N=1024$r=8$p=1, computed with node:crypto for "lower cost pw".
    const { scryptSync } = await import('node:crypto');
    const salt = Buffer.alloc(16, 7);
    const key = scryptSync('lower cost pw', salt, 32, { N: 1024, r: 8, p: 1 });
    const encoded = `scrypt$1024$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
    expect(await verifyPassword('lower cost pw', encoded)).toBe(true);
    expect(await verifyPassword('other', encoded)).toBe(false);
  });

  it('treats the same text in another Unicode form as the same password', async () => {
    const composed = 'caf\u00e9-au-lait-2021';
    const decomposed = 'cafe\u0301-au-lait-2021';
    expect(await verifyPassword(decomposed, await hashPassword(composed))).toBe(true);
  });

  it('answers false, never throws, for malformed or abusive encoded hashes', async () => {
    const good = await hashPassword('some password');
    const [, , , , salt, key] = good.split('$');
    for (const encoded of [
      '',
      'plain text',
      'bcrypt$2b$10$abc',
      `scrypt$16384$8$1$${salt}`,
      `scrypt$16384$8$1$${salt}$${key}$extra`,
      `scrypt$16385$8$1$${salt}$${key}`, // N not a power of two
      `scrypt$${2 ** 24}$8$1$${salt}$${key}`, // would take gigabytes
      `scrypt$16384$999$1$${salt}$${key}`,
      `scrypt$16384$8$1$!!$${key}`,
      `scrypt$16384$8$1$${salt}$`,
      `scrypt$-1$8$1$${salt}$${key}`,
    ]) {
      expect(await verifyPassword('some password', encoded)).toBe(false);
    }
    expect(await verifyPassword(undefined as never, good)).toBe(false);
    expect(await verifyPassword('some password', null as never)).toBe(false);
  });
});

describe('checkPasswordStrength', () => {
  it('accepts 10 characters or more', () => {
    expect(checkPasswordStrength('abcdefghij')).toBeUndefined();
    expect(checkPasswordStrength('a long pass phrase')).toBeUndefined();
  });

  it('gives the reason for a weak password', () => {
    expect(checkPasswordStrength('')).toMatch(/at least 10/);
    expect(checkPasswordStrength('abcdefghi')).toMatch(/at least 10/);
    // Characters, not UTF-16 units: five emoji are five characters.
    expect(checkPasswordStrength('😀😀😀😀😀')).toMatch(/at least 10/);
    expect(checkPasswordStrength(' '.repeat(12))).toMatch(/spaces/);
    expect(checkPasswordStrength('aaaaaaaaaaaa')).toMatch(/single character/);
    expect(checkPasswordStrength('x'.repeat(1023) + 'y'.repeat(2))).toMatch(/at most/);
  });
});
