/**
 * Bounds the text of one page before anything reads it. Every byte of a PDF
 * is the sender's: a 757-byte PDF can carry one 100,000-digit line, and some
 * readers of dates, levels and citations cost more than linear time in the
 * length of a line. A real page holds a few thousand characters in lines of
 * a few hundred; past these caps there is nothing an application needs, so
 * the rest is dropped instead of read.
 */
import type { PageText } from '../types';

/** Characters kept per page (an A4 page of small print holds about 6,000). */
export const MAX_PAGE_CHARS = 20_000;
/** Characters kept per line (a landscape table row flattened into one line stays under this). */
export const MAX_LINE_CHARS = 1_000;
/** Lines kept per page. */
export const MAX_PAGE_LINES = 400;

export function boundPageText(page: PageText): PageText {
  const { text } = page;
  if (text.length <= MAX_LINE_CHARS && !text.includes('\r')) return page;
  const lines = text.split(/\r\n|\r|\n/, MAX_PAGE_LINES);
  let out = '';
  let kept = 0;
  for (const line of lines) {
    if (kept === MAX_PAGE_LINES || out.length >= MAX_PAGE_CHARS) break;
    out += (kept > 0 ? '\n' : '') + (line.length > MAX_LINE_CHARS ? line.slice(0, MAX_LINE_CHARS) : line);
    kept++;
  }
  const bounded = out.slice(0, MAX_PAGE_CHARS);
  return bounded === text ? page : { ...page, text: bounded };
}
