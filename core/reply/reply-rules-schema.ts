/**
 * The strict schema of `rules/replies.yaml` (kind: replies): the wording of
 * every automatic reply. Templates are plain text with named placeholders
 * only; a placeholder the code does not fill is refused when the file is
 * loaded, not discovered in a reply an applicant already received.
 */
import { z } from 'zod';
import { STAFF_TEMPLATE_PLACEHOLDERS } from './staff-message';

/** Placeholders every reply template (subject and body) may use. */
export const TEMPLATE_PLACEHOLDERS = [
  'applicant_name',
  'programme_title',
  'deadline',
  'received_date',
  'subject',
  'pdf_filename',
  'page_count',
  'checklist',
  'problems',
  'earlier_application',
] as const;
export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[number];

/** One template per kind of reply; `chooseReply` picks it from the status (contract § 3). */
export const TEMPLATE_NAMES = ['acknowledgement', 'incomplete', 'ineligible', 'receipt'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** Placeholders of the checklist's wording, per key. */
export const CHECKLIST_PLACEHOLDERS = {
  line: ['number', 'document', 'state'],
  found: ['pages'],
  found_out_of_order: ['pages'],
  not_found: [],
  not_sent_optional: [],
  required: [],
  optional: [],
  one_page: ['first'],
  page_range: ['first', 'last'],
} as const satisfies Record<string, readonly string[]>;

/**
 * The problems of a text against the allowed placeholder names: unknown
 * names, and braces that open or close no placeholder (a typo such as
 * `{applicant_name` would otherwise reach the applicant as is).
 */
export function findPlaceholderProblems(text: string, allowed: readonly string[]): string[] {
  const problems: string[] = [];
  const unknown = new Set<string>();
  for (const match of text.matchAll(/\{([^{}]*)\}/g)) {
    const name = match[1] ?? '';
    if (!allowed.includes(name)) unknown.add(name);
  }
  if (unknown.size > 0) {
    const list = [...unknown].map((n) => `{${n}}`).join(', ');
    const names = allowed.length > 0 ? allowed.map((n) => `{${n}}`).join(', ') : 'none';
    problems.push(`unknown placeholder ${list}; allowed here: ${names}`);
  }
  if (/[{}]/.test(text.replace(/\{[^{}]*\}/g, ''))) {
    problems.push('a "{" or "}" that does not belong to a placeholder such as {applicant_name}');
  }
  return problems;
}

/** Text with placeholders drawn from `allowed` only; `required` ones must appear. */
function templateText(allowed: readonly string[], required: readonly string[] = []) {
  return z
    .string()
    .trim()
    .min(1)
    .superRefine((text, ctx) => {
      for (const message of findPlaceholderProblems(text, allowed)) ctx.addIssue({ code: 'custom', message });
      for (const name of required) {
        if (!text.includes(`{${name}}`)) {
          ctx.addIssue({ code: 'custom', message: `this template must show {${name}}: without it the applicant does not learn what to do` });
        }
      }
    });
}

function template(required: readonly TemplatePlaceholder[] = []) {
  return z.strictObject({
    subject: templateText(TEMPLATE_PLACEHOLDERS),
    body: templateText(TEMPLATE_PLACEHOLDERS, required),
  });
}

const checklistWording = z.strictObject({
  ...(Object.fromEntries(Object.entries(CHECKLIST_PLACEHOLDERS).map(([key, names]) => [key, templateText(names)])) as {
    [K in keyof typeof CHECKLIST_PLACEHOLDERS]: ReturnType<typeof templateText>;
  }),
  /** Between two places of one document ("pages 3–4 and page 9"); not trimmed, its spaces matter. */
  page_ranges_joiner: z.string().min(1).refine((s) => !/[{}\n]/.test(s), { error: 'plain text on one line, without placeholders' }),
});

export const replyRulesSchema = z.strictObject({
  kind: z.literal('replies'),
  /** Time zone of received dates when the reply names no programme (a programme has its own). */
  timezone: z.string().trim().min(1).refine(isTimeZone, { error: 'expected an IANA time zone such as Europe/Vienna' }),
  /** Appended to every reply after one blank line; says who wrote and that the message is automatic. */
  signature: templateText([]),
  /** Values used when the mail or the verdict does not give one. */
  fallbacks: z.strictObject({
    applicant_name: templateText([]),
    programme_title: templateText([]),
    deadline: templateText([]),
    subject: templateText([]),
  }),
  /** The value of {earlier_application} when this e-mail replaces an earlier application. */
  earlier_application: templateText([]),
  checklist: checklistWording,
  templates: z.strictObject({
    acknowledgement: template(),
    incomplete: template(['problems', 'checklist']),
    ineligible: template(['problems']),
    receipt: template(),
  }),
  /**
   * Texts staff start a message to an applicant from (the application page); a person reads and
   * edits them before sending; the subject is always "Re: " and the applicant's own. Placeholders: {applicant_name}, {programme_title}, {missing}.
   */
  staff_templates: z
    .array(
      z.strictObject({
        name: z.string().trim().min(1).max(80),
        body: templateText(STAFF_TEMPLATE_PLACEHOLDERS),
      }),
    )
    .max(30)
    .refine((list) => new Set(list.map((t) => t.name)).size === list.length, { error: 'two staff templates have the same name' })
    .optional(),
});

export type ReplyRules = z.infer<typeof replyRulesSchema>;
export type ChecklistWording = ReplyRules['checklist'];

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
