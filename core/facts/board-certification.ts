/**
 * The date a board certification / specialist title was obtained, read from
 * the certificate (any of the call's languages). A certificate also prints
 * the holder's birth date, training periods and the date it was issued or
 * printed; each date is classified by the nearest cue word before it (or
 * just after it), so "born on 12.03.1985" and "passed … on 14.06.2019" are
 * told apart.
 *
 * Choice, in order:
 *   1. dates tied to certification words ("passed the board examination on",
 *      "titre de spécialiste … le", "Facharztanerkennung am", "conseguito in
 *      data", "fecha de expedición"): the one closest to its cue, earliest on a tie;
 *   2. dates without any cue: the earliest (issue dates come after the event);
 *   3. issue dates ("issued on", "ausgestellt am", "Paris, le 2 juillet 2019"):
 *      the earliest - for many national titles the issue date is the date of
 *      the title.
 * Never: birth dates, print/download dates, or the dates of a period
 * ("from 01.10.2014 to 30.09.2019", the training).
 *
 * A certificate may give only a month and year ("passed in March 2016",
 * "Facharzt seit 03/2016") or a year ("specialist title obtained 2016").
 * No day is invented: such a date is returned as the period it stands for
 * (`period`, with `precision`), and `iso` is left out. Full dates keep the
 * order above; among the rest, in order after 1.: a month and year tied to
 * certification words, then 2. and 3., then a month and year tied to issue
 * words, then a year tied closely to certification words on its own line
 * (not a law's or a regulation's year).
 */
import { findDates, findPartialDates, type DateMatch } from './dates';
import { clipSnippet, compileWordAlternation, foldWithMap } from './text-fold';

export interface BoardCertificationDate {
  /** The date as YYYY-MM-DD; only when the day is printed. */
  iso?: string;
  /** The days the certification may fall on: from = to = iso for a full date, a month or a year otherwise. */
  period: { from: string; to: string };
  precision: 'day' | 'month' | 'year';
  snippet: string;
  /** Index of the date in the original text. */
  index: number;
  /** Why this date: tied to certification words, the earliest unlabelled date, or an issue date. */
  basis: 'certification' | 'unlabelled' | 'issue';
}

type Kind = 'birth' | 'print' | 'issue' | 'cert';

const CUES: Array<[Kind, RegExp]> = [
  ['birth', compileWordAlternation([
    'born', 'born on', 'born in', 'date of birth', 'birth date', 'birthdate', 'dob', 'd.o.b.', 'place and date of birth',
    'né le', 'née le', 'né(e) le', 'né', 'née', 'né(e)', 'né à', 'née à', 'date de naissance', 'naissance',
    'geboren', 'geboren am', 'geb.', 'geburtsdatum', 'geburtstag', 'nato', 'nata', 'nato/a', 'nato il', 'nata il',
    'data di nascita', 'nascita', 'nacido', 'nacida', 'nacido/a', 'fecha de nacimiento', 'nacimiento', 'nascido',
    'nascida', 'data de nascimento', 'nascimento', 'geboortedatum', 'geboren op', 'urodzony', 'urodzona', 'ur.',
    'data urodzenia', 'urodzenia', 'γεννήθηκε', 'γεννηθείς', 'γεννηθείσα', 'ημερομηνία γέννησης', 'γέννησης',
    'născut', 'născută', 'data nașterii', 'nașterii', 'született', 'születési idő', 'születési dátum', 'narozen',
    'narozena', 'datum narození', 'rođen', 'rođena', 'datum rođenja', 'rojen', 'rojena', 'syntynyt', 'född', 'født',
    'doğum tarihi', 'doğum', 'gimęs', 'gimusi', 'dzimis',
  ])],
  ['print', compileWordAlternation([
    'printed', 'printed on', 'print date', 'generated', 'generated on', 'downloaded', 'downloaded on', 'created on',
    'gedruckt', 'gedruckt am', 'druckdatum', 'erstellt am', 'abgerufen', 'imprimé le', 'édité le', 'stampato il',
    'data di stampa', 'impreso', 'fecha de impresión', 'impresso em', 'afgedrukt', 'wydrukowano', 'εκτυπώθηκε',
    'tipărit', 'page generated',
  ])],
  ['issue', compileWordAlternation([
    'issued', 'issued on', 'issued in', 'date of issue', 'issue date', 'ausgestellt', 'ausgestellt am',
    'ausstellungsdatum', 'délivré', 'délivrée', 'délivré le', 'fait à', 'fait le', 'rilasciato', 'rilasciata',
    'rilasciato il', 'data di rilascio', 'data del rilascio', 'emesso', 'emessa', 'expedido', 'expedida',
    'emitido', 'emitida', 'data de emissão', 'emitido em', 'afgegeven', 'uitgereikt', 'datum van afgifte',
    'wydano', 'data wydania', 'wystawiono', 'data wystawienia', 'εκδόθηκε', 'ημερομηνία έκδοσης', 'eliberat',
    'eliberată', 'data eliberării', 'kiállítva', 'kiállítás dátuma', 'vydáno', 'datum vydání', 'izdano', 'izdana',
    'datum izdavanja', 'utfärdat', 'udstedt', 'myönnetty', 'düzenlenme tarihi',
  ])],
  ['cert', compileWordAlternation([
    'board examination', 'board exam', 'board certification', 'board certified', 'board-certified', 'certification',
    'certified', 'date of certification', 'certification date', 'date of board certification', 'passed',
    'successfully passed', 'has passed', 'examination', 'exam', 'final examination', 'obtained', 'awarded',
    'conferred', 'granted', 'recognised', 'recognized', 'recognition', 'specialist', 'specialist title',
    'specialist registration', 'registered', 'registration', 'date of registration', 'entered', 'qualified',
    'qualification', 'completed', 'fellowship', 'titre de spécialiste', 'spécialiste', 'obtenu', 'obtention',
    'diplôme', "diplôme d'études spécialisées", 'réussi', 'reçu', 'qualifié', 'inscrit', 'inscription',
    'facharzt', 'fachärztin', 'facharztanerkennung', 'facharztprüfung', 'anerkennung', 'anerkannt', 'prüfung',
    'bestanden', 'erworben', 'erteilt', 'verliehen', 'berechtigt', 'eingetragen', 'specialista', 'specializzazione',
    'diploma di specializzazione', 'conseguito', 'conseguita', 'conseguimento', 'superato', 'esame', 'in data',
    'titolo', 'iscritto', 'iscrizione', 'título', 'título de especialista', 'especialista', 'especialidad', 'obtuvo',
    'obtenido', 'aprobado', 'aprobó', 'fecha de expedición', 'homologación', 'concedido', 'inscripción',
    'especialização', 'obteve', 'obtido', 'grau de especialista', 'inscrição', 'registo', 'erkend', 'erkenning',
    'registratie', 'geregistreerd', 'ingeschreven', 'specialisatie', 'specjalista', 'specjalizacji', 'specjalizacja',
    'tytuł specjalisty', 'egzamin', 'egzamin specjalizacyjny', 'zdał', 'zdała', 'uzyskał', 'uzyskała', 'uzyskania',
    'ειδικότητας', 'ειδικότητα', 'τίτλος ειδικότητας', 'απέκτησε', 'εξετάσεις', 'medic specialist', 'specialitate',
    'specialitatea', 'examen', 'examenul', 'a promovat', 'obținut', 'obținut la', 'data obținerii', 'confirmat',
    'szakorvos', 'szakvizsga', 'szakvizsgát', 'atestace', 'atestační zkouška', 'specijalist', 'specijalistički ispit',
    'specialist i', 'specialistläkare', 'speciallæge', 'erikoislääkäri', 'uzmanlık', 'uzman',
  ])],
];

// A signature line: "Vienna, 1 July 2019", "Paris, le 2 juillet 2019", "Roma, lì 3/7/2019".
const PLACE_DATE_PREFIX = /^\s*[\p{L}][\p{L} .'-]{1,40},\s*(?:(?:den|le|il|li|lì|el|dnia|am|on|the|a|em|op)\s+)?$/u;
// What joins the two dates of a period.
const RANGE_JOIN = /^\s*(?:-|to|until|till|through|bis|au|jusqu'au|al|fino al|a|hasta|ate|até|tot|tot en met|do|εως|έως|pana la|până la|\/)\s*$/iu;

const MAX_BEFORE = 120;
const MAX_AFTER = 40;
const AFTER_PENALTY = 20;

/** A full date or a month-and-year / year-alone date, as one candidate. */
interface Dated extends DateMatch {
  from: string;
  to: string;
  precision: BoardCertificationDate['precision'];
}

interface Classified {
  date: Dated;
  kind?: Kind;
  distance: number;
  /** The cue stands after the date. */
  after: boolean;
  period: boolean;
  contextStart: number;
}

interface CueHit {
  kind: Kind;
  start: number; // original
  end: number;
}

function collectCues(text: string): CueHit[] {
  const f = foldWithMap(text);
  const hits: CueHit[] = [];
  for (const [kind, re] of CUES) {
    re.lastIndex = 0;
    for (let m = re.exec(f.folded); m; m = re.exec(f.folded)) {
      hits.push({ kind, start: f.map[m.index], end: f.map[m.index + m[0].length] ?? text.length });
    }
  }
  return hits;
}

function classify(text: string, dates: Dated[], cues: CueHit[], i: number): Classified {
  const date = dates[i];
  const start = date.index;
  const end = start + date.raw.length;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  let lineEnd = text.indexOf('\n', end);
  if (lineEnd < 0) lineEnd = text.length;
  let from = lineStart;
  // A value alone on its line takes its label from the line above.
  if (!/\p{L}/u.test(text.slice(lineStart, start).replace(/\b(?:on|am|le|il|el|op|em|dnia)\b/giu, ''))) {
    from = text.lastIndexOf('\n', Math.max(0, lineStart - 2)) + 1;
  }
  from = Math.max(from, start - MAX_BEFORE);
  const prevDateEnd = i > 0 ? dates[i - 1].index + dates[i - 1].raw.length : -1;
  const nextDateStart = i + 1 < dates.length ? dates[i + 1].index : Infinity;

  let best: { kind: Kind; distance: number; after?: boolean } | undefined;
  for (const c of cues) {
    // A cue with another date between it and this one speaks of that date.
    if (c.end <= start && c.start >= from && c.start >= prevDateEnd) {
      const d = start - c.end;
      if (!best || d < best.distance) best = { kind: c.kind, distance: d };
    }
  }
  if (!best) {
    for (const c of cues) {
      if (c.start >= end && c.start - end <= MAX_AFTER && c.end <= lineEnd && c.end <= nextDateStart) {
        const d = c.start - end + AFTER_PENALTY;
        if (!best || d < best.distance) best = { kind: c.kind, distance: d, after: true };
      }
    }
  }
  if (!best && PLACE_DATE_PREFIX.test(text.slice(lineStart, start))) best = { kind: 'issue', distance: 0 };
  return { date, kind: best?.kind, distance: best?.distance ?? Infinity, after: best?.after ?? false, period: false, contextStart: from };
}

function markPeriods(text: string, items: Classified[]): void {
  for (let i = 0; i + 1 < items.length; i++) {
    const a = items[i].date;
    const b = items[i + 1].date;
    const between = text.slice(a.index + a.raw.length, b.index);
    if (!between.includes('\n') && RANGE_JOIN.test(between.replace(/[–—]/g, '-'))) {
      items[i].period = true;
      items[i + 1].period = true;
    }
  }
}

function makeResult(text: string, c: Classified, basis: BoardCertificationDate['basis']): BoardCertificationDate {
  let lineEnd = text.indexOf('\n', c.date.index + c.date.raw.length);
  if (lineEnd < 0) lineEnd = text.length;
  let from = c.contextStart;
  if (lineEnd - from > 160) from = Math.max(from, c.date.index - 100);
  const period = { from: c.date.from, to: c.date.to };
  const snippet = clipSnippet(text.slice(from, lineEnd));
  const where = { snippet, index: c.date.index, basis };
  return c.date.precision === 'day'
    ? { iso: c.date.iso, period, precision: 'day', ...where }
    : { period, precision: c.date.precision, ...where };
}

// A year right after these words is a law's or a regulation's, not the certification's.
const LEGAL_WORDS = compileWordAlternation([
  'law', 'act', 'decree', 'directive', 'regulation', 'regulations', 'ordinance', 'statute', 'gesetz', 'verordnung',
  'ordnung', 'weiterbildungsordnung', 'wbo', 'loi', 'décret', 'arrêté', 'directive', 'ordonnance', 'legge', 'decreto',
  'd.lgs', 'd.m', 'dpr', 'regolamento', 'ley', 'real decreto', 'orden', 'reglamento', 'lei', 'portaria',
  'regulamento', 'wet', 'besluit', 'regeling', 'ustawa', 'ustawy', 'rozporządzenie', 'rozporządzenia', 'dz.u', 'dz. u',
  'of', 'de', 'du', 'des', 'del', 'della', 'dello', 'vom', 'van', 'z dnia',
]);
const MAX_YEAR_CUE_DISTANCE = 30;

/** A year alone counts only close after its certification words, on their line, not as a law's year. */
function isTightYear(text: string, c: Classified): boolean {
  if (c.kind !== 'cert' || c.after || c.distance > MAX_YEAR_CUE_DISTANCE) return false;
  const between = text.slice(c.date.index - c.distance, c.date.index);
  if (/[\n;]|\.\s/.test(between)) return false;
  const f = foldWithMap(between);
  LEGAL_WORDS.lastIndex = 0;
  return !LEGAL_WORDS.test(f.folded);
}

/**
 * Returns the date the board certification / specialist title was obtained
 * (see the module comment for the choice among several dates), with the
 * text around it. Undefined when the text holds only birth, print or period
 * dates, or no date at all. Never throws.
 */
export function findBoardCertificationDate(text: string): BoardCertificationDate | undefined {
  if (!text) return undefined;
  const full: Dated[] = findDates(text).map((d) => ({ ...d, from: d.iso, to: d.iso, precision: 'day' }));
  const partial: Dated[] = findPartialDates(text).map((d) => ({ ...d, iso: d.from }));
  if (!full.length && !partial.length) return undefined;
  const cues = collectCues(text);
  // Full dates are read among full dates only, as before partial dates were read at all.
  const items = full.map((_, i) => classify(text, full, cues, i));
  markPeriods(text, items);
  const usable = items.filter((c) => !c.period);
  // Partial dates are read among all dates: a full date between a cue and a month is the cue's.
  const all = [...full, ...partial].sort((a, b) => a.index - b.index);
  const allItems = all.map((_, i) => classify(text, all, cues, i));
  markPeriods(text, allItems);
  const usablePartial = allItems.filter((c) => !c.period && c.date.precision !== 'day');

  const byCue = (a: Classified, b: Classified): number => a.distance - b.distance || a.date.index - b.date.index;
  const byDate = (a: Classified, b: Classified): number => a.date.from.localeCompare(b.date.from);
  const certs = usable.filter((c) => c.kind === 'cert').sort(byCue);
  if (certs.length) return makeResult(text, certs[0], 'certification');
  const certMonths = usablePartial.filter((c) => c.kind === 'cert' && c.date.precision === 'month').sort(byCue);
  if (certMonths.length) return makeResult(text, certMonths[0], 'certification');
  const neutral = usable.filter((c) => c.kind === undefined).sort(byDate);
  if (neutral.length) return makeResult(text, neutral[0], 'unlabelled');
  const issued = usable.filter((c) => c.kind === 'issue').sort(byDate);
  if (issued.length) return makeResult(text, issued[0], 'issue');
  const issuedMonths = usablePartial.filter((c) => c.kind === 'issue' && c.date.precision === 'month').sort(byDate);
  if (issuedMonths.length) return makeResult(text, issuedMonths[0], 'issue');
  const certYears = usablePartial.filter((c) => c.date.precision === 'year' && isTightYear(text, c)).sort(byCue);
  if (certYears.length) return makeResult(text, certYears[0], 'certification');
  return undefined;
}
