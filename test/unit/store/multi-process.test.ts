import { spawn } from 'node:child_process';
import path from 'node:path';
import { forEachStore, newMessage, openTempStore, recordAndTriage, triageResult, type TempStore } from './store-fixtures';

forEachStore((kind) => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore(kind);
  });
  afterEach(() => t.cleanup());

  describe('several connections on one store', () => {
    it('two store instances see each other’s writes at once', async () => {
      const other = await t.reopen();
      const { record } = await t.store.recordMessage(newMessage('shared', { uid: 5 }));
      expect(await other.getMessage(record.id)).toEqual(record);
      expect(await other.lastUid('office', 'INBOX', '1')).toBe(5);
      // The other instance recording the same mail learns it is not new.
      expect((await other.recordMessage(newMessage('shared', { uid: 5 }))).isNew).toBe(false);

      const saved = await recordAndTriage(other, 'app', { uid: 6 });
      expect((await t.store.getApplication(saved.applicationId))?.revisionCount).toBe(1);
      const again = await recordAndTriage(t.store, 'app2', { uid: 7 });
      expect(again).toMatchObject({ applicationId: saved.applicationId, revision: 2 });

      const { reply } = await t.store.reserveReply({ applicationId: saved.applicationId, revision: 2, status: 'complete', to: 'a@example.org', subject: 's', body: 'b', held: false });
      const raced = await other.reserveReply({ applicationId: saved.applicationId, revision: 2, status: 'complete', to: 'a@example.org', subject: 's', body: 'b', held: false });
      expect(raced).toEqual({ reply, isNew: false });
    });

    it('two instances racing on the same rows agree: one new reply, one application with revisions 1..n, one user', async () => {
      const other = await t.reopen();
      const stores = [t.store, other];
      // Verdicts of one applicant for one programme, saved from both instances at once.
      const records = await Promise.all(Array.from({ length: 8 }, (_, i) => t.store.recordMessage(newMessage(`race ${i}`, { uid: i + 1 }))));
      const saved = await Promise.all(
        records.map(({ record }, i) =>
          stores[i % 2]!.saveTriage({ messageId: record.id, result: triageResult(), rulesHash: 'rules-v1', applicantKey: 'a.rossi@example.it', decidedAt: `2021-03-12T09:${10 + i}:00Z` }),
        ),
      );
      expect(new Set(saved.map((s) => s.applicationId)).size).toBe(1);
      expect(saved.map((s) => s.revision).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);

      const applicationId = saved[0]!.applicationId;
      const reservations = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          stores[i % 2]!.reserveReply({ applicationId, revision: 1, status: 'complete', to: 'a@example.org', subject: 's', body: 'b', held: false }),
        ),
      );
      expect(reservations.filter((r) => r.isNew)).toHaveLength(1);
      expect(new Set(reservations.map((r) => r.reply.id)).size).toBe(1);

      const users = await Promise.allSettled(stores.map((s) => s.createUser({ username: 'anna', role: 'staff', passwordHash: 'h', at: '2021-03-20T10:00:00Z' })));
      expect(users.map((u) => u.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(users.find((u) => u.status === 'rejected')).toMatchObject({ reason: { code: 'STORE_CONFLICT' } });
    });
  });

  /** Runs concurrent-writer.ts in a child process; resolves with its JSON line. */
  function runWriter(file: string, name: string, count: number, shared: number): Promise<{ newOwn: number; newShared: number }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(__dirname, 'concurrent-writer.ts'), file, name, String(count), String(shared)], {
        cwd: path.resolve(__dirname, '../../..'),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`writer ${name} exited ${code}: ${err}`))));
    });
  }

  describe('several processes on one store', () => {
    it('two processes opening a new store and writing at once lose nothing and never both call a mail new', async () => {
      const target = await t.newTarget(); // neither process finds a schema: both race to migrate
      const [a, b] = await Promise.all([runWriter(target, 'A', 60, 30), runWriter(target, 'B', 60, 30)]);
      expect(a.newOwn).toBe(60);
      expect(b.newOwn).toBe(60);
      expect(a.newShared + b.newShared).toBe(30);

      const store = await t.openAt(target);
      expect(await store.lastUid('office', 'A', '1')).toBe(60);
      expect(await store.lastUid('office', 'B', '1')).toBe(60);
      // Each shared mail is known at both of its locations.
      expect(await store.lastUid('office', 'A-copies', '1')).toBe(30);
      expect(await store.lastUid('office', 'B-copies', '1')).toBe(30);
      expect(await store.listUnfinishedMessages()).toHaveLength(150);
      expect(await store.listEvents('A', 1000)).toHaveLength(60);
      expect(await store.listEvents('B', 1000)).toHaveLength(60);
    });
  });
});

describe('opening a SQLite file while another process holds the lock', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore('sqlite');
  });
  afterEach(() => t.cleanup());

  it('waits for a process that holds the write lock longer than busy_timeout, instead of failing', async () => {
    const file = path.join(t.dir, 'held.sqlite');
    // A second process takes the write lock on the new file and keeps it for 1.5 s.
    const holder = spawn(process.execPath, ['-e', `
      const Database = require('better-sqlite3');
      const db = new Database(${JSON.stringify(file)});
      db.exec('BEGIN IMMEDIATE');
      process.stdout.write('locked\\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);
      db.exec('COMMIT');
      db.close();
    `], { cwd: path.resolve(__dirname, '../../..'), stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
      holder.on('error', reject);
      holder.on('exit', (code) => reject(new Error(`the lock holder exited ${code} before locking`)));
    });
    const { openSqliteStore } = await import('../../../adapters/store/sqlite-store');
    // busy_timeout alone (200 ms) would give up long before the holder lets go.
    const store = openSqliteStore(file, { busyTimeoutMs: 200 });
    try {
      expect(await store.lastUid('office', 'INBOX', '1')).toBe(0);
    } finally {
      await store.close();
      holder.kill();
    }
  }, 30_000);
});
