/**
 * Deciding an application again from what the earlier stages stored (the
 * parsed mail and the page texts), without reading the mail or the PDFs:
 * used by the triage stage and by the dry run of edited rules
 * (services/rules-diff.ts). Pure: the caller reads the files and the history.
 */
import { checkMembership } from '../membership/check-membership';
import type { EsrMemberList } from '../membership/member-list';
import type { ApplicationSummary } from '../ports/store';
import { analyseDocuments, chooseStatus, decideApplication, type DocumentAnalysis, type TriageInput, type TriageRules } from '../triage/triage-application';
import { fillMessage } from '../triage/fill-message';
import type { Flag, TriageResult } from '../types';
import type { StoredAnalysis } from './stored-analysis';
import type { StoredMail } from './stored-mail';

/** The applicant's applications known before this mail was decided (store `listApplicationsOf`). */
export interface DecisionHistory {
  earlier: ApplicationSummary[];
}

export interface DecideStoredOptions {
  /**
   * Which page analysis to decide from. `stored` (the default): the analysis
   * the analyse stage made, which the section files were cut from. `fresh`:
   * classify and segment the stored page texts again with `rules`, because
   * page classification depends on the rules' vocabularies, so edited rules
   * must not be judged by the old rules' reading of the pages. A
   * DocumentAnalysis: one the caller already computed (`reanalyseStored`)
   * with rules whose common file is the same.
   */
  analysis?: 'stored' | 'fresh' | DocumentAnalysis;
  /**
   * The ESR member list admins uploaded (services/common/member-list-store.ts): the membership
   * numbers the application gives are checked against it. Absent: no list was uploaded, nothing is said.
   */
  esrMembers?: EsrMemberList;
}

/** The triage input the stored mail and analysis describe. */
export function storedTriageInput(mail: StoredMail, stored: StoredAnalysis): TriageInput {
  return {
    mail: {
      subject: mail.subject,
      text: mail.text,
      ...(mail.from ? { from: mail.from } : {}),
      ...(mail.machine ? { machine: { reason: mail.machine.reason } } : {}),
      otherAttachments: mail.otherAttachments,
      ...(mail.senderAuth ? { senderAuth: mail.senderAuth } : {}),
      ...(mail.unreadable ? { unreadable: mail.unreadable } : {}),
      ...(mail.receivedFrom === 'server' && mail.serverReceivedAt ? { serverReceivedAt: mail.serverReceivedAt } : {}),
      ...(mail.headerDate ? { headerDate: mail.headerDate } : {}),
    },
    receivedAt: new Date(mail.receivedAt),
    pdfs: stored.pdfs,
  };
}

/** Classifies and segments the stored page texts again with `rules` (pure; tens of ms for an application). */
export function reanalyseStored(stored: StoredAnalysis, rules: TriageRules): DocumentAnalysis {
  return analyseDocuments({ pdfs: stored.pdfs }, rules);
}

/**
 * Who applied, for grouping and history: the sender, unless the mail is no application or the
 * office's server says the sender is not who From says (then it stands apart: a forged From
 * must never become a revision of the real applicant's application).
 */
export function applicantKeyOf(mail: StoredMail, result: TriageResult): string | null {
  if (mail.senderAuth?.sender === 'fail') return null;
  return result.status === 'not_application' ? null : (mail.from?.email ?? null);
}

/**
 * Decides one stored application with `rules`; with `history`, adds the
 * `resubmission` / `duplicate_application` flags and chooses the status again.
 * Never throws on odd input (as decideApplication).
 */
export function decideStored(
  mail: StoredMail,
  stored: StoredAnalysis,
  rules: TriageRules,
  history: DecisionHistory | undefined,
  opts: DecideStoredOptions = {},
): TriageResult {
  const choice = opts.analysis ?? 'stored';
  const analysis = choice === 'stored' ? stored.analysis : choice === 'fresh' ? reanalyseStored(stored, rules) : choice;
  const { result } = decideApplication(storedTriageInput(mail, stored), analysis, rules);
  if (opts.esrMembers && result.status !== 'not_application') {
    const programme = rules.rules.programmes.find((p) => p.id === result.programme);
    const yearRule = programme?.rules.find((r) => r.kind === 'esr_membership_year');
    const membership = checkMembership({
      list: opts.esrMembers,
      pages: analysis.pages,
      sections: result.sections,
      cvLabels: rules.cvFields,
      ...(mail.from?.email ? { applicantEmail: mail.from.email } : {}),
      ...(yearRule && 'year' in yearRule ? { requiredYear: yearRule.year } : {}),
      wording: rules.rules.common.flags,
    });
    if (membership.length) {
      result.flags.push(...membership);
      result.status = chooseStatus(result.flags);
    }
  }
  if (history && applicantKeyOf(mail, result)) {
    const known = flagHistory(rules, history.earlier, result.programme);
    // The history is the surer evidence: its flag replaces the one the mail's wording raised.
    if (known.some((f) => f.code === 'resubmission')) result.flags = result.flags.filter((f) => f.code !== 'resubmission');
    result.flags.push(...known);
    result.status = chooseStatus(result.flags);
  }
  return result;
}

/** `resubmission` when the applicant applied to this programme before; `duplicate_application` for another programme. */
export function flagHistory(rules: TriageRules, earlier: readonly ApplicationSummary[], programme: string | null): Flag[] {
  const flags = rules.rules.common.flags;
  const out: Flag[] = [];
  const same = earlier.find((a) => a.programme === programme);
  if (same) {
    out.push({
      code: 'resubmission',
      severity: flags.resubmission!.severity,
      message: fillMessage(flags.resubmission!.message, {}),
      evidence: { previousStatus: same.status, revisions: same.revisionCount },
    });
  }
  const others = earlier.filter((a) => a.programme && a.programme !== programme).map((a) => a.programme!);
  if (others.length > 0) {
    out.push({
      code: 'duplicate_application',
      severity: flags.duplicate_application!.severity,
      message: fillMessage(flags.duplicate_application!.message, {}),
      evidence: { programmes: [...new Set(others)] },
    });
  }
  return out;
}
