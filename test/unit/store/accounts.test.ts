/**
 * Accounts managed in the dashboard, on both stores: disabling (no sign-in, no session), the last
 * enabled admin kept, the TOTP secret and the replay guard of its codes.
 */
import { codeOf, forEachStore, openTempStore, sha256, type TempStore } from './store-fixtures';

const AT = '2021-03-20T10:00:00.000Z';
const LATER = '2021-03-21T10:00:00.000Z';

forEachStore((kind) => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore(kind);
    await t.store.createUser({ username: 'ada', role: 'admin', passwordHash: 'h-ada', at: AT });
    await t.store.createUser({ username: 'sam', role: 'staff', passwordHash: 'h-sam', at: AT });
  });
  afterEach(() => t.cleanup());

  const session = (n: number, username: string) => ({ id: sha256(`t${n}`), username, csrfToken: `c${n}`, createdAt: AT, expiresAt: '2021-03-22T10:00:00.000Z' });

  it('disables an account (its sessions end and none is found for it) and enables it again', async () => {
    await t.store.createSession(session(1, 'sam'));
    const disabled = await t.store.updateUser('sam', { disabled: true, at: AT });
    expect(disabled.disabledAt).toBe(AT);
    // Disabling twice keeps the first time.
    expect((await t.store.updateUser('sam', { disabled: true, at: LATER })).disabledAt).toBe(AT);
    expect(await t.sql('SELECT id FROM sessions')).toEqual([]);
    await t.store.createSession(session(2, 'sam'));
    expect(await t.store.getSession(sha256('t2'), AT)).toBeUndefined();
    const enabled = await t.store.updateUser('sam', { disabled: false, at: LATER });
    expect(enabled.disabledAt).toBeUndefined();
    expect(await t.store.getSession(sha256('t2'), AT)).toMatchObject({ username: 'sam' });
  });

  it('refuses to demote or disable the last enabled admin, and allows it once another admin exists', async () => {
    expect(await codeOf(t.store.updateUser('ada', { role: 'staff', at: AT }))).toBe('STORE_INVALID_STATE');
    expect(await codeOf(t.store.updateUser('ada', { disabled: true, at: AT }))).toBe('STORE_INVALID_STATE');
    expect(await t.store.getUser('ada')).toMatchObject({ role: 'admin' });
    expect((await t.store.getUser('ada'))?.disabledAt).toBeUndefined();

    await t.store.updateUser('sam', { role: 'admin', at: AT });
    await t.store.updateUser('sam', { disabled: true, at: AT });
    // A disabled admin does not count.
    expect(await codeOf(t.store.updateUser('ada', { role: 'staff', at: AT }))).toBe('STORE_INVALID_STATE');
    await t.store.updateUser('sam', { disabled: false, at: AT });
    expect(await t.store.updateUser('ada', { role: 'staff', at: AT })).toMatchObject({ role: 'staff' });
    expect(await codeOf(t.store.updateUser('sam', { role: 'staff', at: AT }))).toBe('STORE_INVALID_STATE');
  });

  it('keeps one admin when two demote each other at once', async () => {
    await t.store.updateUser('sam', { role: 'admin', at: AT });
    const other = await t.reopen();
    const results = await Promise.allSettled([t.store.updateUser('ada', { role: 'staff', at: AT }), other.updateUser('sam', { role: 'staff', at: AT })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const admins = (await t.store.listUsers()).filter((u) => u.role === 'admin');
    expect(admins).toHaveLength(1);
  });

  it('stores a TOTP secret, accepts each time step once and only later ones, and forgets on reset', async () => {
    // No secret: no step is accepted.
    expect(await t.store.useTotpStep('sam', 100)).toBe(false);
    const enrolled = await t.store.updateUser('sam', { totpSecret: 'JBSWY3DPEHPK3PXP', at: AT });
    expect(enrolled.totpSecret).toBe('JBSWY3DPEHPK3PXP');
    expect(await t.store.useTotpStep('sam', 100)).toBe(true);
    expect(await t.store.useTotpStep('sam', 100)).toBe(false);
    expect(await t.store.useTotpStep('sam', 99)).toBe(false);
    expect(await t.store.useTotpStep('sam', 101)).toBe(true);
    expect(await t.store.useTotpStep('nobody', 200)).toBe(false);
    expect(await codeOf(t.store.useTotpStep('sam', -1))).toBe('STORE_INVALID_INPUT');

    const reset = await t.store.updateUser('sam', { totpSecret: null, at: LATER });
    expect(reset.totpSecret).toBeUndefined();
    await t.store.updateUser('sam', { totpSecret: 'KRSXG5CTMVRXEZLU', at: LATER });
    // A new secret starts afresh.
    expect(await t.store.useTotpStep('sam', 50)).toBe(true);
    expect(await codeOf(t.store.updateUser('sam', { totpSecret: '', at: AT }))).toBe('STORE_INVALID_INPUT');
    expect(await codeOf(t.store.updateUser('sam', { disabled: 'yes' as never, at: AT }))).toBe('STORE_INVALID_INPUT');
  });
});
