/**
 * How long `esor-intake store copy` takes: a synthetic data folder of N applications (a raw mail
 * and a PDF of about 1 MB each, 4 section PDFs of 256 KB, the two JSON, the rows and a few events)
 * copied into a real local PostgreSQL (dev/local/postgres-server.ts, fsync on), then copied again
 * (nothing new: the resume cost).
 *
 *   npx tsx test/bench/store-copy.ts [--count N]     (default 100)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { createFileStore } from '../../adapters/file-store';
import { openSqliteStore } from '../../adapters/store/sqlite-store';
import { startPostgres } from '../../dev/local/postgres-server';
import { copyStore } from '../../services/commands/store-command';
import { newMessage, steppingClock, triageResult } from '../unit/store/store-fixtures';

const MB = 1024 * 1024;

function parseCount(argv: string[]): number {
  const i = argv.indexOf('--count');
  const n = i >= 0 ? Number(argv[i + 1]) : 100;
  if (!Number.isInteger(n) || n < 1) throw new Error('--count takes a positive integer');
  return n;
}

const pdfOf = (size: number) => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(size)]);

/** One synthetic application as the stages would have stored it; returns the bytes written. */
async function seedOne(i: number, files: ReturnType<typeof createFileStore>, store: ReturnType<typeof openSqliteStore>): Promise<number> {
  const raw = Buffer.concat([Buffer.from(`From: applicant${i}@example.org\r\nSubject: application ${i}\r\n\r\n`), randomBytes(Math.round(1.3 * MB))]);
  const pdf = pdfOf(MB);
  const message = newMessage(`bench ${i}`, { uid: i + 1, rawPath: (await files.putBlob('raw', raw, '.eml')).path });
  await store.recordMessage(message);
  const put = await files.putBlob('pdf', pdf, '.pdf');
  await files.writeJson('mail', message.id, { subject: `application ${i}`, text: 'synthetic', references: [], receivedAt: message.receivedAt, noReplySender: false, otherAttachments: [], pdfs: [{ filename: 'a.pdf', ...put, size: pdf.length }] });
  const saved = await store.saveTriage({ messageId: message.id, result: triageResult(), rulesHash: 'rules-v1', applicantKey: `applicant${i}@example.org`, decidedAt: message.receivedAt });
  const sectionFiles = [];
  for (const [n, id] of ['motivation', 'cv', 'passport', 'medical_degree'].entries()) {
    const written = await files.writeSection(message.id, `${id}-${n + 1}-${n + 1}`, pdfOf(256 * 1024));
    sectionFiles.push({ section: id, pages: [n + 1, n + 1] as [number, number], ...written });
    await store.saveSectionFile({ applicationId: saved.applicationId, revision: saved.revision, ...sectionFiles[n]! });
  }
  await files.writeJson('analysis', message.id, { pdfs: [], analysis: {}, sectionFiles });
  await store.appendEvent({ actor: 'bench', action: 'application.triaged', subject: saved.applicationId, detail: { i }, at: message.receivedAt });
  return raw.length + pdf.length + 4 * 256 * 1024;
}

async function main(): Promise<void> {
  const count = parseCount(process.argv.slice(2));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'esor-bench-copy-'));
  const server = await startPostgres();
  try {
    const files = createFileStore(path.join(dataDir, 'files'));
    const store = openSqliteStore(path.join(dataDir, 'esor-intake.sqlite'), { now: steppingClock() });
    let bytes = 0;
    for (let i = 0; i < count; i++) bytes += await seedOne(i, files, store);
    await store.close();
    const url = await server.createDatabase();
    const quiet = { stdout: new Writable({ write: (_c, _e, cb) => cb() }), stderr: new Writable({ write: (_c, _e, cb) => cb() }) };
    let t = performance.now();
    if ((await copyStore(dataDir, url, quiet)) !== 0) throw new Error('the copy failed');
    const first = (performance.now() - t) / 1000;
    t = performance.now();
    if ((await copyStore(dataDir, url, quiet)) !== 0) throw new Error('the second copy failed');
    const again = (performance.now() - t) / 1000;
    const mb = bytes / MB;
    console.log(`${count} applications, ${count * 7} files, ${mb.toFixed(0)} MB: copy ${first.toFixed(1)} s (${(mb / first).toFixed(1)} MB/s, ${((first * 1000) / count).toFixed(0)} ms per application); again (nothing new) ${again.toFixed(1)} s`);
  } finally {
    await server.stop({ removeDir: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
