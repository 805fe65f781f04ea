/**
 * The BlobStore contract (core/ports/blob-store.ts), run against both stores: the file store
 * (adapters/file-store.ts) and the PostgreSQL store (adapters/postgres-blob-store.ts) on a real
 * local server (dev/local/postgres-server.ts). Same behaviour: references, idempotent puts,
 * replacement of JSON and sections, unknown references refused, and for PostgreSQL a reference
 * written by one instance read by another, as by a worker on another machine.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createFileStore, refOfStoredPath, sha256Of } from '../../../adapters/file-store';
import { BLOB_SCHEMA_VERSION, openPostgresBlobStore, type PostgresBlobStore } from '../../../adapters/postgres-blob-store';
import { isBlobStoreError, type BlobErrorCode, type BlobStore } from '../../../core/ports/blob-store';
import { startPostgres, type PostgresServer } from '../../../dev/local/postgres-server';

const MESSAGE = 'a'.repeat(64);
const FORGED = ['/etc/passwd', '../store.sqlite', 'blob:pdf/../../store.sqlite', `blob:section/${MESSAGE}/../../x.pdf`, 'blob:json/mail/../x.json', 'blob:pdf/ABC.pdf', 'file:raw/x.eml', 'blob:json/raw/' + MESSAGE + '.json', ''];

async function codeOf(p: Promise<unknown>): Promise<BlobErrorCode | 'resolved' | 'other'> {
  try {
    await p;
    return 'resolved';
  } catch (err) {
    return isBlobStoreError(err) ? err.code : 'other';
  }
}

function pdfLike(seed: string, size = 4096): Buffer {
  const body = Buffer.alloc(size, seed);
  return Buffer.concat([Buffer.from('%PDF-1.7\n'), body]);
}

interface Subject {
  name: string;
  open(): Promise<BlobStore>;
  /** A second instance, as on another machine (PostgreSQL: another pool; files: the same folder). */
  openOther(): Promise<BlobStore>;
  cleanUp(): Promise<void>;
}

const closers: Array<() => Promise<void>> = [];
const track = (s: BlobStore): BlobStore => {
  const c = (s as Partial<PostgresBlobStore>).close;
  if (c) closers.push(() => c.call(s));
  return s;
};

let server: PostgresServer | undefined;

const subjects: Subject[] = [
  (() => {
    let root = '';
    return {
      name: 'file store',
      async open() {
        root = mkdtempSync(path.join(os.tmpdir(), 'esor-blobs-'));
        return createFileStore(path.join(root, 'files'));
      },
      openOther: async () => createFileStore(path.join(root, 'files')),
      cleanUp: async () => rmSync(root, { recursive: true, force: true }),
    };
  })(),
  (() => {
    let url = '';
    return {
      name: 'PostgreSQL store',
      async open() {
        server ??= await startPostgres();
        url = await server.createDatabase();
        return track(await openPostgresBlobStore(url));
      },
      openOther: async () => track(await openPostgresBlobStore(url)),
      cleanUp: async () => undefined,
    };
  })(),
];

afterAll(async () => {
  for (const close of closers) await close().catch(() => undefined);
  await server?.stop({ removeDir: true });
}, 60_000);

describe.each(subjects)('$name', (subject) => {
  let files: BlobStore;

  beforeAll(async () => {
    files = await subject.open();
  }, 90_000);
  afterAll(() => subject.cleanUp());

  it('stores content under its hash and reads it back by the reference it returned', async () => {
    const pdf = pdfLike('x');
    const put = await files.putBlob('pdf', pdf, '.pdf');
    expect(put).toEqual({ sha256: sha256Of(pdf), path: `blob:pdf/${sha256Of(pdf)}.pdf` });
    expect(files.isRef(put.path)).toBe(true);
    expect((await files.readFile(put.path)).equals(pdf)).toBe(true);
    const raw = Buffer.from('From: a@example.org\r\n\r\nbody');
    const rawPut = await files.putBlob('raw', raw, '.eml');
    expect(rawPut.path).toBe(`blob:raw/${sha256Of(raw)}.eml`);
    expect((await files.readFile(rawPut.path)).equals(raw)).toBe(true);
  });

  it('puts the same content again, also at once, without error and with the same reference', async () => {
    const pdf = pdfLike('y', 200_000);
    const first = await files.putBlob('pdf', pdf, '.pdf');
    const again = await Promise.all([files.putBlob('pdf', pdf, '.pdf'), files.putBlob('pdf', pdf, '.pdf'), files.putBlob('pdf', Buffer.from(pdf), '.pdf')]);
    expect(again).toEqual([first, first, first]);
    expect((await files.readFile(first.path)).equals(pdf)).toBe(true);
  });

  it('keeps one JSON per message and kind, replaced by a second write, verbatim (NUL escapes and all)', async () => {
    const ref = await files.writeJson('mail', MESSAGE, { subject: 'one', text: 'a\u0000b', n: [1, 2] });
    expect(ref).toBe(`blob:json/mail/${MESSAGE}.json`);
    expect(await files.readJson('mail', MESSAGE)).toEqual({ subject: 'one', text: 'a\u0000b', n: [1, 2] });
    await files.writeJson('mail', MESSAGE, { subject: 'two' });
    expect(await files.readJson('mail', MESSAGE)).toEqual({ subject: 'two' });
    expect(JSON.parse((await files.readFile(ref)).toString('utf8'))).toEqual({ subject: 'two' });
    expect(await codeOf(files.readJson('analysis', MESSAGE))).toBe('BLOB_NOT_FOUND');
  });

  it('keeps one PDF per section name, replaced by a second cut', async () => {
    const one = await files.writeSection(MESSAGE, 'passport-1-2', pdfLike('1'));
    expect(one).toEqual({ sha256: sha256Of(pdfLike('1')), path: `blob:section/${MESSAGE}/passport-1-2.pdf` });
    const two = await files.writeSection(MESSAGE, 'passport-1-2', pdfLike('2'));
    expect(two.path).toBe(one.path);
    expect((await files.readFile(one.path)).equals(pdfLike('2'))).toBe(true);
    // The same bytes as another section, or as an attached PDF, are fine.
    await files.putBlob('pdf', pdfLike('3'), '.pdf');
    await files.writeSection(MESSAGE, 'cv-3-3', pdfLike('3'));
    expect((await files.readFile(`blob:section/${MESSAGE}/cv-3-3.pdf`)).equals(pdfLike('3'))).toBe(true);
  });

  it('refuses references it does not issue, and says which well-formed ones name nothing', async () => {
    for (const ref of FORGED) {
      expect({ ref, isRef: files.isRef(ref) }).toEqual({ ref, isRef: false });
      expect({ ref, code: await codeOf(files.readFile(ref)) }).toEqual({ ref, code: 'BLOB_UNKNOWN_REF' });
    }
    expect(await codeOf(files.readFile(`blob:pdf/${'0'.repeat(64)}.pdf`))).toBe('BLOB_NOT_FOUND');
    expect(await codeOf(files.readFile(`blob:section/${MESSAGE}/nothing-1-1.pdf`))).toBe('BLOB_NOT_FOUND');
  });

  it('refuses writes whose names cannot be part of a reference', async () => {
    expect(await codeOf(files.writeJson('raw', MESSAGE, {}))).toBe('BLOB_INVALID_INPUT');
    expect(await codeOf(files.writeJson('mail', '../x', {}))).toBe('BLOB_INVALID_INPUT');
    expect(await codeOf(files.writeSection(MESSAGE, '../../x', pdfLike('z')))).toBe('BLOB_INVALID_INPUT');
    expect(await codeOf(files.putBlob('pdf', pdfLike('z'), '/../x'))).toBe('BLOB_INVALID_INPUT');
  });

  it('reads what one instance wrote from another', async () => {
    const pdf = pdfLike('other machine');
    const put = await files.putBlob('pdf', pdf, '.pdf');
    const section = await files.writeSection(MESSAGE, 'cv-1-1', pdf);
    await files.writeJson('analysis', MESSAGE, { pdfs: [{ path: put.path }] });
    const other = await subject.openOther();
    expect((await other.readFile(put.path)).equals(pdf)).toBe(true);
    expect((await other.readFile(section.path)).equals(pdf)).toBe(true);
    expect(await other.readJson('analysis', MESSAGE)).toEqual({ pdfs: [{ path: put.path }] });
  }, 60_000);
});

describe('file store: paths stored by earlier versions', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'esor-blobs-legacy-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reads an absolute path inside its root in its layout, and turns it into a reference', async () => {
    const files = createFileStore(path.join(root, 'files'));
    const pdf = pdfLike('legacy');
    const sha = sha256Of(pdf);
    const old = path.join(root, 'files', 'pdf', sha.slice(0, 2), `${sha}.pdf`);
    mkdirSync(path.dirname(old), { recursive: true });
    writeFileSync(old, pdf);
    expect(files.isRef(old)).toBe(true);
    expect((await files.readFile(old)).equals(pdf)).toBe(true);
    expect(refOfStoredPath(path.join(root, 'files'), old)).toBe(`blob:pdf/${sha}.pdf`);
    const section = path.join(root, 'files', 'sections', MESSAGE, 'cv-1-2.pdf');
    expect(refOfStoredPath(path.join(root, 'files'), section)).toBe(`blob:section/${MESSAGE}/cv-1-2.pdf`);
    expect(refOfStoredPath(path.join(root, 'files'), path.join(root, 'files', 'mail', 'aa', `${MESSAGE}.json`))).toBe(`blob:json/mail/${MESSAGE}.json`);
  });

  it('refuses paths outside its root or outside its layout', async () => {
    const files = createFileStore(path.join(root, 'files'));
    writeFileSync(path.join(root, 'store.sqlite'), 'secret');
    const sha = 'b'.repeat(64);
    for (const p of [
      path.join(root, 'store.sqlite'),
      `${root}/files/../store.sqlite`,
      `${root}/files/pdf/bb/../../../store.sqlite`,
      path.join(root, 'files', 'pdf', 'cc', `${sha}.pdf`),
      path.join(root, 'files', 'pdf', 'bb', `${sha}.pdf`, 'x'),
      path.join(root, 'files'),
      path.join(root, 'other', 'pdf', 'bb', `${sha}.pdf`),
    ]) {
      expect({ p, isRef: files.isRef(p) }).toEqual({ p, isRef: false });
      expect({ p, code: await codeOf(files.readFile(p)) }).toEqual({ p, code: 'BLOB_UNKNOWN_REF' });
    }
  });
});

describe('PostgreSQL store: schema', () => {
  let url: string;
  beforeAll(async () => {
    server ??= await startPostgres();
    url = await server.createDatabase();
  }, 90_000);

  it('migrates once, under its own version table, beside the Store tables', async () => {
    const [a, b] = await Promise.all([openPostgresBlobStore(url), openPostgresBlobStore(url)]);
    closers.push(() => a.close(), () => b.close());
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const versions = await client.query<{ version: number }>('SELECT version FROM blob_schema_version ORDER BY version');
      expect(versions.rows.map((r) => r.version)).toEqual(Array.from({ length: BLOB_SCHEMA_VERSION }, (_, i) => i + 1));
      expect((await client.query(`SELECT to_regclass('schema_version') IS NULL AS absent`)).rows[0]).toEqual({ absent: true });
      await client.query('INSERT INTO blob_schema_version (version, applied_at) VALUES ($1, $2)', [BLOB_SCHEMA_VERSION + 1, 'later']);
    } finally {
      await client.end();
    }
    expect(await codeOf(openPostgresBlobStore(url))).toBe('BLOB_SCHEMA_TOO_NEW');
  }, 60_000);
});
