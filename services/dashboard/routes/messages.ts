/**
 * POST /applications/:id/message: staff write to the applicant
 * (services/dashboard/staff-messages.ts). The text is stored under the form's
 * key before the send record and its `message.requested` event, so a job never
 * finds no text; a key already requested is not requested again (a double
 * press), and the job id is the key's, so the reply worker sends it once.
 *
 * POST /applications/:id/message/:key/retry: staff ask again for a message
 * whose sending failed. The form carries the failed attempt's number: the
 * store moves the message on only from that attempt, so a second press (or a
 * second member of staff) asks for nothing more, and the new attempt's job id
 * is its own (the failed job stays in the queue's failed list). CSRF as every form.
 */
import { isMessageKey, MESSAGE_EVENTS, STAFF_MESSAGE_KIND, staffMessageJobKey, type StaffMessage } from '../../../core/reply/staff-message';
import { safeError } from '../../common/logger';
import { isId, parsePositiveInt, redirectTo, sendMessage, staffOf, stringField, type RouteModule } from '../context';
import { threadTarget } from '../staff-messages';

const MAX_SUBJECT = 500;
const MAX_BODY = 50_000;
const EVENTS_LOOKED_AT = 1000;

export const messageRoutes: RouteModule = (app, { deps }) => {
  app.post<{ Params: { id: string } }>('/applications/:id/message', async (request, reply) => {
    const user = staffOf(request);
    const { id } = request.params;
    const application = isId(id) ? await deps.store.getApplication(id) : undefined;
    if (!application) return sendMessage(reply, 404, 'Not found', 'There is no such application.', user);
    const back = (outcome: string) => redirectTo(reply, `/applications/${application.id}?${outcome}#replies`);
    const key = stringField(request.body, 'key');
    const subject = (stringField(request.body, 'subject') ?? '').replace(/\s+/g, ' ').trim();
    const body = (stringField(request.body, 'body') ?? '').replace(/\r\n?/g, '\n').trim();
    if (!isMessageKey(key)) return back('error=message-form-old');
    if (!subject || !body || subject.length > MAX_SUBJECT || body.length > MAX_BODY) return back('error=message-empty');
    const target = await threadTarget(deps, application);
    if (!target.to) return back('error=message-no-address');
    // A message requested before sends were recorded has its request in the event log only.
    const known =
      (await deps.store.getStaffMessageSend(key)) ??
      (await deps.store.listEvents(application.id, EVENTS_LOOKED_AT)).find((e) => e.action === MESSAGE_EVENTS.requested && e.detail.key === key);
    if (!known) {
      const at = deps.now().toISOString();
      const message: StaffMessage = { applicationId: application.id, messageId: target.messageId, to: target.to, subject, body, by: user.username, at };
      await deps.files.writeJson(STAFF_MESSAGE_KIND, key, message);
      // Ids only in the event log; the text stays with the message.
      await deps.store.requestStaffMessage(key, application.id, user.username, at);
      request.log.info({ applicationId: application.id, user: user.username }, 'dashboard: message to the applicant requested');
    }
    const stored = await deps.files.readJson<StaffMessage>(STAFF_MESSAGE_KIND, key);
    if (stored.applicationId !== application.id) return back('error=message-form-old');
    try {
      await deps.requestReply(stored.messageId, { hold: false, key: staffMessageJobKey(key, 1), staffMessage: key });
    } catch (err) {
      request.log.error({ err: safeError(err) }, 'dashboard: message could not be queued');
      return back('error=message-request-failed');
    }
    return back('done=message-queued');
  });

  app.post<{ Params: { id: string; key: string } }>('/applications/:id/message/:key/retry', async (request, reply) => {
    const user = staffOf(request);
    const { id, key } = request.params;
    const send = isId(id) && isMessageKey(key) ? await deps.store.getStaffMessageSend(key) : undefined;
    if (!send || send.applicationId !== id) return sendMessage(reply, 404, 'Not found', 'There is no such message.', user);
    const back = (outcome: string) => redirectTo(reply, `/applications/${id}?${outcome}#message-${key}`);
    const attempt = parsePositiveInt(stringField(request.body, 'attempt'));
    if (attempt === undefined) return back('error=message-retry-old');
    const now = await deps.store.retryStaffMessage(key, attempt, user.username, deps.now().toISOString());
    // Moved on past the attempt the form showed: by this press, or by an earlier one (a double press,
    // or one whose job could not be queued) when it is still queued, which queues the same job again
    // (the queue adds nothing for a job id it holds). Sending, sent, or failed again: nothing to do.
    if (!now || now.attempt !== attempt + 1) return back('error=message-retry-old');
    if (now.state === 'queued') {
      const stored = await deps.files.readJson<StaffMessage>(STAFF_MESSAGE_KIND, key).catch(() => undefined);
      if (!stored) return back('error=message-request-failed');
      try {
        await deps.requestReply(stored.messageId, { hold: false, key: staffMessageJobKey(key, now.attempt), staffMessage: key });
      } catch (err) {
        request.log.error({ err: safeError(err) }, 'dashboard: message retry could not be queued');
        return back('error=message-request-failed');
      }
      request.log.info({ applicationId: id, user: user.username, attempt: now.attempt }, 'dashboard: message to the applicant tried again');
    }
    return back('done=message-retried');
  });
};
