/**
 * OCR cost per scanned page, the old way and the new way in the same run:
 *
 *   npx tsx test/bench/bench-ocr.ts [--cases N]
 *
 * Pages: the scanned variant of the first N gate cases of the independent set
 * (test/fixtures/independent/scan.ts: office scans at 150/200 ppi, grey paper,
 * blur, slight rotation, JPEG), plus synthetic scans the old way read badly: a
 * Cyrillic, a Greek and a Georgian diploma, pages turned 180° and 270°, a 120 ppi table
 * certificate. Each page is read alone, one at a time, so the CPU seconds
 * (this process's and its children's, from /proc: tesseract and poppler run as
 * children) belong to that page.
 *
 * Old: pdftoppm at 200 dpi, one tesseract with the eight Latin languages (the
 * engine before issue 10). New: createOcrEngine() with its cache off (a cold
 * read), then the same pages again with the cache on (a resubmission).
 *
 * Then as the service reads them: each office case's scanned pages as one PDF
 * (the engine reads a PDF's pages in one tesseract run, models loaded once),
 * its CPU seconds divided by its pages.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import fontkit from '@pdf-lib/fontkit';
import { simpleParser } from 'mailparser';
import { degrees, PDFDocument, rgb } from 'pdf-lib';
import { createOcrEngine, scoreTsv } from '../../adapters/ocr';
import { readPdfPages } from '../../adapters/pdf-reader';
import type { IndependentTruth } from '../fixtures/independent/make';
import { GATE_CASES, SCANNED_LABELS, scanPages } from '../fixtures/independent/scan';

const exec = promisify(execFile);
const INDEPENDENT = path.resolve(__dirname, '../fixtures/independent');
const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
const OLD_LANGS = 'eng+fra+deu+ita+spa+por+nld+pol';

interface Sample {
  name: string;
  pdf: Uint8Array;
  /** A word the page carries, to see whether it was read (synthetic pages only). */
  expect?: RegExp;
}

/** CPU seconds used so far by this process and its waited-for children (Linux /proc, clock ticks of 1/100 s). */
function cpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After "pid (comm) ": state is f[0]; utime, stime, cutime, cstime are fields 14–17 of the whole line, f[11..14] here.
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100;
}

async function oldWay(pdf: Uint8Array, dir: string): Promise<string> {
  const file = path.join(dir, 'old.pdf');
  writeFileSync(file, pdf);
  await exec('pdftoppm', ['-r', '200', '-gray', '-singlefile', file, path.join(dir, 'old')]);
  const { stdout } = await exec('tesseract', [path.join(dir, 'old.pgm'), '-', '--dpi', '200', '-l', OLD_LANGS, 'tsv'], { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, maxBuffer: 16 << 20 });
  const r = scoreTsv(stdout, 60);
  return r.goodWords >= 8 ? r.text : '';
}

async function textPage(lines: string[], rotate = 0, table = false): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(readFileSync(FONT));
  const page = doc.addPage([595, 842]);
  lines.forEach((line, i) => page.drawText(line, { x: 60, y: 760 - i * 22, size: 12, font }));
  if (table) {
    const head = ['Listening', 'Reading', 'Writing', 'Speaking', 'Overall', 'CEFR Level'];
    const vals = ['8.0', '7.5', '7.0', '7.5', '7.5', 'C1'];
    head.forEach((h, c) => {
      for (const [r, text] of [h, vals[c]!].entries()) {
        page.drawRectangle({ x: 60 + c * 80, y: 540 - r * 24, width: 80, height: 24, borderColor: rgb(0, 0, 0), borderWidth: 0.8 });
        page.drawText(text, { x: 64 + c * 80, y: 548 - r * 24, size: 9, font });
      }
    });
  }
  if (rotate) page.setRotation(degrees(rotate));
  return doc.save();
}

/** `pdf`'s first page as a scan at `ppi`: rendered grey and put back as the page's only content. */
async function scanned(pdf: Uint8Array, ppi: number, dir: string): Promise<Uint8Array> {
  const file = path.join(dir, 'src.pdf');
  writeFileSync(file, pdf);
  await exec('pdftoppm', ['-r', String(ppi), '-gray', '-png', '-singlefile', file, path.join(dir, 'src')]);
  const out = await PDFDocument.create();
  const png = await out.embedPng(readFileSync(path.join(dir, 'src.png')));
  const [w, h] = [(png.width * 72) / ppi, (png.height * 72) / ppi];
  out.addPage([w, h]).drawImage(png, { x: 0, y: 0, width: w, height: h });
  return out.save();
}

const EN = ['UNIVERSITY HOSPITAL OF EXAMPLETOWN', 'Department of Radiology', 'Certificate of Specialisation', 'This is to certify that Dr Jana Novak has completed', 'the full training programme in Diagnostic Radiology', 'and passed the final board examination on 12 May 2019.', 'She is registered as a specialist in radiology.', 'Head of Department, Professor A. Example'];

async function syntheticSamples(dir: string): Promise<Sample[]> {
  const ru = ['МИНИСТЕРСТВО ЗДРАВООХРАНЕНИЯ', 'Диплом о высшем медицинском образовании', 'Настоящий диплом выдан Ивановой Марии Петровне', 'в том, что она окончила медицинский университет', 'и получила квалификацию врача по специальности', 'лечебное дело. Решением экзаменационной комиссии', 'ей присвоена квалификация врача-радиолога.', 'Регистрационный номер 12345'];
  const el = ['ΕΘΝΙΚΟ ΚΑΙ ΚΑΠΟΔΙΣΤΡΙΑΚΟ ΠΑΝΕΠΙΣΤΗΜΙΟ', 'Ιατρική Σχολή', 'Πτυχίο Ιατρικής', 'Βεβαιώνεται ότι η κυρία Μαρία Παπαδοπούλου', 'ολοκλήρωσε με επιτυχία τις σπουδές της στην Ιατρική', 'και έλαβε το πτυχίο με βαθμό λίαν καλώς', 'Ο Πρύτανης του Πανεπιστημίου'];
  const ka = ['საქართველოს ჯანმრთელობის სამინისტრო', 'დიპლომი უმაღლესი სამედიცინო განათლების შესახებ', 'ეს დიპლომი გაიცა მარიამ ბერიძეზე', 'რომელმაც დაამთავრა სახელმწიფო სამედიცინო უნივერსიტეტი', 'და მიენიჭა მედიცინის დოქტორის კვალიფიკაცია', 'რეგისტრაციის ნომერი 12345'];
  const ielts = ['IELTS Test Report Form', 'Candidate: Marta Kowalska', 'Date of birth: 12/04/1990', 'Test date: 21/11/2020', 'Centre number: GB123'];
  return [
    { name: 'cyrillic diploma 150 ppi', pdf: await scanned(await textPage(ru), 150, dir), expect: /Диплом/ },
    { name: 'greek diploma 150 ppi', pdf: await scanned(await textPage(el), 150, dir), expect: /Πτυχίο/ },
    { name: 'georgian diploma 150 ppi', pdf: await scanned(await textPage(ka), 150, dir), expect: /დიპლომი/ },
    { name: 'latin page turned 180°', pdf: await scanned(await textPage(EN, 180), 150, dir), expect: /Certificate/ },
    { name: 'latin page turned 270°', pdf: await scanned(await textPage(EN, 270), 150, dir), expect: /Certificate/ },
    { name: 'table certificate 120 ppi', pdf: await scanned(await textPage(ielts, 0, true), 120, dir), expect: /\bC1\b/ },
  ];
}

/** Each scanned page of the scanned variant of `ids`, as a one-page PDF (`whole`: each case's scanned pages as one PDF, `pages` long). */
async function officeScans(ids: readonly string[], dir: string, whole: Array<Sample & { pages: number }> = []): Promise<Sample[]> {
  const truths = JSON.parse(readFileSync(path.join(INDEPENDENT, 'truth.json'), 'utf8')) as IndependentTruth[];
  const out: Sample[] = [];
  for (const id of ids) {
    const t = truths.find((x) => x.id === id)!;
    const mail = await simpleParser(readFileSync(path.join(INDEPENDENT, `${id}.eml`)));
    const original = mail.attachments.find((a) => a.contentType === 'application/pdf')!.content;
    const scan = t.pageLabels.map((l) => SCANNED_LABELS.has(l));
    const { pdf } = await scanPages(original, scan, id, dir);
    const doc = await PDFDocument.load(pdf);
    const all = await PDFDocument.create();
    for (const [i, s] of scan.entries()) {
      if (!s) continue;
      const one = await PDFDocument.create();
      const [page] = await one.copyPages(doc, [i]);
      one.addPage(page!);
      out.push({ name: `${id} p${i + 1} ${t.pageLabels[i]}`, pdf: await one.save() });
      all.addPage((await all.copyPages(doc, [i]))[0]!);
    }
    whole.push({ name: id, pdf: await all.save(), pages: all.getPageCount() });
  }
  return out;
}

function stats(xs: number[]): { median: number; p95: number; mean: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  return { median: at(0.5), p95: at(0.95), mean: xs.reduce((a, b) => a + b, 0) / xs.length };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { cases: { type: 'string', default: '4' } } });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'esor-bench-ocr-'));
  try {
    const whole: Array<Sample & { pages: number }> = [];
    const samples = [...(await officeScans(GATE_CASES.slice(0, Number(values.cases)), dir, whole)), ...(await syntheticSamples(dir))];
    const cold = createOcrEngine({ cacheEntries: 0, concurrency: 1 });
    const warm = createOcrEngine({ concurrency: 1 });
    const rows: Array<{ name: string; old: number; neu: number; cached: number; oldWords: number; newWords: number; oldHit?: boolean; newHit?: boolean }> = [];
    for (const s of samples) {
      const pages = await readPdfPages(s.pdf);
      let t = cpuSeconds();
      const oldText = await oldWay(s.pdf, dir);
      const old = cpuSeconds() - t;
      t = cpuSeconds();
      const newText = (await cold.readScannedPages(s.pdf, pages))[0]!.text;
      const neu = cpuSeconds() - t;
      await warm.readScannedPages(s.pdf, pages);
      t = cpuSeconds();
      await warm.readScannedPages(s.pdf, pages); // the same page again: a resubmission
      const cached = cpuSeconds() - t;
      const words = (x: string) => x.split(/\s+/).filter((w) => /\p{L}{2,}|\d/u.test(w)).length;
      rows.push({ name: s.name, old, neu, cached, oldWords: words(oldText), newWords: words(newText), oldHit: s.expect?.test(oldText), newHit: s.expect?.test(newText) });
      const hit = s.expect ? `  ${s.expect.source}: old ${s.expect.test(oldText) ? 'read' : 'lost'}, new ${s.expect.test(newText) ? 'read' : 'lost'}` : '';
      process.stdout.write(`${s.name.padEnd(48)} old ${old.toFixed(2)} s  new ${neu.toFixed(2)} s  cached ${cached.toFixed(2)} s  words ${words(oldText)} -> ${words(newText)}${hit}\n`);
    }
    // As the service reads them: a case's scanned pages in one PDF, CPU per page.
    const perPdf: number[] = [];
    for (const w of whole) {
      const pages = await readPdfPages(w.pdf);
      const t = cpuSeconds();
      const read = await cold.readScannedPages(w.pdf, pages);
      const cpu = (cpuSeconds() - t) / w.pages;
      perPdf.push(cpu);
      process.stdout.write(`${`${w.name}: ${w.pages} scanned pages in one PDF`.padEnd(48)} new ${cpu.toFixed(2)} s a page  read ${read.filter((p) => p.ocr).length} of ${w.pages}\n`);
    }
    const o = stats(rows.map((r) => r.old));
    const n = stats(rows.map((r) => r.neu));
    const c = stats(rows.map((r) => r.cached));
    const w = stats(perPdf);
    const f = (x: number) => x.toFixed(2);
    process.stdout.write(
      `\nOCR CPU seconds per scanned page (${rows.length} pages, one at a time, ${os.cpus().length} cores)\n` +
        `  old (200 dpi, 8 languages)          median ${f(o.median)}  p95 ${f(o.p95)}  mean ${f(o.mean)}\n` +
        `  new (fitted dpi, script languages)  median ${f(n.median)}  p95 ${f(n.p95)}  mean ${f(n.mean)}\n` +
        `  new, page already read (cache)      median ${f(c.median)}  p95 ${f(c.p95)}  mean ${f(c.mean)}\n` +
        `  new, a case's scans in one PDF      median ${f(w.median)}  p95 ${f(w.p95)}  mean ${f(w.mean)}  (CPU a page, ${perPdf.length} PDFs; old / this: median ${f(o.median / w.median)})\n` +
        `  new / old                           median ${f(n.median / o.median)}  p95 ${f(n.p95 / o.p95)}  mean ${f(n.mean / o.mean)}\n` +
        `  words read                          old ${rows.reduce((a, r) => a + r.oldWords, 0)}  new ${rows.reduce((a, r) => a + r.newWords, 0)}\n` +
        `  expected words read (synthetic)     old ${rows.filter((r) => r.oldHit).length}  new ${rows.filter((r) => r.newHit).length} of ${rows.filter((r) => r.oldHit !== undefined).length}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
