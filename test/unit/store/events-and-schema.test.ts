import { MIGRATIONS as SQLITE_MIGRATIONS, SCHEMA_VERSION as SQLITE_SCHEMA_VERSION } from '../../../adapters/store/migrations';
import { MIGRATIONS as POSTGRES_MIGRATIONS, SCHEMA_VERSION as POSTGRES_SCHEMA_VERSION } from '../../../adapters/store/postgres/migrations';
import { openPostgresStore } from '../../../adapters/store/postgres/postgres-store';
import { openSqliteStore } from '../../../adapters/store/sqlite-store';
import { StoreError } from '../../../core/ports/store';
import { codeOf, forEachStore, newMessage, openTempStore, type StoreKind, type TempStore } from './store-fixtures';

/** Where each store records its schema versions, and the versions its code knows. */
const SCHEMA: Record<StoreKind, { table: string; migrations: readonly string[]; version: number }> = {
  sqlite: { table: 'schema_migrations', migrations: SQLITE_MIGRATIONS, version: SQLITE_SCHEMA_VERSION },
  postgres: { table: 'schema_version', migrations: POSTGRES_MIGRATIONS, version: POSTGRES_SCHEMA_VERSION },
};

forEachStore((kind) => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore(kind);
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
      await expect(t.sql(`UPDATE events SET actor = 'someone else'`)).rejects.toThrow(/append-only/);
      await expect(t.sql('DELETE FROM events')).rejects.toThrow(/append-only/);
      expect(await t.store.listEvents('m1')).toHaveLength(1);
    });
  });

  describe('schema and connection', () => {
    it('applies every migration once; reopening applies none and keeps the data', async () => {
      await t.store.recordMessage(newMessage('kept'));
      await t.store.close();

      const reopened = await t.reopen();
      expect(await reopened.getMessage(newMessage('kept').id)).toBeDefined();
      await reopened.close();
      await t.reopen();

      const { table, migrations, version } = SCHEMA[kind];
      const versions = (await t.sql(`SELECT version FROM ${table} ORDER BY version`)).map((r) => r.version);
      expect(versions).toEqual(migrations.map((_, i) => i + 1));
      expect(version).toBe(migrations.length);
    });

    it('refuses a database written by a newer schema', async () => {
      await t.store.close();
      const { table, version } = SCHEMA[kind];
      await t.sql(`INSERT INTO ${table} (version, applied_at) VALUES ($1, $2)`, [version + 1, '2030-01-01T00:00:00Z']);
      let error: unknown;
      try {
        await t.reopen();
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
      const release = await t.holdWriteLock();
      let released = false;
      try {
        const impatient = await t.reopen({ busyTimeoutMs: 50 });
        let error: unknown;
        try {
          await impatient.recordMessage(newMessage('waits'));
        } catch (err) {
          error = err;
        }
        expect(error).toMatchObject({ code: 'STORE_BUSY', transient: true });
        await release();
        released = true;
        expect((await impatient.recordMessage(newMessage('waits'))).isNew).toBe(true);
      } finally {
        if (!released) await release();
      }
    });
  });
});

describe('the SQLite file', () => {
  it('is in WAL mode', async () => {
    const t = await openTempStore('sqlite');
    try {
      expect(await t.sql('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    } finally {
      await t.cleanup();
    }
  });

  it('reports a file that cannot be created as STORE_IO', async () => {
    const t = await openTempStore('sqlite');
    try {
      // A path below a regular file can never be a folder.
      expect(() => openSqliteStore(`${t.file}/below/store.sqlite`)).toThrow(expect.objectContaining({ code: 'STORE_IO' }));
    } finally {
      await t.cleanup();
    }
  });
});

describe('opening a PostgreSQL store', () => {
  it('reports a server that cannot be reached as a transient STORE_IO', async () => {
    // Port 1 on loopback: nothing listens there.
    await expect(openPostgresStore('postgres://esor:secret@127.0.0.1:1/esor')).rejects.toMatchObject({ code: 'STORE_IO', transient: true });
  });
});
