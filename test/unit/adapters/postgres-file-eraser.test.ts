/**
 * adapters/postgres-file-eraser: erasing files that live in PostgreSQL, on a real local server.
 * What a reference names is gone afterwards (the BlobStore says BLOB_NOT_FOUND); what other
 * messages keep is not touched; forged references delete nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createFileEraser } from '../../../adapters/file-eraser';
import { openPostgresBlobStore, type PostgresBlobStore } from '../../../adapters/postgres-blob-store';
import { createPostgresFileEraser } from '../../../adapters/postgres-file-eraser';
import { isBlobStoreError } from '../../../core/ports/blob-store';
import type { FileEraser } from '../../../core/ports/erasure';
import { startPostgres, type PostgresServer } from '../../../dev/local/postgres-server';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
let server: PostgresServer;
let pool: pg.Pool;
let files: PostgresBlobStore;
let eraser: FileEraser;
let dir: string;

async function gone(p: Promise<unknown>): Promise<boolean> {
  try {
    await p;
    return false;
  } catch (err) {
    return isBlobStoreError(err, 'BLOB_NOT_FOUND');
  }
}

beforeAll(async () => {
  server = await startPostgres();
  pool = new pg.Pool({ connectionString: await server.createDatabase() });
  // The pool is the test's, so its guard is too (openPostgresBlobStore sets one only on a pool it owns): an idle
  // connection the server closes ("terminating connection due to administrator command", 57P01, as the server
  // stops) must not fail the suite through an unhandled 'error'. A query on a closed connection still fails its test.
  pool.on('error', () => undefined);
  files = await openPostgresBlobStore({ pool });
  dir = mkdtempSync(path.join(os.tmpdir(), 'esor-pg-eraser-'));
  eraser = createPostgresFileEraser(pool, createFileEraser(path.join(dir, 'files'), path.join(dir, 'thumbnails')));
}, 90_000);
afterAll(async () => {
  await pool?.end();
  await server?.stop({ removeDir: true });
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

it('erases a PDF, a raw mail and JSON by reference, and says false the second time', async () => {
  const pdf = await files.putBlob('pdf', Buffer.from('%PDF-1.7 passport'), '.pdf');
  const raw = await files.putBlob('raw', Buffer.from('From: x@example.org\r\n\r\nmail'), '.eml');
  const json = await files.writeJson('mail', A, { pdfs: [pdf] });
  for (const ref of [pdf.path, raw.path, json]) {
    expect(await eraser.eraseRef(ref)).toBe(true);
    expect(await gone(files.readFile(ref))).toBe(true);
    expect(await eraser.eraseRef(ref)).toBe(false);
  }
});

it("erases one message's sections and their bytes, keeping another message's and an attached PDF with the same bytes", async () => {
  const shared = Buffer.from('%PDF-1.7 the same cv');
  const mine = await files.writeSection(A, 'cv-1-2', shared);
  const other = await files.writeSection(B, 'cv-1-2', shared);
  const passport = await files.writeSection(A, 'passport-3-3', Buffer.from('%PDF-1.7 passport section'));
  const attached = await files.putBlob('pdf', Buffer.from('%PDF-1.7 attached and cut whole'), '.pdf');
  const whole = await files.writeSection(A, 'publications-4-9', Buffer.from('%PDF-1.7 attached and cut whole'));
  expect(await eraser.eraseSections(A)).toBe(3);
  for (const ref of [mine.path, passport.path, whole.path]) expect(await gone(files.readFile(ref))).toBe(true);
  expect((await files.readFile(other.path)).equals(shared)).toBe(true);
  expect((await files.readFile(attached.path)).toString()).toBe('%PDF-1.7 attached and cut whole');
  expect((await pool.query('SELECT 1 FROM blob_contents WHERE sha256 = $1', [passport.sha256])).rowCount).toBe(0);
});

it('erases one section by reference, and JSON by kind and id', async () => {
  const s = await files.writeSection(B, 'passport-1-1', Buffer.from('%PDF-1.7 b passport'));
  expect(await eraser.eraseRef(s.path)).toBe(true);
  expect(await gone(files.readFile(s.path))).toBe(true);
  await files.writeJson('analysis', B, { ok: true });
  expect(await eraser.eraseJson('analysis', B)).toBe(true);
  expect(await gone(files.readJson('analysis', B))).toBe(true);
});

it('deletes nothing for a forged reference or name', async () => {
  const keep = await files.putBlob('pdf', Buffer.from('%PDF-1.7 keep'), '.pdf');
  for (const ref of ['/etc/passwd', '../x', `blob:pdf/../${keep.sha256}.pdf`, `${dir}/files/pdf/${keep.sha256.slice(0, 2)}/${keep.sha256}.pdf`]) expect(await eraser.eraseRef(ref)).toBe(false);
  expect(await eraser.eraseJson('mail', '../x')).toBe(false);
  expect(await eraser.eraseSections('../x')).toBe(0);
  expect((await files.readFile(keep.path)).toString()).toBe('%PDF-1.7 keep');
});
