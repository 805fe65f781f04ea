/**
 * Which automatic reply a triaged application gets, and its text (contract
 * § 3): complete → acknowledgement; incomplete → what to fix; ineligible →
 * the reason, held for staff unless the programme says `send`; needs_review →
 * a neutral receipt unless the programme turns it off;
 * not_application → nothing (machines are never answered, plain questions
 * go to staff).
 *
 * Pure: no I/O, no clock; dates come from the verdict and the rules.
 *
 * What goes into a reply comes from three places only: the office's rule
 * files, the verdict of this very mail, and this mail's own headers. Nothing
 * from the store, so nothing of another applicant can slip in; and nothing
 * internal (flag codes, section ids, rule ids) is ever written out.
 */
import type { CommonRules, Programme } from '../rules/schema';
import { formatLongDate, toZonedDate } from '../time';
import type { Flag, Severity, Status, TriageResult } from '../types';
import { fillTemplate, tidyText } from './fill-template';
import { renderChecklist } from './render-checklist';
import type { ReplyRules, TemplateName, TemplatePlaceholder } from './reply-rules-schema';

export interface ReplyAddress {
  email: string;
  name?: string;
}

export interface ReplyContext {
  /** The verdict (contract § 5). */
  result: TriageResult;
  /** The programme of the verdict, from the rules (title, deadline, replies.ineligible, replies.needs_review). */
  programme?: Programme;
  /** Sections (reply_name, required, order) and flag wording. */
  common: CommonRules;
  /** rules/replies.yaml */
  replies: ReplyRules;
  mail: {
    subject: string;
    messageId?: string;
    references: string[];
    from?: ReplyAddress;
    replyTo?: ReplyAddress;
    /**
     * false: the office's mail server did not confirm the sender (no trusted Authentication-Results
     * pass), so nothing the mail says (display name, subject, file name) is written back: whoever
     * forged it must not make the office send their words to someone else. Absent: verified.
     */
    senderVerified?: boolean;
  };
  /** Set by the caller when the sender must never be answered (machine mail, no-reply address, bounced before, rate limit hit). */
  doNotAnswer?: string;
  /** An earlier revision of the same application, for "this replaces your earlier application". */
  previous?: { status: Status; revision: number };
}

export type ReplyDecision =
  | { action: 'none'; reason: string }
  | {
      action: 'send' | 'hold';
      to: ReplyAddress;
      subject: string;
      text: string;
      inReplyTo?: string;
      references: string[];
      template: TemplateName;
    };

/**
 * Stable reasons for not replying; the caller may log them (they hold no
 * personal data, except the caller's own `doNotAnswer` text after the colon).
 */
export const NO_REPLY_REASONS = {
  doNotAnswer: 'do_not_answer',
  notApplication: 'not_application',
  reviewWithoutReceipt: 'needs_review_without_receipt',
  noRecipient: 'no_recipient',
} as const;

/** Which flags a reply lists as its {problems}: those that made the status. */
const PROBLEM_SEVERITIES: Partial<Record<Status, Severity>> = {
  incomplete: 'incomplete',
  ineligible: 'ineligible',
};

/** A long References chain is cut, keeping the thread's root and the latest ids (RFC 5322 § 3.6.4 leaves room for this). */
const MAX_REFERENCES = 20;

/**
 * Chooses and renders the reply to one triaged mail. Never sends anything.
 * @throws ReplyTemplateError only if the replies rules were not validated (the schema refuses unknown placeholders).
 */
export function chooseReply(ctx: ReplyContext): ReplyDecision {
  if (ctx.doNotAnswer !== undefined) {
    return { action: 'none', reason: `${NO_REPLY_REASONS.doNotAnswer}: ${ctx.doNotAnswer}` };
  }
  const { status } = ctx.result;
  let template: TemplateName;
  let action: 'send' | 'hold' = 'send';
  switch (status) {
    case 'not_application':
      return { action: 'none', reason: NO_REPLY_REASONS.notApplication };
    case 'needs_review':
      // The machine is unsure, so it says only that the mail arrived and a person will check (contract § 6):
      // never a verdict. A mail naming no programme gets it too; a programme may turn it off.
      if (ctx.programme?.replies.needs_review === 'none') return { action: 'none', reason: NO_REPLY_REASONS.reviewWithoutReceipt };
      template = 'receipt';
      break;
    case 'ineligible':
      template = 'ineligible';
      // Telling someone they are not eligible is final for them: staff confirm first unless the programme trusts the rule.
      action = ctx.programme?.replies.ineligible === 'send' ? 'send' : 'hold';
      break;
    case 'incomplete':
      template = 'incomplete';
      break;
    case 'complete':
      template = 'acknowledgement';
      break;
  }
  const recipient = chooseRecipient(ctx.mail);
  if (!recipient) return { action: 'none', reason: NO_REPLY_REASONS.noRecipient };
  // Not even in the To header: a display name is text of the sender's choosing.
  const to = ctx.mail.senderVerified === false ? { email: recipient.email } : recipient;

  const values = collectValues(ctx, to);
  const wording = ctx.replies.templates[template];
  const body = fillTemplate(wording.body, values);
  const subject = oneLine(fillTemplate(wording.subject, values)) || `Re: ${ctx.replies.fallbacks.subject}`;
  const messageId = normalizeMessageId(ctx.mail.messageId);
  return {
    action,
    to,
    subject,
    text: `${tidyText(`${body}\n\n${ctx.replies.signature}`)}\n`,
    ...(messageId ? { inReplyTo: messageId } : {}),
    references: buildReferences(ctx.mail.references, messageId),
    template,
  };
}

/**
 * The From address; its Reply-To (RFC 5322 § 3.6.2) only when that is in the same domain as From
 * (a secretary's office answering for a doctor), never a third party's address: otherwise anyone
 * could make the office write to whomever they name. Never an address that is not one.
 */
export function chooseRecipient(mail: ReplyContext['mail']): ReplyAddress | undefined {
  const fromEmail = mail.from?.email?.trim() ?? '';
  if (!isMailAddress(fromEmail)) return undefined;
  const replyEmail = mail.replyTo?.email?.trim() ?? '';
  const useReplyTo = isMailAddress(replyEmail) && domainOf(replyEmail) === domainOf(fromEmail);
  const candidate = useReplyTo ? mail.replyTo! : mail.from!;
  const email = useReplyTo ? replyEmail : fromEmail;
  const name = cleanName(candidate.name);
  return name ? { email, name } : { email };
}

function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase().replace(/\.$/, '');
}

/**
 * The original subject without its leading "Re:" markers, so the template's
 * own "Re: " does not make "Re: Re: ...". Other clients' markers (AW:, SV:,
 * Fwd:) stay: they are part of what the applicant wrote.
 */
export function stripReplyMarkers(subject: string): string {
  let rest = oneLine(subject);
  for (;;) {
    const match = /^re\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*/i.exec(rest);
    if (!match) return rest;
    rest = rest.slice(match[0].length);
  }
}

function collectValues(ctx: ReplyContext, to: ReplyAddress): Record<TemplatePlaceholder, string | undefined> {
  const { result, programme, replies, common } = ctx;
  const timeZone = programme?.timezone ?? replies.timezone;
  const severity = PROBLEM_SEVERITIES[result.status];
  const onePdf = result.pdf !== null && !result.flags.some((f) => f.code === 'multiple_pdfs');
  const echo = ctx.mail.senderVerified !== false;
  return {
    applicant_name: (echo ? to.name : undefined) ?? replies.fallbacks.applicant_name,
    programme_title: programme?.title ?? replies.fallbacks.programme_title,
    deadline: programme ? formatLongDate(programme.deadline) : replies.fallbacks.deadline,
    received_date: result.receivedAt ? formatReceivedDate(result.receivedAt, timeZone) : undefined,
    subject: (echo ? stripReplyMarkers(ctx.mail.subject) : '') || replies.fallbacks.subject,
    pdf_filename: onePdf && echo ? oneLine(result.pdf!.filename) || undefined : undefined,
    page_count: onePdf && result.pdf!.pages > 0 ? String(result.pdf!.pages) : undefined,
    checklist: renderChecklist(result, common, replies.checklist, programme?.section_names),
    problems: severity ? listProblems(result.flags, severity) : undefined,
    earlier_application: ctx.previous ? replies.earlier_application : undefined,
  };
}

/** The flags' messages (already worded for applicants by common.yaml), one bullet each, without repeats. */
function listProblems(flags: readonly Flag[], severity: Severity): string | undefined {
  const messages = [...new Set(flags.filter((f) => f.severity === severity).map((f) => cleanMessage(f.message)).filter(Boolean))];
  return messages.length > 0 ? messages.map((m) => `- ${m}`).join('\n') : undefined;
}

/**
 * A flag message whose value was missing still holds its `{name}`: drop it
 * (and the brackets around it) rather than show a placeholder to an applicant.
 */
function cleanMessage(message: string): string {
  return oneLine(message.replace(/\s*\(\{[a-z_]+\}\)/g, '').replace(/\{[a-z_]+\}/g, ''));
}

function formatReceivedDate(iso: string, timeZone: string): string | undefined {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return undefined;
  return formatLongDate(toZonedDate(instant, timeZone));
}

function buildReferences(references: readonly string[], messageId: string | undefined): string[] {
  const ids: string[] = [];
  for (const raw of [...references, ...(messageId ? [messageId] : [])]) {
    const id = normalizeMessageId(raw);
    if (id && !ids.includes(id)) ids.push(id);
  }
  return ids.length > MAX_REFERENCES ? [ids[0]!, ...ids.slice(ids.length - (MAX_REFERENCES - 1))] : ids;
}

/** `<id@host>`; undefined for anything that cannot be a Message-ID (spaces, empty). */
function normalizeMessageId(id: string | undefined): string | undefined {
  const trimmed = (id ?? '').trim();
  const inner = trimmed.replace(/^<|>$/g, '');
  if (inner === '' || /[\s<>]/.test(inner)) return undefined;
  return `<${inner}>`;
}

function isMailAddress(email: string): boolean {
  return /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/.test(email);
}

/** A display name fit for "Dear ...": one line, no quotes or brackets, and not an address. */
function cleanName(name: string | undefined): string | undefined {
  const cleaned = oneLine(name ?? '')
    .replace(/["<>]/g, '')
    .trim();
  if (cleaned === '' || cleaned.includes('@')) return undefined;
  return cleaned;
}

/** Control characters and line breaks become spaces: applicant text must not break a header or a line of ours. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
}
