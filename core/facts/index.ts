/**
 * Facts read from the found sections of an application (contract § 5), with
 * the pages and words behind each. Pure: the caller passes page texts in,
 * nothing is fetched, no clock is read. A fact that cannot be read is left
 * out, never guessed; the evidence tells a reviewer where to look.
 */
import type { CefrLevel, Evidence, Facts, PageText, SectionId } from '../types';
import { findBoardCertificationDate, type BoardCertificationDate } from './board-certification';
import { findLanguageLevels, isSelfAssessment, pickHigherLevel, type LanguageLevel } from './cefr';
import { findCountries, toCountryCode } from './countries';
import { readCvFields, type CvFieldLabels, type CvFieldName, type CvFieldValue } from './cv-fields';
import { monthFirstReading, parseDate, parsePeriod } from './dates';
import { readMembershipYear } from './esr-membership';
import { findPassportExpiry, readPassportMrz, type PassportExpiry } from './mrz';
import { countPublications, isArticleFirstPage, isJournalPublication } from './publications';
import { distinctMatches, foldText } from '../normalize';
import { clipSnippet, compileWordAlternation, foldWithMap, mapRange } from './text-fold';

export type { CvFieldLabels, CvFieldName, CvFieldValue } from './cv-fields';
export { findBoardCertificationDate } from './board-certification';
export { findLanguageLevels } from './cefr';
export { findCountries, findCountryInText, toCountryCode } from './countries';
export { readCvFields } from './cv-fields';
export { findDates, findPartialDates, parseDate, parsePeriod } from './dates';
export { readMembershipYear } from './esr-membership';
export { findPassportExpiry, readPassportMrz } from './mrz';
export { countPublications } from './publications';

export interface FactInput {
  /** The found sections, document order, pages of each. */
  sections: Array<{ id: SectionId; pages: PageText[] }>;
  cvLabels: CvFieldLabels;
  /** Words of the CV's "Date of board certification" saying the title is not held yet (rule data). */
  boardNotHeld?: RegExp | null;
  /** A certificate of completed residency training, and the words saying it conferred a title (rule data). */
  trainingCertificate?: TrainingCertificateWords;
  otherSpecialty?: OtherSpecialtyWords;
}

export interface OtherSpecialtyWords {
  names: RegExp | null;
  radiology: RegExp | null;
}

export interface TrainingCertificateWords {
  titles: RegExp | null;
  says: RegExp | null;
  conferred: RegExp | null;
}

export interface LanguageFinding {
  lang: string;
  level: CefrLevel;
  source: 'certificate' | 'cv';
  page: number;
  snippet: string;
  /** The level's digit was OCR's look-alike letter (cefr mendOcrLevels). */
  mended?: true;
  /** A level per skill and none overall: `level` is the lowest skill's, this the highest's. */
  highestSkill?: CefrLevel;
}

export interface FactReport {
  /** Contract § 5 fields, only what was read. */
  facts: Facts;
  /** Pages + snippet for each fact. */
  evidence: Partial<Record<keyof Facts, Evidence>>;
  /** Every level found, certificates first, with its source. */
  languages: LanguageFinding[];
  publicationEntries?: string[];
  /** The CV's board certification field saying the title is not held yet ("exam scheduled for May 2021"). */
  boardNotHeld?: Evidence;
  /** Every readable board certificate page is a certificate of completed residency training that names no title conferred. */
  boardTrainingOnly?: Evidence;
  /** What stands as the board certificate names another specialty and none of radiology's (otherSpecialtyOnly). */
  boardOtherSpecialty?: Evidence;
}

/** The CV's board certification field when its words say the title is not held yet. */
function notHeldOnCv(field: CvFieldValue | undefined, words: RegExp | null | undefined): CvFieldValue | undefined {
  return field && distinctMatches(words ?? null, foldText(field.value)).length > 0 ? field : undefined;
}

/** Lines from a page's top where a training certificate's title stands. */
const TRAINING_TITLE_LINES = 4;

/**
 * The board certificate's readable pages when each is a certificate that residency training was completed
 * ("Residency Completion Certificate", or a "Certificate" that "has satisfactorily completed the residency training"), and
 * none says a specialist title or qualification was conferred (an Estonian certificate's translation: "completed
 * residency in radiology and obtained the specialist qualification" is the title).
 */
function trainingCertificateOnly(pages: readonly PageText[], words: TrainingCertificateWords | undefined): Evidence | undefined {
  if (!words?.titles && !words?.says) return undefined;
  const read = pages.filter((p) => !p.imageOnly && p.text.trim());
  const isTraining = (p: PageText) => {
    const folded = foldText(p.text);
    // A title stands on one line: "…STANDARDISED RESIDENCY TRAINING / Certificate No." is no "residency training certificate".
    const head = folded.split('\n').filter((l) => l.trim()).slice(0, TRAINING_TITLE_LINES);
    const says = head.some((l) => distinctMatches(words.titles, l).length > 0) || distinctMatches(words.says, folded).length > 0;
    return says && distinctMatches(words.conferred, folded).length === 0;
  };
  if (read.length === 0 || !read.every(isTraining)) return undefined;
  const head = read[0]!.text.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, TRAINING_TITLE_LINES).join(' ');
  return { pages: read.map((p) => p.num), snippet: clipSnippet(head), section: 'board_certificate' };
}

/**
 * The board certificate's readable pages when each names another specialty ("по специальности «Ультразвуковая
 * диагностика»", a Russian accreditation in ultrasound diagnostics) and none names radiology's or nuclear
 * medicine's words: whether that is the certification the call means is a person's call (er28).
 */
function otherSpecialtyOnly(pages: readonly PageText[], words: OtherSpecialtyWords | undefined): Evidence | undefined {
  if (!words?.names) return undefined;
  const read = pages.filter((p) => !p.imageOnly && p.text.trim());
  if (read.length === 0) return undefined;
  const named: string[] = [];
  for (const p of read) {
    const folded = foldText(p.text);
    const other = distinctMatches(words.names, folded);
    if (other.length === 0 || distinctMatches(words.radiology, folded).length > 0) return undefined;
    named.push(...other);
  }
  return { pages: read.map((p) => p.num), specialty: named[0], section: 'board_certificate' };
}

/** The readable pages of a section joined into one text, with a way back to page numbers. */
interface JoinedPages {
  text: string;
  /** Returns the 1-based page number holding original index `index`. */
  pageAt(index: number): number;
  pages: number[];
}

const PAGE_JOIN = '\n\n';

function joinPages(pages: PageText[]): JoinedPages {
  const readable = pages.filter((p) => !p.imageOnly && p.text.trim());
  const starts: number[] = [];
  let offset = 0;
  for (const p of readable) {
    starts.push(offset);
    offset += p.text.length + PAGE_JOIN.length;
  }
  return {
    text: readable.map((p) => p.text).join(PAGE_JOIN),
    pages: readable.map((p) => p.num),
    pageAt(index: number): number {
      let k = 0;
      while (k + 1 < starts.length && starts[k + 1] <= index) k++;
      return readable[k]?.num ?? 0;
    },
  };
}

/** The page after `page` in the document, whatever section it went to. */
function pageAfter(input: FactInput, page: PageText | undefined): PageText | undefined {
  if (!page) return undefined;
  const all = input.sections.flatMap((s) => s.pages).sort((a, b) => a.num - b.num);
  return all.find((p) => p.num === page.num + 1);
}

const NUMBERED_ENTRY = /^\s*\[?(\d{1,2})[.)\]]\s+\S/;

/**
 * The numbered entries at the top of `next` that continue the list on `listPages` (its last number plus one, and
 * on), each with its wrapped lines, up to a blank line or a line that reads as a title. Undefined when none.
 */
function spilledEntries(listPages: readonly PageText[], next: PageText | undefined): PageText | undefined {
  if (!next || next.imageOnly || listPages.length === 0) return undefined;
  const listLines = listPages.map((p) => p.text).join('\n').split('\n');
  let last = 0;
  for (const line of listLines) {
    const m = NUMBERED_ENTRY.exec(line);
    if (m) last = Number(m[1]);
  }
  if (last === 0) return undefined;
  const lines = next.text.split('\n');
  let i = 0;
  while (i < lines.length && lines[i]!.trim() === '') i++;
  const kept: string[] = [];
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const m = NUMBERED_ENTRY.exec(line);
    if (m && Number(m[1]) === last + 1) {
      last++;
      kept.push(line);
    } else if (kept.length > 0 && line.trim() !== '' && !looksLikeTitle(line)) {
      kept.push(line);
    } else break;
  }
  return kept.length > 0 ? { ...next, text: kept.join('\n') } : undefined;
}

/** A short line without digits or a sentence's end: a heading ("Referees", "List of references"). */
function looksLikeTitle(line: string): boolean {
  const t = line.trim();
  return t.split(/\s+/).length <= 5 && !/\d/.test(t) && !/[.,;]$/.test(t);
}

function collectPages(input: FactInput, id: SectionId): PageText[] {
  // A section id may come more than once (e.g. split by another page); merge in document order.
  return input.sections.filter((s) => s.id === id).flatMap((s) => s.pages);
}

// "I live in …" and its equivalents: only a sentence that states the residence counts.
const RESIDENCE_PHRASES = compileWordAlternation([
  'i live in', 'i am living in', "i'm living in", 'i currently live in', 'i currently live and work in',
  'i live and work in', 'i reside in', 'i currently reside in', 'i am resident in', 'i am based in', 'i am currently based in',
  'my country of residence is', 'je vis en', 'je vis au', 'je vis aux', "j'habite en", "j'habite au", 'je réside en',
  'je réside au', 'ich lebe in', 'ich wohne in', 'vivo in', 'risiedo in', 'vivo en', 'resido en', 'moro em', 'vivo em',
  'resido em', 'ik woon in', 'mieszkam w', 'locuiesc în', 'ζω στην', 'ζω στο', 'διαμένω στην', 'διαμένω στο',
]);

function readResidenceFromLetter(text: string): { code: string; snippet: string; index: number } | undefined {
  const f = foldWithMap(text);
  RESIDENCE_PHRASES.lastIndex = 0;
  const codes = new Map<string, { snippet: string; index: number }>();
  for (let m = RESIDENCE_PHRASES.exec(f.folded); m; m = RESIDENCE_PHRASES.exec(f.folded)) {
    const [s, e] = mapRange(f, m.index, m.index + m[0].length);
    // The country must stand in the same clause: "I live in Milan, Italy" yes, "… in Milan. France is …" no.
    const clause = text.slice(e, e + 80).split(/[.;!?\n]/)[0];
    const countries = findCountries(clause);
    if (countries.length) {
      codes.set(countries[0].code, { snippet: clipSnippet(text.slice(s, e + clause.length)), index: s });
    }
  }
  // Two different countries stated: not clear, so not read.
  if (codes.size !== 1) return undefined;
  const [[code, where]] = [...codes.entries()];
  return { code, ...where };
}

function readFindings(text: string, pageAt: (index: number) => number, source: LanguageFinding['source'], offset = 0): LanguageFinding[] {
  // A certificate certifies the level it was issued for; a "First language:
  // French" line on an English test report certifies no French level.
  const levels = findLanguageLevels(text, { certificate: source === 'certificate' }).filter((l: LanguageLevel) => source === 'cv' || l.via !== 'native');
  return levels.map((l: LanguageLevel) => ({
    lang: l.lang,
    level: l.level,
    source,
    page: pageAt(l.index + offset),
    snippet: l.snippet,
    ...(l.mended ? { mended: true as const } : {}),
    ...(l.highestSkill ? { highestSkill: l.highestSkill } : {}),
  }));
}

function pickBestPerLanguage(findings: LanguageFinding[]): Map<string, LanguageFinding> {
  const best = new Map<string, LanguageFinding>();
  for (const f of findings) {
    const prior = best.get(f.lang);
    if (!prior || pickHigherLevel(prior.level, f.level) !== prior.level) best.set(f.lang, f);
  }
  return best;
}

/** Where dates are written month first ("04/02/2018" is 2 April). */
const MONTH_FIRST_COUNTRIES: ReadonlySet<string> = new Set(['US', 'PH']);
/** A certificate that says it is American: "The American Board of Radiology", "United States", "U.S.A.". */
const MONTH_FIRST_ISSUER = /(?<![\p{L}])(?:american board|united states|u\.s\.a\.?|usa|philippine)(?![\p{L}])/u;
/** The longest a date in figures is ("04/02/2018"): characters. */
const DATE_IN_FIGURES = 10;
// CV and certificate may differ by days (the examination, the decision, its
// issue); more than about a month apart they speak of different events.
const MAX_CV_DISAGREEMENT_DAYS = 31;
const DAY_MS = 86_400_000;

/** Days between two periods of YYYY-MM-DD days: 0 when they overlap. */
function daysApart(a: { from: string; to: string }, b: { from: string; to: string }): number {
  const ms = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);
  if (a.to < b.from) return Math.round((ms(b.from) - ms(a.to)) / DAY_MS);
  if (b.to < a.from) return Math.round((ms(a.from) - ms(b.to)) / DAY_MS);
  return 0;
}

/** A day as YYYY-MM-DD, a period as the ISO 8601 interval YYYY-MM-DD/YYYY-MM-DD. */
function showSpan(p: { from: string; to: string }): string {
  return p.from === p.to ? p.from : `${p.from}/${p.to}`;
}

function makePassportEvidence(e: PassportExpiry, page: number): Evidence {
  const ev: Evidence = { pages: [page], snippet: e.snippet, source: e.source };
  if (e.mrzValid !== undefined) ev.mrzValid = e.mrzValid;
  return ev;
}

/**
 * Whether a certificate's holder was born on a day the applicant was not: every birth date it prints is
 * another than the applicant's (the CV's, the passport's), read either way round (02.05 and 05.02: the two
 * readers may take an ambiguous day and month apart). Someone else's certificate, put in the PDF by mistake.
 */
function bornOnAnotherDay(onCertificate: readonly string[], applicant: ReadonlySet<string>, certified: string): boolean {
  // No specialist was born less than twenty years before the title: such a "birth date" is a misreading (a
  // Swedish "personnummer 880422-XXXX, har den 2018-10-30" beside the title's date) or the writer's slip.
  const latestBirth = `${Number(certified.slice(0, 4)) - MIN_AGE_AT_TITLE}${certified.slice(4)}`;
  const births = onCertificate.filter((d) => d <= latestBirth);
  if (births.length === 0 || applicant.size === 0) return false;
  const swapped = (iso: string) => `${iso.slice(0, 4)}-${iso.slice(8, 10)}-${iso.slice(5, 7)}`;
  return births.every((d) => !applicant.has(d) && !applicant.has(swapped(d)));
}

/** Years between a doctor's birth and a specialist title, at the least (six of medicine, four or more of training, after school). */
const MIN_AGE_AT_TITLE = 20;

/** The applicant's birth date as the CV's field and the passport's MRZ give it. */
function knownBirthDates(input: FactInput, fields: Partial<Record<CvFieldName, CvFieldValue>>): Set<string> {
  const out = new Set<string>();
  const cvBirth = fields.dateOfBirth && parseDate(fields.dateOfBirth.value);
  if (cvBirth) out.add(cvBirth);
  for (const page of collectPages(input, 'passport')) {
    const mrz = page.imageOnly ? undefined : readPassportMrz(page.text);
    if (mrz?.birthDate) out.add(mrz.birthDate);
  }
  return out;
}

/**
 * Returns the facts of contract § 5 read from the sections: board
 * certification date (certificate, else CV field; a month and year or a
 * year alone as boardCertificationPeriod, never a made-up day), countries of residence
 * (CV field, else a clear "I live in …" in the motivation letter) and work
 * (CV "Country" field, else a country named in the CV's institution/city),
 * language levels (certificates win, highest per language; the CV fills
 * languages no certificate covers), publication count, ESR membership year
 * and passport expiry (MRZ first). Each fact comes with its pages and a
 * snippet ≤ 160 chars; passport snippets never quote the MRZ or the number.
 * Never throws.
 */
export function extractFacts(input: FactInput): FactReport {
  const facts: Facts = {};
  const evidence: Partial<Record<keyof Facts, Evidence>> = {};
  const report: FactReport = { facts, evidence, languages: [] };

  const cv = joinPages(collectPages(input, 'cv'));
  const fields: Partial<Record<CvFieldName, CvFieldValue>> = cv.text ? readCvFields(cv.text, input.cvLabels) : {};
  const cvEvidence = (field: CvFieldName, extra: Record<string, unknown> = {}): Evidence => ({
    pages: [cv.pageAt(fields[field]!.index)],
    snippet: fields[field]!.snippet,
    section: 'cv',
    ...extra,
  });

  // Board certification: the certificate itself, else the date the applicant wrote on the CV.
  // A month and year or a year alone is kept as the period it names; a full
  // date on the CV that lies within the certificate's period makes it exact.
  // When both are read and differ, the certificate's reading stays the fact but
  // its evidence carries both, so the rule asks a person when they fall on two
  // sides of its limit; a CV within about a month vouches for a certificate date
  // whose words alone were too weak (`cvAgrees`).
  const board = joinPages(collectPages(input, 'board_certificate'));
  const birthDates = knownBirthDates(input, fields);
  const found = board.text ? findBoardCertificationDate(board.text, { birthDates }) : undefined;
  const holderBornElsewhere = found ? bornOnAnotherDay(found.holderBirthDates ?? [], birthDates, found.period.from) : false;
  // The CV's own field says the title is not held yet ("specialist exam scheduled for May 2021 (EDiR
  // 2020)"): no date of it is read, and whatever stands as the certificate is doubted (cu40, a European
  // diploma sent in place of the national title).
  const notHeld = notHeldOnCv(fields.dateOfBoardCertification, input.boardNotHeld);
  const cvField = notHeld ? undefined : fields.dateOfBoardCertification;
  if (notHeld) report.boardNotHeld = cvEvidence('dateOfBoardCertification');
  const trainingOnly = trainingCertificateOnly(collectPages(input, 'board_certificate'), input.trainingCertificate);
  if (trainingOnly) report.boardTrainingOnly = trainingOnly;
  const otherSpecialty = otherSpecialtyOnly(collectPages(input, 'board_certificate'), input.otherSpecialty);
  if (otherSpecialty) report.boardOtherSpecialty = otherSpecialty;
  const cvIso = cvField ? parseDate(cvField.value) : undefined;
  // A date in figures whose day and month could swap ("04/02/2018": 4 February as Europe writes it, 2 April as
  // an American Board's verification does, es05): the CV settles it when it writes the date plainly; else
  // the rule hears both readings.
  const swapped = found?.iso ? monthFirstReading(board.text.slice(found.index, found.index + DATE_IN_FIGURES)) : undefined;
  const cvPlain = cvIso !== undefined && monthFirstReading(cvField!.value) === undefined;
  const cert = found && swapped && cvPlain && cvIso === swapped ? { ...found, iso: swapped, period: { from: swapped, to: swapped } } : found;
  const otherReading = swapped && !(cvPlain && (cvIso === swapped || cvIso === found?.iso)) ? swapped : undefined;
  const cvPeriod = cvField && !cvIso ? parsePeriod(cvField.value) : undefined;
  const cvSpan = cvIso ? { from: cvIso, to: cvIso } : cvPeriod;
  const apart = cert && cvSpan ? daysApart(cert.period, cvSpan) : undefined;
  const certEvidence = (c: BoardCertificationDate): Evidence => {
    const ev: Evidence = { pages: [board.pageAt(c.index)], snippet: c.snippet, section: 'board_certificate', basis: c.basis };
    if (c.issuedLater) ev.issuedLater = { ...c.issuedLater };
    // Days apart still disagree on a limit that falls between them (a Cypriot title registered 28 March
    // 2018 per the CV, its certificate's only readable date the issue, 11 April): the rule sees both.
    if (apart !== undefined && apart > 0) {
      ev.conflict = {
        cv: showSpan(cvSpan!),
        certificate: showSpan(c.period),
        cvPages: [cv.pageAt(cvField!.index)],
        cvSnippet: cvField!.snippet,
      };
    }
    if (apart !== undefined && apart <= MAX_CV_DISAGREEMENT_DAYS) ev.cvAgrees = true;
    if (holderBornElsewhere) ev.holderBornElsewhere = true;
    if (otherReading) ev.otherReading = otherReading;
    return ev;
  };
  if (cert?.iso) {
    facts.boardCertificationDate = cert.iso;
    evidence.boardCertificationDate = certEvidence(cert);
  } else if (cvIso && (!cert || (cvIso >= cert.period.from && cvIso <= cert.period.to))) {
    facts.boardCertificationDate = cvIso;
    evidence.boardCertificationDate = cvEvidence('dateOfBoardCertification');
  } else if (cert) {
    facts.boardCertificationPeriod = { ...cert.period };
    evidence.boardCertificationPeriod = { ...certEvidence(cert), precision: cert.precision };
  } else if (cvPeriod) {
    facts.boardCertificationPeriod = { from: cvPeriod.from, to: cvPeriod.to };
    evidence.boardCertificationPeriod = cvEvidence('dateOfBoardCertification', { precision: cvPeriod.precision });
  }

  // Country of residence: the CV field, else the one country a CV's postal address names, else a
  // clear statement in the motivation letter.
  const residence = fields.countryOfResidence && toCountryCode(fields.countryOfResidence.value);
  const addressCountries = fields.address ? new Set(findCountries(fields.address.value).map((c) => c.code)) : new Set<string>();
  if (residence) {
    facts.countryOfResidence = residence;
    evidence.countryOfResidence = cvEvidence('countryOfResidence');
  } else if (addressCountries.size === 1) {
    facts.countryOfResidence = [...addressCountries][0]!;
    evidence.countryOfResidence = cvEvidence('address');
  } else {
    const letter = joinPages(collectPages(input, 'motivation'));
    const stated = letter.text ? readResidenceFromLetter(letter.text) : undefined;
    if (stated) {
      facts.countryOfResidence = stated.code;
      evidence.countryOfResidence = { pages: [letter.pageAt(stated.index)], snippet: stated.snippet, section: 'motivation' };
    }
  }

  // Country of work: the institution's "Country" field, else a country named with the institution or city.
  const work = fields.country && toCountryCode(fields.country.value);
  if (work) {
    facts.countryOfWork = work;
    evidence.countryOfWork = cvEvidence('country');
  } else {
    const named = (['institution', 'city'] as const).flatMap((k) =>
      fields[k] ? findCountries(fields[k]!.value).map((c) => ({ field: k, code: c.code })) : [],
    );
    const codes = new Set(named.map((n) => n.code));
    if (codes.size === 1) {
      facts.countryOfWork = named[0].code;
      evidence.countryOfWork = cvEvidence(named[0].field);
    }
  }
  // Day first is how every country writes dates but the United States (and the Philippines, which follows it).
  // A certificate that says it is American is read month first ("Initial Certification Date 02/04/2018" on an
  // American Board's verification is 4 February, es04); one of an applicant who lives or works there may be
  // either, and the rule hears both; elsewhere day first stands alone (an Irish registration's "03/07/2018"
  // is 3 July, not 7 March: ak29).
  const other = evidence.boardCertificationDate?.otherReading;
  if (typeof other === 'string') {
    const monthFirstCountry = [facts.countryOfResidence, facts.countryOfWork].some((c) => c !== undefined && MONTH_FIRST_COUNTRIES.has(c));
    if (MONTH_FIRST_ISSUER.test(foldText(board.text))) {
      evidence.boardCertificationDate = { ...evidence.boardCertificationDate, monthFirst: true };
      delete evidence.boardCertificationDate.otherReading;
      facts.boardCertificationDate = other;
    } else if (!monthFirstCountry) {
      delete evidence.boardCertificationDate!.otherReading;
    }
  }

  // Languages: every certificate page on its own (a page names its language), then the CV.
  const certFindings: LanguageFinding[] = [];
  const selfFindings: LanguageFinding[] = [];
  for (const page of collectPages(input, 'language_certificates')) {
    if (page.imageOnly || !page.text.trim()) continue;
    // A self-assessment grid filed with the certificates is the applicant's own word, as a CV's levels are.
    if (isSelfAssessment(page.text)) selfFindings.push(...readFindings(page.text, () => page.num, 'cv'));
    else certFindings.push(...readFindings(page.text, () => page.num, 'certificate'));
  }
  let cvFindings: LanguageFinding[] = [];
  if (fields.languages) {
    cvFindings = readFindings(fields.languages.value, () => cv.pageAt(fields.languages!.index), 'cv');
  } else if (cv.text) {
    cvFindings = readFindings(cv.text, cv.pageAt, 'cv');
  }
  cvFindings = [...cvFindings, ...selfFindings];
  report.languages = [...certFindings, ...cvFindings];
  const chosen = pickBestPerLanguage(certFindings);
  for (const [lang, f] of pickBestPerLanguage(cvFindings)) if (!chosen.has(lang)) chosen.set(lang, f);
  if (chosen.size) {
    const used = [...chosen.values()];
    facts.languageLevels = Object.fromEntries(used.map((f) => [f.lang, f.level]));
    evidence.languageLevels = {
      pages: [...new Set(used.map((f) => f.page))].sort((a, b) => a - b),
      snippet: clipSnippet(used.map((f) => `${f.lang} ${f.level} (${f.source}): ${f.snippet}`).join(' | ')),
      sources: Object.fromEntries(used.map((f) => [f.lang, f.source])),
    };
  }

  // Publications: the count of entries in the list, or of the articles' own first pages sent instead of
  // it or after it, whichever is more. The pages from the first article on are articles (their abstracts
  // and reference lists read as one entry or as many), so only the pages before them are read as a list.
  const pubPages = collectPages(input, 'publications');
  const firstPages = pubPages.filter((p) => !p.imageOnly && isArticleFirstPage(p.text));
  const listPages = firstPages.length > 0 ? pubPages.slice(0, pubPages.indexOf(firstPages[0]!)) : pubPages;
  // The list's last entries may run onto the top of the next page, above its own title ("5. Tamm K …" over
  // "Referees"): the page went to the next document, the entries are still the list's.
  const spill = firstPages.length === 0 ? spilledEntries(listPages, pageAfter(input, listPages.at(-1))) : undefined;
  const pubs = joinPages(spill ? [...listPages, spill] : listPages);
  const list = countPublications(pubs.text);
  if (firstPages.length > 0 && firstPages.length >= list.count) {
    facts.publicationCount = firstPages.length;
    report.publicationEntries = firstPages.map((p) => clipSnippet(p.text.split('\n').slice(0, 3).join(' ')));
    evidence.publicationCount = { pages: firstPages.map((p) => p.num), snippet: clipSnippet(`${firstPages.length} articles' first pages; first: ${report.publicationEntries[0]}`) };
  } else {
    const { count, entries, repeated } = list;
    if (count > 0) {
      // The call asks for publications in peer-reviewed journals: congress abstracts, submitted manuscripts
      // and book chapters in the list are not counted (and the evidence says how many were left out).
      const journal = entries.filter(isJournalPublication).length;
      facts.publicationCount = journal;
      report.publicationEntries = entries;
      const left = count - journal;
      const leftOut = left > 0 ? `, ${left} not in a journal (abstract, poster, submitted, preprint or chapter)` : '';
      const twice = repeated > 0 ? `, ${repeated} listed twice` : '';
      evidence.publicationCount = { pages: pubs.pages, snippet: clipSnippet(`${count} entries${leftOut}${twice}; first: ${entries[0]}`) };
    }
  }

  // ESR membership: the latest year the proof ties to validity or fee.
  const esr = joinPages(collectPages(input, 'esr_membership'));
  const membership = esr.text ? readMembershipYear(esr.text) : undefined;
  if (membership) {
    facts.esrMembershipYear = membership.year;
    evidence.esrMembershipYear = {
      pages: [esr.pageAt(membership.index)],
      snippet: membership.snippet,
      basis: membership.basis,
      ...(membership.periodFrom !== undefined ? { periodFrom: membership.periodFrom } : {}),
    };
  }

  // Passport: a valid MRZ on any page wins over a printed label.
  let expiry: { e: PassportExpiry; page: number } | undefined;
  for (const page of collectPages(input, 'passport')) {
    if (page.imageOnly || !page.text.trim()) continue;
    const e = findPassportExpiry(page.text);
    if (!e) continue;
    if (e.mrzValid) {
      expiry = { e, page: page.num };
      break;
    }
    expiry ??= { e, page: page.num };
  }
  if (expiry) {
    facts.passportExpiry = expiry.e.iso;
    evidence.passportExpiry = makePassportEvidence(expiry.e, expiry.page);
  }

  return report;
}
