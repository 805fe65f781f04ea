/**
 * Calendar dates as plain year/month/day values, formatted the way national
 * documents print them. Plain values (not `Date`) keep time zones out of facts
 * such as a board-certification date.
 */
import type { Rng } from './random';

export interface Ymd {
  y: number;
  m: number; // 1-12
  d: number;
}

export type DocLang = 'en' | 'fr' | 'de' | 'it' | 'es' | 'pt' | 'nl' | 'pl' | 'el' | 'ro';

export function makeYmd(y: number, m: number, d: number): Ymd {
  return { y, m, d };
}

export function parseIsoDate(iso: string): Ymd {
  const [y, m, d] = iso.split('-').map(Number);
  return { y, m, d };
}

export function formatIsoDate(date: Ymd): string {
  return `${date.y}-${pad2(date.m)}-${pad2(date.d)}`;
}

export function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function toDayNumber(date: Ymd): number {
  return Math.floor(Date.UTC(date.y, date.m - 1, date.d) / 86400000);
}

function fromDayNumber(day: number): Ymd {
  const t = new Date(day * 86400000);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

export function addDays(date: Ymd, days: number): Ymd {
  return fromDayNumber(toDayNumber(date) + days);
}

export function addYears(date: Ymd, years: number): Ymd {
  // 29 February moves to 28 February in common years, as passport offices do.
  const y = date.y + years;
  const last = new Date(Date.UTC(y, date.m, 0)).getUTCDate();
  return { y, m: date.m, d: Math.min(date.d, last) };
}

export function compareYmd(a: Ymd, b: Ymd): number {
  return toDayNumber(a) - toDayNumber(b);
}

export function pickDateBetween(rng: Rng, from: Ymd, to: Ymd): Ymd {
  return fromDayNumber(rng.int(toDayNumber(from), toDayNumber(to)));
}

/** 0 = Sunday. */
export function weekday(date: Ymd): number {
  return new Date(Date.UTC(date.y, date.m - 1, date.d)).getUTCDay();
}

const MONTHS: Record<DocLang, string[]> = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  fr: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  de: ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'],
  it: ['gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno', 'luglio', 'agosto', 'settembre', 'ottobre', 'novembre', 'dicembre'],
  es: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
  pt: ['janeiro', 'fevereiro', 'março', 'abril', 'maio', 'junho', 'julho', 'agosto', 'setembro', 'outubro', 'novembro', 'dezembro'],
  nl: ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
  // Polish, Greek and Romanian dates use the genitive month ("14 czerwca 2019").
  pl: ['stycznia', 'lutego', 'marca', 'kwietnia', 'maja', 'czerwca', 'lipca', 'sierpnia', 'września', 'października', 'listopada', 'grudnia'],
  el: ['Ιανουαρίου', 'Φεβρουαρίου', 'Μαρτίου', 'Απριλίου', 'Μαΐου', 'Ιουνίου', 'Ιουλίου', 'Αυγούστου', 'Σεπτεμβρίου', 'Οκτωβρίου', 'Νοεμβρίου', 'Δεκεμβρίου'],
  ro: ['ianuarie', 'februarie', 'martie', 'aprilie', 'mai', 'iunie', 'iulie', 'august', 'septembrie', 'octombrie', 'noiembrie', 'decembrie'],
};

/** Three-letter month abbreviations as printed in passports' visual zone. */
export const PASSPORT_MONTHS: Record<DocLang, string[]> = {
  en: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  fr: ['JAN', 'FÉV', 'MARS', 'AVR', 'MAI', 'JUIN', 'JUIL', 'AOÛT', 'SEPT', 'OCT', 'NOV', 'DÉC'],
  de: ['JAN', 'FEB', 'MÄR', 'APR', 'MAI', 'JUN', 'JUL', 'AUG', 'SEP', 'OKT', 'NOV', 'DEZ'],
  it: ['GEN', 'FEB', 'MAR', 'APR', 'MAG', 'GIU', 'LUG', 'AGO', 'SET', 'OTT', 'NOV', 'DIC'],
  es: ['ENE', 'FEB', 'MAR', 'ABR', 'MAY', 'JUN', 'JUL', 'AGO', 'SEP', 'OCT', 'NOV', 'DIC'],
  pt: ['JAN', 'FEV', 'MAR', 'ABR', 'MAI', 'JUN', 'JUL', 'AGO', 'SET', 'OUT', 'NOV', 'DEZ'],
  nl: ['JAN', 'FEB', 'MAA', 'APR', 'MEI', 'JUN', 'JUL', 'AUG', 'SEP', 'OKT', 'NOV', 'DEC'],
  pl: ['STY', 'LUT', 'MAR', 'KWI', 'MAJ', 'CZE', 'LIP', 'SIE', 'WRZ', 'PAŹ', 'LIS', 'GRU'],
  el: ['ΙΑΝ', 'ΦΕΒ', 'ΜΑΡ', 'ΑΠΡ', 'ΜΑΪ', 'ΙΟΥΝ', 'ΙΟΥΛ', 'ΑΥΓ', 'ΣΕΠ', 'ΟΚΤ', 'ΝΟΕ', 'ΔΕΚ'],
  ro: ['IAN', 'FEB', 'MAR', 'APR', 'MAI', 'IUN', 'IUL', 'AUG', 'SEP', 'OCT', 'NOI', 'DEC'],
};

export type DateStyle = 'long' | 'numeric' | 'iso' | 'us-long';

export function monthName(lang: DocLang, month: number): string {
  return MONTHS[lang][month - 1];
}

/**
 * A date as a document in `lang` prints it. Numeric dates are always day
 * first: these are European documents, and that is what makes them tricky.
 */
export function formatDate(date: Ymd, lang: DocLang, style: DateStyle = 'long'): string {
  const { y, m, d } = date;
  if (style === 'iso') return formatIsoDate(date);
  if (style === 'numeric') {
    switch (lang) {
      case 'de':
      case 'pl':
      case 'ro':
        return `${pad2(d)}.${pad2(m)}.${y}`;
      case 'nl':
        return `${pad2(d)}-${pad2(m)}-${y}`;
      default:
        return `${pad2(d)}/${pad2(m)}/${y}`;
    }
  }
  const month = MONTHS[lang][m - 1];
  switch (lang) {
    case 'en':
      return style === 'us-long' ? `${month} ${d}, ${y}` : `${d} ${month} ${y}`;
    case 'fr':
      return `${d === 1 ? '1er' : d} ${month} ${y}`;
    case 'de':
      return `${d}. ${month} ${y}`;
    case 'es':
    case 'pt':
      return `${d} de ${month} de ${y}`;
    case 'pl':
      return `${d} ${month} ${y} r.`;
    default:
      return `${d} ${month} ${y}`;
  }
}

export function pickDateStyle(rng: Rng, lang: DocLang): DateStyle {
  if (lang === 'en') return rng.pickWeighted<DateStyle>([['long', 6], ['us-long', 1], ['numeric', 3], ['iso', 1]]);
  return rng.pickWeighted<DateStyle>([['long', 5], ['numeric', 4], ['iso', 1]]);
}
