/**
 * Pages whose text pdf.js gives letter by letter ("L e t t e r o f m o t i v a t i o n"): a PDF that
 * draws its text with wide letter-spacing (a word processor's "expanded" font, a designer's letterhead)
 * comes out of pdf.js as one item per line with a space after every glyph, word gaps and letter gaps
 * alike, so no vocabulary matches and a motivation letter read as nothing at all. Poppler's pdftotext
 * measures the gaps and gives the words back; it reads only those pages, each under a timeout and a
 * memory cap, in a private temporary folder removed afterwards.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PageText } from '../core/types';
import { run } from './bounded-run';
import { sweepStaleTemp } from './pdf-sandbox/stale-temp';

/** At most this many pages are read again: a whole letter-spaced application is a few pages of it. */
const MAX_PAGES = 12;
const TIMEOUT_MS = 10_000;
const MEMORY_BYTES = 512 * 1024 * 1024;
const TEMP_PREFIX = 'esor-spaced-';

/**
 * Whether a page's text is letter-spaced: of at least 30 tokens, seven in ten are a single character
 * (ordinary prose has about one in ten: "a", "I", figures).
 */
export function isLetterSpaced(text: string): boolean {
  const tokens = text.split(/\s+/).filter(Boolean);
  if (tokens.length < 30) return false;
  const single = tokens.filter((t) => [...t].length === 1).length;
  return single / tokens.length >= 0.7;
}

/**
 * The pages with letter-spaced text read again by pdftotext (poppler-utils); a page keeps its own text when
 * pdftotext fails, times out, or gives text as letter-spaced. Never throws.
 */
export async function respaceLetterSpacedPages(data: Uint8Array, pages: PageText[], firstPageNumber = 1): Promise<PageText[]> {
  const spaced = pages.filter((p) => !p.imageOnly && isLetterSpaced(p.text)).slice(0, MAX_PAGES);
  if (spaced.length === 0) return pages;
  sweepStaleTemp(TEMP_PREFIX);
  const dir = mkdtempSync(path.join(os.tmpdir(), TEMP_PREFIX));
  try {
    const file = path.join(dir, 'in.pdf');
    writeFileSync(file, data);
    const fixed = new Map<number, string>();
    for (const page of spaced) {
      const n = String(page.num - firstPageNumber + 1);
      const text = await run('pdftotext', ['-q', '-enc', 'UTF-8', '-f', n, '-l', n, file, '-'], TIMEOUT_MS, MEMORY_BYTES).catch(() => undefined);
      const clean = text?.replace(/\f/g, '').trim();
      if (clean && !isLetterSpaced(clean)) fixed.set(page.num, clean.slice(0, page.text.length + 1000));
    }
    return pages.map((p) => (fixed.has(p.num) ? { ...p, text: fixed.get(p.num)! } : p));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
