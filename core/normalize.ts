/**
 * Text folding used by every matcher: lower case, no diacritics, one space.
 * Vocabulary in rule files and page text go through the same folding, so an
 * admin can write "Diplôme d'État" and match "DIPLOME D'ETAT" on a page.
 */

import { escapeRegExp, foldText as foldCharacters } from './facts/text-fold';

/**
 * Folds text for matching: the fact readers' character folding (one table for the whole core:
 * core/facts/text-fold.ts), then white space collapsed. Keeps line breaks (layout cues need them).
 */
export function foldText(text: string): string {
  return foldCharacters(text)
    .replace(/[ \t]+/g, ' ')
    .replace(/ ?\n ?/g, '\n');
}

/**
 * One RegExp matching any of the phrases as whole words (Unicode-aware, so
 * Greek and Polish words have boundaries too). Spaces in a phrase match any
 * run of white space, line breaks included, since PDF text wraps anywhere.
 */
export function compilePhrases(phrases: readonly string[]): RegExp | null {
  const folded = [...new Set(phrases.map((p) => foldText(p).trim()).filter(Boolean))];
  if (folded.length === 0) return null;
  folded.sort((a, b) => b.length - a.length);
  const pattern = (p: string) => escapeRegExp(p).replace(/ +/g, '\\s+');
  const spaced = folded.filter((p) => !UNSPACED.test(p[0]!) && !UNSPACED.test(p.at(-1)!));
  const unspaced = folded.filter((p) => !spaced.includes(p));
  const parts = spaced.length > 0 ? [`${BEFORE}(?:${spaced.map(pattern).join('|')})${AFTER}`] : [];
  for (const p of unspaced) parts.push(`${edge(p[0]!, BEFORE)}${pattern(p)}${edge(p.at(-1)!, AFTER)}`);
  return new RegExp(parts.join('|'), 'gu');
}

const BEFORE = '(?<![\\p{L}\\p{N}])';
const AFTER = '(?![\\p{L}\\p{N}])';
/**
 * Chinese, Japanese and Thai write words without spaces ("放射線科専門医認定証" holds 専門医, "specialist"),
 * and Korean joins nouns the same way, so a phrase edge in those scripts needs no word boundary: with one,
 * a Japanese specialist certificate never matched its own title.
 */
const UNSPACED = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}\p{sc=Thai}]/u;
function edge(ch: string, boundary: string): string {
  return UNSPACED.test(ch) ? '' : boundary;
}

/** The distinct phrases (folded, spaces normalised) of `re` found in `text`. */
export function distinctMatches(re: RegExp | null, text: string): string[] {
  if (!re) return [];
  const found = new Set<string>();
  re.lastIndex = 0;
  for (const m of text.matchAll(re)) found.add(m[0].replace(/\s+/g, ' '));
  return [...found];
}
