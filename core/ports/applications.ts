/**
 * Triaged applications: verdicts grouped into applications and revisions,
 * the queries of the dashboard and the export, and the PDF split out for each
 * section of a revision.
 */
import type { Facts, Flag, SectionId, SectionSpan, Status, TriageResult } from '../types';

export interface TriageInput {
  /** The ledger id (sha256) of the message that was triaged. */
  messageId: string;
  result: TriageResult;
  /** Hash of the rule files that decided, to tell later which rules a verdict came from. */
  rulesHash: string;
  /**
   * Who applied: the sender's e-mail (lowercased and trimmed by the store).
   * `null` when unknown: such a message is never grouped with another.
   */
  applicantKey: string | null;
  decidedAt: string;
}

/** The latest verdict before this one, for the `resubmission` flag and the reply. */
export interface PreviousRevision {
  revision: number;
  status: Status;
  /** Flag codes. */
  flags: string[];
  messageId: string;
}

export interface SavedTriage {
  applicationId: string;
  revision: number;
  /** True when this call stored the revision; false when the message had been saved before. */
  isNew: boolean;
  /** Absent for the first revision of an application. */
  previous?: PreviousRevision;
  /** Other programmes the same applicant applied to (known programmes only, sorted): the `duplicate_application` flag. */
  otherProgrammes: string[];
}

export interface RevisionView {
  revision: number;
  messageId: string;
  status: Status;
  flags: Flag[];
  facts: Facts;
  sections: SectionSpan[];
  missing: SectionId[];
  /** The mail's date (the result's `receivedAt`, else the ledger's). */
  receivedAt: string;
  decidedAt: string;
  rulesHash: string;
  /** The result document in force: as triage produced it, or as last amended by staff (`amendRevision`). */
  result: TriageResult;
  /** Present when staff amended the result: who, when, what action, why. The original is in the event log. */
  amended?: { by: string; at: string; action: string; reason?: string };
}

export interface ApplicationSummary {
  id: string;
  /** `null`: the mail did not say which programme. */
  programme: string | null;
  /** From the latest revision. */
  applicantEmail: string | null;
  applicantName: string | null;
  /** Of the latest revision. */
  status: Status;
  /** Flag codes of the latest revision. */
  flags: string[];
  revisionCount: number;
  /** Set when a member of staff marked the application reviewed (cleared by a new revision). */
  reviewedBy?: string;
  reviewedAt?: string;
  /** Of the latest revision. */
  receivedAt: string;
  decidedAt: string;
  createdAt: string;
  updatedAt: string;
}

export interface ApplicationView extends ApplicationSummary {
  latest: RevisionView;
  /** Oldest first. */
  revisions: RevisionView[];
}

export interface ApplicationFilter {
  /** A programme id, or `null` for applications whose programme is unknown. */
  programme?: string | null;
  status?: Status;
  /** Only applications whose latest revision carries this flag code. */
  flag?: string;
  /** Latest revision received on or after / before this ISO time (`receivedAt`). */
  receivedFrom?: string;
  receivedBefore?: string;
  /** Case-insensitive substring of the applicant's name or e-mail. */
  search?: string;
  /** Default `decided` (latest decision first). */
  sort?: 'decided' | 'received' | 'name' | 'status' | 'programme';
  /** Default `desc`. */
  order?: 'asc' | 'desc';
  /** Only applications not yet marked reviewed (true) or only reviewed ones (false). */
  unreviewed?: boolean;
  /** Default 100. */
  limit?: number;
  offset?: number;
}

export interface SectionFile {
  /** A section id, or `other`. */
  section: string;
  /** [first, last], 1-based, inclusive. */
  pages: [number, number];
  path: string;
  sha256: string;
}

export interface Applications {

  /**
   * Stores a triage verdict. Applications are keyed by (applicantKey, programme); a later
   * message from the same applicant for the same programme becomes revision n+1 of the same
   * application (an unknown programme is a key of its own; a null applicantKey always starts
   * a new application). Idempotent per messageId: saving the same message again stores
   * nothing and returns the revision saved first, with the same `previous`.
   * @throws StoreError STORE_NOT_FOUND (messageId not in the ledger), STORE_INVALID_INPUT
   *   (unknown status, decidedAt not a date).
   */
  saveTriage(input: TriageInput): Promise<SavedTriage>;
  /** The application with its latest revision and all revisions. */
  getApplication(applicationId: string): Promise<ApplicationView | undefined>;
  /**
   * Latest decision first.
   * @throws StoreError STORE_INVALID_INPUT (limit/offset not integers, unknown status).
   */
  listApplications(filter?: ApplicationFilter): Promise<ApplicationSummary[]>;
  /** Every application of one applicant (e-mail, any case), oldest first: resubmissions and second programmes are found before saving. */
  listApplicationsOf(applicantKey: string): Promise<ApplicationSummary[]>;
  /**
   * Applications by the status of their latest revision, all programmes or one (`null`: programme
   * unknown); every status is present (0 when none).
   */
  countByStatus(programme?: string | null): Promise<Record<Status, number>>;
  getRevisionByMessage(messageId: string): Promise<{ applicationId: string; revision: number; result: TriageResult } | undefined>;

  // ---- section files

  /**
   * Records the file split out for one section of a revision. Saving the same
   * (section, first page) again replaces the row, so a retried split is harmless.
   * @throws StoreError STORE_NOT_FOUND (no such revision), STORE_INVALID_INPUT (pages not 1 <= first <= last).
   */
  saveSectionFile(input: SectionFile & { applicationId: string; revision: number }): Promise<void>;
  /** In page order. */
  listSectionFiles(applicationId: string, revision: number): Promise<SectionFile[]>;
  /** Applications matching the filter (limit/offset ignored), for paging. */
  countApplications(filter?: ApplicationFilter): Promise<number>;
}
