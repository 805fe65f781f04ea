/**
 * The shared vocabulary of the pure core. Names mirror the outward triage
 * contract (shared/spec/triage-contract.md); extend, never rename.
 */

export const SECTION_IDS = [
  'motivation',
  'cv',
  'recommendation',
  'board_certificate',
  'medical_degree',
  'language_certificates',
  'publications',
  'references',
  'esr_membership',
  'passport',
] as const;
export type SectionId = (typeof SECTION_IDS)[number];
export type PageLabel = SectionId | 'other';

export const STATUSES = ['complete', 'incomplete', 'ineligible', 'needs_review', 'not_application'] as const;
export type Status = (typeof STATUSES)[number];

/** Most severe first: the status is the first of these any flag carries. */
export const SEVERITIES = ['ineligible', 'incomplete', 'review', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CEFR_LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'] as const;
export type CefrLevel = (typeof CEFR_LEVELS)[number];

/** One page of the application PDF as the PDF adapter read it. `num` is 1-based. */
export interface PageText {
  num: number;
  text: string;
  /** No usable text layer (a scan or a photo). */
  imageOnly: boolean;
  /** The text was read from the page's image by OCR (a scan), not from a text layer. */
  ocr?: boolean;
  /** OCR read a few confident words on the scan, too few for a page of text (a photograph page and a name). */
  unread?: true;
  /** OCR read the scan and found no confident word at all (a faint, cut or dark photo, a script it cannot read). */
  nothingRead?: true;
}

/** What stands behind a flag or a fact: where it was read and what decided. */
export interface Evidence {
  pages?: number[];
  snippet?: string;
  /** The rule (rule-file id) that raised the flag. */
  rule?: string;
  [key: string]: unknown;
}

export interface Flag {
  code: string;
  severity: Severity;
  message: string;
  section?: SectionId;
  evidence?: Evidence;
  /**
   * The machine is not sure of the evidence this flag stands on (contract § 6): while such a flag
   * stands, no automatic verdict (`complete`, `incomplete`) goes out; a person decides.
   */
  uncertain?: true;
}

/** Facts read from the documents (contract § 5). Unknown facts are absent, never guessed. */
export interface Facts {
  boardCertificationDate?: string; // YYYY-MM-DD, only when the day is printed
  /**
   * When the documents give the board certification only as a month and year
   * or a year ("March 2016", "2016"): the days it may fall on, inclusive
   * (YYYY-MM-DD). Never set together with boardCertificationDate.
   */
  boardCertificationPeriod?: { from: string; to: string };
  countryOfResidence?: string; // ISO 3166-1 alpha-2
  countryOfWork?: string; // ISO 3166-1 alpha-2
  languageLevels?: Partial<Record<string, CefrLevel>>; // ISO 639-1 -> CEFR
  publicationCount?: number;
  esrMembershipYear?: number;
  passportExpiry?: string; // YYYY-MM-DD
}

export interface SectionSpan {
  id: PageLabel;
  /** [first, last], 1-based, inclusive. */
  pages: [number, number];
  confidence: number;
}

/** The result document (contract § 5). */
export interface TriageResult {
  file?: string;
  status: Status;
  programme: string | null;
  applicant: { email?: string; name?: string } | null;
  receivedAt: string | null;
  pdf: { filename: string; pages: number } | null;
  sections: SectionSpan[];
  missing: SectionId[];
  flags: Flag[];
  facts: Facts;
}
