/**
 * Field values of the ESOR CV template as printed into the PDF. The labels
 * come from the rule files (admins change them with the template); this
 * module only knows how a printed form looks: "Label: value", "Label   value",
 * or the label on one line and the value on the next.
 */
import { clipSnippet, foldWithMap, mapRange, splitLineOffsets, type FoldedText } from './text-fold';

export interface CvFieldLabels {
  // each: label variants as printed on the ESOR CV template (data from rule files)
  countryOfResidence: string[];
  country: string[];
  dateOfBoardCertification: string[];
  languages: string[];
  nationality: string[];
  institution: string[];
  currentPosition: string[];
  esrMembershipNumber: string[];
  surname: string[];
  firstName: string[];
  dateOfBirth: string[];
  /** Optional: the template's "City" field (a country may be named there). */
  city?: string[];
  /** Optional: a postal address field (Europass and national CVs); its country is the residence. */
  address?: string[];
  /** Optional: other labels of the template that end a value (e.g. "Education", "Professional experience"). */
  otherLabels?: string[];
}

export type CvFieldName = Exclude<keyof CvFieldLabels, 'otherLabels'>;

export interface CvFieldValue {
  /** The value, white space collapsed; for "languages" its lines are joined with "\n". */
  value: string;
  /** Label and value as printed, ≤ 160 chars. */
  snippet: string;
  /** Index in the original text where the value starts. */
  index: number;
}

// Headings of CV parts that follow the language field on common templates;
// they stop a multi-line value even when the rule file does not list them.
const DEFAULT_STOP_LABELS = [
  'education', 'education and training', 'professional experience', 'work experience', 'employment',
  'publications', 'research', 'awards', 'memberships', 'skills', 'personal skills', 'other information',
  'references', 'signature', 'place and date', 'declaration', 'ausbildung', 'berufserfahrung', 'formation',
  'expérience professionnelle', 'istruzione', 'esperienza professionale', 'formación', 'experiencia profesional',
];
// Word-processor placeholders left in an unfilled form field.
const PLACEHOLDER =
  /^(?:click (?:or tap )?here to enter(?: a)? (?:text|date)\.?|enter text\.?|choose an item\.?|select(?: one)?|please (?:specify|select|enter)|\[[^\]]*\]|_{2,}|\.{3,}|…|-+|n\/?a|\/)$/i;
// What may sit between a label and its value: a colon (after an optional
// qualifier "(…)" or "/…"), a dash, a tab or a wide gap, or a single space.
// A table's cell border between label and value, as OCR reads it from a scan, separates too: "Country of
// residence | Spain", "Surname [ Quintero" (a scanned ESOR CV had no country, and the verdict waited for a person).
// A bracket closed further on is a placeholder ("[enter text]"), not a border.
const SEPARATOR = /^(?:\s*(?:\([^)\n]{0,40}\)|\/[^:\n]{0,30}(?=\s*[:：]))?\s*[:：]\s*|\s*[-–—]\s+|\s*\t\s*|\s*(?:[|¦\]{}]|\[(?![^\]\n]*\]))\s*|\s{2,}|\s)/;
// An asterisk marks a required field on some printed forms ("Surname*:", "First name *").
const REQUIRED_MARK = /^\s*\*(?=\s|[:：]|$)/;
const MULTI_LINE_FIELDS: ReadonlySet<CvFieldName> = new Set(['languages']);
const MAX_VALUE_LINES = 8;
const MAX_BLANK_LINES = 1;

interface Label {
  field?: CvFieldName; // undefined: a label that only ends values
  folded: string;
}

interface Occurrence {
  label: Label;
  start: number; // original text offsets
  end: number;
  atLineStart: boolean;
}

function foldLabel(s: string): string {
  return foldWithMap(s).folded.replace(/\s+/g, ' ').trim();
}

function buildLabels(labels: CvFieldLabels): Label[] {
  const out: Label[] = [];
  for (const [key, variants] of Object.entries(labels) as Array<[keyof CvFieldLabels, string[] | undefined]>) {
    if (key === 'otherLabels' || !Array.isArray(variants)) continue;
    for (const v of variants) if (foldLabel(v)) out.push({ field: key, folded: foldLabel(v) });
  }
  for (const v of [...(labels.otherLabels ?? []), ...DEFAULT_STOP_LABELS]) {
    const folded = foldLabel(v);
    if (folded && !out.some((l) => l.folded === folded)) out.push({ folded });
  }
  // Longest first: "country of residence" must win over "country".
  return out.sort((a, b) => b.folded.length - a.folded.length);
}

/** Collapses runs of spaces/tabs of a folded line; returns it with a map back to line offsets. */
function squeezeSpaces(line: string): { text: string; map: number[] } {
  const map: number[] = [];
  const parts: string[] = [];
  let lastSpace = false;
  for (let i = 0; i < line.length; i++) {
    const space = line[i] === ' ' || line[i] === '\t';
    if (space && lastSpace) continue;
    parts.push(space ? ' ' : line[i]);
    map.push(i);
    lastSpace = space;
  }
  map.push(line.length);
  return { text: parts.join(''), map };
}

const isWordChar = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);

/**
 * Finds the labels printed on one line: at the line start (after a bullet),
 * or further on when set apart by a wide gap or followed by a colon
 * ("Surname: Rossi   First name: Anna").
 */
function findOccurrences(text: string, f: FoldedText, ls: number, le: number, labels: Label[]): Occurrence[] {
  const line = f.folded.slice(ls, le);
  const { text: sq, map } = squeezeSpaces(line);
  const lead = sq.length - sq.replace(/^[\s•*|·\-]+/, '').length;
  const found: Occurrence[] = [];
  for (const label of labels) {
    for (let at = sq.indexOf(label.folded); at >= 0; at = sq.indexOf(label.folded, at + 1)) {
      const endSq = at + label.folded.length;
      if (isWordChar(sq[at - 1]) || isWordChar(sq[endSq])) continue;
      const [start, end] = mapRange(f, ls + map[at], ls + map[endSq]);
      if (found.some((o) => start < o.end && end > o.start)) continue;
      const before = text.slice(f.map[ls], start);
      const atLineStart = at === lead;
      const wideGapBefore = /(?:\s{2,}|\t|\|)\s*$/.test(before);
      const colonAfter = /^\s*\*?\s*(?:\([^)\n]{0,40}\))?\s*[:：]/.test(text.slice(end, f.map[le]));
      if (atLineStart || wideGapBefore || (/\s$/.test(before) && colonAfter)) {
        found.push({ label, start, end, atLineStart });
      }
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** Returns the value written after a label, '' when none, undefined when the text is the rest of a longer label. */
function readInlineValue(text: string): string | undefined {
  const rest = text.replace(REQUIRED_MARK, '');
  const sep = SEPARATOR.exec(rest);
  const value = rest.slice(sep ? sep[0].length : 0).replace(/\s+/g, ' ').trim();
  if (!value) return '';
  if (!sep) return undefined; // the label runs into a word
  // "Country of residence: Italy" read with the label "Country": after a single
  // space, lower case or another "label:" is the rest of a longer label.
  if (sep[0] === ' ' && (!startsLikeAValue(value) || /^[^:\d]{1,40}[:：]/u.test(value))) return undefined;
  return value;
}

// Lower-case words that begin a value without continuing a label: an article before a country ("the
// Netherlands", "the Czech Republic") or a surname particle ("de Vries", "van der Berg", "da Silva").
// Without them a Dutch applicant had no surname, residence or country of work.
const VALUE_PARTICLE = /^(?:the|de|van|von|der|den|da|di|do|dos|das|del|della|dello|la|le|les|ter|ten|zu|zur|af|al|el|bin|ibn|mac|st\.?)(?: (?:de|der|den|la|le|van|von))?\s+[\p{Lu}]/u;

function startsLikeAValue(value: string): boolean {
  return /^[\p{Lu}\p{N}+(]/u.test(value) || VALUE_PARTICLE.test(value);
}

function cleanValue(value: string): string | undefined {
  const v = value.replace(/^[\s:：\-–—]+/, '').replace(/[\s,;]+$/, '').trim();
  if (!v || PLACEHOLDER.test(v)) return undefined;
  return v;
}

/**
 * Returns the filled-in fields of the ESOR CV template found in `text`:
 * value, snippet and position. The longest label wins at a position
 * ("Country of residence" over "Country"); a value ends at the end of its
 * line (or of the next line when the label stands alone) and is never
 * another label; "languages" runs over several lines up to the next label.
 * The first filled occurrence of a field wins. Empty fields and
 * word-processor placeholders are omitted. Never throws.
 */
export function readCvFields(text: string, labels: CvFieldLabels): Partial<Record<CvFieldName, CvFieldValue>> {
  const out: Partial<Record<CvFieldName, CvFieldValue>> = {};
  if (!text || !labels) return out;
  const all = buildLabels(labels);
  if (!all.length) return out;
  const f = foldWithMap(text);
  const lines = splitLineOffsets(f.folded).map(([s, e]) => ({ fs: s, fe: e, start: f.map[s], end: f.map[e] }));
  const occ = lines.map((l) => findOccurrences(text, f, l.fs, l.fe, all));
  const lineText = (n: number, from?: number, to?: number): string => text.slice(from ?? lines[n].start, to ?? lines[n].end);
  const isBlank = (n: number): boolean => lineText(n).trim() === '';

  const pairLines = readLabelPairs(text, f, lines, occ, all, out);
  for (let li = 0; li < lines.length; li++) {
    if (pairLines.has(li)) continue;
    for (let k = 0; k < occ[li].length; k++) {
      const o = occ[li][k];
      const field = o.label.field;
      if (!field || out[field]) continue;
      const until = k + 1 < occ[li].length ? occ[li][k + 1].start : lines[li].end;
      const inline = readInlineValue(text.slice(o.end, until));
      if (inline === undefined) continue;
      let value = cleanValue(inline);
      if (inline && !value) continue; // a placeholder: the field was left empty
      let valueIndex = o.end + Math.max(0, text.slice(o.end, until).indexOf(inline.slice(0, 1)));
      let lastLine = li;
      let snippetTo = until;
      if (!value && k === occ[li].length - 1) {
        // Label alone on its line: the value is on the next non-blank line, unless that line is a label.
        let n = li + 1;
        while (n < lines.length && isBlank(n) && n - li <= MAX_BLANK_LINES) n++;
        if (n < lines.length && !isBlank(n) && !occ[n].some((x) => x.atLineStart)) {
          const cut = occ[n].length ? occ[n][0].start : undefined;
          value = cleanValue(lineText(n, undefined, cut));
          if (value) {
            lastLine = n;
            valueIndex = lines[n].start + lineText(n).indexOf(value.slice(0, 1));
            snippetTo = cut ?? lines[n].end;
          }
        }
      }
      if (!value) continue;
      const parts = [value];
      if (MULTI_LINE_FIELDS.has(field) && (lastLine > li || k === occ[li].length - 1)) {
        // "Languages" continues until the next label, a blank line, or a few lines.
        for (let n = lastLine + 1; n < lines.length && parts.length < MAX_VALUE_LINES; n++) {
          if (isBlank(n) || occ[n].length) break;
          const v = cleanValue(lineText(n));
          if (!v) break;
          parts.push(v);
          snippetTo = lines[n].end;
        }
      }
      out[field] = { value: parts.join('\n'), snippet: clipSnippet(text.slice(o.start, snippetTo)), index: valueIndex };
    }
  }
  return out;
}

/**
 * A template laid out in two columns, its values in form fields, reads as a line of two labels and then each
 * value on a line of its own, the left one first ("Surname Institution" / "Schmit" / "Centre Hospitalier de
 * Luxembourg"): a Luxembourg CV gave "Institution" for a surname and no country at all. Only a line that is
 * exactly two labels, followed by two lines that hold no label, is read so; such a line gives neither label
 * the other as its value. Returns the two-label lines.
 */
function readLabelPairs(
  text: string,
  f: FoldedText,
  lines: ReadonlyArray<{ fs: number; fe: number; start: number; end: number }>,
  occ: Occurrence[][],
  all: Label[],
  out: Partial<Record<CvFieldName, CvFieldValue>>,
): Set<number> {
  const pairLines = new Set<number>();
  const byFolded = new Map<string, Label>();
  for (const l of all) if (!byFolded.has(l.folded)) byFolded.set(l.folded, l);
  for (let li = 0; li < lines.length; li++) {
    const line = squeezeSpaces(f.folded.slice(lines[li].fs, lines[li].fe)).text.trim();
    const left = all.find((l) => line.startsWith(`${l.folded} `) && byFolded.has(line.slice(l.folded.length + 1)));
    if (!left) continue;
    const right = byFolded.get(line.slice(left.folded.length + 1))!;
    pairLines.add(li);
    if (li + 2 >= lines.length) continue;
    const values = [li + 1, li + 2].map((n) => ({ n, v: cleanValue(text.slice(lines[n]!.start, lines[n]!.end)) }));
    if (values.some(({ n, v }) => !v || occ[n]!.length > 0)) continue;
    [left, right].forEach((label, i) => {
      const { n, v } = values[i]!;
      if (!label.field || out[label.field]) return;
      const at = lines[n]!.start + text.slice(lines[n]!.start, lines[n]!.end).indexOf(v!.slice(0, 1));
      out[label.field] = { value: v!, snippet: clipSnippet(`${text.slice(lines[li]!.start, lines[li]!.end)} / ${v}`), index: at };
    });
  }
  return pairLines;
}
