/**
 * OCR of scanned pages with the real tesseract and pdftoppm (installed by the
 * test command). A "scan" here is a page of a text PDF rendered to an image
 * and put back as an image-only page: exactly what a scanner produces.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { simpleParser } from 'mailparser';
import { degrees, PDFDocument, rgb, StandardFonts } from 'pdf-lib';
import { createOcrEngine, hintedScripts, lostResultCell, turnsToTry, wordsToText } from '../../../adapters/ocr';
import { readPdfPages } from '../../../adapters/pdf-reader';
import { loadRules } from '../../../adapters/rules-loader';
import { findLanguageLevels } from '../../../core/facts/cefr';
import { compileTriageRules, triageApplication } from '../../../core/triage/triage-application';

const ROOT = path.resolve(__dirname, '../../..');
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'esor-ocr-test-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The given pages of `pdf` (1-based) turned into image-only pages; the others kept as they are. */
async function scanPages(pdf: Uint8Array, pages: number[]): Promise<Uint8Array> {
  const src = await PDFDocument.load(pdf);
  const out = await PDFDocument.create();
  const file = path.join(tmp, `src-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  for (let i = 0; i < src.getPageCount(); i++) {
    if (!pages.includes(i + 1)) {
      const [copy] = await out.copyPages(src, [i]);
      out.addPage(copy!);
      continue;
    }
    const prefix = path.join(tmp, `scan-${i}`);
    execFileSync('pdftoppm', ['-r', '150', '-gray', '-png', '-f', String(i + 1), '-l', String(i + 1), '-singlefile', file, prefix]);
    const png = await out.embedPng(readFileSync(`${prefix}.png`));
    const { width, height } = src.getPage(i).getSize();
    out.addPage([width, height]).drawImage(png, { x: 0, y: 0, width, height });
  }
  return out.save();
}

/** Each page of `pdf` as a scan at `ppi` (grey PNG drawn over a page of the image's size at that resolution). */
async function scanAt(pdf: Uint8Array, ppi: number): Promise<Uint8Array> {
  const file = path.join(tmp, `src-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  const out = await PDFDocument.create();
  for (let i = 1; i <= (await PDFDocument.load(pdf)).getPageCount(); i++) {
    const prefix = `${file}-${i}`;
    execFileSync('pdftoppm', ['-r', String(ppi), '-gray', '-png', '-f', String(i), '-l', String(i), '-singlefile', file, prefix]);
    const png = await out.embedPng(readFileSync(`${prefix}.png`));
    const [w, h] = [(png.width * 72) / ppi, (png.height * 72) / ppi];
    out.addPage([w, h]).drawImage(png, { x: 0, y: 0, width: w, height: h });
  }
  return out.save();
}

/** Pages of DejaVu Sans text (any script), each turned by `rotate` degrees; `table` draws an IELTS result table below the lines. */
async function dejavuPdf(pages: Array<{ lines: string[]; rotate?: number; table?: boolean }>): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(readFileSync('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'));
  for (const p of pages) {
    const page = doc.addPage([595, 842]);
    p.lines.forEach((line, i) => page.drawText(line, { x: 60, y: 760 - i * 22, size: 12, font }));
    if (p.table) {
      const cells = [['Listening', 'Reading', 'Writing', 'Speaking', 'Overall', 'CEFR Level'], ['8.0', '7.5', '7.0', '7.5', '7.5', 'C1']];
      cells.forEach((row, r) =>
        row.forEach((text, c) => {
          page.drawRectangle({ x: 60 + c * 80, y: 540 - r * 24, width: 80, height: 24, borderColor: rgb(0, 0, 0), borderWidth: 0.8 });
          page.drawText(text, { x: 64 + c * 80, y: 548 - r * 24, size: 9, font });
        }),
      );
    }
    if (p.rotate) page.setRotation(degrees(p.rotate));
  }
  return doc.save();
}

const SPECIALIST = ['UNIVERSITY HOSPITAL OF EXAMPLETOWN', 'Department of Radiology', 'Certificate of Specialisation', 'This is to certify that Dr Jana Novak has completed', 'the full training programme in Diagnostic Radiology', 'and passed the final board examination on 12 May 2019.', 'She is registered as a specialist in radiology.'];

async function textPdf(lines: string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  lines.forEach((line, i) => page.drawText(line, { x: 60, y: 760 - i * 24, size: 14, font }));
  return doc.save();
}

describe('turnsToTry: which way up to read a poorly read page', () => {
  const osd = (rotate: number, orientationConfidence: number) => ({ rotate, orientationConfidence, script: 'Latin', scriptConfidence: 5 });
  it('tries the side OSD is sure of, then the other side (OSD said 270 of a passport that read upright at 90)', () => {
    expect(turnsToTry(osd(270, 9), true, 3)).toEqual([270, 90]);
    expect(turnsToTry(osd(90, 9), false, 3)).toEqual([90, 270]);
    expect(turnsToTry(osd(180, 9), false, 3)).toEqual([180]);
  });
  it('tries a page that read as nonsense upside down, then on either side, when OSD is unsure or silent', () => {
    expect(turnsToTry(osd(90, 0.47), true, 3)).toEqual([180, 90, 270]);
    expect(turnsToTry(undefined, true, 3)).toEqual([180, 90, 270]);
    expect(turnsToTry(osd(0, 9), false, 3)).toEqual([]);
    // OSD sure it stands upright: upside down at most (the page may be in a script Latin letters cannot read).
    expect(turnsToTry(osd(0, 9), true, 3)).toEqual([180]);
  });
});

describe('OCR of scanned pages', () => {
  it('reads a scanned certificate into text, and leaves a blank page image-only, looked at', async () => {
    const cert = await textPdf(['IELTS', 'International English Language Testing System', 'Test Report Form', 'Candidate: Jana Novak', 'Overall Band Score 7.5', 'CEFR Level C1']);
    const blank = await PDFDocument.create();
    blank.addPage([595, 842]);
    const merged = await PDFDocument.create();
    for (const src of [await PDFDocument.load(await scanPages(cert, [1])), await PDFDocument.load(await blank.save())]) {
      for (const p of await merged.copyPages(src, src.getPageIndices())) merged.addPage(p);
    }
    const pdf = await merged.save();
    expect((await readPdfPages(pdf)).map((p) => p.imageOnly)).toEqual([true, true]);
    const pages = await readPdfPages(pdf, 5, { ocr: createOcrEngine() });
    expect(pages[0]).toMatchObject({ num: 5, imageOnly: false, ocr: true });
    expect(pages[0]!.text).toMatch(/International English Language Testing System/);
    expect(pages[0]!.text).toMatch(/C1/);
    // A page with no text and no picture: looked at, nothing on it (blank paper to the classifier), no words.
    expect(pages[1]).toMatchObject({ num: 6, imageOnly: true, ocr: true });
    expect(pages[1]!.text.trim()).toBe('');
  }, 60_000);

  it('without tesseract, scanned pages simply stay image-only', async () => {
    const pdf = await scanPages(await textPdf(['Certificate of proficiency', 'Level B2']), [1]);
    const engine = createOcrEngine({ tesseractPath: '/nonexistent/tesseract' });
    expect(await engine.languages()).toEqual([]);
    expect(await readPdfPages(pdf, 1, { ocr: engine })).toEqual([{ num: 1, text: expect.any(String), imageOnly: true }]);
  }, 30_000);

  it('keeps only words read with confidence, line by line', () => {
    const row = (block: number, line: number, conf: number, text: string) => ['5', '1', String(block), '1', String(line), '1', '0', '0', '10', '10', String(conf), text].join('\t');
    const tsv = ['header', row(1, 1, 95, 'Overall'), row(1, 1, 91, 'Band'), row(1, 1, 12, '~~'), row(1, 2, 88, 'C1')].join('\n');
    expect(wordsToText(tsv, 60)).toBe('Overall Band\nC1');
  });

  it('keeps a results cell read with little confidence (a level printed light, a band in a shaded box), not other words', () => {
    const row = (line: number, conf: number, text: string) => ['5', '1', '1', '1', String(line), '1', '0', '0', '10', '10', String(conf), text].join('\t');
    const tsv = ['header', row(1, 96, 'CEFR'), row(1, 95, 'Level'), row(1, 35, 'C1'), row(2, 40, '7.0'), row(2, 35, 'Cl0'), row(2, 12, 'B2')].join('\n');
    expect(wordsToText(tsv, 60)).toBe('CEFR Level C1\n7.0');
  });

  it('tells a test report whose level cell did not read', () => {
    expect(lostResultCell('IELTS Test Report Form\nOverall Band Score\n7.0 6.5 7.0 7.0\nCEFR Level\nAdministrator Comments')).toBe(true);
    expect(lostResultCell('IELTS Test Report Form\nCEFR Level C1')).toBe(false);
    expect(lostResultCell('Diplôme DELF B2\nniveau B2 du CECRL')).toBe(false);
    expect(lostResultCell('Letter of recommendation\nDear colleagues')).toBe(false);
  });

  it('an application whose language certificates and ESR proof are scans is read like the text one', async () => {
    const parsed = await simpleParser(readFileSync(path.join(ROOT, 'demo', 'applications', '01-complete.eml')));
    const original = parsed.attachments.find((a) => a.contentType === 'application/pdf')!.content;
    const rules = compileTriageRules(loadRules(path.join(ROOT, 'rules')));
    const asText = triageApplication({ receivedAt: new Date('2021-03-20'), pdfs: [{ filename: 'a.pdf', pages: await readPdfPages(original) }] }, rules).result;
    const scanned = await scanPages(original, [11, 12, 15]);
    const unread = triageApplication({ receivedAt: new Date('2021-03-20'), pdfs: [{ filename: 'a.pdf', pages: await readPdfPages(scanned) }] }, rules).result;
    const read = triageApplication({ receivedAt: new Date('2021-03-20'), pdfs: [{ filename: 'a.pdf', pages: await readPdfPages(scanned, 1, { ocr: createOcrEngine() }) }] }, rules).result;
    // Without OCR the scans cannot be checked; with it the verdict and facts are those of the text PDF.
    expect(unread.status).toBe('needs_review');
    expect(unread.flags.map((f) => f.code)).toEqual(expect.arrayContaining(['language_unverified', 'esr_membership_not_current']));
    expect(read.facts.languageLevels).toEqual(asText.facts.languageLevels);
    expect(read.facts.esrMembershipYear).toEqual(asText.facts.esrMembershipYear);
    expect(read.status).toBe(asText.status);
    expect(read.sections.map((s) => [s.id, s.pages])).toEqual(asText.sections.map((s) => [s.id, s.pages]));
  }, 90_000);
});

describe('OCR: script, orientation, resolution, cache', () => {
  it('reads a Cyrillic scan with Cyrillic languages, not as Latin garbage', async () => {
    const diploma = ['МИНИСТЕРСТВО ЗДРАВООХРАНЕНИЯ', 'Диплом о высшем медицинском образовании', 'Настоящий диплом выдан Ивановой Марии Петровне', 'в том, что она окончила медицинский университет', 'и получила квалификацию врача по специальности', 'лечебное дело. Решением экзаменационной комиссии', 'ей присвоена квалификация врача-радиолога.', 'Регистрационный номер 12345'];
    const pdf = await scanAt(await dejavuPdf([{ lines: diploma }]), 150);
    const [page] = await createOcrEngine().readScannedPages(pdf, await readPdfPages(pdf));
    expect(page).toMatchObject({ imageOnly: false, ocr: true });
    expect(page!.text).toMatch(/Диплом/);
    expect(page!.text).toMatch(/медицинском/);
    expect(page!.text).toMatch(/12345/);
  }, 60_000);

  const GREEK_TITLE = ['ΕΛΛΗΝΙΚΗ ΔΗΜΟΚΡΑΤΙΑ', 'ΠΕΡΙΦΕΡΕΙΑ ΑΤΤΙΚΗΣ', 'ΤΙΤΛΟΣ ΙΑΤΡΙΚΗΣ ΕΙΔΙΚΟΤΗΤΑΣ', 'ΑΚΤΙΝΟΔΙΑΓΝΩΣΤΙΚΗ', 'ΑΘΗΝΑ 2019'];

  /** A typed CV page that names Greece, then the Greek title scanned (turned by `rotate`). */
  async function greekScanAfterCv(rotate?: number): Promise<Uint8Array> {
    const scan = await scanAt(await dejavuPdf([{ lines: GREEK_TITLE, ...(rotate ? { rotate } : {}) }]), 200);
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const cv = doc.addPage();
    cv.drawText('ESOR Curriculum Vitae', { x: 50, y: 780, size: 14, font });
    cv.drawText('Country of residence: Greece', { x: 50, y: 750, size: 11, font });
    const [scanned] = await doc.copyPages(await PDFDocument.load(scan), [0]);
    doc.addPage(scanned!);
    return doc.save();
  }

  it.each([
    ['upright', undefined],
    ['fed upside down, once turned upright', 180],
  ])('reads an upper-case Greek scan in Greek when the text pages name Greece (Latin models read it as confident Latin): %s', async (_, rotate) => {
    const pdf = await greekScanAfterCv(rotate);
    const pages = await readPdfPages(pdf);
    expect(hintedScripts(pages)).toEqual(['Greek']);
    const [, page] = await createOcrEngine({ cacheEntries: 0 }).readScannedPages(pdf, pages);
    expect(page).toMatchObject({ imageOnly: false, ocr: true });
    expect(page!.text).toMatch(/ΕΛΛΗΝΙΚΗ/);
  }, 60_000);

  it('reads the Greek scan in Greek when the PDF is scanned whole and only a scanned page names Greece', async () => {
    const cv = ['ESOR Curriculum Vitae', 'Surname: Example', 'Nationality: Greek', 'Country of residence: Greece', 'Current position: Consultant radiologist'];
    const pdf = await scanAt(await dejavuPdf([{ lines: cv }, { lines: GREEK_TITLE }]), 200);
    const pages = await readPdfPages(pdf);
    expect(hintedScripts(pages)).toEqual([]);
    const [first, page] = await createOcrEngine({ cacheEntries: 0 }).readScannedPages(pdf, pages);
    expect(first!.text).toMatch(/Greece/);
    expect(page).toMatchObject({ imageOnly: false, ocr: true });
    expect(page!.text).toMatch(/ΕΛΛΗΝΙΚΗ/);
  }, 60_000);

  it("reads a Georgian scan, a script tesseract's OSD does not know", async () => {
    const diploma = ['საქართველოს ჯანმრთელობის სამინისტრო', 'დიპლომი უმაღლესი სამედიცინო განათლების შესახებ', 'ეს დიპლომი გაიცა მარიამ ბერიძეზე', 'რომელმაც დაამთავრა სახელმწიფო სამედიცინო უნივერსიტეტი', 'და მიენიჭა მედიცინის დოქტორის კვალიფიკაცია', 'რეგისტრაციის ნომერი 12345'];
    const pdf = await scanAt(await dejavuPdf([{ lines: diploma }]), 150);
    const [page] = await createOcrEngine().readScannedPages(pdf, await readPdfPages(pdf));
    expect(page).toMatchObject({ imageOnly: false, ocr: true });
    expect(page!.text).toMatch(/დიპლომი/);
  }, 60_000);

  it('reads pages scanned on their side or upside down the right way up', async () => {
    const pdf = await scanAt(await dejavuPdf([90, 180, 270].map((rotate) => ({ lines: SPECIALIST, rotate }))), 150);
    const pages = await createOcrEngine().readScannedPages(pdf, await readPdfPages(pdf));
    for (const page of pages) {
      expect(page).toMatchObject({ imageOnly: false, ocr: true });
      expect(page.text).toMatch(/Certificate of Specialisation/);
      expect(page.text).toMatch(/Diagnostic Radiology/);
    }
  }, 90_000);

  it.each([100, 150])('keeps the "C1" cell of a table certificate scanned at %i ppi', async (ppi) => {
    const pdf = await scanAt(await dejavuPdf([{ lines: ['IELTS Test Report Form', 'Candidate: Marta Kowalska', 'Date of birth: 12/04/1990', 'Test date: 21/11/2020', 'Centre number: GB123'], table: true }]), ppi);
    const [page] = await createOcrEngine().readScannedPages(pdf, await readPdfPages(pdf));
    expect(page!.text).toMatch(/CEFR Level/);
    expect(page!.text).toMatch(/\bC1\b/);
    // The table's rows come out as rows (ocr/rows), not cell by cell: labels on one line, values on the next.
    const lines = page!.text.split('\n');
    expect(lines.find((l) => /CEFR Level/.test(l))).toMatch(/Listening.*Overall.*CEFR Level/);
    expect(lines.find((l) => /\bC1\b/.test(l))).toMatch(/^8\.0\b.*\bC1$/);
    expect(findLanguageLevels(page!.text).map((l) => [l.lang, l.level])).toEqual([['en', 'C1']]);
  }, 60_000);

  it('reads a page it has read before from its cache, without tesseract', async () => {
    // A tesseract that counts its readings (TSV output) before running the real one.
    const counter = path.join(tmp, 'readings');
    const wrapper = path.join(tmp, 'counting-tesseract');
    writeFileSync(wrapper, `#!/bin/sh\ncase "$*" in *tsv*) echo x >> '${counter}';; esac\nexec tesseract "$@"\n`);
    chmodSync(wrapper, 0o755);
    const readings = () => readFileSync(counter, 'utf8').split('\n').filter(Boolean).length;
    writeFileSync(counter, '');
    const engine = createOcrEngine({ tesseractPath: wrapper });
    const pdf = await scanAt(await dejavuPdf([{ lines: SPECIALIST }]), 150);
    const pages = await readPdfPages(pdf);
    const first = await engine.readScannedPages(pdf, pages);
    expect(first[0]).toMatchObject({ imageOnly: false, ocr: true });
    const once = readings();
    expect(once).toBeGreaterThan(0);
    // The same scan again (a resubmission, inside another PDF): read from the cache.
    const again = await engine.readScannedPages(pdf, pages);
    expect(again).toEqual(first);
    expect(readings()).toBe(once);
    // Off, every read runs tesseract.
    const uncached = createOcrEngine({ tesseractPath: wrapper, cacheEntries: 0 });
    await uncached.readScannedPages(pdf, pages);
    await uncached.readScannedPages(pdf, pages);
    expect(readings()).toBe(once * 3);
  }, 60_000);

  it('reads the scanned pages of one PDF with one tesseract run (the models load once), each page its own text', async () => {
    const runs = path.join(tmp, 'runs');
    const wrapper = path.join(tmp, 'run-counting-tesseract');
    writeFileSync(wrapper, `#!/bin/sh\ncase "$*" in *tsv*) echo x >> '${runs}';; esac\nexec tesseract "$@"\n`);
    chmodSync(wrapper, 0o755);
    writeFileSync(runs, '');
    const titles = ['Certificate of Training', 'Diploma of Medicine', 'Membership Confirmation'];
    const docs = await Promise.all(titles.map((t) => textPdf([t, 'This is to certify that Dr Jana Novak', 'has completed the training programme', 'in Diagnostic Radiology on 12 May 2019.'])));
    const merged = await PDFDocument.create();
    for (const d of docs) for (const p of await merged.copyPages(await PDFDocument.load(d), [0])) merged.addPage(p);
    const pdf = await scanAt(await merged.save(), 150);
    // Budgets far above need: on a CI machine busy with the rest of the suite a list run cut short by the
    // budget falls back to page-by-page readings, which is right for the service but not what this counts.
    const pages = await createOcrEngine({ tesseractPath: wrapper, cacheEntries: 0, timeoutMs: 300_000, budgetMs: 900_000 }).readScannedPages(pdf, await readPdfPages(pdf));
    expect(pages.map((p) => p.ocr)).toEqual([true, true, true]);
    titles.forEach((t, i) => expect(pages[i]!.text.split('\n')[0]).toBe(t));
    expect(readFileSync(runs, 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
    // A run over the list that fails (a page that stalls tesseract): each page is then read alone.
    const failing = path.join(tmp, 'list-failing-tesseract');
    writeFileSync(failing, `#!/bin/sh\ncase "$1" in *.txt) exit 1;; esac\nexec tesseract "$@"\n`);
    chmodSync(failing, 0o755);
    const alone = await createOcrEngine({ tesseractPath: failing, cacheEntries: 0 }).readScannedPages(pdf, await readPdfPages(pdf));
    expect(alone.map((p) => p.text)).toEqual(pages.map((p) => p.text));

    // Rendered by one pdftoppm run over the three pages; a run that fails (a page that stalls poppler) leaves
    // each page to be rendered alone, with the same text.
    const renders = path.join(tmp, 'renders');
    writeFileSync(renders, '');
    const counting = path.join(tmp, 'render-counting-pdftoppm');
    writeFileSync(counting, `#!/bin/sh
echo "$*" >> '${renders}'
exec pdftoppm "$@"
`);
    chmodSync(counting, 0o755);
    const slow = { cacheEntries: 0, timeoutMs: 300_000, budgetMs: 900_000 };
    const once = await createOcrEngine({ ...slow, pdftoppmPath: counting }).readScannedPages(pdf, await readPdfPages(pdf));
    expect(once.map((p) => p.text)).toEqual(pages.map((p) => p.text));
    expect(readFileSync(renders, 'utf8').split('\n').filter(Boolean)).toEqual([expect.stringMatching(/-f 1 -l 3 /)]);
    const rangeFailing = path.join(tmp, 'range-failing-pdftoppm');
    writeFileSync(rangeFailing, `#!/bin/sh
case "$*" in *singlefile*) exec pdftoppm "$@";; esac
exit 1
`);
    chmodSync(rangeFailing, 0o755);
    const single = await createOcrEngine({ ...slow, pdftoppmPath: rangeFailing }).readScannedPages(pdf, await readPdfPages(pdf));
    expect(single.map((p) => p.text)).toEqual(pages.map((p) => p.text));
  }, 120_000);
});

describe('OCR budget', () => {
  it('leaves a scanned page image-only once the PDF is over its OCR budget', async () => {
    const scan = await scanPages(await textPdf(['IELTS', 'Test Report Form', 'Candidate: Jana Novak', 'Overall Band Score 7.5', 'CEFR Level C1']), [1]);
    const pages = await readPdfPages(scan);
    expect(await createOcrEngine({ budgetMs: 0 }).readScannedPages(scan, pages)).toEqual(pages);
    expect((await createOcrEngine().readScannedPages(scan, pages))[0]).toMatchObject({ imageOnly: false, ocr: true });
  });
});
