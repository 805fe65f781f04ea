import { codeOf, openTempStore, recordAndTriage, forEachStore, type TempStore } from './store-fixtures';

forEachStore((kind) => {
  let t: TempStore;
  let applicationId: string;
  beforeEach(async () => {
    t = await openTempStore(kind);
    ({ applicationId } = await recordAndTriage(t.store, 'app', { uid: 1 }));
  });
  afterEach(() => t.cleanup());

  const newReply = () => ({
    applicationId,
    revision: 1,
    status: 'complete' as const,
    to: 'a.rossi@example.it',
    subject: 'Re: Application',
    body: 'Your application is complete.',
    held: false,
  });

  describe('holding a reply over an hourly cap', () => {
    it('pending -> held with the reason, then staff approve it as any held reply', async () => {
      const { reply } = await t.store.reserveReply(newReply());
      await t.store.holdReply(reply.id, 'hourly reply cap for all senders');
      expect(await t.store.getReply(reply.id)).toMatchObject({ state: 'held', held: true, error: 'hourly reply cap for all senders' });
      await t.store.holdReply(reply.id, 'again'); // no-op
      expect((await t.store.getReply(reply.id))?.error).toBe('hourly reply cap for all senders');
      expect(await t.store.approveReply(reply.id, 'staff:anna')).toMatchObject({ state: 'pending' });
    });

    it('refuses a sent or discarded reply, an unknown id and an empty reason', async () => {
      const { reply } = await t.store.reserveReply(newReply());
      expect(await codeOf(t.store.holdReply(reply.id, ''))).toBe('STORE_INVALID_INPUT');
      expect(await codeOf(t.store.holdReply('nope', 'cap'))).toBe('STORE_NOT_FOUND');
      await t.store.markReplySent(reply.id, '<reply-x@esor-intake>', '2021-03-12T10:00:00Z');
      expect(await codeOf(t.store.holdReply(reply.id, 'cap'))).toBe('STORE_INVALID_STATE');
    });
  });
});
