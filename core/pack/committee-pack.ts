/**
 * The evaluation committee's pack for one programme, as a plan: for each
 * application the cover sheet's words and the section PDFs in order, plus the
 * index sheet. Pure: the caller reads the store and the files and passes them
 * in; the PDF and zip writers (adapters/pack-pdf.ts, adapters/zip-writer.ts)
 * only draw what this plan says, so what the committee reads is decided and
 * tested here.
 *
 * What goes in: an application whose latest status is `complete`, or exactly
 * the applications staff selected (any status: staff may send one the machine
 * left at needs_review once a person has decided). Only notes that staff
 * address to the committee ("Committee: ...") reach the cover: other notes
 * are the office's own working notes.
 */
import type { ApplicationView, EventRecord, NoteRecord, SectionFile } from '../ports/store';
import { readPassportMrz } from '../facts/mrz';
import type { Facts, PageText } from '../types';

/** A note that begins so is written for the committee; the prefix is left off on the cover. */
export const COMMITTEE_NOTE = /^\s*(?:for the\s+)?committee\s*:\s*/i;

/** Staff actions whose event records the flags a person cleared. */
const CLEARING_ACTIONS = new Set(['status.overridden', 'sections.overridden', 'application.retriaged']);

export interface PackSource {
  application: ApplicationView;
  notes: NoteRecord[];
  /** The latest revision's section files, in page order. */
  sectionFiles: SectionFile[];
  /** The application's events (any order): staff overrides tell which flags a person cleared. */
  events: EventRecord[];
  /** The latest revision's page texts, when stored: the passport's machine-readable zone gives the nationality. */
  pages?: PageText[];
}

export interface PackProgramme {
  id: string;
  title: string;
}

export interface PackInput {
  programme: PackProgramme;
  sources: PackSource[];
  /** Section id -> the name the call gives it (rules/common.yaml sections[].name). */
  sectionNames: Record<string, string>;
  /** Application ids staff chose; absent: every complete application. */
  selected?: readonly string[];
  now: Date;
  /** The office's time zone for dates on the sheets (default UTC). */
  timeZone?: string;
}

export interface CoverLine {
  label: string;
  value: string;
}

export interface PackSection {
  section: string;
  /** The bookmark's title: the call's name of the section and its pages in the application. */
  title: string;
  pages: [number, number];
  path: string;
}

export interface PackApplicant {
  applicationId: string;
  /** `NN-surname-firstname.pdf`: ASCII, unique in the pack, sorted as the index. */
  fileName: string;
  name: string;
  email: string;
  nationality: string;
  /** Name, e-mail, nationality, programme, received, status, then the facts read. */
  lines: CoverLine[];
  /** "Late submission: cleared by anna on 3 April 2021 (reason)". */
  flagsCleared: string[];
  /** Remarks that stand on the verdict in force (info flags). */
  remarks: string[];
  notes: Array<{ author: string; at: string; text: string }>;
  sections: PackSection[];
}

export interface PackPlan {
  programme: PackProgramme;
  /** The office's date and time the pack was made, for the sheets. */
  generatedAt: string;
  applicants: PackApplicant[];
  /** Application ids staff selected that were not found for this programme. */
  notFound: string[];
}

/** The plan of the pack (what each sheet says, which PDFs follow it). Throws nothing. */
export function planCommitteePack(input: PackInput): PackPlan {
  const tz = input.timeZone ?? 'UTC';
  const wanted = input.selected ? new Set(input.selected) : undefined;
  const chosen = input.sources.filter((s) =>
    s.application.programme === input.programme.id && (wanted ? wanted.has(s.application.id) : s.application.status === 'complete'),
  );
  const found = new Set(chosen.map((s) => s.application.id));
  const sorted = [...chosen].sort((a, b) => sortKey(a).localeCompare(sortKey(b), 'en') || a.application.id.localeCompare(b.application.id));
  const width = String(sorted.length).length < 2 ? 2 : String(sorted.length).length;
  return {
    programme: input.programme,
    generatedAt: formatDateTime(input.now.toISOString(), tz),
    applicants: sorted.map((s, i) => planApplicant(s, input, String(i + 1).padStart(width, '0'), tz)),
    notFound: wanted ? [...wanted].filter((id) => !found.has(id)) : [],
  };
}

function sortKey(s: PackSource): string {
  const name = s.application.applicantName ?? '';
  const parts = name.trim().split(/\s+/);
  // Surname first, as committees read lists.
  return `${parts.at(-1) ?? ''} ${parts.slice(0, -1).join(' ')} ${s.application.applicantEmail ?? ''}`.toLowerCase();
}

function planApplicant(s: PackSource, input: PackInput, number: string, tz: string): PackApplicant {
  const app = s.application;
  const latest = app.latest;
  const name = app.applicantName ?? latest.result.applicant?.name ?? 'Name not given';
  const email = app.applicantEmail ?? latest.result.applicant?.email ?? '–';
  const nationality = nationalityFrom(s.pages, latest.sections) ?? 'not read';
  const lines: CoverLine[] = [
    { label: 'Name', value: name },
    { label: 'E-mail', value: email },
    { label: 'Nationality', value: nationality },
    { label: 'Programme', value: input.programme.title },
    { label: 'Received', value: formatDateTime(app.receivedAt, tz) },
    { label: 'Status', value: statusWords(app.status) + (latest.amended ? ` (set by ${latest.amended.by})` : '') },
    ...factLines(latest.facts),
  ];
  return {
    applicationId: app.id,
    fileName: `${number}-${fileSlug(name, app.id)}.pdf`,
    name,
    email,
    nationality,
    lines,
    flagsCleared: clearedFlags(s.events, latest.flags.map((f) => f.code), tz),
    remarks: latest.flags.filter((f) => f.severity === 'info').map((f) => f.message),
    notes: s.notes
      .filter((n) => COMMITTEE_NOTE.test(n.text))
      .map((n) => ({ author: n.author, at: formatDateTime(n.at, tz), text: n.text.replace(COMMITTEE_NOTE, '').trim() }))
      .filter((n) => n.text !== ''),
    sections: s.sectionFiles.map((f) => ({
      section: f.section,
      title: `${input.sectionNames[f.section] ?? humanise(f.section)} (${f.pages[0] === f.pages[1] ? `page ${f.pages[0]}` : `pages ${f.pages[0]}–${f.pages[1]}`})`,
      pages: f.pages,
      path: f.path,
    })),
  };
}

/** The passport's machine-readable zone names the holder's nationality; a country name when Intl knows the code. */
function nationalityFrom(pages: PageText[] | undefined, sections: ApplicationView['latest']['sections']): string | undefined {
  if (!pages) return undefined;
  const passport = sections.filter((s) => s.id === 'passport');
  const onPassport = (n: number) => passport.some((s) => n >= s.pages[0] && n <= s.pages[1]);
  // Passport pages first; an MRZ elsewhere (a scan filed under another section) still speaks.
  const ordered = [...pages.filter((p) => onPassport(p.num)), ...pages.filter((p) => !onPassport(p.num))];
  for (const page of ordered) {
    const mrz = readPassportMrz(page.text);
    if (mrz?.valid && mrz.nationality) return countryName(mrz.nationality);
  }
  return undefined;
}

const REGIONS = new Intl.DisplayNames(['en'], { type: 'region' });

export function countryName(code: string): string {
  if (!/^[A-Z]{2}$/.test(code)) return code;
  try {
    return REGIONS.of(code) ?? code;
  } catch {
    return code;
  }
}

const LANGUAGES = new Intl.DisplayNames(['en'], { type: 'language' });

function factLines(f: Facts): CoverLine[] {
  const out: CoverLine[] = [];
  if (f.boardCertificationDate) out.push({ label: 'Board certification', value: longDate(f.boardCertificationDate) });
  else if (f.boardCertificationPeriod) out.push({ label: 'Board certification', value: `between ${longDate(f.boardCertificationPeriod.from)} and ${longDate(f.boardCertificationPeriod.to)}` });
  if (f.countryOfResidence) out.push({ label: 'Country of residence', value: countryName(f.countryOfResidence) });
  if (f.countryOfWork) out.push({ label: 'Country of work', value: countryName(f.countryOfWork) });
  const langs = Object.entries(f.languageLevels ?? {});
  if (langs.length) out.push({ label: 'Languages', value: langs.map(([l, level]) => `${languageName(l)} ${level}`).join(', ') });
  if (f.publicationCount !== undefined) out.push({ label: 'Publications listed', value: String(f.publicationCount) });
  if (f.esrMembershipYear !== undefined) out.push({ label: 'ESR membership paid for', value: String(f.esrMembershipYear) });
  if (f.passportExpiry) out.push({ label: 'Passport valid until', value: longDate(f.passportExpiry) });
  return out;
}

function languageName(code: string): string {
  try {
    return LANGUAGES.of(code) ?? code;
  } catch {
    return code;
  }
}

/** Flags a staff override took away, newest decision last, each once (the flag that still stands is not cleared). */
function clearedFlags(events: EventRecord[], standing: string[], tz: string): string[] {
  const seen = new Set(standing);
  const out: string[] = [];
  for (const e of [...events].sort((a, b) => a.at.localeCompare(b.at) || a.id - b.id)) {
    if (!CLEARING_ACTIONS.has(e.action)) continue;
    const previous = Array.isArray(e.detail.previousFlags) ? e.detail.previousFlags.filter((c): c is string => typeof c === 'string') : [];
    const reason = typeof e.detail.reason === 'string' && e.detail.reason.trim() ? ` (${e.detail.reason.trim()})` : '';
    for (const code of previous) {
      if (seen.has(code)) continue;
      seen.add(code);
      out.push(`${humanise(code)}: cleared by ${e.actor} on ${formatDateTime(e.at, tz)}${reason}`);
    }
  }
  return out;
}

const STATUS_WORDS: Record<string, string> = {
  complete: 'Complete',
  incomplete: 'Incomplete',
  ineligible: 'Not eligible',
  needs_review: 'Needs review',
  not_application: 'Not an application',
};

function statusWords(status: string): string {
  return STATUS_WORDS[status] ?? humanise(status);
}

/** `late_submission` -> "Late submission". */
export function humanise(code: string): string {
  const words = code.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function longDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** "3 April 2021, 13:35" in the office's zone. */
export function formatDateTime(iso: string, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const date = d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone });
  const time = d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone });
  return `${date}, ${time}`;
}

/** `surname-firstname`, ASCII letters only; the application id's start when the name gives none. */
function fileSlug(name: string, id: string): string {
  const ascii = (t: string) => t.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean).join('-');
  // The surname is the last word as written ("Quixote-Rossi" stays whole).
  const words = name.trim().split(/\s+/);
  const ordered = words.length > 1 ? [words.at(-1)!, ...words.slice(0, -1)] : words;
  const slug = ordered.map(ascii).filter(Boolean).join('-').slice(0, 60).replace(/-+$/, '');
  return slug || `application-${id.slice(0, 8)}`;
}

/** The index sheet: one line per applicant, in the pack's order. */
export function indexRows(plan: PackPlan): Array<{ file: string; name: string; nationality: string; received: string; sections: number }> {
  return plan.applicants.map((a) => ({
    file: a.fileName,
    name: a.name,
    nationality: a.nationality,
    received: a.lines.find((l) => l.label === 'Received')?.value ?? '',
    sections: a.sections.length,
  }));
}
