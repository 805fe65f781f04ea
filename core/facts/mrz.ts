/**
 * Passport facts: the machine-readable zone (ICAO 9303) and, when that is
 * missing or damaged, the printed "Date of expiry" field. The MRZ is trusted
 * only through its check digits; OCR-like letter/digit confusions are
 * repaired only where the check digits then prove the repair right.
 *
 * Privacy: nothing here returns the document number or a full MRZ line.
 */
import { mapIcaoCode } from './countries';
import { findPassportFieldDates, toIsoDate } from './dates';
import { clipSnippet, compileWordAlternation, foldWithMap, mapRange } from './text-fold';

export interface MrzReading {
  /** Expiry date, YYYY-MM-DD (YY read as 20YY). */
  expiry: string;
  /** Holder's nationality: ISO alpha-2 when known, else the ICAO code as printed (e.g. "XXA"). */
  nationality: string;
  /** Birth date, YYYY-MM-DD, when it is a real date. */
  birthDate?: string;
  /** True only when every check digit passes. */
  valid: boolean;
  /** Index in the original text where the zone starts. */
  index: number;
  /** TD3 = passport (2 × 44), TD1 = identity card (3 × 30). */
  format: 'TD3' | 'TD1';
  /** The expiry as printed (YYMMDD), safe to quote. */
  expiryRaw: string;
}

export interface PassportExpiry {
  iso: string;
  source: 'mrz' | 'label' | 'validity';
  /** Never holds a passport number or an MRZ line. */
  snippet: string;
  /** Index in the original text of the zone or label. */
  index: number;
  /** For source 'mrz': true when every check digit passed, false when only the expiry's own did. */
  mrzValid?: boolean;
}

const WEIGHTS = [7, 3, 1];

/** Returns the ICAO 9303 check digit of `field` ('<' = 0, A = 10 … Z = 35), or -1 on a foreign character. */
export function computeCheckDigit(field: string): number {
  let sum = 0;
  for (let i = 0; i < field.length; i++) {
    const c = field.charCodeAt(i);
    let v: number;
    if (c >= 48 && c <= 57) v = c - 48;
    else if (c >= 65 && c <= 90) v = c - 55;
    else if (c === 60) v = 0;
    else return -1;
    sum += v * WEIGHTS[i % 3];
  }
  return sum % 10;
}

function passesCheck(field: string, digit: string): boolean {
  // An empty optional field may carry '<' as its check digit.
  if (digit === '<') return /^<*$/.test(field);
  return computeCheckDigit(field) === Number(digit);
}

// Letters OCR and some fonts confuse with digits, repaired only in digit positions.
const DIGIT_FOR: Record<string, string> = { O: '0', Q: '0', D: '0', I: '1', L: '1', Z: '2', S: '5', B: '8', G: '6', T: '7' };

/** Repairs letters in the digit positions of a line; returns the line and whether anything changed. */
function repairDigits(line: string, digitPositions: number[]): { line: string; repaired: boolean } {
  const chars = line.split('');
  let repaired = false;
  for (const p of digitPositions) {
    const fix = DIGIT_FOR[chars[p]];
    if (fix) {
      chars[p] = fix;
      repaired = true;
    }
  }
  return { line: chars.join(''), repaired };
}

function listRange(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

// Position 42 (the personal number's check digit) is a digit or '<': a 0 read as "Q" is repaired like the others.
const TD3_DIGITS = [9, ...listRange(13, 20), ...listRange(21, 28), 42, 43];
const TD3_LINE2 = /^[A-Z0-9<]{9}\d[A-Z<]{3}\d{6}\d[MFX<]\d{6}\d[A-Z0-9<]{14}[\d<]\d$/;
const TD1_LINE2_DIGITS = [...listRange(0, 7), ...listRange(8, 15), 29];
const TD1_LINE2 = /^\d{6}\d[MFX<]\d{6}\d[A-Z<]{3}[A-Z0-9<]{11}\d$/;

interface Block {
  chars: string; // cleaned MRZ characters of consecutive MRZ-like lines
  map: number[]; // original index of each char
}

// '<' as extracted from MRZ fonts: guillemets, angle brackets, full-width forms.
const FILLER_LOOKALIKES = /[«‹〈⟨＜≤]/g;
const MRZ_LINE = /^[A-Z0-9<]+$/;

/**
 * The part of a line left when short tokens outside the MRZ alphabet are cut from its ends. OCR of a
 * scanned data page adds such marks beside the zone (a "|" from the card's edge, a stamp's dot, a
 * digit of another script: "…<<<<06 ۱"), and one of them would otherwise disqualify the whole line.
 */
function trimStrayMarks(line: string): [number, number] {
  const tokens = [...line.matchAll(/\S+/g)].map((m) => ({ start: m.index, end: m.index + m[0].length, text: m[0] }));
  const stray = (t: { text: string }) => t.text.length <= 3 && !MRZ_LINE.test(t.text.toUpperCase().replace(FILLER_LOOKALIKES, '<'));
  let a = 0;
  let b = tokens.length;
  while (a < b && stray(tokens[a])) a++;
  while (b > a && stray(tokens[b - 1])) b--;
  return a < b ? [tokens[a].start, tokens[b - 1].end] : [0, 0];
}

/** A mark OCR puts inside a zone line ("…<<<<<<0)2"), from a speck or the card's edge; no zone character. */
const STRAY_MARK = /[()|'.,:;!]/;
const STRAY_MARKS = new RegExp(STRAY_MARK.source, 'g');
/** A zone line has many fillers ('<'); a line with a few stray marks and this many is still one. */
const MIN_ZONE_FILLERS = 5;
const MAX_STRAY_MARKS = 2;

/**
 * `line` without OCR's stray marks when it reads as a machine-readable zone line they got into (at most two
 * marks, at least five fillers); undefined otherwise. The check digits still judge what is left. OCR's word
 * filter (adapters/ocr/kept-word.ts) keeps such a line by the same rule.
 */
export function withoutStrayMarks(line: string): string | undefined {
  const bare = line.replace(STRAY_MARKS, '');
  const marks = line.length - bare.length;
  return marks <= MAX_STRAY_MARKS && bare.split('<').length - 1 >= MIN_ZONE_FILLERS ? bare : undefined;
}

/** Groups consecutive MRZ-like lines (spaces removed) so that split or joined lines read alike. */
function collectBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | undefined;
  let offset = 0;
  for (const line of text.split('\n')) {
    const chars: string[] = [];
    const map: number[] = [];
    const [from, to] = trimStrayMarks(line);
    for (let i = from; i < to; i++) {
      const ch = line[i];
      if (/\s/.test(ch)) continue;
      chars.push(ch.toUpperCase().replace(FILLER_LOOKALIKES, '<'));
      map.push(offset + i);
    }
    let cleaned = chars.join('');
    // A zone line with OCR's stray marks in it loses them (with their indexes); the check digits judge the rest.
    // (Filtered, not spliced in place, and appended one by one, not spread: a hostile page's line of 200,000
    // zone characters overflowed the call stack with `push(...map)`, and splicing was quadratic.)
    let kept = map;
    if (withoutStrayMarks(cleaned) !== undefined) {
      kept = map.filter((_, k) => !STRAY_MARK.test(chars[k]));
      cleaned = chars.filter((ch) => !STRAY_MARK.test(ch)).join('');
    }
    const mrzLike = cleaned.length >= 5 && MRZ_LINE.test(cleaned) && (cleaned.includes('<') || cleaned.length >= 28);
    if (mrzLike) {
      current ??= { chars: '', map: [] };
      current.chars += cleaned;
      for (const at of kept) current.map.push(at);
    } else if (current) {
      blocks.push(current);
      current = undefined;
    }
    offset += line.length + 1;
  }
  if (current) blocks.push(current);
  return blocks;
}

function readYymmdd(s: string, century: number): string | undefined {
  return toIsoDate(century + Number(s.slice(0, 2)), Number(s.slice(2, 4)), Number(s.slice(4, 6)));
}

/**
 * Birth century from the expiry: a passport is issued to someone already
 * born and lasts at most ten years, so a birth year in this century must lie
 * before the expiry year; otherwise it is in the last century.
 */
function readBirth(yymmdd: string, expiryYear: number): string | undefined {
  const y2000 = 2000 + Number(yymmdd.slice(0, 2));
  return readYymmdd(yymmdd, y2000 < expiryYear ? 2000 : 1900);
}

function readTd3(block: Block, i: number): MrzReading | undefined {
  const raw = block.chars.slice(i, i + 44);
  if (raw.length !== 44) return undefined;
  const { line, repaired } = repairDigits(raw, TD3_DIGITS);
  if (!TD3_LINE2.test(line)) return undefined;
  const hasLine1 = i >= 44 && /^P[A-Z0-9<]{43}$/.test(block.chars.slice(i - 44, i));
  const valid =
    passesCheck(line.slice(0, 9), line[9]) &&
    passesCheck(line.slice(13, 19), line[19]) &&
    passesCheck(line.slice(21, 27), line[27]) &&
    passesCheck(line.slice(28, 42), line[42]) &&
    passesCheck(line.slice(0, 10) + line.slice(13, 20) + line.slice(21, 43), line[43]);
  // A repaired or line-1-less zone must prove itself through its check digits.
  if ((repaired || !hasLine1) && !valid) return undefined;
  const expiry = readYymmdd(line.slice(21, 27), 2000);
  if (!expiry) return undefined;
  const code = line.slice(10, 13);
  return {
    expiry,
    nationality: mapIcaoCode(code) ?? code.replace(/</g, ''),
    birthDate: readBirth(line.slice(13, 19), Number(expiry.slice(0, 4))),
    valid,
    index: block.map[hasLine1 ? i - 44 : i],
    format: 'TD3',
    expiryRaw: line.slice(21, 27),
  };
}

function readTd1(block: Block, i: number): MrzReading | undefined {
  if (i < 30) return undefined;
  const line1 = block.chars.slice(i - 30, i);
  if (!/^[ACI][A-Z0-9<]{29}$/.test(line1)) return undefined;
  const raw = block.chars.slice(i, i + 30);
  if (raw.length !== 30) return undefined;
  const { line, repaired } = repairDigits(raw, TD1_LINE2_DIGITS);
  if (!TD1_LINE2.test(line)) return undefined;
  // Long document numbers overflow into the optional field; '<' marks that.
  let docOk: boolean;
  if (line1[14] === '<') {
    const overflow = line1.slice(15, 30).split('<')[0];
    docOk = overflow.length > 0 && passesCheck(line1.slice(5, 14) + overflow.slice(0, -1), overflow.slice(-1));
  } else {
    docOk = passesCheck(line1.slice(5, 14), line1[14]);
  }
  const valid =
    docOk &&
    passesCheck(line.slice(0, 6), line[6]) &&
    passesCheck(line.slice(8, 14), line[14]) &&
    passesCheck(line1.slice(5, 30) + line.slice(0, 7) + line.slice(8, 15) + line.slice(18, 29), line[29]);
  if (repaired && !valid) return undefined;
  const expiry = readYymmdd(line.slice(8, 14), 2000);
  if (!expiry) return undefined;
  const code = line.slice(15, 18);
  return {
    expiry,
    nationality: mapIcaoCode(code) ?? code.replace(/</g, ''),
    birthDate: readBirth(line.slice(0, 6), Number(expiry.slice(0, 4))),
    valid,
    index: block.map[i - 30],
    format: 'TD1',
    expiryRaw: line.slice(8, 14),
  };
}

/**
 * Returns the machine-readable zone of a passport (TD3) or identity card
 * (TD1) found in `text`: expiry, nationality, birth date and whether every
 * check digit passes. Prefers a valid TD3, then a valid TD1, then an
 * invalid zone that still has its first line. Undefined when there is none.
 */
export function readPassportMrz(text: string): MrzReading | undefined {
  if (!text || (!text.includes('<') && !/[«‹]/.test(text))) return undefined;
  const found: MrzReading[] = [];
  for (const block of collectBlocks(text)) {
    for (let i = 0; i + 30 <= block.chars.length; i++) {
      const td3 = readTd3(block, i);
      if (td3) found.push(td3);
      const td1 = readTd1(block, i);
      if (td1) found.push(td1);
    }
  }
  const rank = (r: MrzReading): number => (r.valid ? 0 : 2) + (r.format === 'TD3' ? 0 : 1);
  return found.sort((a, b) => rank(a) - rank(b) || a.index - b.index)[0];
}

const EXPIRY_LABELS = compileWordAlternation([
  'date of expiry', 'expiry date', 'date of expiration', 'expiration date', 'expiry', 'expires', 'expires on',
  'valid until', 'valid thru', 'valid through', "date d'expiration", 'date d expiration', 'expiration',
  "valable jusqu'au", 'gültig bis', 'ablaufdatum', 'gültigkeitsdatum', 'data di scadenza', 'scadenza', 'valido fino al',
  'fecha de caducidad', 'caducidad', 'fecha de vencimiento', 'válido hasta', 'data de validade', 'validade',
  'válido até', 'geldig tot', 'vervaldatum', 'data ważności', 'ważny do', 'ημερομηνία λήξης', 'λήξη', 'data expirării',
  'valabil până la', 'datum isteka', 'vrijedi do', 'važi do', 'platnost do', 'platný do', 'érvényes', 'érvényességi idő',
  'giltig till', 'sista giltighetsdag', 'udløbsdato', 'gyldig til', 'voimassa', 'kehtiv kuni', 'galioja iki',
  'derīgs līdz', 'velja do', 'son geçerlilik tarihi', 'geçerlilik tarihi', 'data de expiração', 'data expirarii',
]);

/** The date of issue's label in the passport languages, where it shares a heading with the expiry's. */
const ISSUE_LABELS = compileWordAlternation([
  'date of issue', 'issue date', 'date de délivrance', 'ausstellungsdatum', 'data di rilascio', 'rilascio',
  'fecha de expedición', 'expedición', 'data de emissão', 'emissão', 'datum van afgifte', 'afgifte', 'data wydania',
  'ημερομηνία έκδοσης', 'έκδοση', 'data eliberării', 'datum izdavanja', 'datum vydání', 'dátum vydania',
  'kiállítás dátuma', 'utfärdandedatum', 'udstedelsesdato', 'utstedelsesdato', 'myöntämispäivä', 'verilme tarihi',
  'düzenlenme tarihi', 'išdavimo data', 'izdošanas datums', 'väljaandmise kuupäev', 'datum izdaje',
]);

/** Returns the printed expiry: the latest date after an expiry label (same line or the next two). */
function readLabelledExpiry(text: string): PassportExpiry | undefined {
  const f = foldWithMap(text);
  EXPIRY_LABELS.lastIndex = 0;
  for (let m = EXPIRY_LABELS.exec(f.folded); m; m = EXPIRY_LABELS.exec(f.folded)) {
    const [ls, le] = mapRange(f, m.index, m.index + m[0].length);
    let stop = le;
    for (let n = 0; n < 3 && stop >= 0; n++) stop = text.indexOf('\n', stop + (n === 0 ? 0 : 1));
    const windowText = text.slice(le, stop < 0 ? text.length : stop);
    const dates = findPassportFieldDates(windowText);
    if (!dates.length) continue;
    // "Date of issue / Date of expiry" over "25 JAN 18   25 JAN 23": one heading for two columns. With
    // one date left (OCR lost the other) it may be either, and the issue date is the likelier.
    const lineStart = f.folded.lastIndexOf('\n', m.index) + 1;
    ISSUE_LABELS.lastIndex = 0;
    if (dates.length < 2 && ISSUE_LABELS.test(f.folded.slice(lineStart, m.index))) continue;
    // Issue, birth and expiry dates may share the window; on a passport the expiry is always the latest.
    const best = dates.reduce((a, b) => (b.iso > a.iso ? b : a));
    return {
      iso: best.iso,
      source: 'label',
      snippet: clipSnippet(`${text.slice(ls, le)}: ${best.raw}`),
      index: ls,
    };
  }
  return undefined;
}

/**
 * Returns the passport expiry: from the machine-readable zone when all its
 * check digits pass, else from a printed expiry label, else from a zone
 * whose own expiry check digit passes. The snippet never quotes the zone or
 * the passport number. Undefined when no expiry can be read.
 */
export function findPassportExpiry(text: string): PassportExpiry | undefined {
  const mrz = readPassportMrz(text);
  if (mrz?.valid) {
    return {
      iso: mrz.expiry,
      source: 'mrz',
      snippet: `MRZ expiry ${mrz.expiryRaw} (check digits valid)`,
      index: mrz.index,
      mrzValid: true,
    };
  }
  const label = readLabelledExpiry(text);
  if (label) return label;
  if (mrz && passesExpiryCheckOnly(text, mrz)) {
    return {
      iso: mrz.expiry,
      source: 'mrz',
      snippet: `MRZ expiry ${mrz.expiryRaw} (expiry check digit valid, other check digits failed)`,
      index: mrz.index,
      mrzValid: false,
    };
  }
  return readShiftedZoneExpiry(text) ?? readValiditySpan(text);
}

// Birth date, its check digit, sex, expiry, its check digit: the middle of a passport's second zone line
// (TD3 positions 13-27, ICAO Doc 9303 Part 4), wherever it stands.
const BIRTH_SEX_EXPIRY = /(\d{6})(\d)([MFX<])(\d{6})(\d)/g;

/**
 * The expiry of a zone line OCR shifted: a '<' read into the document number ("NA1166299<ONLD871008…")
 * or a filler lost moves every field off its place, and no fixed position reads. The birth date and the
 * expiry with their own check digits still stand together; both digits passing (one chance in a hundred
 * by accident, on a line of '<' fillers) is the zone's word for the expiry.
 */
function readShiftedZoneExpiry(text: string): PassportExpiry | undefined {
  for (const line of text.split('\n')) {
    if (!line.includes('<<')) continue;
    const chars = line.replace(/\s+/g, '').toUpperCase().replace(/[OQD]/g, (c, at: number, all: string) => (/\d/.test(all[at - 1] ?? '') || /\d/.test(all[at + 1] ?? '') ? '0' : c));
    BIRTH_SEX_EXPIRY.lastIndex = 0;
    for (let m = BIRTH_SEX_EXPIRY.exec(chars); m; m = BIRTH_SEX_EXPIRY.exec(chars)) {
      if (!passesCheck(m[1]!, m[2]!) || !passesCheck(m[4]!, m[5]!)) continue;
      const expiry = readYymmdd(m[4]!, 2000);
      if (!expiry || !readYymmdd(m[1]!, 1900)) continue;
      return { iso: expiry, source: 'mrz', snippet: `MRZ expiry ${m[4]} (birth and expiry check digits valid, zone shifted)`, index: text.indexOf(line), mrzValid: false };
    }
  }
  return undefined;
}

// Passports are valid for whole years from the day of issue (five or ten for adults, fewer for
// children and some states), ending on the anniversary or the day before it.
const VALIDITY_YEARS = [10, 5, 6, 7, 8, 3, 2, 1];
/** No passport is valid longer (ten years, plus what some states carry over from the passport it replaces). */
const MAX_VALIDITY_YEARS = 15;

/**
 * The expiry of a data page whose labels OCR has garbled ("te of Date d xpiratio"): the later of two
 * dates on the page that lie whole years of validity apart, to the day or the day before. A birth
 * date and an issue date almost never do, so the pair is the issue and the expiry.
 */
function readValiditySpan(text: string): PassportExpiry | undefined {
  const dates = findPassportFieldDates(text);
  // Each date's possible ends looked up among the page's dates (first in text order per day), not every
  // pair compared: a hostile page of 4,000 dates took 53 s pairwise (text is capped at 256 KB a page).
  const firstOn = new Map<string, (typeof dates)[number]>();
  for (const d of dates) if (!firstOn.has(d.iso)) firstOn.set(d.iso, d);
  let best: { issued: (typeof dates)[number]; expires: (typeof dates)[number] } | undefined;
  for (const issued of dates) {
    for (const end of VALIDITY_YEARS.flatMap((years) => validityEnds(issued.iso, years))) {
      const expires = firstOn.get(end);
      if (expires && expires.iso > issued.iso && (!best || expires.iso > best.expires.iso)) best = { issued, expires };
    }
  }
  if (best) {
    return {
      iso: best.expires.iso,
      source: 'validity',
      snippet: clipSnippet(`issued ${best.issued.raw}, expires ${best.expires.raw} (whole years apart)`),
      index: best.expires.index,
    };
  }
  // Else the latest date of the page when it follows the one before it by a passport's life (the birth
  // date lies decades before): a data page has no later date than its expiry. Not for any rule's
  // decision (the contract has none on passport expiry), and the evidence says how it was found.
  const sorted = [...new Map(dates.map((d) => [d.iso, d])).values()].sort((a, b) => a.iso.localeCompare(b.iso));
  const [before, latest] = sorted.slice(-2);
  if (!before || !latest) return undefined;
  const years = (Date.parse(latest.iso) - Date.parse(before.iso)) / (365.25 * 86_400_000);
  if (years < 1 || years > MAX_VALIDITY_YEARS) return undefined;
  return {
    iso: latest.iso,
    source: 'validity',
    snippet: clipSnippet(`latest date of the data page ${latest.raw}, after ${before.raw}`),
    index: latest.index,
  };
}

/** The days a passport issued on `issued` and valid `years` ends: the anniversary, or the day before it. */
function validityEnds(issued: string, years: number): string[] {
  const anniversary = `${Number(issued.slice(0, 4)) + years}${issued.slice(4)}`;
  const dayBefore = new Date(`${anniversary}T00:00:00Z`);
  if (Number.isNaN(dayBefore.getTime())) return [anniversary];
  dayBefore.setUTCDate(dayBefore.getUTCDate() - 1);
  return [anniversary, dayBefore.toISOString().slice(0, 10)];
}

/** True when the expiry field of an (otherwise invalid) zone passes its own check digit. */
function passesExpiryCheckOnly(text: string, mrz: MrzReading): boolean {
  for (const block of collectBlocks(text)) {
    const at = block.map.indexOf(mrz.index);
    if (at < 0) continue;
    if (mrz.format === 'TD3') {
      const line = block.chars.slice(at + 44, at + 88);
      return line.length === 44 && passesCheck(line.slice(21, 27), line[27]);
    }
    const line = block.chars.slice(at + 30, at + 60);
    return line.length === 30 && passesCheck(line.slice(8, 14), line[14]);
  }
  return false;
}
