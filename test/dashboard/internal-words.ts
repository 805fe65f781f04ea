/**
 * What a person must never read on a dashboard page: flag codes, programme
 * ids, ISO times (and bare YYYY-MM-DD dates). Shared by the route tests (on
 * the HTML's text) and the browser tests (on what Chromium renders).
 */
import { CANONICAL_FLAG_CODES } from '../../core/flag-codes';

/** The text of an HTML page as a reader sees it: tags, attributes, scripts and comments removed, entities decoded. */
export function textOfHtml(htmlText: string): string {
  return htmlText
    .replace(/<script[\s\S]*?<\/script>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#96;/g, '`')
    .replace(/&amp;/g, '&');
}

/** Each internal word found in `text`, with a little context; [] when the text speaks the office's words. */
export function internalWordsIn(text: string, programmeIds: readonly string[]): string[] {
  const found: string[] = [];
  const around = (i: number, len: number) => text.slice(Math.max(0, i - 30), i + len + 30).replace(/\s+/g, ' ');
  // A code that is also an English word (`resubmission`) may stand in a sentence.
  for (const code of CANONICAL_FLAG_CODES.filter((c) => c.includes('_'))) {
    const re = new RegExp(`(?<![A-Za-z0-9_])${code}(?![A-Za-z0-9_])`, 'g');
    for (const m of text.matchAll(re)) found.push(`flag code ${code}: …${around(m.index, code.length)}…`);
  }
  for (const id of programmeIds) {
    let i = text.indexOf(id);
    while (i >= 0) {
      found.push(`programme id ${id}: …${around(i, id.length)}…`);
      i = text.indexOf(id, i + id.length);
    }
  }
  for (const m of text.matchAll(/\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}[^\s]*)?/g)) found.push(`ISO time ${m[0]}: …${around(m.index, m[0].length)}…`);
  return found;
}
