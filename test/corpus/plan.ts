/**
 * The plan of one synthetic case: who applies, what each document will say,
 * how it is delivered. A base plan is a complete, eligible application;
 * scenarios (faults.ts) change a few knobs; builders only read the plan.
 */
import type { CefrLevel, SectionId } from '../../core/types';
import { addDays, addYears, makeYmd, pickDateBetween, type DocLang, type Ymd } from './dates';
import { fullName, pickCareerDates, type Applicant } from './people';
import type { Rng } from './random';

export const PROGRAMME_ID = 'gustave-roussy-hybrid-imaging-2022';
/** End of 31 March 2021 in Paris (CEST, UTC+2). */
export const DEADLINE_UTC = new Date('2021-03-31T21:59:59.999Z');
/** Board certification on or after this date is recent enough (3 years before the deadline). */
export const OLDEST_BOARD_DATE = makeYmd(2018, 3, 31);

export type EnglishCertKind = 'ielts' | 'toefl' | 'cambridge' | 'institutional';
export type FrenchCertKind = 'delf' | 'dalf' | 'tcf' | 'alliance';

export interface LanguageCertPlan {
  lang: 'en' | 'fr';
  level: CefrLevel;
  kind: EnglishCertKind | FrenchCertKind;
  date: Ymd;
  /** Whether the certificate prints the CEFR level itself (IELTS bands alone are unambiguous too). */
  printsCefr: boolean;
}

export type CvKind = 'esor' | 'europass' | 'academic' | 'lebenslauf';
export type ProgrammeMention = 'named' | 'none' | 'two';

export type Delivery =
  | { kind: 'single' }
  | { kind: 'multi'; files: number }
  | { kind: 'no-pdf'; variant: 'docx' | 'jpg' | 'png' | 'nothing' | 'link' }
  | { kind: 'unreadable'; variant: 'truncated' | 'garbage' | 'encrypted' | 'empty' | 'html' }
  | { kind: 'not-application'; variant: 'out-of-office' | 'bounce' | 'question' | 'newsletter' | 'read-receipt' };

export interface ApplicationPlan {
  applicant: Applicant;
  boardDate: Ymd;
  boardIssueDate: Ymd;
  graduation: Ymd;
  residencyStart: Ymd;
  cv: CvKind;
  recommendations: number;
  languageCerts: LanguageCertPlan[];
  /** What the CV's "Languages" field claims when no certificate backs it (self-assessment). */
  selfDeclaredFrench: string | null;
  publicationCount: number;
  esrYear: number;
  esrScan: boolean;
  scans: { board: boolean; degree: boolean; passport: boolean };
  passport: { number: string; issued: Ymd; expiry: Ymd };
  programme: ProgrammeMention;
  extras: { cover: boolean; toc: boolean; photo: 'none' | 'start' | 'after-cv'; blankAfter: SectionId | null; stamp: boolean };
  omit: SectionId[];
  swap: [SectionId, SectionId] | null;
  /** Language of the e-mail body and, for French letters, of the motivation letter. */
  mailLang: DocLang;
  /** The display name in the From header (Greek applicants mostly write it in Latin script). */
  senderName: string;
  letterLang: 'en' | 'fr';
  receivedAt: Date;
  dateHeader: string;
  delivery: Delivery;
}

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTH_ABBR = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** EU summer time in 2021 ran from 28 March 01:00 UTC. */
function utcOffsetAt(utc: Date, winterOffset: number): number {
  return utc.getTime() >= Date.UTC(2021, 2, 28, 1, 0, 0) && utc.getTime() < Date.UTC(2021, 9, 31, 1, 0, 0) ? winterOffset + 1 : winterOffset;
}

/** An RFC 5322 Date header in the sender's local time, as their mail client writes it. */
export function formatDateHeader(utc: Date, winterOffset: number, rng: Rng): string {
  const offset = utcOffsetAt(utc, winterOffset);
  const summer = offset !== winterOffset;
  const local = new Date(utc.getTime() + offset * 3600000);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const sign = offset >= 0 ? '+' : '-';
  const zone = `${sign}${p2(Math.abs(offset))}00`;
  const zoneNames: Record<string, string> = { '0-false': 'GMT', '1-false': 'CET', '1-true': 'CEST', '2-false': 'EET', '2-true': 'EEST' };
  const zoneName = zoneNames[`${winterOffset}-${summer}`];
  const comment = zoneName && rng.chance(0.15) ? ` (${zoneName})` : '';
  const day = rng.chance(0.9) ? `${DAY_NAMES[local.getUTCDay()]}, ` : '';
  return `${day}${local.getUTCDate()} ${MONTH_ABBR[local.getUTCMonth()]} ${local.getUTCFullYear()} ${p2(local.getUTCHours())}:${p2(local.getUTCMinutes())}:${p2(local.getUTCSeconds())} ${zone}${comment}`;
}

/** Mail Date headers have whole seconds; so must the truth's receivedAt. */
function toWholeSecond(ms: number): Date {
  return new Date(Math.floor(ms / 1000) * 1000);
}

/** A submission time before the deadline; a few land in the last hour, some in another calendar day locally. */
export function pickOnTimeReceipt(rng: Rng): Date {
  const roll = rng.next();
  if (roll < 0.06) {
    // The last 40 minutes before midnight in Paris: Greek and Romanian clocks already show 1 April.
    return toWholeSecond(DEADLINE_UTC.getTime() - rng.int(60, 40 * 60) * 1000);
  }
  const from = roll < 0.5 ? Date.UTC(2021, 2, 1, 6) : Date.UTC(2021, 0, 12, 6);
  const t = from + rng.next() * (DEADLINE_UTC.getTime() - 3600000 - from);
  return toWholeSecond(t);
}

/** A submission after the deadline: mostly days late, sometimes minutes late. */
export function pickLateReceipt(rng: Rng): Date {
  if (rng.chance(0.25)) return toWholeSecond(DEADLINE_UTC.getTime() + rng.int(120, 3 * 3600) * 1000);
  return new Date(Date.UTC(2021, 3, rng.int(1, 20), rng.int(6, 22), rng.int(0, 59), rng.int(0, 59)));
}

function pickEnglishCert(rng: Rng, level: CefrLevel, taken: Ymd): LanguageCertPlan {
  const kind = rng.pickWeighted<EnglishCertKind>([['ielts', 4], ['toefl', 3], ['cambridge', 3], ['institutional', 2]]);
  return { lang: 'en', level, kind, date: taken, printsCefr: kind === 'ielts' ? rng.chance(0.6) : true };
}

export function pickFrenchCert(rng: Rng, level: CefrLevel, taken: Ymd): LanguageCertPlan {
  const diploma: FrenchCertKind = level === 'C1' || level === 'C2' ? 'dalf' : 'delf';
  const kind = rng.pickWeighted<FrenchCertKind>([[diploma, 5], ['tcf', 2], ['alliance', 3]]);
  return { lang: 'fr', level, kind, date: taken, printsCefr: true };
}

export function pickEnglishLevel(rng: Rng): CefrLevel {
  return rng.pickWeighted<CefrLevel>([['B2', 3], ['C1', 6], ['C2', 1]]);
}

export function pickFrenchPassLevel(rng: Rng): CefrLevel {
  return rng.pickWeighted<CefrLevel>([['B2', 6], ['C1', 3], ['C2', 1]]);
}

export function pickCertificateDate(rng: Rng): Ymd {
  return pickDateBetween(rng, makeYmd(2016, 1, 10), makeYmd(2021, 2, 20));
}

/**
 * A complete, eligible application: every document, French and English at B2
 * or better, board certification after 31 March 2018, ESR 2021, five
 * publications, on time, programme named.
 */
export function createBasePlan(rng: Rng, applicant: Applicant, imageOnlyShare: number): ApplicationPlan {
  const boardDate = pickDateBetween(rng, makeYmd(2018, 4, 20), makeYmd(2021, 1, 31));
  const { graduation, residencyStart } = pickCareerDates(rng, applicant.dob, boardDate);
  const languageCerts = [pickEnglishCert(rng, pickEnglishLevel(rng), pickCertificateDate(rng)), pickFrenchCert(rng, pickFrenchPassLevel(rng), pickCertificateDate(rng))];
  if (rng.chance(0.35)) languageCerts.reverse(); // applicants put French or English first
  const expiry = pickDateBetween(rng, makeYmd(2023, 6, 1), makeYmd(2030, 12, 31));
  const receivedAt = pickOnTimeReceipt(rng);
  const writesNative = applicant.lang !== 'en' && rng.chance(0.3);
  return {
    applicant,
    boardDate,
    boardIssueDate: addDays(boardDate, rng.int(0, 1) === 0 ? 0 : rng.int(5, 60)),
    graduation,
    residencyStart,
    cv: 'esor',
    recommendations: rng.pickWeighted([[1, 5], [2, 4], [3, 1]]),
    languageCerts,
    selfDeclaredFrench: null,
    publicationCount: rng.chance(0.06) ? 6 : 5,
    esrYear: 2021,
    esrScan: false,
    scans: {
      board: rng.chance(imageOnlyShare),
      degree: rng.chance(imageOnlyShare),
      passport: rng.chance(Math.min(0.9, imageOnlyShare * 3)),
    },
    passport: { number: applicant.nationality.passportNumber(rng), issued: addYears(expiry, -10), expiry },
    programme: 'named',
    extras: {
      cover: rng.chance(0.15),
      toc: rng.chance(0.1),
      photo: imageOnlyShare > 0 && rng.chance(0.08) ? rng.pick(['start', 'after-cv'] as const) : 'none',
      blankAfter: imageOnlyShare > 0 && rng.chance(0.05) ? rng.pick<SectionId>(['cv', 'recommendation', 'medical_degree', 'references']) : null,
      stamp: rng.chance(0.12),
    },
    omit: [],
    swap: null,
    mailLang: writesNative ? applicant.lang : rng.chance(0.08) ? 'fr' : 'en',
    senderName: fullName(applicant.name, rng.chance(0.8)),
    letterLang: rng.chance(0.15) ? 'fr' : 'en',
    receivedAt,
    dateHeader: formatDateHeader(receivedAt, applicant.residence.utcOffsetWinter, rng),
    delivery: { kind: 'single' },
  };
}
