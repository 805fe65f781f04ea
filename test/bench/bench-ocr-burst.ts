/**
 * A deadline-day burst: N applications (default 500) triaged as the service's
 * worker triages them, with a quarter of their certificate and passport pages
 * scanned (issue 10's Done-when: ≤ 5 minutes on 2 cores with OCR).
 *
 *   npx tsx test/bench/bench-ocr-burst.ts [--count N] [--seed S] [--share 0.25] [--keep]
 *
 * The applications: the synthetic corpus generator (test/corpus/generate.ts)
 * with no image-only page of its own (its "scans" are painted shapes with no
 * letters on them: OCR reads nothing there, which says nothing about reading
 * real scans), then each page labelled board certificate, degree, language
 * certificate, ESR proof or passport is scanned with probability `--share`
 * the way the independent set's scanned variant is (test/fixtures/independent/
 * scan.ts: rendered at 150 or 200 ppi, grey paper, blur, grain, dust, slight
 * rotation, JPEG). Generated into a temp folder, removed at the end (--keep
 * keeps it and prints where).
 *
 * Triaged as the worker does it: one process, two mails at a time (the
 * worker's default concurrency, workers.concurrency = 2), one OCR engine
 * shared by both (its limiter allows two tesseract runs at once, one per
 * core), each mail through triageFile (mail reading, the PDF text layer in
 * the sandbox child, OCR of image-only pages, classification, triage): the
 * analyse and triage stages without Redis and the file store. Three runs over
 * the same mails, wall time each:
 *   - pdftotext only: poppler's pdftotext over every PDF, two at a time (the
 *     floor of reading the text layer at all);
 *   - no OCR: the full triage, scanned pages stay image-only;
 *   - OCR: the full triage reading the scans.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { simpleParser } from 'mailparser';
import { createOcrEngine, type OcrEngine } from '../../adapters/ocr';
import { closePdfSandbox } from '../../adapters/pdf-reader';
import { loadRules } from '../../adapters/rules-loader';
import { compileTriageRules, type TriageRules } from '../../core/triage/triage-application';
import { DEFAULT_RULES_DIR } from '../../services/cli';
import { triageFile } from '../../services/triage-file';
import { generateCorpus, type CaseTruth } from '../corpus/generate';
import { Rng } from '../corpus/random';
import { SCANNED_LABELS, scanPages } from '../fixtures/independent/scan';

const exec = promisify(execFile);
/** Mails in flight at once: the worker's default concurrency (services/config.ts workers.concurrency). */
const IN_FLIGHT = 2;

/** Runs `work` over `items`, `n` at a time; resolves when all are done. */
async function pool<T>(items: readonly T[], n: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** `raw` with the base64 body of attachment `old` replaced by `next` (line length and line ends kept). */
function replacePdf(raw: Buffer, old: Buffer, next: Buffer): Buffer {
  const text = raw.toString('latin1');
  const b64 = old.toString('base64');
  const at = text.indexOf(b64.slice(0, 60));
  if (at < 0) throw new Error('PDF attachment not found in the raw mail');
  let end = at;
  for (let seen = 0; seen < b64.length; end++) if (text[end] !== '\r' && text[end] !== '\n') seen++;
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  return Buffer.from(text.slice(0, at) + next.toString('base64').match(/.{1,76}/g)!.join(nl) + text.slice(end), 'latin1');
}

/**
 * Scans, in place, a share of the certificate and passport pages of each generated mail in `dir`;
 * returns the scanned page count.
 */
async function scanCorpus(dir: string, truths: CaseTruth[], share: number, seed: number): Promise<number> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'esor-burst-scan-'));
  let scanned = 0;
  try {
    for (const t of truths) {
      const rng = new Rng(seed).fork(`scan-${t.id}`);
      const scan = t.pageLabels.map((l) => SCANNED_LABELS.has(l) && rng.chance(share));
      if (!scan.includes(true)) continue;
      const file = path.join(dir, `${t.id}.eml`);
      let raw: Buffer = readFileSync(file);
      const mail = await simpleParser(raw);
      // The truth's page labels run across the PDF attachments in mail order.
      let first = 0;
      for (const a of mail.attachments.filter((x) => x.contentType === 'application/pdf' || /\.pdf$/i.test(x.filename ?? ''))) {
        const pages = t.attachments.find((x) => x.filename === a.filename)?.pages ?? 0;
        const mine = scan.slice(first, first + pages);
        first += pages;
        if (!mine.includes(true)) continue;
        const { pdf, pages: n } = await scanPages(a.content, mine, `${t.id}:${a.filename}`, work);
        raw = replacePdf(raw, a.content, pdf);
        scanned += n;
      }
      writeFileSync(file, raw);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return scanned;
}

async function pdftotextAll(files: string[], work: string): Promise<void> {
  let n = 0;
  await pool(files, IN_FLIGHT, async (file) => {
    const mail = await simpleParser(readFileSync(file));
    for (const a of mail.attachments.filter((x) => x.contentType === 'application/pdf')) {
      const pdf = path.join(work, `t${n++}.pdf`);
      writeFileSync(pdf, a.content);
      await exec('pdftotext', ['-layout', pdf, '-'], { maxBuffer: 64 << 20 }).catch(() => undefined);
      rmSync(pdf, { force: true });
    }
  });
}

async function triageAll(files: string[], rules: TriageRules, ocr?: OcrEngine): Promise<Map<string, string>> {
  const statuses = new Map<string, string>();
  await pool(files, IN_FLIGHT, async (file) => {
    const details = await triageFile(file, rules, ocr ? { ocr } : {});
    statuses.set(path.basename(file), details.result.status);
  });
  return statuses;
}

/** CPU seconds used so far by this process and its waited-for children (tesseract, poppler), from /proc (Linux). */
function cpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100;
}

/** `work`'s result, wall seconds and CPU seconds: on a machine shared with other work the wall time says little alone. */
async function timed<T>(work: () => Promise<T>): Promise<[T, number, number]> {
  const [t0, c0] = [Date.now(), cpuSeconds()];
  const out = await work();
  return [out, (Date.now() - t0) / 1000, cpuSeconds() - c0];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '500' },
      seed: { type: 'string', default: '10' },
      share: { type: 'string', default: '0.25' },
      keep: { type: 'boolean', default: false },
    },
  });
  const count = Number(values.count);
  const seed = Number(values.seed);
  const share = Number(values.share);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'esor-bench-burst-'));
  const work = mkdtempSync(path.join(os.tmpdir(), 'esor-bench-burst-work-'));
  const f = (s: number) => `${s.toFixed(1)} s`;
  try {
    const [truths, generated] = await timed(() => generateCorpus({ seed, count, outDir: dir, imageOnlyShare: 0 }));
    const [scanned, scanning] = await timed(() => scanCorpus(dir, truths, share, seed));
    const files = readdirSync(dir).filter((n) => n.endsWith('.eml')).sort().map((n) => path.join(dir, n));
    process.stdout.write(`${files.length} applications generated in ${f(generated)}; ${scanned} pages scanned (share ${share} of certificate and passport pages) in ${f(scanning)}\n`);

    const rules = compileTriageRules(loadRules(DEFAULT_RULES_DIR));
    const [, text, textCpu] = await timed(() => pdftotextAll(files, work));
    const [plain, noOcr, noOcrCpu] = await timed(() => triageAll(files, rules));
    const [read, withOcr, withOcrCpu] = await timed(() => triageAll(files, rules, createOcrEngine()));
    const changed = [...read].filter(([k, v]) => plain.get(k) !== v).length;
    const right = (m: Map<string, string>) => truths.filter((t) => m.get(`${t.id}.eml`) === t.status).length;
    const perMin = (s: number) => (files.length / s) * 60;
    // The CPU the run used, over the cores: what the wall time would be with both cores to itself (the PDF
    // sandbox child lives on and is not counted: a few seconds of pdf.js, the same in both triage runs).
    const cores = os.cpus().length;
    const cpu = (c: number) => `CPU ${c.toFixed(1)} s = ${(c / cores).toFixed(1)} s on ${cores} free cores`;
    process.stdout.write(
      `\nBurst of ${files.length} applications, ${IN_FLIGHT} at a time (${cores} cores), ${scanned} scanned pages\n` +
        `  pdftotext only (text layer, no triage)  ${f(text).padStart(8)}  ${perMin(text).toFixed(0)} a minute  ${cpu(textCpu)}\n` +
        `  triage, no OCR                          ${f(noOcr).padStart(8)}  ${perMin(noOcr).toFixed(0)} a minute  ${cpu(noOcrCpu)}  status right ${right(plain)}/${truths.length}\n` +
        `  triage with OCR                         ${f(withOcr).padStart(8)}  ${perMin(withOcr).toFixed(0)} a minute  ${cpu(withOcrCpu)}  status right ${right(read)}/${truths.length}\n` +
        `  OCR / no OCR                            ${(withOcr / noOcr).toFixed(2)}; OCR's share ${(withOcr - noOcr).toFixed(1)} s, ${scanned ? ((withOcr - noOcr) / scanned).toFixed(2) : '-'} s wall a scanned page\n` +
        `  verdicts OCR changed                    ${changed}\n` +
        `  OCR CPU a scanned page                  ${scanned ? ((withOcrCpu - noOcrCpu) / scanned).toFixed(2) : '-'} s\n` +
        `  500 applications at this rate           ${f((withOcr / files.length) * 500)} wall, ${f((withOcrCpu / cores / files.length) * 500)} on ${cores} free cores (goal 300 s)\n` +
        `  load average after the runs             ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`,
    );
  } finally {
    await closePdfSandbox();
    rmSync(work, { recursive: true, force: true });
    if (values.keep) process.stdout.write(`kept ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
