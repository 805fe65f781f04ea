/**
 * Store contract (both stores): the send record of a message staff wrote. One claim at a time, the
 * sent mark ends it, a failure waits for staff's retry (once per attempt), and every change the page
 * shows is logged with it.
 */
import { MESSAGE_EVENTS } from '../../../core/reply/staff-message';
import { codeOf, forEachStore, openTempStore, recordAndTriage, type TempStore } from './store-fixtures';

const KEY = 'k0123456789abcdef0123';
const at = (min: number) => new Date(Date.parse('2021-03-12T10:00:00Z') + min * 60_000).toISOString();

forEachStore((kind) => {
  let t: TempStore;
  let applicationId: string;

  beforeEach(async () => {
    t = await openTempStore(kind);
    ({ applicationId } = await recordAndTriage(t.store, 'app', { uid: 1 }));
  });
  afterEach(() => t.cleanup());

  const messageEvents = async () =>
    (await t.store.listEvents(applicationId, 100))
      .filter((e) => e.action.startsWith('message.'))
      .reverse()
      .map((e) => ({ actor: e.actor, action: e.action, detail: e.detail }));

  it('records a request once (a double press logs nothing more)', async () => {
    const first = await t.store.requestStaffMessage(KEY, applicationId, 'bob', at(0));
    expect(first).toMatchObject({ isNew: true, send: { key: KEY, applicationId, state: 'queued', attempt: 1 } });
    const again = await t.store.requestStaffMessage(KEY, applicationId, 'bob', at(1));
    expect(again).toEqual({ send: first.send, isNew: false });
    expect(await messageEvents()).toEqual([{ actor: 'bob', action: MESSAGE_EVENTS.requested, detail: { key: KEY } }]);
    expect(await codeOf(t.store.requestStaffMessage('', applicationId, 'bob', at(0)))).toBe('STORE_INVALID_INPUT');
  });

  it('lets one worker at a time send, until it is sent; a lease that ran out is taken over, and said so', async () => {
    await t.store.requestStaffMessage(KEY, applicationId, 'bob', at(0));
    expect((await t.store.claimStaffMessageSend(KEY, applicationId, at(0), at(5))).claim).toBe('claimed');
    expect(await t.store.getStaffMessageSend(KEY)).toMatchObject({ state: 'sending', leaseUntil: at(5) });
    // The job ran again in another worker while SMTP was slow: no second send.
    expect((await t.store.claimStaffMessageSend(KEY, applicationId, at(1), at(6))).claim).toBe('in-flight');
    // The first worker died between SMTP and its record: once the lease ends, the outcome is unknown.
    expect((await t.store.claimStaffMessageSend(KEY, applicationId, at(5), at(10))).claim).toBe('taken-over');
    // A send that certainly did not go gives the claim back: the retry claims afresh.
    await t.store.releaseStaffMessageSend(KEY);
    expect(await t.store.getStaffMessageSend(KEY)).toMatchObject({ state: 'queued' });
    expect((await t.store.claimStaffMessageSend(KEY, applicationId, at(6), at(11))).claim).toBe('claimed');
    await t.store.markStaffMessageSent(KEY, 'worker:reply', at(7));
    await t.store.markStaffMessageSent(KEY, 'worker:reply', at(8)); // repeated: a no-op
    const sent = await t.store.getStaffMessageSend(KEY);
    expect(sent).toMatchObject({ state: 'sent', sentAt: at(7), attempt: 1 });
    expect(sent!.leaseUntil).toBeUndefined();
    expect((await t.store.claimStaffMessageSend(KEY, applicationId, at(20), at(25))).claim).toBe('sent');
    expect(await t.store.markStaffMessageFailed(KEY, applicationId, 'refused', 'worker:reply', at(21))).toBe(false);
    expect((await messageEvents()).map((e) => e.action)).toEqual([MESSAGE_EVENTS.requested, MESSAGE_EVENTS.sent]);
    expect(await codeOf(t.store.claimStaffMessageSend(KEY, applicationId, at(5), at(4)))).toBe('STORE_INVALID_INPUT');
    expect(await codeOf(t.store.markStaffMessageSent('unknown-key-0123456', 'worker:reply', at(0)))).toBe('STORE_NOT_FOUND');
  });

  it('records a message requested before sends were recorded on its first claim', async () => {
    const { claim, send } = await t.store.claimStaffMessageSend(KEY, applicationId, at(0), at(5));
    expect(claim).toBe('claimed');
    expect(send).toMatchObject({ key: KEY, applicationId, state: 'sending', attempt: 1 });
  });

  it('keeps a failure until staff ask again, once per attempt; a send still running holds the new attempt back', async () => {
    await t.store.requestStaffMessage(KEY, applicationId, 'bob', at(0));
    await t.store.claimStaffMessageSend(KEY, applicationId, at(0), at(5));
    // The queue gave up while that claim may still be sending: the lease stays.
    expect(await t.store.markStaffMessageFailed(KEY, applicationId, 'unreachable', 'worker:reply', at(1))).toBe(true);
    expect(await t.store.markStaffMessageFailed(KEY, applicationId, 'failed', 'worker:reply', at(1))).toBe(false);
    expect(await t.store.getStaffMessageSend(KEY)).toMatchObject({ state: 'failed', error: 'unreachable', leaseUntil: at(5) });
    expect((await t.store.claimStaffMessageSend(KEY, applicationId, at(2), at(7))).claim).toBe('failed');

    const retried = await t.store.retryStaffMessage(KEY, 1, 'bob', at(2));
    expect(retried).toMatchObject({ state: 'queued', attempt: 2 });
    expect(retried!.error).toBeUndefined();
    // A second press of the same button (attempt 1) changes nothing.
    expect(await t.store.retryStaffMessage(KEY, 1, 'alice', at(2))).toEqual(retried);
    expect((await t.store.claimStaffMessageSend(KEY, applicationId, at(3), at(8))).claim).toBe('in-flight');
    expect((await t.store.claimStaffMessageSend(KEY, applicationId, at(5), at(10))).claim).toBe('claimed');
    // Refused for good by the claim's holder: its send is over, the lease ends with it.
    expect(await t.store.markStaffMessageFailed(KEY, applicationId, 'refused', 'worker:reply', at(6), { leaseEnded: true })).toBe(true);
    expect((await t.store.getStaffMessageSend(KEY))!.leaseUntil).toBeUndefined();
    expect(await t.store.retryStaffMessage(KEY, 2, 'bob', at(7))).toMatchObject({ state: 'queued', attempt: 3 });
    expect((await t.store.claimStaffMessageSend(KEY, applicationId, at(7), at(12))).claim).toBe('claimed');

    expect(await messageEvents()).toEqual([
      { actor: 'bob', action: MESSAGE_EVENTS.requested, detail: { key: KEY } },
      { actor: 'worker:reply', action: MESSAGE_EVENTS.failed, detail: { key: KEY, reason: 'unreachable', attempt: 1 } },
      { actor: 'bob', action: MESSAGE_EVENTS.retried, detail: { key: KEY, attempt: 2 } },
      { actor: 'worker:reply', action: MESSAGE_EVENTS.failed, detail: { key: KEY, reason: 'refused', attempt: 2 } },
      { actor: 'bob', action: MESSAGE_EVENTS.retried, detail: { key: KEY, attempt: 3 } },
    ]);
    expect(await t.store.retryStaffMessage('unknown-key-0123456', 1, 'bob', at(0))).toBeUndefined();
    expect(await codeOf(t.store.retryStaffMessage(KEY, 0, 'bob', at(0)))).toBe('STORE_INVALID_INPUT');
  });

  it('records a failure of a message it never saw (the job failed before its first claim)', async () => {
    expect(await t.store.markStaffMessageFailed(KEY, applicationId, 'failed', 'worker:reply', at(0))).toBe(true);
    expect(await t.store.getStaffMessageSend(KEY)).toMatchObject({ applicationId, state: 'failed', attempt: 1, error: 'failed' });
  });

  it('lists sends oldest first, by state', async () => {
    const keys = ['k-b-0123456789abcdef', 'k-a-0123456789abcdef', 'k-c-0123456789abcdef'];
    for (const k of keys) await t.store.requestStaffMessage(k, applicationId, 'bob', at(0));
    await t.store.claimStaffMessageSend(keys[2]!, applicationId, at(1), at(5));
    expect((await t.store.listStaffMessageSends()).map((s) => s.key)).toEqual(keys);
    expect((await t.store.listStaffMessageSends({ state: 'queued' })).map((s) => s.key)).toEqual(keys.slice(0, 2));
    expect((await t.store.listStaffMessageSends({ state: 'queued', limit: 1 })).map((s) => s.key)).toEqual([keys[0]]);
    expect(await t.store.listStaffMessageSends({ state: 'sent' })).toEqual([]);
    expect(await codeOf(t.store.listStaffMessageSends({ state: 'lost' as never }))).toBe('STORE_INVALID_INPUT');
  });

  it('two claims at once: exactly one wins', async () => {
    await t.store.requestStaffMessage(KEY, applicationId, 'bob', at(0));
    const other = await t.reopen();
    const claims = await Promise.all([
      t.store.claimStaffMessageSend(KEY, applicationId, at(0), at(5)),
      other.claimStaffMessageSend(KEY, applicationId, at(0), at(5)),
      t.store.claimStaffMessageSend(KEY, applicationId, at(0), at(5)),
      other.claimStaffMessageSend(KEY, applicationId, at(0), at(5)),
    ]);
    expect(claims.map((c) => c.claim).sort()).toEqual(['claimed', 'in-flight', 'in-flight', 'in-flight']);
    // Not recorded yet: the two inserts race, one loses and finds the other's claim.
    const fresh = 'k-fresh-0123456789abcd';
    const firstClaims = await Promise.all([t.store.claimStaffMessageSend(fresh, applicationId, at(0), at(5)), other.claimStaffMessageSend(fresh, applicationId, at(0), at(5))]);
    expect(firstClaims.map((c) => c.claim).sort()).toEqual(['claimed', 'in-flight']);
  });
});
