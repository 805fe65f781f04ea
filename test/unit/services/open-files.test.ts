/**
 * services/common/open-files: the BlobStore follows the store's choice. With ESOR_DATABASE_URL the
 * files go to PostgreSQL (a second data folder reads them, as another machine would); without it,
 * under the data folder.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openBlobStore } from '../../../services/common/open-files';
import { startPostgres, type PostgresServer } from '../../../dev/local/postgres-server';

let server: PostgresServer | undefined;
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'esor-open-files-'));
  dirs.push(d);
  return d;
};

afterAll(async () => {
  await server?.stop({ removeDir: true });
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}, 60_000);

it('keeps the files under the data folder without a database URL', async () => {
  const dataDir = tempDir();
  const files = await openBlobStore({ dataDir, databaseUrl: undefined });
  const put = await files.putBlob('pdf', Buffer.from('%PDF-1.7 local'), '.pdf');
  expect(existsSync(path.join(dataDir, 'files', 'pdf', put.sha256.slice(0, 2), `${put.sha256}.pdf`))).toBe(true);
  await files.close();
});

it('keeps them in PostgreSQL with one, readable from another data folder', async () => {
  server = await startPostgres();
  const databaseUrl = await server.createDatabase();
  const one = await openBlobStore({ dataDir: tempDir(), databaseUrl });
  const other = await openBlobStore({ dataDir: tempDir(), databaseUrl });
  try {
    const put = await one.putBlob('pdf', Buffer.from('%PDF-1.7 shared'), '.pdf');
    await one.writeJson('mail', 'f'.repeat(64), { pdfs: [put] });
    expect((await other.readFile(put.path)).toString()).toBe('%PDF-1.7 shared');
    expect(await other.readJson('mail', 'f'.repeat(64))).toEqual({ pdfs: [put] });
    expect(existsSync(path.join(dirs[1]!, 'files'))).toBe(false);
  } finally {
    await one.close();
    await other.close();
  }
}, 90_000);
