import Database from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../adapters/store/migrations';
import { openSqliteStore } from '../../../adapters/store/sqlite-store';
import { StoreError } from '../../../core/ports/store';
import { codeOf, newMessage, openTempStore, type TempStore } from './store-fixtures';

let t: TempStore;
beforeEach(() => {
  t = openTempStore();
});
afterEach(() => t.cleanup());

describe('event log', () => {
  it('appends events and lists them newest first, per subject or all', async () => {
    await t.store.appendEvent({ actor: 'poller', action: 'message.recorded', subject: 'm1', at: '2021-03-12T09:00:00Z' });
    await t.store.appendEvent({ actor: 'worker:triage', action: 'message.triaged', subject: 'm1', detail: { status: 'complete', revision: 1 }, at: '2021-03-12T09:01:00Z' });
    await t.store.appendEvent({ actor: 'poller', action: 'message.recorded', subject: 'm2', at: '2021-03-12T09:02:00Z' });

    const m1 = await t.store.listEvents('m1');
    expect(m1.map((e) => e.action)).toEqual(['message.triaged', 'message.recorded']);
    expect(m1[0]).toMatchObject({ actor: 'worker:triage', detail: { status: 'complete', revision: 1 }, at: '2021-03-12T09:01:00.000Z' });
    expect(m1[1]!.detail).toEqual({});
    expect((await t.store.listEvents()).map((e) => e.subject)).toEqual(['m2', 'm1', 'm1']);
    expect(await t.store.listEvents(undefined, 1)).toHaveLength(1);
  });

  it('refuses malformed events', async () => {
    const e = { actor: 'poller', action: 'x', subject: 's', at: '2021-03-12T09:00:00Z' };
    expect(await codeOf(t.store.appendEvent({ ...e, actor: '' }))).toBe('STORE_INVALID_INPUT');
    expect(await codeOf(t.store.appendEvent({ ...e, at: 'now' }))).toBe('STORE_INVALID_INPUT');
    expect(await codeOf(t.store.appendEvent({ ...e, detail: { n: BigInt(1) } }))).toBe('STORE_INVALID_INPUT');
  });

  it('cannot be changed or deleted, even with SQL from outside the store', async () => {
    await t.store.appendEvent({ actor: 'poller', action: 'message.recorded', subject: 'm1', at: '2021-03-12T09:00:00Z' });
    const db = new Database(t.file);
    try {
      expect(() => db.prepare(`UPDATE events SET actor = 'someone else'`).run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM events').run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
    expect(await t.store.listEvents('m1')).toHaveLength(1);
  });
});

describe('schema and connection', () => {
  it('applies every migration once; reopening applies none and keeps the data', async () => {
    await t.store.recordMessage(newMessage('kept'));
    await t.store.close();

    const reopened = t.reopen();
    expect(await reopened.getMessage(newMessage('kept').id)).toBeDefined();
    await reopened.close();
    t.reopen();

    const db = new Database(t.file, { readonly: true });
    try {
      const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
      expect(versions).toEqual(MIGRATIONS.map((_, i) => i + 1));
      expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });

  it('refuses a file written by a newer schema', async () => {
    await t.store.close();
    const db = new Database(t.file);
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(SCHEMA_VERSION + 1, '2030-01-01T00:00:00Z');
    db.close();
    let error: unknown;
    try {
      openSqliteStore(t.file);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'STORE_SCHEMA_TOO_NEW', transient: false });
  });

  it('refuses calls after close with STORE_CLOSED; closing twice is harmless', async () => {
    await t.store.close();
    await t.store.close();
    expect(await codeOf(t.store.lastUid('office', 'INBOX', '1'))).toBe('STORE_CLOSED');
  });

  it('reports a lock held too long by another process as a transient STORE_BUSY', async () => {
    const other = new Database(t.file);
    try {
      other.exec('BEGIN IMMEDIATE');
      const impatient = t.reopen({ busyTimeoutMs: 50 });
      let error: unknown;
      try {
        await impatient.recordMessage(newMessage('waits'));
      } catch (err) {
        error = err;
      }
      expect(error).toMatchObject({ code: 'STORE_BUSY', transient: true });
      other.exec('ROLLBACK');
      expect((await impatient.recordMessage(newMessage('waits'))).isNew).toBe(true);
    } finally {
      other.close();
    }
  });
});

describe('opening', () => {
  it('reports a file that cannot be created as STORE_IO', () => {
    // A path below a regular file can never be a folder.
    expect(() => openSqliteStore(`${t.file}/below/store.sqlite`)).toThrow(expect.objectContaining({ code: 'STORE_IO' }));
  });
});
