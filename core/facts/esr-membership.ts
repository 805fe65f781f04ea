/**
 * The membership year an ESR membership proof shows. A proof carries many
 * years (member since, date of birth, invoice date); only years tied to the
 * membership's validity, fee or period say which year is covered.
 */
import { findDates } from './dates';
import { compileWordAlternation, foldWithMap, makeSnippet, mapRange, toFoldedIndex } from './text-fold';

export interface MembershipYear {
  year: number;
  snippet: string;
  /** Index of the year (or its date) in the original text. */
  index: number;
  /** 'validity': tied to validity/fee/period words; 'unlabelled': the only year the proof shows. */
  basis: 'validity' | 'unlabelled';
  /** The year the period that ends with `year` begins ("01/01/2022 – 31/12/2022": 2022), when the proof gives it. */
  periodFrom?: number;
}

// Words that tie a following (or preceding) year to the membership's validity.
const VALIDITY_WORDS = compileWordAlternation([
  'membership', 'membership year', 'membership period', 'membership fee', 'membership fees', 'membership dues',
  'member for', 'annual fee', 'annual membership', 'fee', 'fees', 'dues', 'payment for', 'renewal',
  'renewed', 'subscription', 'valid', 'valid until', 'valid till', 'valid through', 'valid thru', 'valid to',
  'validity', 'expires', 'expiry', 'expiration', 'expiry date', 'expiration date', 'period', 'for the year', 'year',
  'calendar year', 'from', 'to', 'until', 'through', 'active until', 'active', 'au', "jusqu'au", 'al', 'hasta', 'até',
  'tot', 'do', 'έως', 'până la',
  'mitgliedschaft', 'mitgliedsbeitrag', 'jahresbeitrag', 'beitrag', 'beitragsjahr', 'gültig', 'gültig bis', 'bis',
  'zeitraum', 'mitgliedsjahr', 'adhésion', 'cotisation', 'cotisation annuelle', 'valable', "valable jusqu'au",
  'période', 'année', 'iscrizione', 'quota', 'quota associativa', 'quota annuale', 'valida', 'valido',
  'valida fino al', 'periodo', 'anno', 'rinnovo', 'afiliación', 'cuota', 'cuota anual', 'válido', 'válida',
  'válido hasta', 'año', 'anuidade', 'quota anual', 'válido até', 'ano', 'lidmaatschap',
  'contributie', 'geldig', 'geldig tot', 'jaar', 'członkostwo', 'składka', 'ważne do', 'ważna do', 'rok',
  'συνδρομή', 'ισχύει έως', 'έτος', 'cotizație', 'cotizația', 'valabil', 'valabil până la', 'anul',
]);
// Words that tie a year to something else: joining, birth, issuing, printing
// or paying (a fee for 2020 paid in 2021 is still the 2020 fee).
const OTHER_WORDS = compileWordAlternation([
  'paid', 'paid on', 'paid by', 'payment', 'payment date', 'date of payment', 'bezahlt', 'bezahlt am', 'payée',
  'payé le', 'pagata', 'pagato il', 'pagada', 'pagado', 'paga', 'betaald', 'betaald op', 'opłacona', 'zapłacono',
  'member since', 'since', 'joined', 'joined on', 'join date', 'date joined', 'first registered', 'registered since',
  'mitglied seit', 'seit', 'eintritt', 'eintrittsdatum', 'membre depuis', 'depuis', 'socio dal', 'iscritto dal',
  'dal', 'miembro desde', 'desde', 'sócio desde', 'lid sinds', 'sinds', 'członek od', 'μέλος από',
  'membru din', 'date of birth', 'birth', 'born', 'dob', 'geburtsdatum', 'geboren', 'date de naissance', 'né le',
  'née le', 'data di nascita', 'nato il', 'nata il', 'fecha de nacimiento', 'nacido', 'nacida', 'data de nascimento',
  'geboortedatum', 'data urodzenia', 'ημερομηνία γέννησης', 'data nașterii', 'issued', 'issued on', 'date of issue',
  'issue date', 'invoice date', 'date of invoice', 'printed', 'printed on', 'generated', 'generated on', 'created',
  'downloaded', 'ausgestellt', 'ausstellungsdatum', 'rechnungsdatum', 'erstellt', 'gedruckt', 'date d\'émission',
  'émis le', 'délivré le', 'date de facture', 'data di emissione', 'emesso il', 'data fattura', 'fecha de emisión',
  'fecha de factura', 'data de emissão', 'factuurdatum', 'data wystawienia', 'ημερομηνία έκδοσης', 'data emiterii',
  'copyright', '©',
  // The next renewal or payment falls in the year after the one covered.
  'next renewal', 'renewal due', 'renew by', 'renew before', 'due date', 'due by', 'next payment', 'next due',
  // An expired membership's invitation: "Your membership has expired. Renew now for 2021."
  'renew now', 'renew now for', 'renew for', 'renew your membership for', 'renouveler pour', 'jetzt verlängern',
  'prochain renouvellement', 'nächste verlängerung', 'nächste zahlung', 'fällig am',
]);
// Words saying the membership is not in force yet: an application's acknowledgement, a fee still unpaid
// ("Status: PENDING PAYMENT", "your membership will only become active once the payment … has been received").
// Whatever year such a page prints (the application's date), it shows no year settled, which the call asks for.
const NOT_IN_FORCE = compileWordAlternation([
  'pending payment', 'payment pending', 'awaiting payment', 'payment outstanding', 'outstanding payment', 'unpaid',
  'not yet active', 'not active yet', 'will only become active', 'will become active once', 'will be activated once',
  'payment has not yet been received', 'payment not yet received', 'not yet been paid', 'not yet paid',
  'en attente de paiement', 'paiement en attente', 'pas encore active', 'non payée', 'non réglée', 'zahlung ausstehend',
  'noch nicht aktiv', 'noch nicht bezahlt', 'nicht bezahlt', 'in attesa di pagamento', 'pagamento in sospeso',
  'non ancora attiva', 'non pagata', 'pendiente de pago', 'pago pendiente', 'aún no activa', 'no pagada',
  'pagamento pendente', 'aguarda pagamento', 'ainda não ativa', 'nog niet actief', 'nog niet betaald',
  'oczekuje na płatność', 'nieopłacona', 'în așteptarea plății', 'neplătită',
]);
// 1990-2099, not part of a longer number (member IDs, invoice numbers).
const YEAR = /(?<![\d])(?:199\d|20\d\d)(?![\d])/g;
const MEMBER_WORDS = /(?<![\p{L}])(?:member|membership|mitglied|membre|adhesion|socio|socia|iscrizione|miembro|lid|czlon|μελοσ|membru|esr)/u;

interface Span {
  start: number; // folded
  end: number;
  year: number;
  /** The full date, when the year is part of one. */
  iso?: string;
}

interface Cue {
  start: number;
  end: number;
  kind: 'validity' | 'other';
}

function collectCues(folded: string): Cue[] {
  const cues: Cue[] = [];
  for (const [re, kind] of [[VALIDITY_WORDS, 'validity'], [OTHER_WORDS, 'other']] as const) {
    re.lastIndex = 0;
    for (let m = re.exec(folded); m; m = re.exec(folded)) cues.push({ start: m.index, end: m.index + m[0].length, kind });
  }
  // At one position the longer phrase decides ("member since" over "member").
  return cues.sort((a, b) => a.start - b.start || b.end - a.end);
}

/**
 * Classifies a year at [start, end): the nearest cue before it on the same
 * line (or the line above when the year starts its line) wins; without one,
 * a validity cue right after it ("2021 membership fee paid") counts.
 */
function classify(folded: string, cues: Cue[], spans: Span[], { start, end }: Span): Cue['kind'] | undefined {
  const lineStart = folded.lastIndexOf('\n', start - 1) + 1;
  let from = lineStart;
  if (folded.slice(lineStart, start).trim() === '' || /^[\s\d./-]*$/.test(folded.slice(lineStart, start))) {
    // A value on its own line: its label is on the line above.
    from = folded.lastIndexOf('\n', Math.max(0, lineStart - 2)) + 1;
  }
  from = Math.max(from, start - 80);
  let best: Cue | undefined;
  for (const c of cues) {
    if (c.end > start || c.start < from) continue;
    // "Member since 2014, valid 2021": a year between an exclusion cue and this year takes the cue.
    // Validity cues carry over ("Period: 01/01/2021 - 31/12/2021").
    if (c.kind === 'other' && spans.some((sp) => sp.start >= c.end && sp.end <= start)) continue;
    if (!best || c.end > best.end || (c.end === best.end && c.end - c.start > best.end - best.start)) best = c;
  }
  if (best) return best.kind;
  // Only a bare year takes a cue after it ("2021 membership fee paid"): a full date at a line's start is a
  // printout's timestamp ("12/03/2021, 11:31 MyESR | Membership" above "Membership year 2020").
  if (end - start > 4) return undefined;
  const lineEnd = folded.indexOf('\n', end);
  const after = folded.slice(end, Math.min(lineEnd < 0 ? folded.length : lineEnd, end + 40));
  const next = cues.find((c) => c.start >= end && c.start - end <= after.length && c.kind === 'validity');
  return next ? 'validity' : undefined;
}

/**
 * Returns the latest membership year the proof shows: years tied to
 * validity, fee or period words ("Membership 2021", "valid until 31 December
 * 2021", "Mitgliedsbeitrag 2021 bezahlt"). Years after "member since", dates
 * of birth, issue and print dates never count. When no year is tied to such
 * words, a single unlabelled year in a text that speaks of membership is
 * returned; otherwise undefined, as for a proof that says the membership is not in force yet (its fee
 * unpaid, the application pending). Never throws.
 */
export function readMembershipYear(text: string): MembershipYear | undefined {
  if (!text) return undefined;
  const f = foldWithMap(text);
  const { folded } = f;
  NOT_IN_FORCE.lastIndex = 0;
  if (NOT_IN_FORCE.test(folded)) return undefined;
  const cues = collectCues(folded);

  // Every year, read once: from a full date when it is part of one.
  const spans: Span[] = [];
  for (const d of findDates(text)) {
    const start = toFoldedIndex(f, d.index);
    const end = Math.min(toFoldedIndex(f, d.index + d.raw.length), folded.length);
    spans.push({ start, end, year: Number(d.iso.slice(0, 4)), iso: d.iso });
  }
  YEAR.lastIndex = 0;
  for (let m = YEAR.exec(folded); m; m = YEAR.exec(folded)) {
    const s = m.index;
    if (spans.some((sp) => s >= sp.start && s < sp.end)) continue;
    spans.push({ start: s, end: s + 4, year: Number(m[0]) });
  }
  spans.sort((a, b) => a.start - b.start);

  const valid: Span[] = [];
  const neutral: Span[] = [];
  for (const sp of spans) {
    const kind = classify(folded, cues, spans, sp);
    if (kind === 'validity') valid.push(sp);
    else if (!kind) neutral.push(sp);
  }
  let chosen = valid.reduce<Span | undefined>((a, b) => (!a || b.year >= a.year ? b : a), undefined);
  // A year's period that runs from one year into the next ("Valid from 01.09.2020 to 31.08.2021", a rolling
  // membership paid in 2020) is that first year's membership: it shows the fee of the year it began in. Full
  // dates only: "fee for 2020/2021" names a fee year the office reads as 2021. A longer period ("01.01.2020 –
  // 31.12.2022, three-year membership") covers every year in it, the last one too (t22); where it begins is
  // kept, since a period that begins after the required year does not show that year's fee (eg10).
  let periodFrom: number | undefined;
  const opening = chosen && periodOpening(folded, spans, chosen);
  if (opening && opening.year < chosen!.year && monthsBetween(opening.iso, chosen!.iso!) <= ONE_YEAR_MONTHS) chosen = opening;
  else periodFrom = opening?.year;
  const basis = chosen ? 'validity' : 'unlabelled';
  if (!chosen) {
    const years = new Set(neutral.map((n) => n.year));
    if (years.size === 1 && MEMBER_WORDS.test(folded)) chosen = neutral[0];
  }
  if (!chosen) return undefined;
  const [s, e] = mapRange(f, chosen.start, chosen.end);
  return { year: chosen.year, snippet: makeSnippet(text, s, e), index: s, basis, ...(periodFrom !== undefined ? { periodFrom } : {}) };
}

/** The full date a period ending at the full date `end` begins with ("01.09.2020 to 31.08.2021"), if it is written so. */
function periodOpening(folded: string, spans: readonly Span[], end: Span): (Span & { iso: string }) | undefined {
  const start = spans.filter((sp) => sp.end <= end.start && end.start - sp.end <= MAX_PERIOD_GAP).at(-1);
  if (!start?.iso || !end.iso || start.year > end.year) return undefined;
  return PERIOD_JOIN.test(folded.slice(start.end, end.start)) ? { ...start, iso: start.iso } : undefined;
}
/** A year's membership, give or take the days its dates add (01.09.2020 to 01.09.2021 is 12 months). */
const ONE_YEAR_MONTHS = 13;
function monthsBetween(from: string, to: string): number {
  const [y1, m1] = from.split('-').map(Number);
  const [y2, m2] = to.split('-').map(Number);
  return (y2! - y1!) * 12 + (m2! - m1!);
}
const MAX_PERIOD_GAP = 12;
const PERIOD_JOIN = /^\s*(?:to|until|till|through|bis|au|à|al|a|tot|do|až|-|–|—)\s*$/u;
