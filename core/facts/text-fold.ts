/**
 * Folding for the fact readers: lower case, no diacritics, ligatures split,
 * exotic spaces and dashes unified. Unlike core/normalize.ts this keeps a map
 * back to the original text, because every finding must report where it was
 * read (character index) and quote the original words in its snippet.
 */

export interface FoldedText {
  /** The folded text. Line breaks and tabs are kept (layout cues need them). */
  folded: string;
  /** Original index of each folded character, plus one sentinel (= original length). Read-only. */
  map: Int32Array;
}

// Characters that NFKD does not decompose into something useful for matching.
const SPECIAL_FOLDS: Record<string, string> = {
  ł: 'l',
  ø: 'o',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ς: 'σ', // Greek final sigma: month and language names are matched in one form
  '’': "'",
  '‘': "'",
  'ʼ': "'",
  '´': "'",
  '`': "'",
  '“': '"',
  '”': '"',
  '„': '"',
  '«': '"',
  '»': '"',
  '‐': '-',
  '‑': '-',
  '‒': '-',
  '–': '-',
  '—': '-',
  '―': '-',
  '−': '-',
  // OCR reads a Czech or Slovak "č" as the cent sign: "vykonala dne 10. ¢ervna 2020" hid the month.
  '¢': 'c',
  // Trade marks: NFKD spells "™" as "TM", which glued "IELTS™" into "ieltstm" and hid the exam's name.
  '™': ' ',
  '℠': ' ',
  '\u00ad': '', // soft hyphen: invisible, pdf.js sometimes keeps it
  '\u200b': '',
  '\u200c': '',
  '\u200d': '',
  '\ufeff': '',
  '\r': ' ',
  '\f': ' ',
  '\v': ' ',
};

const COMBINING_MARKS = /\p{M}+/gu;
const UNICODE_SPACE = /^[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]$/u;

// Folding is per character; caching non-ASCII characters keeps long pages cheap.
const foldCache = new Map<string, string>();

function foldChar(ch: string): string {
  const cached = foldCache.get(ch);
  if (cached !== undefined) return cached;
  let out: string;
  if (ch in SPECIAL_FOLDS) out = SPECIAL_FOLDS[ch];
  else if (ch !== '\n' && ch !== '\t' && UNICODE_SPACE.test(ch)) out = ' ';
  else {
    // Lower-case first: 'İ'.toLowerCase() yields a combining dot, removed below.
    out = ch.toLowerCase().normalize('NFKD').replace(COMBINING_MARKS, '');
    out = [...out].map((c) => SPECIAL_FOLDS[c] ?? c).join('');
  }
  foldCache.set(ch, out);
  return out;
}

// Characters the ASCII fast path cannot copy as they are (besides upper case).
const NEEDS_CARE = /[^\x00-\x7f]|[\r\f\v]/g;

// The readers fold the same page several times (dates inside board
// certification, countries inside CV values); a few recent results are kept.
const CACHE_SIZE = 8;
const recent: Array<{ text: string; folded: FoldedText }> = [];

function foldWithoutCache(text: string): FoldedText {
  const parts: string[] = [];
  let map = new Int32Array(text.length + 16);
  let n = 0;
  const reserve = (extra: number): void => {
    // Compatibility forms may expand ("ﬃ" -> "ffi"); grow the map when they do.
    if (n + extra + 1 <= map.length) return;
    const bigger = new Int32Array(Math.max(map.length * 2, n + extra + 1));
    bigger.set(map.subarray(0, n));
    map = bigger;
  };
  let i = 0;
  NEEDS_CARE.lastIndex = 0;
  for (let m = NEEDS_CARE.exec(text); ; m = NEEDS_CARE.exec(text)) {
    const runEnd = m ? m.index : text.length;
    if (runEnd > i) {
      // A plain ASCII run: lower-case it in one go, positions map one to one.
      parts.push(text.slice(i, runEnd).toLowerCase());
      for (let k = i; k < runEnd; k++) map[n++] = k;
    }
    if (!m) break;
    let ch = m[0];
    const code = ch.charCodeAt(0);
    // Keep surrogate pairs together so NFKD sees the whole character.
    if (code >= 0xd800 && code <= 0xdbff && runEnd + 1 < text.length) ch += text[runEnd + 1];
    const out = code === 13 || code === 12 || code === 11 ? ' ' : foldChar(ch);
    parts.push(out);
    reserve(out.length);
    for (let k = 0; k < out.length; k++) map[n++] = runEnd;
    i = runEnd + ch.length;
    NEEDS_CARE.lastIndex = i;
  }
  map[n++] = text.length;
  return { folded: parts.join(''), map: map.subarray(0, n) };
}

/** Returns the folded text with a map from folded positions back to `text` positions. */
export function foldWithMap(text: string): FoldedText {
  for (const r of recent) if (r.text === text) return r.folded;
  const folded = foldWithoutCache(text);
  recent.unshift({ text, folded });
  if (recent.length > CACHE_SIZE) recent.pop();
  return folded;
}

/** Returns `text` folded (lower case, no diacritics); same rules as foldWithMap. */
export function foldText(text: string): string {
  return foldWithMap(text).folded;
}

/** Returns the original [start, end) range of a folded [start, end) range. */
export function mapRange(f: FoldedText, start: number, end: number): [number, number] {
  const s = f.map[Math.min(start, f.map.length - 1)];
  // The end is exclusive: the original character after the last folded one.
  const lastOrig = end > start ? f.map[Math.min(end - 1, f.map.length - 1)] : s;
  let e = f.map[Math.min(end, f.map.length - 1)];
  if (e <= lastOrig) e = lastOrig + 1;
  return [s, Math.max(s, e)];
}

/** Returns the first folded position whose original position is ≥ `orig` (binary search over the map). */
export function toFoldedIndex(f: FoldedText, orig: number): number {
  let lo = 0;
  let hi = f.map.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (f.map[mid] < orig) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Escapes a literal for use inside a RegExp. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface TrieNode {
  end: boolean;
  next: Map<string, TrieNode>;
}

function serializeTrie(node: TrieNode): string {
  const parts = [...node.next.entries()].map(([ch, child]) => (ch === ' ' ? '\\s+' : escapeRegExp(ch)) + serializeTrie(child));
  if (!parts.length) return '';
  const body = parts.length === 1 ? parts[0] : `(?:${parts.join('|')})`;
  // Greedy '?': the longer continuation is tried first, as in a longest-first alternation.
  return node.end ? `(?:${parts.length === 1 ? body : parts.join('|')})?` : body;
}

/**
 * Returns a regex body matching any of the phrases (already folded), written
 * as a trie: the engine then examines a handful of first characters per
 * position instead of every phrase. `startGuard` (e.g. "[\\p{L}\\p{N}]")
 * is checked against the character before the phrase, right after the
 * phrase's first character so positions can still be skipped quickly.
 */
export function buildTrieAlternation(phrases: readonly string[], startGuard?: string): string {
  const root: TrieNode = { end: false, next: new Map() };
  for (const phrase of phrases) {
    let node = root;
    for (const ch of Array.from(phrase.replace(/\s+/g, ' '))) {
      let child = node.next.get(ch);
      if (!child) {
        child = { end: false, next: new Map() };
        node.next.set(ch, child);
      }
      node = child;
    }
    node.end = true;
  }
  const parts = [...root.next.entries()].map(([ch, child]) => {
    const head = escapeRegExp(ch);
    const guard = startGuard ? `(?<!${startGuard}${head})` : '';
    const rest = serializeTrie(child);
    return `${head}${guard}${rest}`;
  });
  return `(?:${parts.join('|')})`;
}

/** The phrases folded, trimmed, without empty ones or repeats, in their first order. */
export function foldPhrases(phrases: readonly string[]): string[] {
  return [...new Set(phrases.map((p) => foldText(p).trim()).filter(Boolean))];
}

/**
 * Matches words that begin with one of `stems` (folded), with at most `maxTail` more letters: the
 * inflected forms of a word in languages that decline it (Czech "narozen, narozený, narozená",
 * Polish "urodzony, urodzona, urodzenia") without listing each one. Bounded: linear on any input.
 */
export function compileWordStems(stems: readonly string[], maxTail = 6): RegExp {
  const folded = foldPhrases(stems);
  return new RegExp(`${buildTrieAlternation(folded, '[\\p{L}\\p{N}]')}\\p{L}{0,${maxTail}}(?![\\p{L}\\p{N}])`, 'gu');
}

/** Returns a global, Unicode RegExp that matches any phrase (folded here) as a whole word. */
export function compileWordAlternation(phrases: readonly string[]): RegExp {
  const folded = foldPhrases(phrases);
  return new RegExp(`${buildTrieAlternation(folded, '[\\p{L}\\p{N}]')}(?![\\p{L}\\p{N}])`, 'gu');
}

/**
 * Returns a one-line excerpt (≤ max chars, white space collapsed) around the
 * original range [start, end): the whole line when short, else a window.
 */
export function makeSnippet(text: string, start: number, end: number = start, max = 160): string {
  let lineStart = text.lastIndexOf('\n', Math.max(0, start - 1)) + 1;
  if (start === 0) lineStart = 0;
  let lineEnd = text.indexOf('\n', Math.max(end, start));
  if (lineEnd < 0) lineEnd = text.length;
  let from = lineStart;
  let to = lineEnd;
  if (to - from > max) {
    // Centre the window on the match, leaving room for its own length.
    const room = Math.max(0, max - (end - start));
    from = Math.max(lineStart, start - Math.floor(room / 2));
    to = Math.min(lineEnd, from + max);
    from = Math.max(lineStart, to - max);
  }
  return clipSnippet(text.slice(from, to), max);
}

/** Returns `s` with white space collapsed and cut to `max` characters. */
export function clipSnippet(s: string, max = 160): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/** Returns the [start, end) offsets of every line of `text` (end excludes the '\n'). */
export function splitLineOffsets(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) {
      out.push([start, text.length]);
      return out;
    }
    out.push([start, nl]);
    start = nl + 1;
  }
}

/** Returns the index (into `lines`) of the line holding position `pos`. */
export function findLineIndex(lines: Array<[number, number]>, pos: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines[mid][0] <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
