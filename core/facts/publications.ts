/**
 * Counting the entries of a publication list. PDF text extraction wraps long
 * references over several lines and rarely keeps blank lines, so an entry is
 * recognised by how it starts (a number, a bullet, an author list) and how a
 * reference ends (year, volume:pages, DOI, PMID), never by line count alone.
 */
import { foldText } from './text-fold';

export interface PublicationCount {
  count: number;
  /** The entries' text, markers removed, wrapped lines joined; an entry listed twice only once. */
  entries: string[];
  /** Entries left out as repeats of an earlier one (the same article online ahead of print, then in print). */
  repeated: number;
}

// "1.", "1)", "[1]", "(1)", "1 -": a number too long or followed by a digit ("10.1016/…", "2019.") is not a marker.
// "2:" and "5," before a capital are how OCR reads "2." and "5." off a scan (a specked full stop); the
// sequence check in groupNumbered keeps a wrapped "12, Suppl…" line from counting.
const NUMBER_MARKER =
  /^(?:\[\s*(\d{1,3})\s*\]|\(\s*(\d{1,3})\s*\)|(\d{1,3})\s*[.)](?!\d)|(\d{1,3})\s+[-:](?=\s)|(\d{1,3})[,:;](?=\s+\p{Lu}))\s*/u;
// A scan's "1." read as "L", "l.", "I.", "|", or as a bare "1" (its full stop lost): believed only just
// before a list whose first number is 2.
const OCR_ONE = /^[lLI|1]\s?[.,:)]?\s+(?=\p{Lu})/u;
// "1 Rossi A, …": a bare number, accepted only as part of a clean 1, 2, 3 … sequence.
// A table's first cells count too: "1 2019 [Original article] Ionescu A, …" (number, year, type, reference).
const BARE_NUMBER = /^(\d{1,2})\s+(?=\p{Lu}|(?:19|20)\d\d\s|\[)/u;
// Bullets as extracted: Unicode bullets, dashes, asterisks and Symbol-font private-use glyphs.
const BULLET = /^(?:[•●▪■◦‣►▶▸✓✔➢➤○□◆◇·*\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8]|[-–—](?=\s))\s*/u;

// Matched on folded text (no accents, final sigma as σ).
const HEADING_WORDS = new RegExp(
  `(?<![\\p{L}])(?:${[
    'publications?', 'publikation(?:en|sliste)?', 'pubblicazion[ei]', 'publicaci[oó]n(?:es)?', 'publica[cç](?:ão|ões|ao|oes)',
    'publicaties?', 'publikacj[ae]', 'publikacji', 'δημοσιευσεισ', 'publicatii', 'articles?', 'articoli', 'art[ií]culos',
    'artigos', 'artikel(?:en)?', 'papers?', 'reviews?', 'abstracts?', 'book chapters?', 'chapters?', 'bibliography',
    'bibliographie', 'references', 'peer[- ]reviewed', 'original (?:research|articles?)', 'selected', 'list', 'liste',
    'lista', 'elenco', 'most (?:important|relevant)', 'first author', 'co-?author',
  ].join('|')})(?![\\p{L}])`,
  'u',
);
const PAGE_FOOTER = /^(?:(?:page|seite|pagina|página|strona|σελίδα|pag\.?|p\.)\s*)?\d{1,3}(?:\s*(?:of|\/|von|di|de|z|από|sur)\s*\d{1,3})?$|^[-–]\s*\d{1,3}\s*[-–]$/iu;
const YEAR = /(?<!\d)(?:19[5-9]\d|20\d\d)(?!\d)/;
const CITATION_ID = /\bdoi\b|doi\.org|\b10\.\d{4,9}\/\S+|\bpmid\b|\bpmcid\b|\bisbn\b/i;
const IN_PRESS = /\b(?:in press|accepted|submitted|under review|epub ahead of print|ahead of print|im druck|sous presse|in stampa|en prensa)\b/i;

// How a reference ends: DOI/PMID, "2020;30(4):1234-1242.", "30(4), 1234–1242.", "pp. 12-19", "…, 2019.", "in press".
const ENDINGS: RegExp[] = [
  /(?:\bdoi\b|doi\.org\/|\b10\.\d{4,9}\/)\S*\s*\.?\s*$/i,
  /\b(?:pmid|pmcid)\s*:?\s*\w+\.?\s*$/i,
  /\d+\s*(?:\([^)]{1,12}\))?\s*:\s*[a-z]?\d+(?:\s*[-–]\s*[a-z]?\d+)?\s*\.?\s*$/i,
  /\d+\s*\(\s*[\w\s-]{1,12}\)\s*,?\s*(?:pp?\.\s*)?[a-z]?\d+(?:\s*[-–]\s*[a-z]?\d+)?\.?\s*$/i,
  /\bpp?\.\s*\d+\s*[-–]\s*\d+\.?\s*$/i,
  /(?<!\()(?:19|20)\d{2}[a-z]?\s*\.\s*$/,
  /(?:19|20)\d{2}\s*;\s*\d+[^;]*$/,
  /\b(?:in press|accepted(?: for publication)?|submitted|epub ahead of print|ahead of print|under review)\s*[.)\]]*\s*$/i,
  // A bibliographic database's listing (Scopus, Google Scholar, Web of Science) ends each entry with its citations.
  /\b(?:cited by|times cited|zitiert von|citado por|citato da|cité par)\s*:?\s*\d+\.?\s*$/i,
];

const PARTICLE = "(?:(?:van|von|de|der|den|di|da|del|della|la|le|du|dos|das|ten|ter|el|al|mc|mac|o')\\s)*";
const NAME = "\\p{Lu}[\\p{L}'’\\-]+";
// Author lists: "Rossi A, …", "Rossi, A., …", "A. Rossi, …", "ROSSI AB, …", "Anna Rossi, Marco Bianchi, …".
const AUTHOR_STARTS: RegExp[] = [
  new RegExp(`^${PARTICLE}${NAME}(?:\\s${NAME})?\\s\\p{Lu}{1,3}(?:,|\\.|;|\\s+et al|\\s+and\\s|\\s*&|\\s*$)`, 'u'),
  new RegExp(`^${PARTICLE}${NAME}(?:\\s${NAME})?,\\s?(?:\\p{Lu}\\.\\s?-?){1,3}`, 'u'),
  new RegExp(`^(?:\\p{Lu}\\.\\s?-?){1,3}\\s?${PARTICLE}${NAME}\\s*[,;&]`, 'u'),
  new RegExp(`^${NAME}\\s${PARTICLE}${NAME},\\s${NAME}\\s${PARTICLE}${NAME}`, 'u'),
];
// A wrapped line never starts with these: lower case, digits, DOI/PMID/URL tails, punctuation.
const CONTINUATION_START = /^(?:[\p{Ll}\d(,;:.)\]]|[Dd][Oo][Ii]\b|PMC?ID|PMCID|[Hh]ttps?:|WWW\.|[Ee]pub\b|\[[Ee]pub)/u;

function isHeading(line: string): boolean {
  if (line.length > 90 || YEAR.test(line) || CITATION_ID.test(line)) return false;
  const words = line.split(/\s+/).length;
  // "Original articles (first author):" - but not a wrapped reference line that happens to end with a colon.
  if (/:\s*$/.test(line)) return words <= 8 && !/[,;]|\.\s/.test(line);
  // Heading words, without a sentence end: a wrapped title segment ends with "." more often.
  return HEADING_WORDS.test(foldText(line)) && !/\.\s*$/.test(line) && words <= 8;
}

/**
 * A heading of the list, numbered or not. A divider's "7 - Publikationen" is a heading with a number, not
 * the seventh entry; an entry's first line has its authors' commas and initials ("4. Novak P. Structured
 * reporting: a review"), and a bulleted line is an entry.
 */
function isListHeading(line: string): boolean {
  const m = NUMBER_MARKER.exec(line);
  if (!m) return !BULLET.test(line) && isHeading(line);
  const rest = line.slice(m[0].length);
  return !/[,;]|\.\s/.test(rest) && isHeading(rest);
}

/** A publisher's or database's copyright line under a printout ("Copyright © 2021 Elsevier B.V. …") cites nothing. */
const COPYRIGHT = /^(?:copyright\b|©|\(c\)\s*(?:19|20)\d\d)/iu;

function isPageFooter(line: string): boolean {
  return PAGE_FOOTER.test(line) || COPYRIGHT.test(line);
}

function endsReference(line: string): boolean {
  return ENDINGS.some((re) => re.test(line));
}

function startsWithAuthors(line: string): boolean {
  return AUTHOR_STARTS.some((re) => re.test(line));
}

function looksLikeReference(text: string): boolean {
  return YEAR.test(text) || CITATION_ID.test(text) || IN_PRESS.test(text);
}

function joinEntry(lines: string[]): string {
  // A line broken after a hyphen inside a word ("hepato-\ncellular") is joined without a space.
  return lines
    .reduce((acc, l) => (acc && /\p{L}-$/u.test(acc) && /^\p{Ll}/u.test(l) ? acc + l : acc ? `${acc} ${l}` : l), '')
    .replace(/\s+/g, ' ')
    .trim();
}

const GOES_ON = /[—–:,]\s*$/u;

/** Where a heading stood, for the numbered reading (a heading closes the entry above it). */
const HEADING = '\u0000heading';

function readMarkerNumber(m: RegExpExecArray): number {
  return Number(m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5]);
}

/**
 * Groups lines under numbered markers that form a sequence (ascending or
 * descending, one gap allowed); a number out of sequence is a wrapped line.
 */
function groupNumbered(lines: string[], marker: RegExp): string[][] | undefined {
  const marks = lines.map((l) => {
    const m = marker.exec(l);
    return m ? { n: readMarkerNumber(m), rest: l.slice(m[0].length) } : undefined;
  });
  let best: string[][] | undefined;
  for (const dir of [1, -1]) {
    const groups: string[][] = [];
    let last: number | undefined;
    let first = -1;
    let closed = false;
    for (let i = 0; i < lines.length; i++) {
      const mk = marks[i];
      const step = mk && last !== undefined ? (mk.n - last) * dir : undefined;
      const inSequence = mk && (last === undefined || (step !== undefined && step >= 1 && step <= 2));
      if (lines[i] === HEADING) {
        closed = true;
      } else if (mk && inSequence) {
        if (first < 0) first = i;
        groups.push(mk.rest ? [mk.rest] : []);
        last = mk.n;
        closed = false;
      } else if (groups.length && !closed) {
        groups[groups.length - 1].push(lines[i]);
      }
    }
    if (dir === 1 && first > 0 && marks[first]?.n === 2) {
      const one = lines.slice(0, first).findIndex((l) => OCR_ONE.test(l));
      if (one >= 0) groups.unshift([lines[one]!.replace(OCR_ONE, ''), ...lines.slice(one + 1, first).filter((l) => l !== HEADING)]);
    }
    if (!best || groups.length > best.length) best = groups;
  }
  return best && best.length ? best : undefined;
}

function groupBulleted(lines: string[]): string[][] {
  const groups: string[][] = [];
  for (const line of lines) {
    const m = BULLET.exec(line);
    if (m) groups.push(line.length > m[0].length ? [line.slice(m[0].length)] : []);
    else if (groups.length) groups[groups.length - 1].push(line);
  }
  return groups;
}

/**
 * Groups un-numbered references: a new entry starts after a line that ends a
 * reference, or at an author list once the current entry has its year.
 */
function groupUnmarked(lines: string[]): string[][] {
  const groups: string[][] = [];
  let current: string[] = [];
  let prevEnded = true;
  for (const line of lines) {
    if (!line) {
      // A blank line closes an entry that already reads like a reference.
      if (current.length && looksLikeReference(current.join(' '))) prevEnded = true;
      continue;
    }
    // "van Dijk X, …" and "de Jong D, …" start with lower case and still open an entry.
    const authors = startsWithAuthors(line);
    const canStart = authors || !CONTINUATION_START.test(line);
    const currentIsReference = looksLikeReference(current.join(' '));
    // A line ending in a dash, a colon or a comma goes on in the next ("Title of the article —" / "Rossi A, Bianchi B 2019 …",
    // a database's listing): the authors there are this entry's, not the next one's.
    const split =
      prevEnded ||
      (authors && currentIsReference) ||
      // An introduction sentence before the first author list is a group of its own (dropped later).
      (authors && !currentIsReference && current.length > 0 && !startsWithAuthors(current[0]) && !GOES_ON.test(current[current.length - 1]!));
    if (current.length && canStart && split) {
      groups.push(current);
      current = [];
    }
    current.push(line);
    prevEnded = endsReference(line);
  }
  if (current.length) groups.push(current);
  return groups;
}

/**
 * An entry that says of itself it is no published journal article: a congress abstract or poster, a
 * manuscript submitted or in preparation, a preprint (medRxiv, bioRxiv, arXiv: not peer reviewed), a book
 * chapter (its editors: "(eds. Weber A, Laurent B)", "In: Weber A, editor."), a thesis. The call asks for
 * "publications in international peer reviewed journals"; "in press" and "accepted" articles are such
 * publications.
 */
const NOT_IN_A_JOURNAL = /(?<![\p{L}])(?:(?:conference|congress|meeting) abstract|\(abstract\)|abstract\s+(?:no\.?\s*)?\p{Lu}{0,4}[-\s]?\d|e-?poster|electronic poster|poster (?:presentation|session|exhibition)|epos|poster\s+(?:no\.?\s*)?\p{Lu}{0,4}[-\s]?\d|oral presentation|presented at|submitted(?: to)?|under review|in preparation|book chapter|chapter in|\(eds?\.?(?=[\s)])|\(editors?\)|(?<=,\s?)editors?\.|preprint|medrxiv|biorxiv|arxiv|research square|doctoral thesis|phd thesis|dissertation)(?![\p{L}])/iu;

/** Whether a list entry is, by its own words, a journal publication (see NOT_IN_A_JOURNAL). */
export function isJournalPublication(entry: string): boolean {
  return !NOT_IN_A_JOURNAL.test(entry);
}

/**
 * Returns the number of entries of a publication list and their text.
 * Headings ("List of publications", "Publikationsliste", …), page footers and
 * wrapped continuation lines are not counted. Numbered lists ("1.", "1)",
 * "[1]", "(1)") win over bulleted ones, which win over un-numbered entries;
 * un-numbered groups without a year, DOI/PMID or "in press" (e.g. a sentence
 * of introduction) are dropped. Never throws; an empty text gives 0.
 */
export function countPublications(text: string): PublicationCount {
  // Blank lines are kept (as '') for the un-numbered reading, where they separate entries.
  const lines = (text ?? '')
    .split('\n')
    .map((l) => l.replace(/[\s\u00a0]+/g, ' ').trim())
    .filter((l) => !l || !isPageFooter(l))
    .map((l) => (l && isListHeading(l) ? HEADING : l));
  const withBlanks = lines.filter((l) => l !== HEADING);
  const body = withBlanks.filter((l) => l);

  // One marker is no list: a wrapped reference's last line "88." (a page number) once made five APA
  // references one "numbered" entry, and an application needlessly went to review.
  // A heading closes a numbered entry: "Other contributions (not journal articles)" and the abstract under it
  // are no part of the fifth article above them.
  const numbered = groupNumbered(lines.filter((l) => l), NUMBER_MARKER);
  const bulleted = groupBulleted(body);
  let groups: string[][];
  // Bullets that cite nothing (a paper's first page sent after the list: "Key Points • PET/CT detected …")
  // do not outvote the numbered list: three first pages' key points once made five numbered papers two.
  const citing = bulleted.filter((g) => looksLikeReference(g.join(' '))).length;
  if (numbered && numbered.length >= 2 && numbered.length >= citing) groups = numbered;
  else if (bulleted.length >= 2) groups = bulleted;
  else {
    const bare = groupNumbered(body, BARE_NUMBER);
    // Bare numbers count only as a clean sequence of several entries.
    groups = bare && bare.length >= 2 ? bare : groupUnmarked(withBlanks).filter((g) => looksLikeReference(g.join(' ')));
  }
  const all = groups.map(joinEntry).filter((e) => e.length > 0);
  const seen = new Set<string>();
  const entries = all.filter((e) => {
    const key = entryKey(e);
    if (key.length >= MIN_KEY_LETTERS && seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { count: entries.length, entries, repeated: all.length - entries.length };
}

/**
 * What makes two entries the same article: the letters of their authors and title, the text before the
 * year ("…, 2019;" in Vancouver style), which a listing online ahead of print and one in print share. Where
 * the year comes early (APA's "Rossi, A. (2020). Title") the whole entry's letters, up to its DOI.
 */
const MIN_KEY_LETTERS = 40;
const MIN_TITLE_KEY_LETTERS = 60;
const MAX_KEY_LETTERS = 160;

function entryKey(entry: string): string {
  const letters = (s: string) => foldText(s).replace(/[^\p{L}]+/gu, '');
  const year = YEAR.exec(entry);
  const beforeYear = year ? letters(entry.slice(0, year.index)) : '';
  if (beforeYear.length >= MIN_TITLE_KEY_LETTERS) return beforeYear.slice(0, MAX_KEY_LETTERS);
  return letters(entry.split(/\bdoi\b|doi\.org|\b10\.\d{4,9}\//i)[0]!).slice(0, MAX_KEY_LETTERS);
}

/**
 * An article's own first page, sent instead of (or besides) a list: its front matter, which no list, CV or
 * letter carries. Two of these make one: an "Abstract" heading, a "Keywords" line, an "Introduction"
 * heading, the journal's "Received … Accepted" dates, a DOI or "Original article" in its first lines.
 */
const FRONT_MATTER: RegExp[] = [
  /^\s*(?:abstract|summary|résumé|zusammenfassung|riassunto|resumen|resumo|samenvatting|streszczenie)\b/imu,
  /^\s*(?:keywords|key words|mots[- ]clés|schlüsselwörter|schlagwörter|parole chiave|palabras clave|palavras[- ]chave|trefwoorden|słowa kluczowe)\b/imu,
  /^\s*(?:\d\.?\s*)?(?:introduction|einleitung|einführung|introduzione|introducción|introdução|inleiding|wstęp|wprowadzenie)\s*$/imu,
  /\breceived\b[^\n]{0,60}\baccepted\b|\beingegangen\b[^\n]{0,60}\bangenommen\b|\breçu\b[^\n]{0,60}\baccepté\b/iu,
];
const HEAD_CITATION = /\bdoi\b|doi\.org|\b10\.\d{4,9}\/\S+|\b(?:original|research|review) article\b|\boriginalarbeit\b/iu;
/** An article's front matter is on its first page, well within this much of it. */
const FRONT_MATTER_CHARS = 4000;

/** Numbered entries ("1. Rossi A, …", "[2] …"): a list page, though its entries carry abstracts and DOIs. */
const LIST_ENTRY = /^\s*(?:\[\d{1,2}\]|\(\d{1,2}\)|\d{1,2}[.)])\s+\p{Lu}/gmu;

/** Whether a page is an article's first page (see FRONT_MATTER), not a numbered list of articles. */
export function isArticleFirstPage(text: string): boolean {
  const head = text.slice(0, FRONT_MATTER_CHARS);
  if ((head.match(LIST_ENTRY) ?? []).length >= 2) return false;
  const firstLines = head.split('\n').slice(0, 6).join('\n');
  const marks = FRONT_MATTER.filter((re) => re.test(head)).length + (HEAD_CITATION.test(firstLines) ? 1 : 0);
  return marks >= 2;
}
