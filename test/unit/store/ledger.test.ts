import { statSync } from 'node:fs';
import { codeOf, newMessage, openTempStore, sha256, forEachStore, type TempStore } from './store-fixtures';

forEachStore((kind) => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore(kind);
  });
  afterEach(() => t.cleanup());

  describe('message ledger', () => {
    it('records a new message once; the same location again is not new and returns the first record', async () => {
      const m = newMessage('one', { uid: 7 });
      const first = await t.store.recordMessage(m);
      expect(first.isNew).toBe(true);
      expect(first.record).toMatchObject({ id: m.id, mailbox: 'INBOX', uidValidity: '1', uid: 7, state: 'received' });
      expect(first.record.error).toBeUndefined();
      expect(first.record.folder).toBeUndefined();

      const again = await t.store.recordMessage(m);
      expect(again).toEqual({ record: first.record, isNew: false });
      expect(await t.store.listUnfinishedMessages()).toHaveLength(1);
    });

    it('treats the same hash at another UID as known and remembers the second location', async () => {
      const m = newMessage('copy', { uid: 3 });
      await t.store.recordMessage(m);
      // The applicant sent the identical mail twice: same bytes, another UID.
      const dup = await t.store.recordMessage({ ...m, uid: 9 });
      expect(dup.isNew).toBe(false);
      expect(dup.record.uid).toBe(3);

      expect((await t.store.findMessageAt('office', 'INBOX', '1', 9))?.id).toBe(m.id);
      expect((await t.store.findMessageAt('office', 'INBOX', '1', 3))?.id).toBe(m.id);
      expect(await t.store.findMessageAt('office', 'INBOX', '1', 4)).toBeUndefined();
      expect(await t.store.lastUid('office', 'INBOX', '1')).toBe(9);
    });

    it('survives a UID reset: a new uidValidity starts lastUid at 0 and re-seen mails stay known', async () => {
      const a = newMessage('a', { uid: 1 });
      const b = newMessage('b', { uid: 2 });
      await t.store.recordMessage(a);
      await t.store.recordMessage(b);
      expect(await t.store.lastUid('office', 'INBOX', '1')).toBe(2);
      expect(await t.store.lastUid('office', 'INBOX', '2')).toBe(0);

      // The server renumbered the mailbox: the same mails come back under UIDVALIDITY 2 with new UIDs.
      const again = await t.store.recordMessage({ ...b, uidValidity: '2', uid: 1 });
      expect(again.isNew).toBe(false);
      const fresh = await t.store.recordMessage(newMessage('c', { uidValidity: '2', uid: 2 }));
      expect(fresh.isNew).toBe(true);

      expect(await t.store.lastUid('office', 'INBOX', '2')).toBe(2);
      expect(await t.store.lastUid('office', 'INBOX', '1')).toBe(2);
      expect((await t.store.findMessageAt('office', 'INBOX', '2', 1))?.id).toBe(b.id);
    });

    it('keeps lastUid apart per account and mailbox', async () => {
      await t.store.recordMessage(newMessage('x', { uid: 40 }));
      await t.store.recordMessage(newMessage('y', { mailbox: 'Applications', uid: 5 }));
      await t.store.recordMessage(newMessage('z', { account: 'other', uid: 90 }));
      expect(await t.store.lastUid('office', 'INBOX', '1')).toBe(40);
      expect(await t.store.lastUid('office', 'Applications', '1')).toBe(5);
      expect(await t.store.lastUid('other', 'INBOX', '1')).toBe(90);
      expect(await t.store.lastUid('nobody', 'INBOX', '1')).toBe(0);
    });

    it('refuses another hash at a location already recorded, rather than losing either mail', async () => {
      await t.store.recordMessage(newMessage('first', { uid: 1 }));
      expect(await codeOf(t.store.recordMessage(newMessage('second', { uid: 1 })))).toBe('STORE_CONFLICT');
    });

    it('refuses malformed messages with STORE_INVALID_INPUT', async () => {
      expect(await codeOf(t.store.recordMessage(newMessage('bad', { id: 'not-a-hash' })))).toBe('STORE_INVALID_INPUT');
      expect(await codeOf(t.store.recordMessage(newMessage('bad', { uid: 0 })))).toBe('STORE_INVALID_INPUT');
      expect(await codeOf(t.store.recordMessage(newMessage('bad', { uid: 1.5 })))).toBe('STORE_INVALID_INPUT');
      expect(await codeOf(t.store.recordMessage(newMessage('bad', { receivedAt: 'yesterday' })))).toBe('STORE_INVALID_INPUT');
    });

    it('normalises times to UTC and hashes to lowercase', async () => {
      const id = sha256('upper');
      const { record } = await t.store.recordMessage(newMessage('u', { id: id.toUpperCase(), receivedAt: '2021-03-12T10:14:00+01:00' }));
      expect(record.id).toBe(id);
      expect(record.receivedAt).toBe('2021-03-12T09:14:00.000Z');
      expect((await t.store.getMessage(id.toUpperCase()))?.id).toBe(id);
    });

    it('tracks state, error and folder; lists unfinished messages oldest first, failed included', async () => {
      const ids: string[] = [];
      for (let uid = 1; uid <= 4; uid++) ids.push((await t.store.recordMessage(newMessage(`m${uid}`, { uid }))).record.id);

      await t.store.setMessageState(ids[0]!, 'done');
      await t.store.setMessageFolder(ids[0]!, 'ESOR/Done');
      await t.store.setMessageState(ids[2]!, 'failed', 'PDF_UNREADABLE');
      await t.store.setMessageState(ids[3]!, 'triaged');

      const done = await t.store.getMessage(ids[0]!);
      expect(done).toMatchObject({ state: 'done', folder: 'ESOR/Done' });
      expect(done!.updatedAt > done!.createdAt).toBe(true);
      expect(await t.store.getMessage(ids[2]!)).toMatchObject({ state: 'failed', error: 'PDF_UNREADABLE' });

      const unfinished = await t.store.listUnfinishedMessages();
      expect(unfinished.map((m) => m.id)).toEqual([ids[1], ids[2], ids[3]]);
      expect((await t.store.listUnfinishedMessages(2)).map((m) => m.id)).toEqual([ids[1], ids[2]]);

      // A retry clears the error of the failure before it.
      await t.store.setMessageState(ids[2]!, 'received');
      expect((await t.store.getMessage(ids[2]!))?.error).toBeUndefined();
    });

    it('names a missing message with STORE_NOT_FOUND', async () => {
      expect(await codeOf(t.store.setMessageState(sha256('nothing'), 'done'))).toBe('STORE_NOT_FOUND');
      expect(await codeOf(t.store.setMessageFolder(sha256('nothing'), 'Done'))).toBe('STORE_NOT_FOUND');
      expect(await t.store.getMessage(sha256('nothing'))).toBeUndefined();
    });
  });
});

describe('the SQLite file', () => {
  it('is created readable by its owner alone', async () => {
    const t = await openTempStore('sqlite');
    try {
      expect(statSync(t.file).mode & 0o077).toBe(0);
    } finally {
      await t.cleanup();
    }
  });
});
