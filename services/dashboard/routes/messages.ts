/**
 * POST /applications/:id/message: staff write to the applicant
 * (services/dashboard/staff-messages.ts). The text is stored under the form's
 * key before the event and the job, so a job never finds no text; a key
 * already requested is not requested again (a double press), and the job id
 * is the key's, so the reply worker sends it once. CSRF as every form.
 */
import { MESSAGE_EVENTS, STAFF_MESSAGE_KIND, isMessageKey, type StaffMessage } from '../../../core/reply/staff-message';
import { safeError } from '../../common/logger';
import { isId, redirectTo, sendMessage, staffOf, stringField, type RouteModule } from '../context';
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
    const events = await deps.store.listEvents(application.id, EVENTS_LOOKED_AT);
    const target = await threadTarget(deps, application);
    if (!target.to) return back('error=message-no-address');
    if (!events.some((e) => e.action === MESSAGE_EVENTS.requested && e.detail.key === key)) {
      const at = deps.now().toISOString();
      const message: StaffMessage = { applicationId: application.id, messageId: target.messageId, to: target.to, subject, body, by: user.username, at };
      await deps.files.writeJson(STAFF_MESSAGE_KIND, key, message);
      // Ids only in the event log; the text stays with the message.
      await deps.store.appendEvent({ actor: user.username, action: MESSAGE_EVENTS.requested, subject: application.id, detail: { key }, at });
      request.log.info({ applicationId: application.id, user: user.username }, 'dashboard: message to the applicant requested');
    }
    const stored = await deps.files.readJson<StaffMessage>(STAFF_MESSAGE_KIND, key);
    try {
      await deps.requestReply(stored.messageId, { hold: false, key: `message-${key}`, staffMessage: key });
    } catch (err) {
      request.log.error({ err: safeError(err) }, 'dashboard: message could not be queued');
      return back('error=message-request-failed');
    }
    return back('done=message-queued');
  });
};
