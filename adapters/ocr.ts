/**
 * Reads scanned pages (no text layer) with OCR: poppler's `pdftoppm` renders
 * the page in grey at 200 dpi (PGM), Debian's `tesseract` CLI reads it (TSV, so
 * each word comes with a confidence). Words read with low confidence are
 * dropped, and a page that yields too few good words stays image-only: a
 * photo or a passport picture must not turn into made-up text.
 *
 * One single-threaded tesseract per page (OMP_THREAD_LIMIT=1: its default
 * OpenMP threading oversubscribes small machines, ≈15 s instead of ≈1 s per
 * page), at most `concurrency` at a time, each under a timeout and, through
 * `prlimit`, a memory cap. A page is rendered at most `maxPixels` large (its
 * resolution lowered to fit): a 14,400 pt page at 200 dpi would be a 1.6 GB
 * image. Without tesseract on the machine, OCR is off and pages stay image-only.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PageText } from '../core/types';
import { sweepStaleTemp } from './pdf-sandbox/stale-temp';

/** The languages of the call's documents, in tesseract's names; those installed are used. */
export const OCR_LANGUAGES = ['eng', 'fra', 'deu', 'ita', 'spa', 'por', 'nld', 'pol'] as const;

export interface OcrOptions {
  /** Default OCR_LANGUAGES (the installed ones among them). */
  languages?: readonly string[];
  /** Default 200. */
  dpi?: number;
  /** Per page (render + read); default 20 s. */
  timeoutMs?: number;
  /** Wall time for all the OCR of one PDF; pages not read by then stay image-only. Default 120 s. */
  budgetMs?: number;
  /** At most this many scanned pages read per PDF (a 300-page scan is no application); default 30. */
  maxPagesPerPdf?: number;
  /** Pages read at once; default 2. */
  concurrency?: number;
  /** Words below this confidence (0–100) are dropped; default 60. */
  minWordConfidence?: number;
  /** A page needs this many good words to count as read; default 8. */
  minWords?: number;
  /** Largest page image rendered, in pixels; default 16 M (A4 at 200 dpi is 3.9 M). */
  maxPixels?: number;
  /** Address-space cap of each pdftoppm / tesseract run, in MB; default 1024. */
  memoryMb?: number;
  tesseractPath?: string;
  pdftoppmPath?: string;
  pdfinfoPath?: string;
}

export interface OcrEngine {
  /** The languages tesseract will use; empty when OCR is unavailable. */
  languages(): Promise<string[]>;
  /**
   * Reads the image-only pages of one PDF (`pages` as the PDF reader returned them) and returns
   * the pages with OCR text filled in (`ocr: true`, `imageOnly: false`) where enough was read.
   * Never throws: a page that cannot be read stays as it was.
   */
  readScannedPages(pdf: Uint8Array, pages: PageText[]): Promise<PageText[]>;
}

export function createOcrEngine(opts: OcrOptions = {}): OcrEngine {
  const tesseract = opts.tesseractPath ?? 'tesseract';
  const pdftoppm = opts.pdftoppmPath ?? 'pdftoppm';
  const pdfinfo = opts.pdfinfoPath ?? 'pdfinfo';
  const maxPixels = opts.maxPixels ?? 16_000_000;
  const memoryBytes = (opts.memoryMb ?? 1024) * 1024 * 1024;
  const dpi = opts.dpi ?? 200;
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const maxPages = opts.maxPagesPerPdf ?? 30;
  const budgetMs = opts.budgetMs ?? 120_000;
  const minConfidence = opts.minWordConfidence ?? 60;
  const minWords = opts.minWords ?? 8;
  const limit = createLimiter(opts.concurrency ?? 2);
  let languages: Promise<string[]> | undefined;

  const installed = () =>
    (languages ??= run(tesseract, ['--list-langs'], timeoutMs, memoryBytes).then(
      (out) => {
        const have = new Set(out.split('\n').map((l) => l.trim()));
        return (opts.languages ?? OCR_LANGUAGES).filter((l) => have.has(l));
      },
      () => [],
    ));

  async function readPage(file: string, dir: string, page: PageText, index: number, langs: string[], deadline: number, size?: [number, number]): Promise<PageText> {
    const left = () => Math.min(timeoutMs, deadline - Date.now());
    if (left() <= 0) return page; // over the PDF's budget: the page stays image-only
    const image = path.join(dir, `p${index}`);
    const pageDpi = size ? dpiWithin(dpi, size, maxPixels) : dpi;
    // PGM, not PNG: poppler's PNG encoder spends seconds on a noisy scan (4 s against 0.07 s for
    // a 200 dpi page with grain), tesseract reads either the same; the PGM carries no resolution, so say it.
    await run(pdftoppm, ['-r', String(pageDpi), '-gray', '-f', String(index), '-l', String(index), '-singlefile', file, image], Math.max(1, left()), memoryBytes);
    const tsv = await run(tesseract, [`${image}.pgm`, '-', '--dpi', String(pageDpi), '-l', langs.join('+'), 'tsv'], Math.max(1, left()), memoryBytes);
    rmSync(`${image}.pgm`, { force: true });
    const text = wordsToText(tsv, minConfidence);
    const words = text.split(/\s+/).filter((w) => /\p{L}{2,}|\d/u.test(w)).length;
    return words >= minWords ? { ...page, text, imageOnly: false, ocr: true } : page;
  }

  return {
    languages: installed,
    async readScannedPages(pdf, pages) {
      const scanned = pages.map((p, i) => ({ p, i })).filter(({ p }) => p.imageOnly);
      if (scanned.length === 0) return pages;
      const langs = await installed();
      if (langs.length === 0) return pages;
      sweepStaleTemp('esor-ocr-');
      const deadline = Date.now() + budgetMs;
      const dir = mkdtempSync(path.join(os.tmpdir(), 'esor-ocr-'));
      try {
        const file = path.join(dir, 'doc.pdf');
        writeFileSync(file, pdf, { mode: 0o600 });
        const out = [...pages];
        // Page sizes first: unknown sizes (pdfinfo failed) fall back to pdftoppm's memory cap alone.
        const sizes = await run(pdfinfo, ['-f', '1', '-l', String(pages.length), file], timeoutMs, memoryBytes).then(parsePageSizes, () => new Map<number, [number, number]>());
        await Promise.all(
          scanned.slice(0, maxPages).map(({ p, i }) =>
            limit(() => readPage(file, dir, p, i + 1, langs, deadline, sizes.get(i + 1))).then(
              (read) => (out[i] = read),
              () => undefined, // a page OCR cannot read stays image-only
            ),
          ),
        );
        return out;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Tesseract's TSV as text: words kept by confidence, one line per OCR line. */
export function wordsToText(tsv: string, minConfidence: number): string {
  const lines = new Map<string, string[]>();
  for (const row of tsv.split('\n').slice(1)) {
    const f = row.split('\t');
    if (f.length < 12 || f[0] !== '5') continue;
    const word = f[11]!.trim();
    if (!word || Number(f[10]) < minConfidence) continue;
    const key = `${f[2]}.${f[3]}.${f[4]}`;
    const line = lines.get(key) ?? [];
    line.push(word);
    lines.set(key, line);
  }
  return [...lines.values()].map((w) => w.join(' ')).join('\n');
}

/** The resolution at which a page of `size` points renders to at most `maxPixels` pixels (never above `dpi`). */
export function dpiWithin(dpi: number, size: [number, number], maxPixels: number): number {
  const inches = (size[0] / 72) * (size[1] / 72);
  if (!(inches > 0)) return dpi;
  return Math.max(1, Math.min(dpi, Math.floor(Math.sqrt(maxPixels / inches))));
}

/** pdfinfo's "Page    3 size: 595 x 842 pts (A4)" lines, by page number. */
export function parsePageSizes(out: string): Map<number, [number, number]> {
  const sizes = new Map<number, [number, number]>();
  for (const m of out.matchAll(/^Page +(\d{1,6}) size: +(\d{1,9}(?:\.\d{1,9})?) x (\d{1,9}(?:\.\d{1,9})?) pts/gm)) {
    sizes.set(Number(m[1]), [Number(m[2]), Number(m[3])]);
  }
  return sizes;
}

/** A poppler or tesseract run under a timeout and, where prlimit exists, an address-space cap. */
function run(cmd: string, args: string[], timeoutMs: number, memoryBytes: number): Promise<string> {
  const [file, argv] = HAS_PRLIMIT ? ['prlimit', [`--as=${memoryBytes}`, '--', cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    execFile(
      file,
      argv,
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024, env: { ...process.env, OMP_THREAD_LIMIT: '1' } },
      (err, stdout) => (err ? reject(err) : resolve(stdout)),
    );
  });
}

const HAS_PRLIMIT = ['/usr/bin/prlimit', '/bin/prlimit'].some((p) => existsSync(p));

function createLimiter(max: number): <T>(work: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (work) => {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await work();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
