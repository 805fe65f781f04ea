/**
 * The expected triage of a generated case, derived from what was actually
 * rendered: which pages carry which document, what their text says, how the
 * mail was delivered. This is the corpus's own reading of the contract
 * (shared/spec/triage-contract.md), written apart from the classifier.
 */
import type { CefrLevel, Facts, PageLabel, SectionId, Status } from '../../core/types';
import { CEFR_LEVELS, SECTION_IDS } from '../../core/types';
import { formatIsoDate, type Ymd } from './dates';
import { DEADLINE_UTC, OLDEST_BOARD_DATE, PROGRAMME_ID, type ApplicationPlan } from './plan';

export interface CaseTruth {
  id: string;
  status: Status;
  /** 'gustave-roussy-hybrid-imaging-2022', or null when the mail names none or several (and for non-applications). */
  programme: string | null;
  /** Expected flag codes (contract § 4), unique, in the contract's order. */
  flags: string[];
  missing: SectionId[];
  /** One label per PDF page, across all PDF attachments in mail order; empty when no PDF can be read. */
  pageLabels: PageLabel[];
  sections: Array<{ id: PageLabel; pages: [number, number] }>;
  /** 1-based pages without a text layer (scans, photos, blank pages). */
  imageOnlyPages: number[];
  facts: Facts;
  receivedAt: string;
  /** Scenario name(s), e.g. "complete", "missing_section+late_submission". */
  fault: string;
  /** Extension: which variant of the scenario (e.g. "docx", "omit-passport", "french-delf-B1"). */
  variant: string;
  /** Extension: the sender as the mail's From header names them. */
  applicant: { name: string; email: string };
  /** Extension: attachments in mail order; `pages` for readable PDFs. */
  attachments: Array<{ filename: string; contentType: string; pages?: number }>;
}

const FLAG_ORDER = [
  'no_pdf', 'multiple_pdfs', 'unreadable_pdf', 'missing_section', 'out_of_order', 'cv_not_esor_template',
  'late_submission', 'board_certification_too_old', 'same_country', 'language_below_required',
  'language_unverified', 'fewer_than_five_publications', 'esr_membership_not_current', 'programme_unknown', 'auto_reply',
] as const;

const SEVERITY: Record<string, Status> = {
  late_submission: 'ineligible',
  board_certification_too_old: 'ineligible',
  same_country: 'ineligible',
  language_below_required: 'ineligible',
  no_pdf: 'incomplete',
  multiple_pdfs: 'incomplete',
  unreadable_pdf: 'incomplete',
  missing_section: 'incomplete',
  out_of_order: 'incomplete',
  cv_not_esor_template: 'incomplete',
  language_unverified: 'needs_review',
  fewer_than_five_publications: 'needs_review',
  esr_membership_not_current: 'needs_review',
  programme_unknown: 'needs_review',
};

const STATUS_RANK: Status[] = ['ineligible', 'incomplete', 'needs_review', 'complete'];

export function deriveStatus(flags: string[]): Status {
  let best: Status = 'complete';
  for (const f of flags) {
    const s = SEVERITY[f];
    if (s && STATUS_RANK.indexOf(s) < STATUS_RANK.indexOf(best)) best = s;
  }
  return best;
}

/** Contiguous runs of equal labels, 1-based inclusive. */
export function groupSections(labels: PageLabel[]): Array<{ id: PageLabel; pages: [number, number] }> {
  const out: Array<{ id: PageLabel; pages: [number, number] }> = [];
  labels.forEach((label, i) => {
    const last = out[out.length - 1];
    if (last && last.id === label) last.pages[1] = i + 1;
    else out.push({ id: label, pages: [i + 1, i + 1] });
  });
  return out;
}

/** Facts merged over the documents in order; a later document never erases an earlier fact. */
export function mergeFacts(all: Facts[]): Facts {
  const facts: Facts = {};
  for (const f of all) {
    for (const [key, value] of Object.entries(f) as Array<[keyof Facts, unknown]>) {
      if (value === undefined) continue;
      if (key === 'languageLevels') facts.languageLevels = { ...(facts.languageLevels ?? {}), ...(value as Record<string, CefrLevel>) };
      else if (facts[key] === undefined) (facts as Record<string, unknown>)[key] = value;
    }
  }
  return facts;
}

function below(level: CefrLevel | undefined, minimum: CefrLevel): boolean {
  return level !== undefined && CEFR_LEVELS.indexOf(level) < CEFR_LEVELS.indexOf(minimum);
}

function isBefore(iso: string, limit: Ymd): boolean {
  return iso < formatIsoDate(limit);
}

export interface RenderedCase {
  /** Null when no PDF could be read (none attached, or unreadable). */
  pageLabels: PageLabel[] | null;
  imageOnly: boolean[];
  /** Facts revealed by each document actually in the PDF(s). */
  reveals: Facts[];
  cvIsEsor: boolean | null; // null: no CV in the PDF
}

/** The flags a careful office worker would raise, per the contract. */
export function deriveFlags(plan: ApplicationPlan, rendered: RenderedCase, facts: Facts): { flags: string[]; missing: SectionId[] } {
  const flags = new Set<string>();
  const missing: SectionId[] = [];
  const d = plan.delivery;
  if (d.kind === 'not-application') return { flags: d.variant === 'question' ? [] : ['auto_reply'], missing };
  if (d.kind === 'no-pdf') flags.add('no_pdf');
  if (d.kind === 'unreadable') flags.add('unreadable_pdf');
  if (d.kind === 'multi') flags.add('multiple_pdfs');
  if (plan.receivedAt.getTime() > DEADLINE_UTC.getTime()) flags.add('late_submission');
  if (plan.programme !== 'named') flags.add('programme_unknown');

  if (rendered.pageLabels) {
    const present = new Set(rendered.pageLabels);
    for (const id of SECTION_IDS) if (id !== 'language_certificates' && !present.has(id)) missing.push(id);
    if (missing.length) flags.add('missing_section');
    const order = rendered.pageLabels.filter((l): l is SectionId => l !== 'other').map((l) => SECTION_IDS.indexOf(l));
    if (order.some((v, i) => i > 0 && v < order[i - 1])) flags.add('out_of_order');
    if (rendered.cvIsEsor === false) flags.add('cv_not_esor_template');
    if (facts.boardCertificationDate && isBefore(facts.boardCertificationDate, OLDEST_BOARD_DATE)) flags.add('board_certification_too_old');
    if (facts.countryOfResidence === 'FR' || facts.countryOfWork === 'FR') flags.add('same_country');
    const levels = facts.languageLevels ?? {};
    if (below(levels.fr, 'B2') || below(levels.en, 'B2')) flags.add('language_below_required');
    // English B2 meets "advanced knowledge" on some readings and not others: a person weighs it.
    if (levels.fr === undefined || levels.en === undefined || levels.en === 'B2') flags.add('language_unverified');
    if (present.has('publications') && (facts.publicationCount ?? 0) < 5) flags.add('fewer_than_five_publications');
    if (present.has('esr_membership') && facts.esrMembershipYear !== 2021) flags.add('esr_membership_not_current');
  }
  return { flags: FLAG_ORDER.filter((f) => flags.has(f)), missing };
}

export function programmeOf(plan: ApplicationPlan): string | null {
  return plan.delivery.kind === 'not-application' || plan.programme !== 'named' ? null : PROGRAMME_ID;
}
