/**
 * Calendar dates in the many ways European certificates, CVs and passports
 * print them. Matching runs on folded text (lower case, no accents), so one
 * month table serves "Juni", "JUIN" and "Ιουνίου" alike; positions are mapped
 * back so callers can quote and locate what was read.
 */
import { buildTrieAlternation, foldWithMap, mapRange, type FoldedText } from './text-fold';

export interface DateMatch {
  /** The date as YYYY-MM-DD. */
  iso: string;
  /** Index of the match in the original text. */
  index: number;
  /** The matched original text. */
  raw: string;
}

// Month names per month number, as printed (folded at load). Nominative and
// genitive forms both, since Slavic and Greek dates use the genitive (and the
// Polish locative of a month and year: "w marcu 2016 r.").
// Deliberately absent: Croatian "listopad" (October there, November in Polish
// and Czech) - a date we might misread is worse than one we skip.
const MONTH_NAMES: Record<number, string[]> = {
  1: ['january', 'jan', 'janvier', 'janv', 'januar', 'jänner', 'jaenner', 'gennaio', 'gen', 'enero', 'ene',
    'janeiro', 'januari', 'styczeń', 'stycznia', 'styczniu', 'ianuarie', 'ian', 'ιανουάριος', 'ιανουαρίου', 'leden', 'ledna',
    'január', 'januára', 'tammikuuta', 'tammikuu', 'ocak', 'gener', 'siječanj', 'siječnja', 'sausio', 'jaanuar',
    'января', 'січня', 'януари'],
  2: ['february', 'feb', 'février', 'févr', 'fév', 'fevr', 'februar', 'feber', 'febbraio', 'febrero', 'fevereiro',
    'fev', 'februari', 'luty', 'lutego', 'lutym', 'februarie', 'φεβρουάριος', 'φεβρουαρίου', 'únor', 'února', 'február',
    'februára', 'helmikuuta', 'helmikuu', 'şubat', 'febrer', 'veljača', 'veljače', 'vasario', 'veebruar',
    'февраля', 'лютого', 'февруари'],
  3: ['march', 'mar', 'mars', 'märz', 'maerz', 'marzo', 'março', 'maart', 'mrt', 'marzec', 'marca', 'marcu', 'martie',
    'μάρτιος', 'μαρτίου', 'březen', 'března', 'március', 'marec', 'maaliskuuta', 'maaliskuu', 'mart', 'març',
    'ožujak', 'ožujka', 'kovo', 'märts', 'marts', 'марта', 'березня', 'март'],
  4: ['april', 'apr', 'avril', 'avr', 'aprile', 'abril', 'abr', 'kwiecień', 'kwietnia', 'kwietniu', 'aprilie', 'απρίλιος',
    'απριλίου', 'duben', 'dubna', 'április', 'apríl', 'apríla', 'huhtikuuta', 'huhtikuu', 'nisan', 'travanj',
    'travnja', 'balandžio', 'aprill', 'апреля', 'квітня', 'април'],
  5: ['may', 'mai', 'maggio', 'mag', 'mayo', 'maio', 'mei', 'maj', 'maja', 'maju', 'μάιος', 'μαΐου', 'μαΐου', 'květen',
    'května', 'május', 'máj', 'mája', 'toukokuuta', 'toukokuu', 'mayıs', 'maig', 'svibanj', 'svibnja', 'gegužės',
    'мая', 'травня', 'май'],
  6: ['june', 'jun', 'juin', 'juni', 'giugno', 'giu', 'junio', 'junho', 'czerwiec', 'czerwca', 'czerwcu', 'iunie',
    'ιούνιος', 'ιουνίου', 'červen', 'června', 'június', 'jún', 'júna', 'kesäkuuta', 'kesäkuu', 'haziran', 'juny',
    'lipanj', 'lipnja', 'birželio', 'juuni', 'junij', 'июня', 'червня', 'юни'],
  7: ['july', 'jul', 'juillet', 'juil', 'juli', 'luglio', 'lug', 'julio', 'julho', 'lipiec', 'lipca', 'lipcu', 'iulie',
    'ιούλιος', 'ιουλίου', 'červenec', 'července', 'július', 'júl', 'júla', 'heinäkuuta', 'heinäkuu', 'temmuz',
    'juliol', 'srpanj', 'srpnja', 'liepos', 'juuli', 'julij', 'июля', 'липня', 'юли'],
  8: ['august', 'aug', 'août', 'aout', 'agosto', 'ago', 'augustus', 'augusti', 'sierpień', 'sierpnia', 'sierpniu', 'αύγουστος',
    'αυγούστου', 'srpen', 'srpna', 'augusztus', 'augusta', 'elokuuta', 'elokuu', 'ağustos', 'agost', 'kolovoz',
    'kolovoza', 'rugpjūčio', 'avgust', 'августа', 'серпня', 'август'],
  9: ['september', 'sept', 'sep', 'septembre', 'settembre', 'set', 'septiembre', 'setiembre', 'setembro',
    'wrzesień', 'września', 'wrześniu', 'septembrie', 'σεπτέμβριος', 'σεπτεμβρίου', 'září', 'szeptember', 'septembra',
    'syyskuuta', 'syyskuu', 'eylül', 'setembre', 'rujan', 'rujna', 'rugsėjo', 'septembar', 'сентября', 'вересня',
    'септември'],
  10: ['october', 'oct', 'octobre', 'oktober', 'okt', 'ottobre', 'ott', 'octubre', 'outubro', 'out', 'październik',
    'października', 'październiku', 'octombrie', 'οκτώβριος', 'οκτωβρίου', 'říjen', 'října', 'október', 'októbra', 'lokakuuta',
    'lokakuu', 'ekim', 'spalio', 'oktoober', 'oktobar', 'октября', 'жовтня', 'октомври'],
  11: ['november', 'nov', 'novembre', 'noviembre', 'novembro', 'listopad', 'listopada', 'listopadu', 'listopadzie', 'noiembrie',
    'νοέμβριος', 'νοεμβρίου', 'novembra', 'marraskuuta', 'marraskuu', 'kasım', 'studeni', 'studenoga', 'studenog',
    'lapkričio', 'novembar', 'ноября', 'ноември'],
  12: ['december', 'dec', 'décembre', 'dezember', 'dez', 'dicembre', 'dic', 'diciembre', 'dezembro', 'grudzień',
    'grudnia', 'grudniu', 'decembrie', 'δεκέμβριος', 'δεκεμβρίου', 'prosinec', 'prosince', 'decembra', 'joulukuuta',
    'joulukuu', 'aralık', 'desembre', 'prosinac', 'prosinca', 'gruodžio', 'detsember', 'desember', 'decembar',
    'декабря', 'грудня', 'декември'],
};

const MONTH_BY_NAME = new Map<string, number>();
for (const [num, names] of Object.entries(MONTH_NAMES)) {
  for (const name of names) {
    const key = foldWithMap(name).folded;
    const prior = MONTH_BY_NAME.get(key);
    if (prior !== undefined && prior !== Number(num)) throw new Error(`month name "${name}" is ambiguous`);
    MONTH_BY_NAME.set(key, Number(num));
  }
}

// A trie of month names, each checking its word start after its first letter,
// so the regex engine can skip positions by their first character.
const MONTH = buildTrieAlternation([...MONTH_BY_NAME.keys()], '[\\p{L}]');
// A month word must stand alone ("mar" is not the start of "marzo"), optionally abbreviated with a dot.
const MONTH_WORD = `(${MONTH})(?![\\p{L}])\\.?`;
// Day and year digits not glued to a preceding letter or digit; the check
// follows the first digit for the same speed reason.
const DAY = '(\\d(?<![\\p{L}\\d]\\d)\\d?)';
const YEAR4 = '(\\d(?<![\\p{L}\\d]\\d)\\d{3})';
// Ordinal day suffixes: 1st/2nd/14th, 1er/1re, 1º/1ª (folded to o/a), Greek 14ης (final sigma folded to σ).
const ORDINAL = '(?:st|nd|rd|th|er|re|eme|o|a|ησ|η)?';

const TEXT_DAY_FIRST = new RegExp(
  `${DAY}${ORDINAL}(?![\\p{L}\\d])\\.?\\s*(?:(?:de|of|el)\\s+)?(?:[-/]\\s*)?` +
    `${MONTH_WORD}(?:\\s*/\\s*${MONTH}(?![\\p{L}])\\.?)?` + // bilingual passports: "30 APR /AVR 2029"
    `\\s*(?:[-/,]\\s*)?(?:(?:de|del)\\s+)?(\\d{4})(?!\\d)`,
  'gu',
);
const TEXT_MONTH_FIRST = new RegExp(
  `${MONTH_WORD}\\s*(\\d{1,2})(?:st|nd|rd|th)?(?![\\p{L}\\d])\\s*,?\\s*(\\d{4})(?!\\d)`,
  'gu',
);
// Year first: Hungarian "2019. június 14.", Lithuanian "2019 m. birželio 14 d.", PubMed "2019 Jun 14".
const TEXT_YEAR_FIRST = new RegExp(
  `${YEAR4}\\s*(?:m\\.|\\.|,)?\\s*${MONTH_WORD}\\s*(\\d{1,2})(?!\\d)(?![\\p{L}])`,
  'gu',
);
// Roman month numerals, common on Polish and Italian stamps: "14.VI.2019".
const ROMAN_MONTHS: Record<string, number> = {
  i: 1, ii: 2, iii: 3, iv: 4, v: 5, vi: 6, vii: 7, viii: 8, ix: 9, x: 10, xi: 11, xii: 12,
};
const ROMAN_DATE = new RegExp(
  `${DAY}\\s*[.\\-/ ]\\s*(xii|xi|x|ix|viii|vii|vi|v|iv|iii|ii|i)(?![\\p{L}])\\s*[.\\-/ ]\\s*(\\d{4})(?!\\d)`,
  'gu',
);
// Numeric day-first with dots or slashes: "14.06.2019", "14. 06. 2019", "14/06/2019", "14.6.19".
// A hyphen may join two dates of a period ("01/01/2021-31/12/2021"), so it does not block a match.
const NUMERIC_DOT_SLASH = /(\d(?<!\d[.\/]?\d)\d?)\s?([./])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})(?!\d)(?![.\/]\d)/g;
// Hyphens only without spaces and with four-digit years: "14-06-2019" (a "12-19" range is not a date).
const NUMERIC_HYPHEN = /(\d(?<!\d[.\/-]?\d)\d?)-(\d{1,2})-(\d{4})(?!\d)(?![.\/-]\d)/g;
// Year first: "2019-06-14", "2019.06.14", and Hungary's "2020. 06. 30." (a space after each dot).
const NUMERIC_YEAR_FIRST = /(\d(?<!\d[.\/-]?\d)\d{3})(?:-(\d{1,2})-|\/(\d{1,2})\/|\. ?(\d{1,2})\. ?)(\d{1,2})(?!\d)(?![.\/-]\d)/g;

/** Returns YYYY-MM-DD when y-m-d is a real calendar date in 1900-2099, else undefined. */
export function toIsoDate(year: number, month: number, day: number): string | undefined {
  if (!Number.isInteger(year) || year < 1900 || year > 2099) return undefined;
  if (!Number.isInteger(month) || month < 1 || month > 12) return undefined;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (!Number.isInteger(day) || day < 1 || day > days) return undefined;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

// Two-digit years on stamps and short forms: 00-69 are this century, 70-99 the last.
function expandYear(digits: string): number {
  const n = Number(digits);
  if (digits.length === 4) return n;
  return n < 70 ? 2000 + n : 1900 + n;
}

interface Candidate {
  start: number; // folded
  end: number; // folded
  iso: string;
}

function lookUpMonth(name: string): number | undefined {
  return MONTH_BY_NAME.get(name.replace(/\s+/g, ' '));
}

function collectMatches(re: RegExp, folded: string, decode: (m: RegExpExecArray) => string | undefined, out: Candidate[]): void {
  re.lastIndex = 0;
  for (let m = re.exec(folded); m; m = re.exec(folded)) {
    const iso = decode(m);
    if (iso) out.push({ start: m.index, end: m.index + m[0].length, iso });
  }
}

/**
 * Returns every calendar date written in `text`, in text order, as ISO
 * YYYY-MM-DD with the original index and wording. Numeric dates are read day
 * first (European) unless the second number cannot be a month (> 12), then
 * month first (US). Impossible dates (31 Feb) are skipped. Never throws.
 */
export function findDates(text: string): DateMatch[] {
  if (!text) return [];
  const f = foldWithMap(text);
  return toMatches(f, text, collectFullDates(f, text));
}

/** Every complete calendar date, folded positions, unsorted and possibly overlapping. */
function collectFullDates(f: FoldedText, text: string): Candidate[] {
  const folded = f.folded;
  const found: Candidate[] = [];

  collectMatches(TEXT_DAY_FIRST, folded, (m) => {
    const month = lookUpMonth(m[2]);
    return month ? toIsoDate(Number(m[3]), month, Number(m[1])) : undefined;
  }, found);
  collectMatches(TEXT_MONTH_FIRST, folded, (m) => {
    const month = lookUpMonth(m[1]);
    return month ? toIsoDate(Number(m[3]), month, Number(m[2])) : undefined;
  }, found);
  collectMatches(TEXT_YEAR_FIRST, folded, (m) => {
    const month = lookUpMonth(m[2]);
    return month ? toIsoDate(Number(m[1]), month, Number(m[3])) : undefined;
  }, found);
  collectMatches(ROMAN_DATE, folded, (m) => {
    // Roman months must be upper case in print: "12 i 2019" is Polish for "12 and 2019".
    const [s, e] = mapRange(f, m.index, m.index + m[0].length);
    const raw = text.slice(s, e);
    if (!/[IVX]/.test(raw.replace(/\d/g, ''))) return undefined;
    return toIsoDate(Number(m[3]), ROMAN_MONTHS[m[2]], Number(m[1]));
  }, found);
  collectMatches(NUMERIC_DOT_SLASH, folded, (m) => readDayMonth(Number(m[1]), Number(m[3]), expandYear(m[4])), found);
  collectMatches(NUMERIC_HYPHEN, folded, (m) => readDayMonth(Number(m[1]), Number(m[2]), Number(m[3])), found);
  collectMatches(NUMERIC_YEAR_FIRST, folded, (m) => toIsoDate(Number(m[1]), Number(m[2] ?? m[3] ?? m[4]), Number(m[5])), found);
  return found;
}

// A passport's visual zone prints "14 FEB 29" or "14 FEB/FÉV 29" (ICAO Doc 9303 Part 4: day, month
// abbreviation, two-digit year; OCR often loses the space: "14FEB 29"). Only read where a caller knows it stands on a passport's date field:
// in running text "14 Feb 29 patients" is no date.
const TEXT_DAY_FIRST_SHORT_YEAR = new RegExp(
  `${DAY}(?!\\d)\\s*${MONTH_WORD}(?:\\s*/\\s*${MONTH}(?![\\p{L}])\\.?)?\\s*(\\d{2})(?!\\d)`,
  'gu',
);

// A bilingual passport prints its own language's month first: "10 ΑΥΓ/AUG 2028" (Greek, read by OCR as
// "10 AYT/AUG 2028"), "14 ИЮН/JUN 30". The English month after the slash is the one read; the word before
// it may be any letters (a script or an abbreviation no month table holds, or OCR's look-alikes of it).
const TEXT_DAY_BILINGUAL_MONTH = new RegExp(`${DAY}(?!\\d)\\s*\\p{L}{2,6}\\.?\\s*/\\s*${MONTH_WORD}\\s*((?:19|20)?\\d{2})(?!\\d)`, 'gu');

// Many national passports print their dates as bare digits in fields: "19 08 2021" or "19082021" (day,
// month, year, spaces or nothing between; the visual zone has no room for separators in some layouts). In running text three
// numbers in a row are anything but a date, so this too is read on a passport's date field only.
const NUMERIC_SPACED_DAY_FIRST = /(?<![\d.\/-])(\d{2}) ?(\d{2}) ?((?:19|20)\d{2})(?![\d.\/-])/g;

/**
 * The dates of a passport's printed fields, written day, month word and two-digit year ("14 FEB 29",
 * ICAO Doc 9303 Part 4) or as bare digits ("19 08 2021", "19082021"), besides every form findDates reads.
 * Two-digit years as on stamps: 00-69 are this century. For text a caller has found next to a
 * passport date label only.
 */
export function findPassportFieldDates(text: string): DateMatch[] {
  if (!text) return [];
  const f = foldWithMap(text);
  const found = collectFullDates(f, text);
  collectMatches(TEXT_DAY_FIRST_SHORT_YEAR, f.folded, (m) => {
    const month = lookUpMonth(m[2]);
    return month ? toIsoDate(expandYear(m[3]), month, Number(m[1])) : undefined;
  }, found);
  collectMatches(NUMERIC_SPACED_DAY_FIRST, f.folded, (m) => toIsoDate(Number(m[3]), Number(m[2]), Number(m[1])), found);
  collectMatches(TEXT_DAY_BILINGUAL_MONTH, f.folded, (m) => {
    const month = lookUpMonth(m[2]);
    return month ? toIsoDate(m[3]!.length === 4 ? Number(m[3]) : expandYear(m[3]), month, Number(m[1])) : undefined;
  }, found);
  return toMatches(f, text, found);
}

/** Several patterns may claim overlapping text; keeps the earliest, then the longest, in text order. */
function pickNonOverlapping<T extends { start: number; end: number }>(found: T[], blocked: Array<{ start: number; end: number }> = []): T[] {
  const sorted = [...found].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: T[] = [];
  let lastEnd = -1;
  for (const c of sorted) {
    if (c.start < lastEnd) continue;
    if (blocked.some((b) => c.start < b.end && c.end > b.start)) continue;
    out.push(c);
    lastEnd = c.end;
  }
  return out;
}

function toMatches(f: FoldedText, text: string, found: Candidate[]): DateMatch[] {
  return pickNonOverlapping(found).map((c) => {
    const [s, e] = mapRange(f, c.start, c.end);
    return { iso: c.iso, index: s, raw: text.slice(s, e) };
  });
}

function readDayMonth(first: number, second: number, year: number): string | undefined {
  // Day first is the European default; only a second number > 12 proves a US date.
  if (second > 12 && first <= 12) return toIsoDate(year, first, second);
  return toIsoDate(year, second, first);
}

/**
 * Returns the first date in a single value (e.g. a CV field) as YYYY-MM-DD,
 * or undefined when the value holds no complete calendar date ("June 2019"
 * is not one: the day would be a guess).
 */
export function parseDate(raw: string): string | undefined {
  return findDates(raw)[0]?.iso;
}

/**
 * A date printed with less than a day: a month and year ("March 2016",
 * "03/2016", "mars 2016", "März 2016", "marzo de 2016", "w marcu 2016",
 * "2016-03") or a year alone ("2016"). It stands for every day of its
 * period, so it is carried as the period, never as an invented day.
 */
export interface PartialDateMatch {
  /** First day of the period, YYYY-MM-DD. */
  from: string;
  /** Last day of the period, YYYY-MM-DD. */
  to: string;
  precision: 'month' | 'year';
  /** Index of the match in the original text. */
  index: number;
  /** The matched original text. */
  raw: string;
}

// "March 2016", "Mar. 2016", "marzo de 2016", "März 2016", "maart 2016", "marzec 2016 r.".
const TEXT_MONTH_YEAR = new RegExp(`${MONTH_WORD}\\s*(?:,\\s*)?(?:(?:de|del|of)\\s+)?(?:[-/]\\s*)?${YEAR4}(?!\\d)`, 'gu');
// "03/2016", "3.2016", "03-2016": not the tail of a full date ("14.03.2016") nor of a number ("183/2016").
const NUMERIC_MONTH_YEAR = /(?<!\d\s?[.\/-]?\s?)(\d{1,2})\s?([./-])\s?((?:19|20)\d{2})(?!\d)(?!\s?[.\/-]\s?\d)/g;
// ISO "2016-03" (not "2016-03-14", nor an academic year "2011-12").
const ISO_YEAR_MONTH = /(?<![\d.\/-])((?:19|20)\d{2})-(\d{2})(?!\d)(?![.\/-]\d)/g;
// A year alone: four digits not glued to letters, digits or a number's separator ("2005/36/EC", "No. 123-2016").
const YEAR_ONLY = /(?<![\p{L}\p{N}])(?<!\p{N}[.\/-])((?:19|20)\d{2})(?![\p{L}\p{N}])(?![.\/-]\d)/gu;

function monthPeriod(year: number, month: number): { from: string; to: string } | undefined {
  const from = toIsoDate(year, month, 1);
  if (!from) return undefined;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { from, to: toIsoDate(year, month, last)! };
}

function yearPeriod(year: number): { from: string; to: string } | undefined {
  const from = toIsoDate(year, 1, 1);
  return from ? { from, to: `${year}-12-31` } : undefined;
}

interface PartialCandidate {
  start: number;
  end: number;
  from: string;
  to: string;
  precision: 'month' | 'year';
}

/**
 * Returns every month-and-year and year-alone date in `text` that is not
 * part of a complete calendar date, in text order, each as the period it
 * stands for. A month and year wins over the year inside it. Never throws.
 */
export function findPartialDates(text: string): PartialDateMatch[] {
  if (!text) return [];
  const f = foldWithMap(text);
  const folded = f.folded;
  const full = collectFullDates(f, text);
  const months: PartialCandidate[] = [];
  const collect = (re: RegExp, read: (m: RegExpExecArray) => { from: string; to: string } | undefined, into: PartialCandidate[], precision: PartialCandidate['precision']): void => {
    re.lastIndex = 0;
    for (let m = re.exec(folded); m; m = re.exec(folded)) {
      const p = read(m);
      if (p) into.push({ start: m.index, end: m.index + m[0].length, precision, ...p });
    }
  };
  collect(TEXT_MONTH_YEAR, (m) => {
    const month = lookUpMonth(m[1]);
    return month ? monthPeriod(Number(m[2]), month) : undefined;
  }, months, 'month');
  collect(NUMERIC_MONTH_YEAR, (m) => monthPeriod(Number(m[3]), Number(m[1])), months, 'month');
  collect(ISO_YEAR_MONTH, (m) => {
    const year = Number(m[1]);
    const month = Number(m[2]);
    if (month === (year + 1) % 100) return undefined; // "2011-12": the academic year 2011/2012
    return monthPeriod(year, month);
  }, months, 'month');
  const pickedMonths = pickNonOverlapping(months, full);
  const years: PartialCandidate[] = [];
  collect(YEAR_ONLY, (m) => yearPeriod(Number(m[1])), years, 'year');
  const pickedYears = pickNonOverlapping(years, [...full, ...pickedMonths]);
  return [...pickedMonths, ...pickedYears]
    .sort((a, b) => a.start - b.start)
    .map((c) => {
      const [s, e] = mapRange(f, c.start, c.end);
      return { from: c.from, to: c.to, precision: c.precision, index: s, raw: text.slice(s, e) };
    });
}

/**
 * Returns the period a single value (e.g. a CV field) names when it holds no
 * complete date: "March 2016" → 2016-03-01…2016-03-31, "2016" → the whole
 * year; several such dates give the period from the first to the last.
 * Undefined when the value holds a complete date (see parseDate) or no date.
 */
export function parsePeriod(raw: string): { from: string; to: string; precision: 'month' | 'year' } | undefined {
  if (!raw || findDates(raw).length) return undefined;
  const parts = findPartialDates(raw);
  if (!parts.length) return undefined;
  const from = parts.map((p) => p.from).sort()[0]!;
  const to = parts.map((p) => p.to).sort().reverse()[0]!;
  const precision = parts.some((p) => p.precision === 'year') ? 'year' : 'month';
  return { from, to, precision };
}

// Day, month and year in figures, the first two separated as a US date is ("04/02/2018", "04-02-2018").
const SWAPPABLE = /(?<![\p{N}])(\d{1,2})([/-])(\d{1,2})\2(\d{4})(?![\p{N}])/u;

/**
 * The other reading of the first numeric date in `raw` when its day and month could swap: "04/02/2018" is
 * 4 February 2018 as Europe writes it (what findDates reads) and 2 April 2018 as the United States does.
 * Undefined when they cannot ("13/02/2018", "04/04/2018", "04.02.2018", which no US document writes).
 */
export function monthFirstReading(raw: string): string | undefined {
  const m = SWAPPABLE.exec(raw);
  if (!m) return undefined;
  const first = Number(m[1]);
  const second = Number(m[3]);
  if (first > 12 || second > 12 || first === second) return undefined;
  return toIsoDate(Number(m[4]), first, second);
}
