/**
 * The committee pack: the plan (who is in it, what each cover says), the zip
 * (unzip reads it back), and the pack made by `esor-intake pack` from a real
 * store, whose PDFs pdf.js opens with one bookmark per section.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { writeStoredZip } from '../../../adapters/zip-writer';
import { planCommitteePack, type PackSource } from '../../../core/pack/committee-pack';
import type { ApplicationView } from '../../../core/ports/store';
import { runPackCommand } from '../../../services/commands/pack-command';
import { GR, PackFixture } from './pack-fixtures';

const ROOT = path.join(__dirname, '../../..');
const NOW = new Date('2021-05-02T08:30:00.000Z');

function view(id: string, name: string, status: ApplicationView['status'], programme = GR): ApplicationView {
  const latest = {
    revision: 1,
    messageId: `m-${id}`,
    status,
    flags: [{ code: 'cv_template_unknown', severity: 'info' as const, message: 'The CV is not on the ESOR template.' }],
    facts: { countryOfWork: 'DE', languageLevels: { fr: 'B2' as const } },
    sections: [{ id: 'passport' as const, pages: [2, 2] as [number, number], confidence: 1 }],
    missing: [],
    receivedAt: '2021-03-12T09:14:00.000Z',
    decidedAt: '2021-03-12T09:15:00.000Z',
    rulesHash: 'h',
    result: { status, programme, applicant: { name }, receivedAt: null, pdf: null, sections: [], missing: [], flags: [], facts: {} },
  };
  return {
    id, programme, applicantEmail: `${id}@example.org`, applicantName: name, status, flags: [], revisionCount: 1,
    receivedAt: latest.receivedAt, decidedAt: latest.decidedAt, createdAt: latest.decidedAt, updatedAt: latest.decidedAt, latest, revisions: [latest],
  };
}

function source(v: ApplicationView, extra: Partial<PackSource> = {}): PackSource {
  return { application: v, notes: [], sectionFiles: [{ section: 'cv', pages: [1, 1], path: `/data/${v.id}-cv.pdf`, sha256: 'x' }], events: [], ...extra };
}

describe('planCommitteePack', () => {
  const base = { programme: { id: GR, title: 'Hybrid Imaging in Oncology' }, sectionNames: { cv: 'ESOR Curriculum Vitae template' }, now: NOW, timeZone: 'Europe/Paris' };

  it('takes the complete applications of the programme, surname first, and numbers their files', () => {
    const plan = planCommitteePack({
      ...base,
      sources: [source(view('a1', 'Zoë Abbott', 'complete')), source(view('a2', 'Carl Zander', 'needs_review')), source(view('a3', 'Émile Jean Brault-Roy', 'complete')), source(view('a4', 'Other One', 'complete', 'other-programme'))],
    });
    expect(plan.applicants.map((a) => a.fileName)).toEqual(['01-abbott-zoe.pdf', '02-brault-roy-emile-jean.pdf']);
    expect(plan.generatedAt).toBe('2 May 2021, 10:30');
    const cover = plan.applicants[0]!;
    expect(cover.lines).toEqual(expect.arrayContaining([
      { label: 'Programme', value: 'Hybrid Imaging in Oncology' },
      { label: 'Received', value: '12 March 2021, 10:14' },
      { label: 'Country of work', value: 'Germany' },
      { label: 'Languages', value: 'French B2' },
    ]));
    expect(cover.remarks).toEqual(['The CV is not on the ESOR template.']);
    expect(cover.sections).toEqual([{ section: 'cv', title: 'ESOR Curriculum Vitae template (page 1)', pages: [1, 1], path: '/data/a1-cv.pdf' }]);
  });

  it('takes exactly the applications staff selected, whatever their status, and names those not found', () => {
    const plan = planCommitteePack({ ...base, selected: ['a2', 'nope'], sources: [source(view('a1', 'Zoë Abbott', 'complete')), source(view('a2', 'Carl Zander', 'needs_review'))] });
    expect(plan.applicants.map((a) => a.applicationId)).toEqual(['a2']);
    expect(plan.notFound).toEqual(['nope']);
  });

  it('puts on the cover only notes addressed to the committee, and the flags a person cleared', () => {
    const v = view('a1', 'Zoë Abbott', 'complete');
    const plan = planCommitteePack({
      ...base,
      sources: [source(v, {
        notes: [
          { id: 1, applicationId: 'a1', author: 'bob', text: 'called her, waiting for the certificate', at: '2021-03-13T10:00:00.000Z' },
          { id: 2, applicationId: 'a1', author: 'alice', text: 'Committee: the board certificate was confirmed by the Italian ministry.', at: '2021-03-14T10:00:00.000Z' },
        ],
        events: [
          { id: 9, actor: 'alice', action: 'status.overridden', subject: 'a1', detail: { previousStatus: 'needs_review', previousFlags: ['late_submission', 'cv_template_unknown'], reason: 'posted on time' }, at: '2021-03-15T16:00:00.000Z' },
          { id: 3, actor: 'worker:triage', action: 'application.triaged', subject: 'a1', detail: {}, at: '2021-03-12T09:15:00.000Z' },
        ],
      })],
    });
    const a = plan.applicants[0]!;
    expect(a.notes).toEqual([{ author: 'alice', at: '14 March 2021, 11:00', text: 'the board certificate was confirmed by the Italian ministry.' }]);
    // cv_template_unknown still stands (an info flag), so it was not cleared.
    expect(a.flagsCleared).toEqual(['Late submission: cleared by alice on 15 March 2021, 17:00 (posted on time)']);
  });

  it('reads the nationality from a passport zone whose check digits pass, else says it was not read', () => {
    const { passportMrz } = jest.requireActual('./pack-fixtures') as typeof import('./pack-fixtures');
    const pages = [{ num: 1, text: 'letter', imageOnly: false }, { num: 2, text: passportMrz('ABBOTT', 'ZOE', 'NLD'), imageOnly: false }];
    const plan = planCommitteePack({ ...base, sources: [source(view('a1', 'Zoë Abbott', 'complete'), { pages }), source(view('a3', 'Émile Brault', 'complete'))] });
    expect(plan.applicants.map((a) => a.nationality)).toEqual(['Netherlands', 'not read']);
  });
});

describe('writeStoredZip', () => {
  it('writes a zip unzip tests clean and reads back byte for byte', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'esor-zip-'));
    try {
      const data = Buffer.from('%PDF-1.7 synthetic\n'.repeat(100));
      const zip = writeStoredZip([{ name: 'pack/01-abbott-zoë.pdf', data }, { name: 'pack/index.csv', data: Buffer.from('a,b\r\n') }], NOW);
      const file = path.join(dir, 'p.zip');
      require('node:fs').writeFileSync(file, zip);
      expect(execFileSync('unzip', ['-tq', file]).toString()).toMatch(/No errors detected/);
      execFileSync('unzip', ['-q', file, '-d', dir]);
      expect(readFileSync(path.join(dir, 'pack', '01-abbott-zoë.pdf')).equals(data)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a name that climbs out of the archive or repeats', () => {
    expect(() => writeStoredZip([{ name: '../x.pdf', data: Buffer.alloc(1) }], NOW)).toThrow(/bad name/);
    expect(() => writeStoredZip([{ name: 'a', data: Buffer.alloc(1) }, { name: 'a', data: Buffer.alloc(1) }], NOW)).toThrow(/twice/);
  });
});

/** The outline as pdf.js reads it: titles of the top-level bookmarks and the page (1-based) each opens. */
function outlineByPdfJs(file: string): Array<{ title: string; page: number }> {
  const script = `
    import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
    import { readFileSync } from 'node:fs';
    const doc = await getDocument({ data: new Uint8Array(readFileSync(process.argv[1])), verbosity: 0 }).promise;
    const outline = (await doc.getOutline()) ?? [];
    const out = [];
    for (const item of outline) {
      const dest = typeof item.dest === 'string' ? await doc.getDestination(item.dest) : item.dest;
      out.push({ title: item.title, page: (await doc.getPageIndex(dest[0])) + 1, children: item.items.length });
    }
    console.log(JSON.stringify({ pages: doc.numPages, out }));`;
  const json = execFileSync(process.execPath, ['--input-type=module', '-e', script, file], { cwd: ROOT }).toString();
  const parsed = JSON.parse(json) as { out: Array<{ title: string; page: number; children: number }> };
  for (const o of parsed.out) expect(o.children).toBe(0);
  return parsed.out.map(({ title, page }) => ({ title, page }));
}

describe('esor-intake pack', () => {
  let dir: string;
  let fx: PackFixture;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'esor-pack-'));
    fx = PackFixture.open(path.join(dir, 'data'));
  });

  afterEach(async () => {
    await fx.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function sink(): { stream: Writable; text: () => string } {
    const chunks: string[] = [];
    return { stream: new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c.toString()), cb()) }), text: () => chunks.join('') };
  }

  it('writes a zip with the index and one PDF per complete application, one bookmark per section', async () => {
    const zoe = await fx.add({ seed: 'zoe', name: 'Zoë Abbott', email: 'zoe.abbott@example.org', status: 'complete', nationality: 'NLD' });
    await fx.add({ seed: 'eli', name: 'Eli Brandt', email: 'eli.brandt@example.org', status: 'complete', sections: ['motivation', 'cv', 'passport'], receivedAt: '2021-03-20T09:00:00.000Z' });
    await fx.add({ seed: 'kim', name: 'Kim Carver', email: 'kim.carver@example.org', status: 'incomplete', sections: ['cv'] });
    await fx.store.addNote(zoe.applicationId, 'alice', 'Committee: strong publication record in PET/MR.', '2021-03-21T10:00:00.000Z');
    await fx.store.addNote(zoe.applicationId, 'bob', 'internal: check the fee', '2021-03-21T11:00:00.000Z');

    const out = sink();
    const err = sink();
    const env = { ESOR_DATA_DIR: fx.dataDir, ESOR_RULES_DIR: path.join(ROOT, 'rules') };
    const code = await runPackCommand([GR, '--out', path.join(dir, 'out')], { stdout: out.stream, stderr: err.stream }, env, dir, () => NOW);
    expect(err.text()).toContain('2 applications, 13 documents');
    expect(code).toBe(0);
    const zipFile = out.text().trim();
    expect(path.basename(zipFile)).toBe(`${GR}-committee-pack-2021-05-02.zip`);
    // Written whole under a temporary name, then renamed; readable by the owner alone.
    expect(readdirSync(path.join(dir, 'out'))).toEqual([path.basename(zipFile)]);
    expect(statSync(zipFile).mode & 0o777).toBe(0o600);

    const unpacked = path.join(dir, 'unpacked');
    execFileSync('unzip', ['-q', zipFile, '-d', unpacked]);
    const folder = path.join(unpacked, `${GR}-committee-pack-2021-05-02`);
    expect(readdirSync(folder).sort()).toEqual(['00-index.pdf', '01-abbott-zoe.pdf', '02-brandt-eli.pdf', 'index.csv']);
    expect(readFileSync(path.join(folder, 'index.csv'), 'utf8')).toContain('1,Zoë Abbott,Netherlands,"12 March 2021, 10:14",10,01-abbott-zoe.pdf');

    const zoePdf = path.join(folder, '01-abbott-zoe.pdf');
    const outline = outlineByPdfJs(zoePdf);
    expect(outline).toHaveLength(10);
    expect(outline[0]).toEqual({ title: 'Letter of motivation including previous experience in the field (page 1)', page: 2 });
    expect(outline[9]).toEqual({ title: 'Copy of passport (page 10)', page: 11 });
    expect(outlineByPdfJs(path.join(folder, '02-brandt-eli.pdf'))).toHaveLength(3);

    // A second reader agrees, and the cover says what the committee needs (text read back by poppler).
    const qpdf = JSON.parse(execFileSync('qpdf', ['--json', '--json-key=outlines', zoePdf]).toString()) as { outlines: unknown[] };
    expect(qpdf.outlines).toHaveLength(10);
    const cover = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-layout', zoePdf, '-']).toString();
    for (const words of ['Zoë Abbott', 'Netherlands', 'Board certification', '1 June 2019', 'strong publication record in PET/MR.', 'Flags cleared by staff']) expect(cover).toContain(words);
    expect(cover).not.toContain('internal: check the fee');
    expect(cover).not.toContain('Committee:');
    const index = execFileSync('pdftotext', ['-layout', path.join(folder, '00-index.pdf'), '-']).toString();
    expect(index).toMatch(/1\. Zoë Abbott, nationality Netherlands/);
    expect(index).toMatch(/2\. Eli Brandt, nationality not read/);
  });

  it('says so when the programme is unknown', async () => {
    const err = sink();
    const code = await runPackCommand(['no-such-programme'], { stdout: sink().stream, stderr: err.stream }, { ESOR_DATA_DIR: fx.dataDir, ESOR_RULES_DIR: path.join(ROOT, 'rules') }, dir, () => NOW);
    expect(code).toBe(1);
    expect(err.text()).toContain('unknown programme "no-such-programme"');
  });
});
