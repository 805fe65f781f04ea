/**
 * The applications as CSV for the evaluation committee: one row per
 * application (its latest revision), RFC 4180 (CRLF line ends, fields with a
 * comma, quote or line break quoted, quotes doubled).
 *
 * Column names are stable (snake_case, never derived from the data), so a
 * committee spreadsheet that looks columns up by name keeps working from one
 * export to the next: facts that were not read stay empty, never vanish.
 *
 * Spreadsheets run a cell that starts with `=`, `+`, `-`, `@` (their
 * full-width forms, or a tab or CR, which some strip first) as a formula, and applicants choose what
 * lands in these cells (their name, text read from their PDF): such a field
 * gets a leading apostrophe, which the spreadsheet shows as text (OWASP
 * "CSV injection").
 *
 * Pure: no clock, no I/O.
 */
import type { ApplicationView } from '../ports/store';
import { SECTION_IDS, type Facts, type SectionSpan } from '../types';

export interface ApplicationsCsvOptions {
  /** Programme id -> title, for the `programme_title` column (empty when absent). */
  programmeTitles?: Record<string, string>;
  /** A UTF-8 byte order mark first, so Excel reads the file as UTF-8 (names with accents). Default true. */
  bom?: boolean;
  /**
   * Languages (ISO 639-1) that get a column of their own, `language_<code>`: the CEFR level or empty.
   * Default `en`, `fr` (the languages the programme asks for). All levels read are in `language_levels` anyway.
   */
  languages?: string[];
}

/** The columns before the per-language and per-section ones, in order. */
export const BASE_COLUMNS = [
  'application_id',
  'programme',
  'programme_title',
  'applicant_name',
  'applicant_email',
  'status',
  'received_at',
  'decided_at',
  'revisions',
  'reviewed_by',
  'reviewed_at',
  'flags',
  'missing_sections',
  'country_of_residence',
  'country_of_work',
  'board_certification_date',
  'publication_count',
  'esr_membership_year',
  'passport_expiry',
  'language_levels',
] as const;

export const DEFAULT_LANGUAGES = ['en', 'fr'] as const;

// Full-width ＝＋－＠ too: spreadsheets in East Asian locales read them as the ASCII signs.
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
// `;` too: a spreadsheet in a locale whose list separator is `;` splits an unquoted field there, and
// the cell after it could start with `=`.
const NEEDS_QUOTES = /[",;\r\n]/;
const LANGUAGE = /^[a-z]{2,3}$/;

/** The header row's names, in order, for the given options. */
export function applicationsCsvColumns(opts: Pick<ApplicationsCsvOptions, 'languages'> = {}): string[] {
  return [...BASE_COLUMNS, ...languagesOf(opts).map((l) => `language_${l}`), ...SECTION_IDS.map((s) => `pages_${s}`)];
}

/**
 * The CSV text (with a BOM unless `bom: false`), header row first, rows in the order given.
 * @throws Error when a language code in `opts.languages` is not 2-3 lowercase letters (it names a column).
 */
export function applicationsCsv(apps: ApplicationView[], opts: ApplicationsCsvOptions = {}): string {
  const languages = languagesOf(opts);
  const rows: string[][] = [applicationsCsvColumns({ languages })];
  for (const app of apps) rows.push(applicationRow(app, languages, opts.programmeTitles ?? {}));
  return (opts.bom === false ? '' : '\uFEFF') + rows.map((r) => r.map(csvField).join(',') + '\r\n').join('');
}

/** One field as RFC 4180 wants it, formula-neutralised. */
export function csvField(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** "3-5", "4" for one page, spans of a section found twice joined with ";", "" when not found. */
export function pageRange(spans: SectionSpan[], section: string): string {
  return spans
    .filter((s) => s.id === section)
    .map(({ pages: [first, last] }) => (first === last ? String(first) : `${first}-${last}`))
    .join(';');
}

function languagesOf(opts: Pick<ApplicationsCsvOptions, 'languages'>): string[] {
  const languages = opts.languages ?? [...DEFAULT_LANGUAGES];
  for (const l of languages) if (!LANGUAGE.test(l)) throw new Error(`applicationsCsv: "${l}" is not an ISO 639-1 language code`);
  return [...new Set(languages)];
}

function applicationRow(app: ApplicationView, languages: string[], titles: Record<string, string>): string[] {
  const latest = app.latest;
  const facts: Facts = latest?.facts ?? {};
  const sections = latest?.sections ?? [];
  const levels = facts.languageLevels ?? {};
  const text = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : String(v));
  const base: Record<(typeof BASE_COLUMNS)[number], string> = {
    application_id: app.id,
    programme: text(app.programme),
    programme_title: app.programme ? text(titles[app.programme]) : '',
    applicant_name: text(app.applicantName),
    applicant_email: text(app.applicantEmail),
    status: app.status,
    received_at: app.receivedAt,
    decided_at: app.decidedAt,
    revisions: String(app.revisionCount),
    reviewed_by: text(app.reviewedBy),
    reviewed_at: text(app.reviewedAt),
    flags: app.flags.join(';'),
    missing_sections: (latest?.missing ?? []).join(';'),
    country_of_residence: text(facts.countryOfResidence),
    country_of_work: text(facts.countryOfWork),
    // A certificate dated only by month or year gives the period it names ("2016-03-01/2016-03-31").
    board_certification_date: text(facts.boardCertificationDate ?? (facts.boardCertificationPeriod ? `${facts.boardCertificationPeriod.from}/${facts.boardCertificationPeriod.to}` : undefined)),
    publication_count: text(facts.publicationCount),
    esr_membership_year: text(facts.esrMembershipYear),
    passport_expiry: text(facts.passportExpiry),
    language_levels: Object.entries(levels)
      .filter(([, level]) => level)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([lang, level]) => `${lang}:${level}`)
      .join(';'),
  };
  return [...BASE_COLUMNS.map((c) => base[c]), ...languages.map((l) => text(levels[l])), ...SECTION_IDS.map((s) => pageRange(sections, s))];
}
