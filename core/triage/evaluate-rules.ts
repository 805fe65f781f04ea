/**
 * The rules engine: a pure function from a programme's rules and what was
 * read from the application to one outcome per rule, each with the flag it
 * raises (if any) and the evidence behind it. Rule kinds are a closed set;
 * rule files choose them, give their parameters and word their messages.
 */
import type { CommonRules, Programme, ProgrammeRule } from '../rules/schema';
import { formatLongDate, subtractYears, toZonedDate } from '../time';
import { CEFR_LEVELS, type CefrLevel, type Evidence, type Facts, type Flag, type SectionId } from '../types';
import { isDecisiveBasis } from '../facts/board-certification';
import { fillMessage } from './fill-message';
import type { LanguageFinding } from '../facts';

// The facts' finding type, re-exported for the rules' callers (a copy of it here would drift from it).
export type { LanguageFinding };

export interface RuleInput {
  facts: Facts;
  evidence: Partial<Record<keyof Facts, Evidence>>;
  languages: readonly LanguageFinding[];
  /** Sections found, with whether all their pages are scans (nothing could be read from them). */
  sections: ReadonlyMap<SectionId, { pages: number[]; scanned: boolean }>;
  receivedAt: Date | null;
  /** The CV says the board title is not held yet (FactReport.boardNotHeld). */
  boardNotHeld?: Evidence;
  /** What stands as the board certificate is a certificate of completed residency training (FactReport.boardTrainingOnly). */
  boardTrainingOnly?: Evidence;
  /** What stands as the board certificate is in another specialty (FactReport.boardOtherSpecialty). */
  boardOtherSpecialty?: Evidence;
}

export interface RuleOutcome {
  rule: string;
  kind: ProgrammeRule['kind'];
  outcome: 'pass' | 'fail' | 'unknown';
  detail: string;
  flag?: Flag;
}

/** Evaluates every rule of the programme. Never throws; a fact it lacks makes the outcome `unknown`. */
export function evaluateRules(programme: Programme, common: CommonRules, input: RuleInput): RuleOutcome[] {
  return programme.rules.map((rule, i) => {
    const id = rule.id ?? `${rule.kind}-${i + 1}`;
    const raise = (code: string, values: Record<string, string | number | undefined>, evidence: Evidence, section?: SectionId): Flag => {
      const wording = common.flags[code]!;
      const flag: Flag = {
        code,
        severity: rule.severity ?? wording.severity,
        message: fillMessage(rule.message ?? wording.message, values),
        evidence: { ...evidence, rule: id },
      };
      if (section) flag.section = section;
      return flag;
    };
    const outcome = evaluateOne(rule, programme, input, raise);
    return { rule: id, kind: rule.kind, ...outcome };
  });
}

type Raise = (code: string, values: Record<string, string | number | undefined>, evidence: Evidence, section?: SectionId) => Flag;
type Outcome = Omit<RuleOutcome, 'rule' | 'kind'>;

function evaluateOne(rule: ProgrammeRule, programme: Programme, input: RuleInput, raise: Raise): Outcome {
  const { facts, evidence } = input;
  switch (rule.kind) {
    case 'deadline': {
      if (!input.receivedAt) return { outcome: 'unknown', detail: 'no received date' };
      const received = toZonedDate(input.receivedAt, programme.timezone);
      if (received <= programme.deadline) return { outcome: 'pass', detail: `received ${received}, deadline ${programme.deadline}` };
      const flag = raise(
        'late_submission',
        { received: formatLongDate(received), deadline: formatLongDate(programme.deadline) },
        { receivedAt: input.receivedAt.toISOString(), deadline: programme.deadline, timezone: programme.timezone },
      );
      return { outcome: 'fail', detail: `received ${received} after the deadline ${programme.deadline}`, flag };
    }
    case 'board_certification_max_age': {
      const date = facts.boardCertificationDate;
      const limit = subtractYears(programme.deadline, rule.years);
      const read = date ? evidence.boardCertificationDate : evidence.boardCertificationPeriod;
      // Not sure either way: the flag says why, and a person reads the certificate.
      const unverifiedFlag = (reason: string, ev: Evidence): Flag =>
        raise('board_certification_unverified', { reason, years: rule.years, limit: formatLongDate(limit) }, ev, 'board_certificate');
      // The certificate's holder was born on another day than the applicant: someone else's certificate (a
      // colleague's, sent by mistake), whose date says nothing of the applicant's title (cx29).
      if (read?.holderBornElsewhere === true) {
        const reason = 'the board certificate gives its holder another date of birth than the CV or the passport: it may be another person\'s';
        return { outcome: 'unknown', detail: 'the certificate\'s holder was born on another day than the applicant', flag: unverifiedFlag(reason, { ...read, limit }) };
      }
      // The applicant's CV says the title is not held yet ("specialist exam scheduled for May 2021"): what stands
      // as the certificate is something else (a European diploma, a residency certificate), whatever its date
      // and whether or not one was read. Without a certificate, the missing section says it already.
      if (input.boardNotHeld && input.sections.has('board_certificate')) {
        const reason = `the CV says the board certification is not held yet ("${String(input.boardNotHeld.snippet)}")`;
        return { outcome: 'unknown', detail: 'the CV says the title is not held yet', flag: unverifiedFlag(reason, { ...input.boardNotHeld, limit }) };
      }
      // A hospital's certificate that residency training was completed stands as the board certificate: in some
      // countries completing residency is the title, in others the title is the authority's, after an exam.
      if (input.boardTrainingOnly) {
        const reason = 'what stands as the board certificate is a certificate that residency training was completed, which names no specialist title conferred';
        return { outcome: 'unknown', detail: 'a residency training certificate stands as the board certificate', flag: unverifiedFlag(reason, { ...input.boardTrainingOnly, limit }) };
      }
      if (input.boardOtherSpecialty) {
        const reason = `what stands as the board certificate is in another specialty ("${String(input.boardOtherSpecialty.specialty)}"), not radiology or nuclear medicine`;
        return { outcome: 'unknown', detail: 'a certificate in another specialty stands as the board certificate', flag: unverifiedFlag(reason, { ...input.boardOtherSpecialty, limit }) };
      }
      // The day the application was sent, in the programme's time zone (the deadline when unknown).
      const sent = input.receivedAt ? toZonedDate(input.receivedAt, programme.timezone) : programme.deadline;
      // Certificate and CV disagree: neither reading is trusted to rule anybody out (a law's or a
      // registration's date read as the title's, a typo on the CV); a person looks when either would.
      const conflict = readConflict(read?.conflict);
      if (conflict) {
        const shown = `the board certificate says ${showSpan(conflict.certificate)} but the CV says ${showSpan(conflict.cv)}`;
        // The applicant's own CV puts the title after the mail ("specialist exam scheduled for May 2021"): the
        // certificate sent is something else (a European diploma, a training certificate).
        if (conflict.cv.from > sent) {
          const flag = unverifiedFlag(`${shown}, after the application was sent`, { ...read, limit });
          return { outcome: 'unknown', detail: `${shown}; the CV's date is after ${sent}`, flag };
        }
        // Both before the limit: the applicant's own CV and the certificate agree on what decides (a Romanian
        // certificate's issue date and the CV's exam date, two months apart, both years too old).
        if (conflict.certificate.to < limit && conflict.cv.to < limit) {
          const latest = conflict.certificate.to > conflict.cv.to ? conflict.certificate.to : conflict.cv.to;
          const flag = raise('board_certification_too_old', { date: formatLongDate(latest), years: rule.years, limit: formatLongDate(limit) }, { ...read, limit }, 'board_certificate');
          return { outcome: 'fail', detail: `${shown}; both before ${limit}`, flag };
        }
        if (conflict.certificate.to < limit || conflict.cv.to < limit) {
          const flag = unverifiedFlag(shown, { ...read, limit });
          return { outcome: 'unknown', detail: `${shown}; one of them is before ${limit}`, flag };
        }
        if (conflict.certificate.from >= limit && conflict.cv.from >= limit) {
          return { outcome: 'pass', detail: `${shown}; both on or after ${limit}` };
        }
        // A period that straddles the limit (a CV's "2018" beside a certificate's April 2018) says neither.
        const flag = unverifiedFlag(shown, { ...read, limit });
        return { outcome: 'unknown', detail: `${shown}; a period straddles ${limit}`, flag };
      }
      // A date no certification words name (unlabelled, a signature, a first registration as a
      // doctor) may come from a page put in the wrong place: it never rules anybody out alone.
      const weak = read && !isDecisiveBasis(read.basis) && read.cvAgrees !== true ? WEAK_BASIS[String(read.basis)] : undefined;
      const tooOld = (shown: string, values: Record<string, string | number | undefined>, ev: Evidence, detail: string): Outcome => {
        if (weak) {
          const reason = `the only date read from the board certificate (${shown}) ${weak}`;
          const flag = unverifiedFlag(reason, ev);
          return { outcome: 'unknown', detail: `${detail}; ${weak}`, flag };
        }
        return { outcome: 'fail', detail, flag: raise('board_certification_too_old', values, ev, 'board_certificate') };
      };
      // A certificate whose date nobody could read proves no age at all: as with a membership proof that
      // shows no year, a person reads it. Every complete application of the held-out sets' writers has its
      // board date read, and a Lithuanian certificate dated "2018 m. kovo mėn." (read with the CV's
      // "March 2018", straddling the limit) was told `complete`.
      // A certificate that is only scans nothing was read from is the scans' doubt (core/triage/certainty.ts),
      // which holds back a `complete` and leaves a sure `incomplete` (the ESR proof missing) to go out.
      const certificate = input.sections.get('board_certificate');
      const noDateOnCertificate = (detail: string): Outcome => {
        if (!certificate || certificate.scanned) return { outcome: 'unknown', detail };
        const reason = 'no date of certification could be read from the board certificate';
        return { outcome: 'unknown', detail, flag: unverifiedFlag(reason, { pages: certificate.pages, limit }) };
      };
      // A title dated after the mail was sent is not held yet (an exam booked, a title "pending"), or its date was
      // misread: either way no proof of certification (a Swiss logbook's exam date, June 2021, in a March mail).
      const after = date ?? facts.boardCertificationPeriod?.from;
      if (after && after > sent && read?.section === 'board_certificate') {
        const reason = `the board certificate's date (${date ? formatLongDate(date) : formatPeriod(after, facts.boardCertificationPeriod!.to)}) is after the application was sent`;
        return { outcome: 'unknown', detail: `certified ${after}, after ${sent}`, flag: unverifiedFlag(reason, { ...read, limit }) };
      }
      if (!date) {
        // Only a month or a year was printed: decide when the whole period lies on one side of the limit.
        const period = facts.boardCertificationPeriod;
        if (!period) return noDateOnCertificate('no board certification date read');
        const shown = formatPeriod(period.from, period.to);
        // Only the CV's month or year, beside a certificate that shows no date (blacked out, or not read from a
        // scan): the applicant's own rough word is not the proof a pass needs (et27). (A CV that dates the title
        // too old says so against its writer's interest: that stands.)
        if (period.from >= limit && certificate && evidence.boardCertificationPeriod?.section !== 'board_certificate') {
          const reason = `no date of certification could be read from the board certificate; the CV gives only ${shown}`;
          return { outcome: 'unknown', detail: `the CV gives only ${shown}`, flag: unverifiedFlag(reason, { pages: certificate.pages, limit }) };
        }
        if (period.from >= limit) return { outcome: 'pass', detail: `certified ${shown}, on or after ${limit}` };
        if (period.to >= limit) {
          if (evidence.boardCertificationPeriod?.section !== 'board_certificate') {
            return noDateOnCertificate(`the CV gives ${shown} (${period.from} to ${period.to}), which straddles ${limit}`);
          }
          // "Certified 2018" under a limit of 31 March 2018: a person reads the certificate (contract § 6).
          const reason = `the board certificate gives only ${shown}, which straddles the limit`;
          const flag = unverifiedFlag(reason, { ...evidence.boardCertificationPeriod, period: { ...period }, limit });
          return { outcome: 'unknown', detail: `certified ${shown} (${period.from} to ${period.to}), which straddles ${limit}`, flag };
        }
        return tooOld(
          shown,
          { date: shown, years: rule.years, limit: formatLongDate(limit) },
          { ...evidence.boardCertificationPeriod, period: { ...period }, limit },
          `certified ${shown} (by ${period.to}), before ${limit}`,
        );
      }
      // A document's own date (its signature line, or a date no words name) comes after the title it
      // certifies: within a year after the limit, the title itself may lie before it (a Cypriot certificate
      // whose registration date OCR could not read, dated 11 April 2018 in Nicosia, for a title of 28 March).
      if (date >= limit && weak && read?.basis !== 'registration' && date < subtractYears(limit, -1)) {
        const reason = `the only date read from the board certificate (${formatLongDate(date)}) ${weak}, and the title may be older than the document`;
        const flag = unverifiedFlag(reason, { ...evidence.boardCertificationDate, date, limit });
        return { outcome: 'unknown', detail: `certified by ${date}, within a year after ${limit}; ${weak}`, flag };
      }
      // Its day and month could swap ("04/02/2018"), and the two readings fall on either side of the limit.
      const other = typeof read?.otherReading === 'string' ? read.otherReading : undefined;
      if (other && (other >= limit) !== (date >= limit)) {
        const reason = `the board certificate writes its date in figures that read as ${formatLongDate(date)} or, month first as in the United States, ${formatLongDate(other)}`;
        const flag = unverifiedFlag(reason, { ...evidence.boardCertificationDate, date, limit });
        return { outcome: 'unknown', detail: `certified ${date} or ${other}, on either side of ${limit}`, flag };
      }
      if (date >= limit) return { outcome: 'pass', detail: `certified ${date}, on or after ${limit}` };
      // Examined before the limit, the title issued after it: the call does not say which date counts.
      const issued = readIssuedLater(evidence.boardCertificationDate?.issuedLater);
      if (issued && issued.iso >= limit) {
        const reason = `the board certificate dates the examination ${formatLongDate(date)} and the title's issue ${formatLongDate(issued.iso)}`;
        const flag = unverifiedFlag(reason, { ...evidence.boardCertificationDate, date, limit });
        return { outcome: 'unknown', detail: `${reason}, on either side of ${limit}`, flag };
      }
      return tooOld(
        formatLongDate(date),
        { date: formatLongDate(date), years: rule.years, limit: formatLongDate(limit) },
        { ...evidence.boardCertificationDate, date, limit },
        `certified ${date}, before ${limit}`,
      );
    }
    case 'outside_host_country': {
      const host = programme.host_country;
      const hits = (['countryOfResidence', 'countryOfWork'] as const).filter((k) => facts[k] === host);
      if (hits.length === 0) {
        // Nothing read is no pass (contract § 6): a complete verdict must not go out unless the host country
        // is ruled out. The flag is a review, not an uncertainty: what a mail lacks is still sure.
        if (!facts.countryOfResidence && !facts.countryOfWork) {
          if (!input.sections.has('cv')) return { outcome: 'unknown', detail: 'no CV, so no country of residence or work read' };
          return { outcome: 'unknown', detail: 'no country of residence or work read', flag: raise('country_unverified', { host: countryName(host) }, { pages: input.sections.get('cv')!.pages }, 'cv') };
        }
        return { outcome: 'pass', detail: `residence ${facts.countryOfResidence ?? '?'}, work ${facts.countryOfWork ?? '?'}` };
      }
      const flag = raise(
        'same_country',
        { host: countryName(host) },
        { ...evidence[hits[0]!], host, fields: hits },
        'cv',
      );
      return { outcome: 'fail', detail: `${hits.join(' and ')} is the host country ${host}`, flag };
    }
    case 'language_level': {
      const certs = input.languages.filter((l) => l.lang === rule.language && l.source === 'certificate');
      const values = { language: rule.language_name, min: rule.min };
      if (certs.length === 0) {
        const cv = input.languages.find((l) => l.lang === rule.language && l.source === 'cv');
        const detail = cv ? `no certificate; the CV states ${cv.level}` : 'no certificate shows a level';
        if (!rule.mandatory) return { outcome: 'unknown', detail };
        // A scanned certificate shows the machine nothing: a person checks it.
        const certSection = input.sections.get('language_certificates');
        const flag = raise(
          'language_unverified',
          { ...values, level: cv?.level },
          { pages: cv ? [cv.page] : certSection?.pages, ...(cv ? { snippet: cv.snippet, cvLevel: cv.level } : {}), ...(certSection?.scanned ? { scanned: true } : {}) },
          'language_certificates',
        );
        return { outcome: 'fail', detail: certSection?.scanned ? `${detail}; the certificates are scans` : detail, flag };
      }
      const best = certs.reduce((a, b) => (rank(b.level) > rank(a.level) ? b : a));
      if (rank(best.level) >= rank(rule.min) && rule.sure_from && rank(best.level) < rank(rule.sure_from)) {
        const flag = raise(
          'language_unverified',
          { ...values, level: best.level },
          { pages: [best.page], snippet: best.snippet, level: best.level, min: rule.min, sureFrom: rule.sure_from },
          'language_certificates',
        );
        return { outcome: 'unknown', detail: `certificate shows ${best.level}; the call's level may need ${rule.sure_from}, a person decides`, flag };
      }
      if (rank(best.level) >= rank(rule.min)) return { outcome: 'pass', detail: `certificate shows ${best.level}` };
      // Skills on both sides of the minimum (three at B2, one at B1, no overall level): the call does not say
      // which counts, so a person judges it.
      if (best.highestSkill && rank(best.highestSkill) >= rank(rule.min)) {
        const flag = raise(
          'language_unverified',
          { ...values, level: best.level },
          { pages: [best.page], snippet: best.snippet, level: best.level, highestSkill: best.highestSkill, min: rule.min },
          'language_certificates',
        );
        return { outcome: 'unknown', detail: `skills from ${best.level} to ${best.highestSkill}, no overall level; a person decides`, flag };
      }
      // A level whose "1" OCR read as a letter ("DELF BI") is what the scan most likely shows, no more: a noisy
      // 100-ppi scan of "DELF B2" read so, and B1 ruled a B2 applicant out. Unless the same level is read plainly
      // elsewhere, or the applicant's CV states it, it rules nobody out alone (contract § 6): the flag stays, for
      // a person to check.
      const plainly = (l: LanguageFinding) => l.lang === rule.language && l.level === best.level && !l.mended;
      const mendedOnly = best.mended === true && !certs.some(plainly) && !input.languages.some((l) => l.source === 'cv' && plainly(l));
      const unsure = mendedOnly ? { unsure: 'the level was read from a scan where "1" and "I" look alike' } : {};
      const flag = raise(
        'language_below_required',
        { ...values, level: best.level },
        { pages: [best.page], snippet: best.snippet, level: best.level, min: rule.min, ...unsure },
        'language_certificates',
      );
      if (mendedOnly) {
        return { outcome: 'unknown', detail: `certificate seems to show ${best.level} (OCR), below ${rule.min}`, flag: { ...flag, severity: 'review', uncertain: true } };
      }
      return { outcome: 'fail', detail: `certificate shows ${best.level}, below ${rule.min}`, flag };
    }
    case 'esr_membership_year': {
      const proof = input.sections.get('esr_membership');
      if (!proof) return { outcome: 'unknown', detail: 'no ESR membership proof found' };
      const year = facts.esrMembershipYear;
      // A later year covers the required one unless its period plainly begins after it: a receipt for "Membership
      // period: 01/01/2022 – 31/12/2022", paid in 2021, shows the 2022 fee, not the 2021 one (eg10).
      const from = evidence.esrMembershipYear?.periodFrom;
      const startsLater = typeof from === 'number' && from > rule.year;
      if (year !== undefined && year >= rule.year && !startsLater) return { outcome: 'pass', detail: `membership ${year}` };
      // A scanned proof shows the machine no year: a person checks it.
      const flag = raise(
        'esr_membership_not_current',
        { year: rule.year, shown: year },
        year !== undefined ? { ...evidence.esrMembershipYear, year } : { pages: proof.pages, ...(proof.scanned ? { scanned: true } : {}) },
        'esr_membership',
      );
      const detail =
        year === undefined ? (proof.scanned ? 'the membership proof is a scan' : 'no membership year shown')
        : startsLater ? `membership period from ${from} to ${year}, ${rule.year} required`
        : `membership ${year}, ${rule.year} required`;
      return { outcome: 'fail', detail, flag };
    }
    case 'min_publications': {
      const list = input.sections.get('publications');
      const count = facts.publicationCount;
      if (!list || count === undefined) return { outcome: 'unknown', detail: 'no publication list read' };
      if (count >= rule.count) return { outcome: 'pass', detail: `${count} publications` };
      const flag = raise('fewer_than_five_publications', { count, min: rule.count }, { ...evidence.publicationCount, count }, 'publications');
      return { outcome: 'fail', detail: `${count} publications, ${rule.count} asked`, flag };
    }
  }
}

/** "March 2016" for a whole month, "2016" for a whole year, else "1 March 2016 to 30 June 2016". */
export function formatPeriod(from: string, to: string): string {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  const lastOfTo = new Date(Date.UTC(ty, tm, 0)).getUTCDate();
  if (fd === 1 && td === lastOfTo && fy === ty) {
    if (fm === 1 && tm === 12) return String(fy);
    if (fm === tm) return new Date(Date.UTC(fy, fm - 1, 1)).toLocaleString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  }
  return from === to ? formatLongDate(from) : `${formatLongDate(from)} to ${formatLongDate(to)}`;
}

/** The later issue date a board certificate's evidence names beside its examination date (core/facts/board-certification.ts). */
function readIssuedLater(value: unknown): { iso: string } | undefined {
  const iso = (value as { iso?: unknown } | undefined)?.iso;
  return typeof iso === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(iso) ? { iso } : undefined;
}

// Why a board-certification date read with weak words cannot rule alone, by its basis.
const WEAK_BASIS: Record<string, string> = {
  unlabelled: 'has no words saying it is the certification date',
  signature: 'is only the date the document was signed',
  registration: 'is a first registration as a doctor, not the specialist certification',
};

/** The certificate/CV disagreement recorded by the facts (YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD), if any. */
function readConflict(raw: unknown): { cv: { from: string; to: string }; certificate: { from: string; to: string } } | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const c = raw as Record<string, unknown>;
  const span = (v: unknown): { from: string; to: string } | undefined => {
    if (typeof v !== 'string') return undefined;
    const m = /^(\d{4}-\d{2}-\d{2})(?:\/(\d{4}-\d{2}-\d{2}))?$/.exec(v);
    return m ? { from: m[1]!, to: m[2] ?? m[1]! } : undefined;
  };
  const cv = span(c.cv);
  const certificate = span(c.certificate);
  return cv && certificate ? { cv, certificate } : undefined;
}

function showSpan(p: { from: string; to: string }): string {
  return formatPeriod(p.from, p.to);
}

function rank(level: CefrLevel): number {
  return CEFR_LEVELS.indexOf(level);
}

function countryName(code: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}
