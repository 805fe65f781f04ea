/**
 * Verdicts and reply contexts for the reply tests. All people, addresses and
 * files are invented; the rules are the bundled ones.
 */
import path from 'node:path';
import { loadRules } from '../../../adapters/rules-loader';
import type { ReplyContext } from '../../../core/reply';
import type { Programme } from '../../../core/rules/schema';
import type { Flag, SectionSpan, TriageResult } from '../../../core/types';

export const ROOT = path.resolve(__dirname, '../../..');
export const RULES_DIR = path.join(ROOT, 'rules');
export const RULES = loadRules(RULES_DIR);
export const PROGRAMME = RULES.programmes[0]!;

/** The same programme with other reply settings (what an admin would write in its file). */
export function programmeWith(replies: Partial<Programme['replies']>): Programme {
  return { ...PROGRAMME, replies: { ...PROGRAMME.replies, ...replies } };
}

const message = (code: string, values: Record<string, string> = {}) =>
  RULES.common.flags[code]!.message.replace(/\{([a-z_]+)\}/g, (whole, k: string) => values[k] ?? whole);

export function flag(code: string, values: Record<string, string> = {}, extra: Partial<Flag> = {}): Flag {
  return { code, severity: RULES.common.flags[code]!.severity, message: message(code, values), ...extra };
}

/** All ten documents in order over 21 pages, the optional language certificates included. */
export const COMPLETE_SECTIONS: SectionSpan[] = [
  { id: 'other', pages: [1, 1], confidence: 0.9 },
  { id: 'motivation', pages: [2, 3], confidence: 0.97 },
  { id: 'cv', pages: [4, 7], confidence: 0.99 },
  { id: 'recommendation', pages: [8, 9], confidence: 0.95 },
  { id: 'board_certificate', pages: [10, 10], confidence: 0.93 },
  { id: 'medical_degree', pages: [11, 12], confidence: 0.92 },
  { id: 'language_certificates', pages: [13, 14], confidence: 0.9 },
  { id: 'publications', pages: [15, 16], confidence: 0.96 },
  { id: 'references', pages: [17, 17], confidence: 0.94 },
  { id: 'esr_membership', pages: [18, 18], confidence: 0.91 },
  { id: 'passport', pages: [19, 21], confidence: 0.98 },
];

export function completeResult(overrides: Partial<TriageResult> = {}): TriageResult {
  return {
    status: 'complete',
    programme: PROGRAMME.id,
    applicant: { email: 'a.rossi@example.test', name: 'Anna Rossi' },
    receivedAt: '2021-03-12T09:14:00.000Z',
    pdf: { filename: 'Rossi_application.pdf', pages: 21 },
    sections: COMPLETE_SECTIONS,
    missing: [],
    flags: [],
    facts: { countryOfResidence: 'IT', passportExpiry: '2029-04-30', publicationCount: 5 },
    ...overrides,
  };
}

/**
 * A realistic incomplete verdict: no passport, the letter of recommendation
 * placed after the board certificate, no language certificates (optional).
 */
export function incompleteResult(): TriageResult {
  const names = (ids: string[]) => ids.map((id) => RULES.common.sections.find((s) => s.id === id)!.reply_name).join(', ');
  const found = ['motivation', 'cv', 'board_certificate', 'recommendation', 'medical_degree', 'publications', 'references', 'esr_membership'];
  return completeResult({
    status: 'incomplete',
    pdf: { filename: 'Rossi_application.pdf', pages: 16 },
    sections: [
      { id: 'motivation', pages: [1, 2], confidence: 0.97 },
      { id: 'cv', pages: [3, 6], confidence: 0.99 },
      { id: 'board_certificate', pages: [7, 7], confidence: 0.93 },
      { id: 'recommendation', pages: [8, 9], confidence: 0.95 },
      { id: 'medical_degree', pages: [10, 11], confidence: 0.92 },
      { id: 'publications', pages: [12, 13], confidence: 0.96 },
      { id: 'references', pages: [14, 14], confidence: 0.94 },
      { id: 'esr_membership', pages: [15, 15], confidence: 0.91 },
      { id: 'other', pages: [16, 16], confidence: 0.6 },
    ],
    missing: ['passport'],
    flags: [
      flag('missing_section', { section: 'copy of your passport' }, { section: 'passport' }),
      flag(
        'out_of_order',
        { found: names(found), expected: RULES.common.sections.map((s) => s.reply_name).join(', ') },
        { evidence: { found, pages: [1, 3, 7, 8, 10, 12, 14, 15] } },
      ),
      // A review flag does not belong in the list of what to fix.
      flag('language_unverified', { language: 'French', min: 'B2' }, { evidence: { snippet: 'EVIDENCE-SNIPPET-NOT-FOR-APPLICANTS' } }),
    ],
  });
}

export function ineligibleResult(): TriageResult {
  return completeResult({
    status: 'ineligible',
    flags: [
      flag('same_country', { host: 'France' }, { evidence: { rule: 'apply-outside-own-country', snippet: 'Country of residence: France' } }),
      flag('fewer_than_five_publications', { count: '3' }),
    ],
    facts: { countryOfResidence: 'FR', countryOfWork: 'FR' },
  });
}

export function reviewResult(): TriageResult {
  return completeResult({ status: 'needs_review', flags: [flag('fewer_than_five_publications', { count: '3' })] });
}

export function notApplicationResult(): TriageResult {
  return completeResult({
    status: 'not_application',
    pdf: null,
    sections: [],
    flags: [flag('auto_reply', { reason: 'Auto-Submitted: auto-replied' })],
    facts: {},
  });
}

export function contextFor(result: TriageResult, overrides: Partial<ReplyContext> = {}): ReplyContext {
  return {
    result,
    programme: PROGRAMME,
    common: RULES.common,
    replies: RULES.replies,
    mail: {
      subject: 'Application ESOR fellowship Hybrid Imaging',
      messageId: '<CAF1x2y3@mail.example.test>',
      references: [],
      from: { email: 'a.rossi@example.test', name: 'Anna Rossi' },
    },
    ...overrides,
  };
}

/** Internal words that must never reach an applicant: flag codes, section ids, rule and programme ids. */
export function listInternalWords(): string[] {
  return [
    ...Object.keys(RULES.common.flags),
    ...RULES.common.sections.map((s) => s.id).filter((id) => id.includes('_')),
    ...PROGRAMME.rules.map((r) => r.id).filter((id): id is string => id !== undefined),
    PROGRAMME.id,
    'needs_review',
    'not_application',
    'undefined',
    'null',
  ];
}
