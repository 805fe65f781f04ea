/**
 * `esor-intake store copy`: a data folder as an older version left it (absolute paths in the rows and
 * the JSON) copied into a real PostgreSQL (dev/local/postgres-server.ts): every row with its ids and
 * times, every file readable by reference through the PostgreSQL stores, a second run copying nothing,
 * and the event numbering going on after the copied events.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createFileStore, sha256Of } from '../../../adapters/file-store';
import { openPostgresBlobStore } from '../../../adapters/postgres-blob-store';
import { openPostgresStore } from '../../../adapters/store/postgres/postgres-store';
import { openSqliteStore } from '../../../adapters/store/sqlite-store';
import type { Store } from '../../../core/ports/store';
import type { StoredMail } from '../../../core/stored/stored-mail';
import { startPostgres, type PostgresServer } from '../../../dev/local/postgres-server';
import { copyStore, runStoreCommand } from '../../../services/commands/store-command';
import { newMessage, steppingClock, triageResult } from '../store/store-fixtures';

function capture() {
  let out = '';
  const stream = new Writable({
    write: (chunk: Buffer, _enc, cb) => {
      out += chunk.toString('utf8');
      cb();
    },
  });
  return { stream, text: () => out };
}

let server: PostgresServer;
let dataDir: string;
const closers: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  server = await startPostgres();
}, 90_000);
afterAll(async () => {
  for (const c of closers) await c().catch(() => undefined);
  await server?.stop({ removeDir: true });
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

/** A data folder written the way versions before references did: absolute paths under files/. */
async function seedOldDataFolder(): Promise<{ messageId: string; applicationId: string; pdf: Buffer; raw: Buffer; section: Buffer }> {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'esor-store-copy-'));
  const root = path.join(dataDir, 'files');
  const files = createFileStore(root);
  const store = openSqliteStore(path.join(dataDir, 'esor-intake.sqlite'), { now: steppingClock() });
  const raw = Buffer.from('From: applicant@example.org\r\nSubject: application\r\n\r\nsynthetic');
  const pdf = Buffer.from('%PDF-1.7 synthetic application');
  const section = Buffer.from('%PDF-1.7 synthetic cv section');
  const abs = (ref: string) => {
    const [kind, leaf] = ref.slice('blob:'.length).split('/') as [string, string];
    return path.join(root, kind, leaf.slice(0, 2), leaf);
  };
  const rawRef = (await files.putBlob('raw', raw, '.eml')).path;
  const pdfPut = await files.putBlob('pdf', pdf, '.pdf');
  const message = newMessage('copy', { rawPath: abs(rawRef) });
  await store.recordMessage(message);
  const mail = { subject: 'application', text: 'synthetic', references: [], receivedAt: message.receivedAt, noReplySender: false, otherAttachments: [], pdfs: [{ filename: 'a.pdf', path: abs(pdfPut.path), sha256: pdfPut.sha256, size: pdf.length }] };
  await files.writeJson('mail', message.id, mail);
  await files.writeSection(message.id, 'cv-2-4', section);
  const sectionPath = path.join(root, 'sections', message.id, 'cv-2-4.pdf');
  await files.writeJson('analysis', message.id, { pdfs: [], analysis: {}, sectionFiles: [{ section: 'cv', pages: [2, 4], path: sectionPath, sha256: sha256Of(section) }] });
  const saved = await store.saveTriage({ messageId: message.id, result: triageResult({ applicant: { email: 'Élise.Martin@example.fr', name: 'Élise Martin' } }), rulesHash: 'rules-v1', applicantKey: 'elise.martin@example.fr', decidedAt: '2021-03-12T09:15:00.000Z' });
  await store.saveSectionFile({ applicationId: saved.applicationId, revision: saved.revision, section: 'cv', pages: [2, 4], path: sectionPath, sha256: sha256Of(section) });
  const reply = await store.reserveReply({ applicationId: saved.applicationId, revision: saved.revision, status: 'complete', to: 'elise.martin@example.fr', subject: 'Received', body: 'synthetic', held: true });
  await store.holdReply(reply.reply.id, 'over the hourly cap');
  await store.createUser({ username: 'alice', role: 'admin', passwordHash: 'scrypt$synthetic', at: '2021-03-12T09:00:00.000Z' });
  await store.addNote(saved.applicationId, 'alice', 'Committee: synthetic note', '2021-03-12T10:00:00.000Z');
  for (let i = 0; i < 3; i++) await store.appendEvent({ actor: 'test', action: `step.${i}`, subject: saved.applicationId, detail: { i }, at: `2021-03-12T10:0${i}:00.000Z` });
  await store.markAddressBounced('old@example.org', '2021-03-12T11:00:00.000Z');
  await store.close();
  return { messageId: message.id, applicationId: saved.applicationId, pdf, raw, section };
}

describe('esor-intake store copy', () => {
  it('copies rows and files of an old data folder, references instead of paths, and copies nothing the second time', async () => {
    const seeded = await seedOldDataFolder();
    const url = await server.createDatabase();
    const out = capture();
    const err = capture();
    expect(await copyStore(dataDir, url, { stdout: out.stream, stderr: err.stream })).toBe(0);
    expect(out.text()).toContain('files: 1 raw mails, 1 PDFs, 1 section PDFs, 2 JSON (2 stored paths made references)');
    expect(out.text()).toMatch(/messages\s+1\s+1 new/);
    expect(out.text()).toMatch(/events\s+\d+\s+\d+ new/);
    expect(out.text()).toContain('2 stored paths made references');
    expect(out.text()).not.toContain(url.split('@')[0]!.split(':')[2]!);

    const store: Store = await openPostgresStore(url);
    closers.push(() => store.close());
    const blobs = await openPostgresBlobStore(url);
    closers.push(() => blobs.close());
    const sqlite = openSqliteStore(path.join(dataDir, 'esor-intake.sqlite'));
    closers.push(() => sqlite.close());

    const message = (await store.getMessage(seeded.messageId))!;
    expect(message.rawPath).toBe(`blob:raw/${sha256Of(seeded.raw)}.eml`);
    expect((await blobs.readFile(message.rawPath)).equals(seeded.raw)).toBe(true);
    const mail = await blobs.readJson<StoredMail>('mail', seeded.messageId);
    expect(mail.pdfs[0]!.path).toBe(`blob:pdf/${sha256Of(seeded.pdf)}.pdf`);
    expect((await blobs.readFile(mail.pdfs[0]!.path)).equals(seeded.pdf)).toBe(true);
    const sections = await store.listSectionFiles(seeded.applicationId, 1);
    expect(sections.map((s) => s.path)).toEqual([`blob:section/${seeded.messageId}/cv-2-4.pdf`]);
    expect((await blobs.readFile(sections[0]!.path)).equals(seeded.section)).toBe(true);

    // The same application, revisions, notes, replies, users and events, ids and times kept.
    const { revisions: pgRevisions, ...pgApp } = (await store.getApplication(seeded.applicationId))!;
    const { revisions: sqliteRevisions, ...sqliteApp } = (await sqlite.getApplication(seeded.applicationId))!;
    expect(pgApp).toEqual(sqliteApp);
    expect(pgRevisions).toEqual(sqliteRevisions);
    expect(await store.listNotes(seeded.applicationId)).toEqual(await sqlite.listNotes(seeded.applicationId));
    expect(await store.listReplies({ applicationId: seeded.applicationId })).toEqual(await sqlite.listReplies({ applicationId: seeded.applicationId }));
    expect(await store.getUser('alice')).toEqual(await sqlite.getUser('alice'));
    expect(await store.listEvents(seeded.applicationId)).toEqual(await sqlite.listEvents(seeded.applicationId));
    expect(await store.isAddressBounced('old@example.org')).toBe(true);
    // The case-folded search finds the copied name.
    expect((await store.listApplications({ search: 'élise' })).map((a) => a.id)).toEqual([seeded.applicationId]);

    // A new event after the copy is numbered after the copied ones.
    const before = await store.listEvents(undefined, 1000);
    await store.appendEvent({ actor: 'test', action: 'after.copy', subject: seeded.applicationId, detail: {}, at: '2021-03-13T00:00:00.000Z' });
    const after = await store.listEvents(undefined, 1000);
    expect(Math.max(...after.map((e) => e.id))).toBe(Math.max(...before.map((e) => e.id)) + 1);

    // Again: nothing new, files or rows.
    const again = capture();
    expect(await copyStore(dataDir, url, { stdout: again.stream, stderr: capture().stream })).toBe(0);
    for (const line of again.text().split('\n').filter((l) => / new$/.test(l))) expect(line).toMatch(/\s0 new$/);
  }, 120_000);

  it('says what it needs: a postgres:// URL and a subcommand', async () => {
    const err = capture();
    expect(await runStoreCommand(['copy'], { stdout: capture().stream, stderr: err.stream }, {})).toBe(1);
    expect(err.text()).toContain('--to must be a postgres:// URL');
    const help = capture();
    expect(await runStoreCommand(['--help'], { stdout: help.stream, stderr: capture().stream }, {})).toBe(0);
    expect(help.text()).toContain('esor-intake store copy --to');
  });
});
