/**
 * The synthetic corpus is only useful if its truth is right: same seed, same
 * corpus; every truth page is a real PDF page; scans really have no text;
 * complete cases really pass every rule of the call.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { PDFDocument } from 'pdf-lib';
import { PDFParse } from 'pdf-parse';
import { SECTION_IDS } from '../../../core/types';
import { SCENARIO_NAMES, allocateScenarios } from '../../corpus/faults';
import { generateCorpus, type CaseTruth } from '../../corpus/generate';
import { buildTd3Mrz } from '../../corpus/mrz';
import { loadDejaVuFonts } from '../../corpus/pdf-writer';
import { Rng } from '../../corpus/random';

const dirs: string[] = [];
function makeTempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'esor-corpus-test-'));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function readPdfAttachments(file: string): Promise<Buffer[]> {
  const mail = await simpleParser(readFileSync(file));
  return mail.attachments.filter((a) => a.contentType === 'application/pdf').map((a) => a.content);
}

/** ICAO 9303 check digit, written again here so the test does not trust the generator's own. */
function checkDigit(field: string): string {
  const value = (c: string) => (c === '<' ? 0 : /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55);
  return String([...field].reduce((sum, c, i) => sum + value(c) * [7, 3, 1][i % 3], 0) % 10);
}

describe('generateCorpus', () => {
  let first: CaseTruth[];
  let dir: string;

  beforeAll(async () => {
    dir = makeTempDir();
    first = await generateCorpus({ seed: 42, count: 20, outDir: dir });
  });

  it('writes one .eml and one .truth.json per case, plus index.json', () => {
    const files = readdirSync(dir);
    expect(files.filter((f) => f.endsWith('.eml'))).toHaveLength(20);
    expect(files.filter((f) => f.endsWith('.truth.json'))).toHaveLength(20);
    const index = JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8'));
    expect(index.cases).toHaveLength(20);
    expect(index.seed).toBe(42);
    for (const t of first) expect(JSON.parse(readFileSync(path.join(dir, `${t.id}.truth.json`), 'utf8'))).toEqual(t);
  });

  it('is deterministic: the same seed gives the same truth and the same mail bytes', async () => {
    const again = makeTempDir();
    const second = await generateCorpus({ seed: 42, count: 20, outDir: again });
    expect(second).toEqual(first);
    for (const t of first) {
      expect(readFileSync(path.join(again, `${t.id}.eml`)).equals(readFileSync(path.join(dir, `${t.id}.eml`)))).toBe(true);
    }
  });

  it('gives a different corpus for a different seed', async () => {
    const other = await generateCorpus({ seed: 43, count: 20, outDir: makeTempDir() });
    expect(other.map((t) => t.applicant.email)).not.toEqual(first.map((t) => t.applicant.email));
  });

  it('has exactly as many PDF pages as page labels, per attachment and in total', async () => {
    for (const t of first) {
      const pdfs = await readPdfAttachments(path.join(dir, `${t.id}.eml`));
      if (t.flags.includes('unreadable_pdf')) {
        expect(t.pageLabels).toEqual([]);
        continue;
      }
      let total = 0;
      const counts: number[] = [];
      for (const pdf of pdfs) {
        const n = (await PDFDocument.load(pdf)).getPageCount();
        counts.push(n);
        total += n;
        expect(pdf.length).toBeLessThan(200 * 1024);
      }
      expect(total).toBe(t.pageLabels.length);
      expect(counts).toEqual(t.attachments.filter((a) => a.contentType === 'application/pdf').map((a) => a.pages));
    }
  });

  it('labels image-only pages exactly: no text on scans, text on every other page', async () => {
    for (const t of first.filter((c) => c.pageLabels.length > 0).slice(0, 8)) {
      const pages: string[] = [];
      for (const pdf of await readPdfAttachments(path.join(dir, `${t.id}.eml`))) {
        const parser = new PDFParse({ data: pdf });
        try {
          pages.push(...(await parser.getText()).pages.map((p) => p.text.trim()));
        } finally {
          await parser.destroy();
        }
      }
      pages.forEach((text, i) => {
        if (t.imageOnlyPages.includes(i + 1)) expect(text).toBe('');
        else expect(text.length).toBeGreaterThan(0);
      });
    }
  });

  it('gives receivedAt exactly as the Date header says, to the second (near-deadline times once carried .999 ms)', async () => {
    for (const t of first) {
      const mail = await simpleParser(readFileSync(path.join(dir, `${t.id}.eml`)));
      expect(mail.date?.toISOString()).toBe(t.receivedAt);
    }
  });

  it('keeps sections, missing sections, flags and status consistent', () => {
    const severity: Record<string, string> = {
      late_submission: 'ineligible', board_certification_too_old: 'ineligible', same_country: 'ineligible', language_below_required: 'ineligible',
      no_pdf: 'incomplete', multiple_pdfs: 'incomplete', unreadable_pdf: 'incomplete', missing_section: 'incomplete', out_of_order: 'incomplete', cv_not_esor_template: 'incomplete',
      language_unverified: 'needs_review', fewer_than_five_publications: 'needs_review', esr_membership_not_current: 'needs_review', programme_unknown: 'needs_review',
    };
    for (const t of first) {
      expect(new Set(t.flags).size).toBe(t.flags.length);
      const expanded = t.sections.flatMap((s) => Array.from({ length: s.pages[1] - s.pages[0] + 1 }, () => s.id));
      expect(expanded).toEqual(t.pageLabels);
      t.sections.forEach((s, i) => i > 0 && expect(s.id).not.toBe(t.sections[i - 1].id));
      expect(t.missing).not.toContain('language_certificates');
      expect(t.flags.includes('missing_section')).toBe(t.missing.length > 0);
      if (t.status === 'not_application') continue;
      const order = ['ineligible', 'incomplete', 'needs_review'];
      const expected = order.find((s) => t.flags.some((f) => severity[f] === s)) ?? 'complete';
      expect(t.status).toBe(expected);
    }
  });

  it('makes complete cases satisfy every rule of the call', () => {
    const complete = first.filter((t) => t.status === 'complete');
    expect(complete.length).toBeGreaterThan(0);
    for (const t of complete) {
      const f = t.facts;
      expect(t.programme).toBe('gustave-roussy-hybrid-imaging-2022');
      expect(new Date(t.receivedAt).getTime()).toBeLessThanOrEqual(Date.parse('2021-03-31T22:00:00Z'));
      expect(f.boardCertificationDate! >= '2018-03-31').toBe(true);
      expect([f.countryOfResidence, f.countryOfWork]).not.toContain('FR');
      expect(['B2', 'C1', 'C2']).toContain(f.languageLevels?.fr);
      expect(['B2', 'C1', 'C2']).toContain(f.languageLevels?.en);
      expect(f.publicationCount).toBeGreaterThanOrEqual(5);
      expect(f.esrMembershipYear).toBe(2021);
      const present = new Set(t.pageLabels);
      for (const id of SECTION_IDS) if (id !== 'language_certificates') expect(present.has(id)).toBe(true);
    }
  });

  it('prints valid TD3 machine-readable zones on text passports', async () => {
    const withMrz = first.filter((t) => t.facts.passportExpiry);
    expect(withMrz.length).toBeGreaterThan(0);
    for (const t of withMrz) {
      let text = '';
      for (const pdf of await readPdfAttachments(path.join(dir, `${t.id}.eml`))) {
        const parser = new PDFParse({ data: pdf });
        try {
          text += (await parser.getText()).text;
        } finally {
          await parser.destroy();
        }
      }
      const line2 = text.split('\n').map((l) => l.trim()).find((l) => /^[A-Z0-9<]{44}$/.test(l) && !l.startsWith('P<'));
      expect(line2).toBeDefined();
      const l = line2!;
      expect(l[9]).toBe(checkDigit(l.slice(0, 9)));
      expect(l[19]).toBe(checkDigit(l.slice(13, 19)));
      expect(l[27]).toBe(checkDigit(l.slice(21, 27)));
      expect(l[43]).toBe(checkDigit(l.slice(0, 10) + l.slice(13, 20) + l.slice(21, 43)));
      const expiry = t.facts.passportExpiry!;
      expect(l.slice(21, 27)).toBe(expiry.slice(2, 4) + expiry.slice(5, 7) + expiry.slice(8, 10));
    }
  });
});

describe('scenario mix', () => {
  it('allocates every scenario once a corpus is large enough, about 40 % complete', () => {
    for (const count of [40, 200]) {
      const names = allocateScenarios(count, new Rng(1));
      expect(names).toHaveLength(count);
      for (const name of SCENARIO_NAMES) expect(names).toContain(name);
      const complete = names.filter((n) => n === 'complete').length / count;
      expect(complete).toBeGreaterThan(0.3);
      expect(complete).toBeLessThan(0.45);
    }
  });

  it('produces every scenario kind in a generated corpus of 40', async () => {
    const truths = await generateCorpus({ seed: 7, count: 40, outDir: makeTempDir() });
    const faults = new Set(truths.map((t) => (t.fault.includes('+') ? 'combination' : t.fault)));
    for (const name of SCENARIO_NAMES) expect(faults).toContain(name);
    const statuses = new Set(truths.map((t) => t.status));
    for (const s of ['complete', 'incomplete', 'ineligible', 'needs_review', 'not_application']) expect(statuses).toContain(s);
  });

  it('makes no image-only page when imageOnlyShare is 0', async () => {
    const truths = await generateCorpus({ seed: 3, count: 20, outDir: makeTempDir(), imageOnlyShare: 0 });
    expect(truths.flatMap((t) => t.imageOnlyPages)).toEqual([]);
  });
});

describe('generator building blocks', () => {
  it('builds MRZ lines of 44 characters with the ICAO check digits', () => {
    const [l1, l2] = buildTd3Mrz({
      issuingState: 'D', nationality: 'D', surnameLatin: 'Weiß', givenNamesLatin: 'Lena Marie', documentNumber: 'C01X00T47',
      dob: { y: 1990, m: 3, d: 13 }, sex: 'F', expiry: { y: 2029, m: 4, d: 30 },
    });
    expect(l1).toBe('P<D<<WEISS<<LENA<MARIE<<<<<<<<<<<<<<<<<<<<<<');
    expect(l1).toHaveLength(44);
    expect(l2).toHaveLength(44);
    expect(l2.slice(0, 10)).toBe(`C01X00T47${checkDigit('C01X00T47')}`);
  });

  it('fails with the package to install when the DejaVu fonts are missing', () => {
    expect(() => loadDejaVuFonts('/nonexistent/fonts')).toThrow(/apt-get install fonts-dejavu-core/);
  });

  it('forks streams that do not depend on earlier draws', () => {
    const a = new Rng(5);
    const b = new Rng(5);
    b.next();
    b.next();
    expect(a.fork('x').next()).toBe(b.fork('x').next());
    expect(a.fork('x').next()).not.toBe(a.fork('y').next());
  });
});
