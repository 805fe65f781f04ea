/**
 * `npm run bench [-- --count N --seed S]`: how long triage takes per
 * application and per page, beside poppler's `pdftotext` on the same PDFs in
 * the same run (the baseline), printed as a ratio. Both are timed warm.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import { readMail } from '../../adapters/mail-reader';
import { readPdfPages } from '../../adapters/pdf-reader';
import { loadRules } from '../../adapters/rules-loader';
import { compileTriageRules, triageApplication } from '../../core/triage/triage-application';
import { DEFAULT_RULES_DIR } from '../../services/cli';
import { generateCorpus } from '../corpus/generate';

const run = promisify(execFile);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { count: { type: 'string', default: '60' }, seed: { type: 'string', default: '11' } } });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'esor-bench-'));
  try {
    await generateCorpus({ seed: Number(values.seed), count: Number(values.count), outDir: dir, imageOnlyShare: 0 });
    const pdfs: Array<{ file: string; data: Buffer; pages: number }> = [];
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.eml')).sort()) {
      const mail = await readMail(readFileSync(path.join(dir, name)));
      const pdf = mail.attachments.find((a) => a.isPdf);
      if (!pdf) continue;
      const file = path.join(dir, `${name}.pdf`);
      writeFileSync(file, pdf.content);
      try {
        pdfs.push({ file, data: pdf.content, pages: (await readPdfPages(pdf.content)).length });
      } catch {
        // unreadable on purpose (a fault case): not a fair speed sample
      }
    }
    const rules = compileTriageRules(loadRules(DEFAULT_RULES_DIR));
    const analyse = async (data: Buffer) => {
      const pages = await readPdfPages(data);
      return triageApplication({ receivedAt: new Date('2021-03-01T10:00:00Z'), pdfs: [{ filename: 'a.pdf', pages }] }, rules);
    };
    const pdftotext = (file: string) => run('pdftotext', ['-enc', 'UTF-8', file, '-'], { maxBuffer: 64 << 20 });

    // Warm both up, then time each over the same PDFs.
    await analyse(pdfs[0]!.data);
    await pdftotext(pdfs[0]!.file);
    const totalPages = pdfs.reduce((a, p) => a + p.pages, 0);
    const baseline = await timeEach(pdfs, (p) => pdftotext(p.file));
    const ours = await timeEach(pdfs, (p) => analyse(p.data));

    const twentyFive = await buildPdfOfPages(pdfs.map((p) => p.data), 25);
    await analyse(twentyFive);
    const single = await timeEach([0, 1, 2, 3, 4], () => analyse(twentyFive));
    const twentyFiveFile = path.join(dir, 'twenty-five.pdf');
    writeFileSync(twentyFiveFile, twentyFive);
    const singleBase = await timeEach([0, 1, 2, 3, 4], () => pdftotext(twentyFiveFile));

    const ms = (x: number) => `${x.toFixed(1)} ms`;
    const lines = [
      `corpus: ${pdfs.length} application PDFs, ${totalPages} pages (seed ${values.seed})`,
      '',
      '                          per application   per page     total',
      `pdftotext (baseline)      ${ms(baseline.total / pdfs.length).padStart(15)} ${ms(baseline.total / totalPages).padStart(10)} ${ms(baseline.total).padStart(10)}`,
      `esor-intake analysis      ${ms(ours.total / pdfs.length).padStart(15)} ${ms(ours.total / totalPages).padStart(10)} ${ms(ours.total).padStart(10)}`,
      `ratio analysis/pdftotext  ${(ours.total / baseline.total).toFixed(2)}x`,
      '',
      `25-page application: analysis median ${ms(median(single.each))}, pdftotext median ${ms(median(singleBase.each))}, ratio ${(median(single.each) / median(singleBase.each)).toFixed(2)}x`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function timeEach<T>(items: T[], fn: (item: T) => Promise<unknown>): Promise<{ total: number; each: number[] }> {
  const each: number[] = [];
  for (const item of items) {
    const started = process.hrtime.bigint();
    await fn(item);
    each.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return { total: each.reduce((a, b) => a + b, 0), each };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** One PDF of exactly `count` pages taken from the corpus, in order (an application of that length). */
async function buildPdfOfPages(sources: Buffer[], count: number): Promise<Buffer> {
  const out = await PDFDocument.create();
  for (const src of sources) {
    const doc = await PDFDocument.load(src);
    const want = Math.min(doc.getPageCount(), count - out.getPageCount());
    const pages = await out.copyPages(doc, [...Array(want).keys()]);
    for (const p of pages) out.addPage(p);
    if (out.getPageCount() >= count) break;
  }
  return Buffer.from(await out.save());
}

main().catch((err) => {
  process.stderr.write(`bench: ${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});
