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

/** The messages of an application, oldest first, from its events (newest first, as listed) and their stored texts. */
export async function staffMessagesOf(deps: Pick<DashboardDeps, 'files'>, events: EventRecord[]): Promise<StaffMessageView[]> {
  const out: StaffMessageView[] = [];
  for (const e of [...events].reverse()) {
    if (e.action !== MESSAGE_EVENTS.requested || typeof e.detail.key !== 'string') continue;
    const key = e.detail.key;
    const outcome = events.find((o) => (o.action === MESSAGE_EVENTS.sent || o.action === MESSAGE_EVENTS.none) && o.detail.key === key);
    const text = await deps.files.readJson<StaffMessage>(STAFF_MESSAGE_KIND, key).catch(() => undefined);
    out.push({
      key,
      by: e.actor,
      at: e.at,
      ...(text ? { to: text.to, subject: text.subject, body: text.body } : {}),
      state: !outcome ? 'sending' : outcome.action === MESSAGE_EVENTS.sent ? 'sent' : 'not sent',
      ...(outcome?.action === MESSAGE_EVENTS.sent ? { sentAt: outcome.at } : {}),
      ...(outcome?.action === MESSAGE_EVENTS.none && typeof outcome.detail.reason === 'string' ? { reason: outcome.detail.reason } : {}),
    });
  }
  return out;
}
