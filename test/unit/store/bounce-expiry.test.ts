import { codeOf, openTempStore, forEachStore, type TempStore } from './store-fixtures';

forEachStore((kind) => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore(kind);
  });
  afterEach(() => t.cleanup());

  describe('bounce marks expire and staff clear them', () => {
    it('counts a bounce only since the given time', async () => {
      await t.store.markAddressBounced('gone@applicant.example.com', '2021-03-12T10:00:00Z');
      expect(await t.store.isAddressBounced('gone@applicant.example.com', '2021-02-10T10:00:00Z')).toBe(true);
      expect(await t.store.isAddressBounced('gone@applicant.example.com', '2021-03-12T10:00:00.000Z')).toBe(true);
      expect(await t.store.isAddressBounced('gone@applicant.example.com', '2021-04-12T10:00:00Z')).toBe(false);
      // A later bounce renews the mark.
      await t.store.markAddressBounced('gone@applicant.example.com', '2021-04-20T10:00:00Z');
      expect(await t.store.isAddressBounced('gone@applicant.example.com', '2021-04-12T10:00:00Z')).toBe(true);
      expect(await codeOf(t.store.isAddressBounced('gone@applicant.example.com', 'yesterday'))).toBe('STORE_INVALID_INPUT');
    });

    it('clears a mark, logging who did (without the address)', async () => {
      await t.store.markAddressBounced('Gone@Applicant.example.com', '2021-03-12T10:00:00Z');
      expect(await t.store.clearAddressBounce('gone@applicant.example.com', 'staff:anna', '2021-03-13T10:00:00Z')).toBe(true);
      expect(await t.store.isAddressBounced('gone@applicant.example.com')).toBe(false);
      expect(await t.store.clearAddressBounce('gone@applicant.example.com', 'staff:anna', '2021-03-13T10:00:00Z')).toBe(false);
      const events = await t.store.listEvents('bounces');
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ actor: 'staff:anna', action: 'bounce.cleared' });
      expect(JSON.stringify(events[0])).not.toContain('gone@');
      expect(await codeOf(t.store.clearAddressBounce('', 'staff:anna', '2021-03-13T10:00:00Z'))).toBe('STORE_INVALID_INPUT');
      expect(await codeOf(t.store.clearAddressBounce('gone@applicant.example.com', '', '2021-03-13T10:00:00Z'))).toBe('STORE_INVALID_INPUT');
    });
  });
});
