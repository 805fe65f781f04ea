/**
 * A second process for multi-process.test.ts: opens the store given as argv[2]
 * (a SQLite file, or a postgres:// URL) and records messages as a poller would,
 * then prints one JSON line with what it saw.
 * Run as `node --require tsx/cjs concurrent-writer.ts FILE|URL NAME COUNT SHARED`.
 */
import { createHash } from 'node:crypto';
import { openPostgresStore } from '../../../adapters/store/postgres/postgres-store';
import { openSqliteStore } from '../../../adapters/store/sqlite-store';

async function main(): Promise<void> {
  const [file, name, count, shared] = process.argv.slice(2) as [string, string, string, string];
  const store = file.startsWith('postgres://') ? await openPostgresStore(file) : openSqliteStore(file);
  const hash = (text: string) => createHash('sha256').update(text).digest('hex');
  let newShared = 0;
  let newOwn = 0;
  for (let i = 1; i <= Number(count); i++) {
    // Interleave own and shared mails so both processes contend for the same rows.
    const own = await store.recordMessage({
      id: hash(`${name} own ${i}`), account: 'office', mailbox: name, uidValidity: '1', uid: i,
      size: 10, receivedAt: '2021-03-12T09:00:00Z', rawPath: `raw/${name}-${i}.eml`,
    });
    if (own.isNew) newOwn++;
    if (i <= Number(shared)) {
      const copy = await store.recordMessage({
        id: hash(`shared ${i}`), account: 'office', mailbox: `${name}-copies`, uidValidity: '1', uid: i,
        size: 10, receivedAt: '2021-03-12T09:00:00Z', rawPath: `raw/shared-${i}.eml`,
      });
      if (copy.isNew) newShared++;
    }
    await store.appendEvent({ actor: `worker:${name}`, action: 'message.recorded', subject: name, at: '2021-03-12T09:00:00Z' });
  }
  await store.close();
  process.stdout.write(`${JSON.stringify({ newOwn, newShared })}\n`);
}

main().catch((err: { code?: string; message?: string }) => {
  process.stderr.write(`${err.code ?? 'ERROR'} ${err.message ?? String(err)}\n`);
  process.exit(1);
});
