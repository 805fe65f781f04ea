/**
 * What the retention period of each programme says must go today (GDPR
 * storage limitation), as a plan the retention command carries out or, in a
 * dry run, lists. Pure: applications, programme settings and the clock come
 * in.
 *
 * Two steps per programme (rules/programmes/*.yaml `retention`): first the
 * documents that identify or certify a person (passport, certificates and
 * diplomas) together with everything that contains them (the mail as
 * received, the attached PDF, the pages' text and images); later the whole
 * application. Counted in days after the programme's `selection_date`.
 */

/** Sections deleted in the first step: identity documents and certificates. */
export const SENSITIVE_SECTIONS = ['passport', 'board_certificate', 'medical_degree', 'language_certificates'] as const;

export interface RetentionSetting {
  programme: string;
  /** YYYY-MM-DD; without it nothing of the programme is due. */
  selectionDate?: string;
  documentsDaysAfterSelection: number;
  daysAfterSelection: number;
}

export interface RetentionCandidate {
  applicationId: string;
  programme: string | null;
  /** True when an earlier run already deleted its documents (an `application.documents_erased` event). */
  documentsErased: boolean;
}

export type RetentionStep = 'documents' | 'application';

export interface RetentionItem {
  applicationId: string;
  programme: string;
  step: RetentionStep;
  /** The first day the step was due (YYYY-MM-DD). */
  dueSince: string;
}

export interface RetentionPlan {
  items: RetentionItem[];
  /** Programmes with a retention setting but no selection date: nothing of theirs can be due. */
  noSelectionDate: string[];
  /** Applications of programmes without a retention setting (or none known): kept. */
  unregulated: number;
}

/** YYYY-MM-DD plus `days`. */
export function addDays(isoDate: string, days: number): string {
  const t = Date.parse(`${isoDate}T00:00:00.000Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * The steps due on `today` (YYYY-MM-DD, the office's calendar day): the whole application once its
 * period ended, else its documents once theirs ended and they are not gone already. Applications of a
 * programme unknown to the rules are never due: nobody set their period.
 */
export function planRetention(settings: readonly RetentionSetting[], candidates: readonly RetentionCandidate[], today: string): RetentionPlan {
  const byProgramme = new Map(settings.map((s) => [s.programme, s]));
  const plan: RetentionPlan = { items: [], noSelectionDate: settings.filter((s) => !s.selectionDate).map((s) => s.programme), unregulated: 0 };
  for (const c of candidates) {
    const s = c.programme ? byProgramme.get(c.programme) : undefined;
    if (!s) {
      plan.unregulated++;
      continue;
    }
    if (!s.selectionDate) continue;
    const allDue = addDays(s.selectionDate, s.daysAfterSelection);
    const documentsDue = addDays(s.selectionDate, Math.min(s.documentsDaysAfterSelection, s.daysAfterSelection));
    if (today >= allDue) plan.items.push({ applicationId: c.applicationId, programme: s.programme, step: 'application', dueSince: allDue });
    else if (today >= documentsDue && !c.documentsErased) plan.items.push({ applicationId: c.applicationId, programme: s.programme, step: 'documents', dueSince: documentsDue });
  }
  return plan;
}
