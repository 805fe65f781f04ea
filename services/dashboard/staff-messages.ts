/**
 * Messages staff write to an applicant (core/reply/staff-message.ts) as the
 * dashboard reads and asks for them: the message's text goes to the
 * BlobStore under the form's key, a `message.requested` event (ids only)
 * records it, and the reply worker is asked to send it, as an approved reply
 * is. The page reads them back from the events and the BlobStore.
 */
import { randomBytes } from 'node:crypto';
import type { ApplicationView, EventRecord } from '../../core/ports/store';
import { chooseRecipient } from '../../core/reply/choose-reply';
import { fillStaffTemplate, MESSAGE_EVENTS, replySubject, STAFF_MESSAGE_KIND, type StaffMessage } from '../../core/reply/staff-message';
import { replyMailOf, type StoredMail } from '../../core/stored/stored-mail';
import type { DashboardDeps } from './deps';
import type { PageUser } from './views/common';
import type { ComposeModel, StaffMessageView } from './views/staff-message';
import type { OfficeWords } from './words';

/** Where a message to this application goes and under which subject: the latest mail's thread. */
export async function threadTarget(deps: Pick<DashboardDeps, 'files'>, application: ApplicationView): Promise<{ to?: string; subject: string; messageId: string }> {
  const messageId = application.latest.messageId;
  const mail = await deps.files.readJson<StoredMail>('mail', messageId).catch(() => undefined);
  const to = mail ? chooseRecipient(replyMailOf(mail))?.email : undefined;
  return { ...(to ? { to } : {}), subject: replySubject(mail?.subject ?? '', 'Your ESOR fellowship application'), messageId };
}

export async function composeModel(deps: DashboardDeps, application: ApplicationView, words: OfficeWords, user: PageUser, templateName: string | undefined): Promise<ComposeModel> {
  const target = await threadTarget(deps, application);
  const templates = deps.staffTemplates?.() ?? [];
  const template = templateName === undefined ? undefined : templates.find((t) => t.name === templateName);
  const programmeTitle = deps.rules().programmes.find((p) => p.id === application.programme)?.title;
  const chosen = template
    ? {
        name: template.name,
        body: fillStaffTemplate(template, {
          ...(application.applicantName ? { applicantName: application.applicantName } : {}),
          ...(programmeTitle ? { programmeTitle } : {}),
          missing: application.latest.result.missing.map((id) => words.section(id)),
        }),
      }
    : undefined;
  return {
    user,
    applicationId: application.id,
    ...(target.to ? { to: target.to } : {}),
    subject: target.subject,
    key: randomBytes(16).toString('hex'),
    templates,
    ...(chosen ? { chosen } : {}),
  };
}

/** The events that decide a message's state on the page: the newest of them says where it stands. */
const OUTCOMES: ReadonlySet<string> = new Set([MESSAGE_EVENTS.sent, MESSAGE_EVENTS.none, MESSAGE_EVENTS.failed, MESSAGE_EVENTS.retried]);

/**
 * The messages of an application, oldest first, from its events (newest first, as listed) and their
 * stored texts. A message is sending until an outcome is logged: sent, not sent (a decision, such as
 * a bounced address), or failed (to try again); a retry makes it sending again.
 */
export async function staffMessagesOf(deps: Pick<DashboardDeps, 'files'>, events: EventRecord[]): Promise<StaffMessageView[]> {
  const out: StaffMessageView[] = [];
  for (const e of [...events].reverse()) {
    if (e.action !== MESSAGE_EVENTS.requested || typeof e.detail.key !== 'string') continue;
    const key = e.detail.key;
    const ofKey = events.filter((o) => o.detail.key === key);
    const outcome = ofKey.find((o) => OUTCOMES.has(o.action));
    const sent = outcome?.action === MESSAGE_EVENTS.sent ? outcome : undefined;
    const text = await deps.files.readJson<StaffMessage>(STAFF_MESSAGE_KIND, key).catch(() => undefined);
    const view: StaffMessageView = {
      key,
      applicationId: e.subject,
      by: e.actor,
      at: e.at,
      ...(text ? { to: text.to, subject: text.subject, body: text.body } : {}),
      state: !outcome || outcome.action === MESSAGE_EVENTS.retried ? 'sending' : sent ? 'sent' : outcome.action === MESSAGE_EVENTS.failed ? 'failed' : 'not sent',
      ...(sent ? { sentAt: sent.at } : {}),
      ...(outcome?.action === MESSAGE_EVENTS.none && typeof outcome.detail.reason === 'string' ? { reason: outcome.detail.reason } : {}),
      retries: ofKey.filter((o) => o.action === MESSAGE_EVENTS.retried).length,
      interrupted: ofKey.some((o) => o.action === MESSAGE_EVENTS.interrupted),
    };
    if (outcome?.action === MESSAGE_EVENTS.failed) {
      view.failure = { reason: typeof outcome.detail.reason === 'string' ? outcome.detail.reason : 'failed', attempt: typeof outcome.detail.attempt === 'number' ? outcome.detail.attempt : 1 };
    }
    out.push(view);
  }
  return out;
}
