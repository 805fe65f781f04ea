/**
 * What staff do to an application, each a POST answered with a redirect
 * (Post/Redirect/Get) and each recorded in the event log by the store method
 * it calls, with the staff user as actor. A correction of the verdict (status,
 * sections, re-run) asks the reply stage to recompute the reply and hold it
 * for approval.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isStoreError, type ApplicationView, type RevisionView } from '../../../core/ports/store';
import { SECTION_IDS } from '../../../core/types';
import { safeError } from '../../common/logger';
import { isId, parsePositiveInt, redirectTo, sendMessage, staffOf, stringField, type RouteModule } from '../context';
import type { SectionOverride } from '../deps';
import { loadRevisionDocuments, pickRevision } from '../documents';
import { isStatus } from '../views/common';

const MAX_NOTE = 5000;
const MAX_REASON = 2000;
const MAX_SUBJECT = 500;
const MAX_BODY = 50_000;

/** Text from a textarea with line ends made `\n` and the ends trimmed. */
function textField(body: unknown, name: string): string {
  return (stringField(body, name) ?? '').replace(/\r\n?/g, '\n').trim();
}

/**
 * The staff's section ranges from the form (`first_<id>`, `last_<id>`), or
 * undefined when one is half filled, not a page number, reversed, past the
 * end, or overlapping another.
 */
export function parseSectionRanges(body: unknown, totalPages?: number): SectionOverride[] | undefined {
  const out: SectionOverride[] = [];
  for (const id of SECTION_IDS) {
    const first = (stringField(body, `first_${id}`) ?? '').trim();
    const last = (stringField(body, `last_${id}`) ?? '').trim();
    if (first === '' && last === '') continue;
    const a = parsePositiveInt(first, totalPages ?? 100_000);
    const b = parsePositiveInt(last, totalPages ?? 100_000);
    if (a === undefined || b === undefined || a > b) return undefined;
    out.push({ id, pages: [a, b] });
  }
  const sorted = [...out].sort((x, y) => x.pages[0] - y.pages[0]);
  for (let i = 1; i < sorted.length; i++) if (sorted[i]!.pages[0] <= sorted[i - 1]!.pages[1]) return undefined;
  return out;
}

export const actionRoutes: RouteModule = (app, { deps }) => {
  const { store } = deps;
  const at = () => deps.now().toISOString();

  function back(reply: FastifyReply, application: ApplicationView, outcome: { done?: string; error?: string }, anchor: string, revision?: number): FastifyReply {
    const params = new URLSearchParams();
    if (revision !== undefined && revision !== application.latest.revision) params.set('rev', String(revision));
    if (outcome.done) params.set('done', outcome.done);
    if (outcome.error) params.set('error', outcome.error);
    return redirectTo(reply, `/applications/${application.id}?${params.toString()}#${anchor}`);
  }

  async function applicationOf(request: FastifyRequest<{ Params: { id: string } }>): Promise<ApplicationView | undefined> {
    const { id } = request.params;
    return isId(id) ? store.getApplication(id) : undefined;
  }

  function revisionOf(application: ApplicationView, body: unknown): RevisionView | undefined {
    const rev = stringField(body, 'rev');
    return pickRevision(application, rev === undefined || rev === '' ? undefined : (parsePositiveInt(rev) ?? -1));
  }

  const missing = (request: FastifyRequest, reply: FastifyReply) => sendMessage(reply, 404, 'Not found', 'There is no such application.', staffOf(request));

  /** Queues the recomputed reply; false when queueing failed (the change itself is saved). */
  async function requestReply(request: FastifyRequest, messageId: string, opts: { hold: boolean; key: string; replyId?: string }): Promise<boolean> {
    try {
      await deps.requestReply(messageId, opts);
      return true;
    } catch (err) {
      request.log.error({ err: safeError(err), key: opts.key }, 'dashboard: reply could not be queued');
      return false;
    }
  }

  /** A key unique to this amendment: the id of the event the store logged for it. */
  async function amendKey(applicationId: string): Promise<string> {
    const last = (await store.listEvents(applicationId, 1))[0];
    return `amend-${last ? last.id : deps.now().getTime()}`;
  }

  // ---- replies

  type ReplyParams = { Params: { id: string; replyId: string } };
  for (const action of ['approve', 'edit', 'discard'] as const) {
    app.post<ReplyParams>(`/applications/:id/replies/:replyId/${action}`, async (request, reply) => {
      const user = staffOf(request);
      const application = await applicationOf(request);
      if (!application) return missing(request, reply);
      const { replyId } = request.params;
      const record = isId(replyId) ? await store.getReply(replyId) : undefined;
      if (!record || record.applicationId !== application.id) return sendMessage(reply, 404, 'Not found', 'There is no such reply.', user);
      const revision = application.revisions.find((r) => r.revision === record.revision);
      if (!revision) return sendMessage(reply, 404, 'Not found', 'There is no such reply.', user);
      try {
        if (action === 'discard') {
          await store.discardReply(record.id, user.username);
          request.log.info({ replyId: record.id, user: user.username }, 'dashboard: reply discarded');
          return back(reply, application, { done: 'reply-discarded' }, 'replies');
        }
        let edited: { subject: string; body: string } | undefined;
        if (action === 'edit') {
          const subject = textField(request.body, 'subject').replace(/\s*\n\s*/g, ' ');
          const body = textField(request.body, 'body');
          if (!subject || !body || subject.length > MAX_SUBJECT || body.length > MAX_BODY) return back(reply, application, { error: 'reply-empty' }, 'replies');
          edited = { subject, body };
        }
        await store.approveReply(record.id, user.username, edited);
      } catch (err) {
        if (isStoreError(err, 'STORE_INVALID_STATE')) {
          return back(reply, application, { error: action === 'discard' ? 'reply-already-sent' : 'reply-not-held' }, 'replies');
        }
        throw err;
      }
      request.log.info({ replyId: record.id, user: user.username, edited: action === 'edit' }, 'dashboard: reply approved');
      const queued = await requestReply(request, revision.messageId, { hold: false, key: `approve-${record.id}`, replyId: record.id });
      return back(reply, application, queued ? { done: action === 'edit' ? 'reply-edited' : 'reply-approved' } : { error: 'reply-request-failed' }, 'replies');
    });
  }

  // ---- corrections of the verdict

  app.post<{ Params: { id: string } }>('/applications/:id/status', async (request, reply) => {
    const user = staffOf(request);
    const application = await applicationOf(request);
    if (!application) return missing(request, reply);
    const revision = revisionOf(application, request.body);
    if (!revision) return back(reply, application, { error: 'revision-unknown' }, 'actions');
    const status = stringField(request.body, 'status');
    const reason = textField(request.body, 'reason');
    if (!isStatus(status)) return back(reply, application, { error: 'status-invalid' }, 'actions', revision.revision);
    if (!reason || reason.length > MAX_REASON) return back(reply, application, { error: 'reason-required' }, 'actions', revision.revision);
    if (status === revision.status) return back(reply, application, { error: 'status-unchanged' }, 'actions', revision.revision);
    await store.amendRevision({
      applicationId: application.id,
      revision: revision.revision,
      result: { ...revision.result, status },
      action: 'status.overridden',
      actor: user.username,
      reason,
      at: at(),
    });
    request.log.info({ applicationId: application.id, revision: revision.revision, from: revision.status, status, user: user.username }, 'dashboard: status overridden');
    const queued = await requestReply(request, revision.messageId, { hold: true, key: await amendKey(application.id) });
    return back(reply, application, queued ? { done: 'status-overridden' } : { error: 'reply-request-failed' }, 'verdict', revision.revision);
  });

  app.post<{ Params: { id: string } }>('/applications/:id/sections', async (request, reply) => {
    const user = staffOf(request);
    const application = await applicationOf(request);
    if (!application) return missing(request, reply);
    const revision = revisionOf(application, request.body);
    if (!revision) return back(reply, application, { error: 'revision-unknown' }, 'actions');
    const docs = await loadRevisionDocuments(deps.files, revision);
    const sections = parseSectionRanges(request.body, docs.totalPages);
    if (!sections) return back(reply, application, { error: 'sections-invalid' }, 'actions', revision.revision);
    let decided;
    try {
      decided = await deps.redecide(application.id, revision.revision, { sections });
    } catch (err) {
      request.log.warn({ err: safeError(err), applicationId: application.id }, 'dashboard: re-deciding with staff sections failed');
      const code = (err as { name?: unknown; code?: unknown }).name === 'SpanError' ? 'sections-invalid' : 'redecide-failed';
      return back(reply, application, { error: code }, 'actions', revision.revision);
    }
    await store.amendRevision({
      applicationId: application.id,
      revision: revision.revision,
      result: decided.result,
      rulesHash: decided.rulesHash,
      action: 'sections.overridden',
      actor: user.username,
      at: at(),
    });
    request.log.info({ applicationId: application.id, revision: revision.revision, sections: sections.length, user: user.username }, 'dashboard: sections overridden');
    await deps.cutSections?.(application.id, revision.revision, decided.result.sections).catch((err: unknown) => {
      request.log.warn({ err: safeError(err), applicationId: application.id }, 'dashboard: section files not cut again');
    });
    const queued = await requestReply(request, revision.messageId, { hold: true, key: await amendKey(application.id) });
    return back(reply, application, queued ? { done: 'sections-overridden' } : { error: 'reply-request-failed' }, 'verdict', revision.revision);
  });

  app.post<{ Params: { id: string } }>('/applications/:id/retriage', async (request, reply) => {
    const user = staffOf(request);
    const application = await applicationOf(request);
    if (!application) return missing(request, reply);
    const revision = revisionOf(application, request.body);
    if (!revision) return back(reply, application, { error: 'revision-unknown' }, 'actions');
    let decided;
    try {
      decided = await deps.redecide(application.id, revision.revision);
    } catch (err) {
      request.log.warn({ err: safeError(err), applicationId: application.id }, 'dashboard: re-running triage failed');
      return back(reply, application, { error: 'redecide-failed' }, 'actions', revision.revision);
    }
    await store.amendRevision({
      applicationId: application.id,
      revision: revision.revision,
      result: decided.result,
      rulesHash: decided.rulesHash,
      action: 'application.retriaged',
      actor: user.username,
      at: at(),
    });
    request.log.info({ applicationId: application.id, revision: revision.revision, status: decided.result.status, user: user.username }, 'dashboard: triage re-run');
    const queued = await requestReply(request, revision.messageId, { hold: true, key: await amendKey(application.id) });
    return back(reply, application, queued ? { done: 'retriaged' } : { error: 'reply-request-failed' }, 'verdict', revision.revision);
  });

  // ---- review and notes

  app.post<{ Params: { id: string } }>('/applications/:id/reviewed', async (request, reply) => {
    const user = staffOf(request);
    const application = await applicationOf(request);
    if (!application) return missing(request, reply);
    await store.markReviewed(application.id, user.username, at());
    request.log.info({ applicationId: application.id, user: user.username }, 'dashboard: marked reviewed');
    return back(reply, application, { done: 'reviewed' }, 'verdict');
  });

  // A bounce mark stops every reply to the address until it expires; staff clear it when the
  // applicant says the mailbox works again.
  app.post<{ Params: { id: string } }>('/applications/:id/bounce/clear', async (request, reply) => {
    const user = staffOf(request);
    const application = await applicationOf(request);
    if (!application) return missing(request, reply);
    const cleared = application.applicantEmail ? await store.clearAddressBounce(application.applicantEmail, user.username, at()) : false;
    request.log.info({ applicationId: application.id, user: user.username, cleared }, 'dashboard: bounce mark cleared');
    return back(reply, application, cleared ? { done: 'bounce-cleared' } : { error: 'no-bounce' }, 'replies');
  });

  app.post<{ Params: { id: string } }>('/applications/:id/notes', async (request, reply) => {
    const user = staffOf(request);
    const application = await applicationOf(request);
    if (!application) return missing(request, reply);
    const text = textField(request.body, 'text');
    if (!text || text.length > MAX_NOTE) return back(reply, application, { error: 'note-empty' }, 'notes');
    await store.addNote(application.id, user.username, text, at());
    // The note's text stays out of the log.
    request.log.info({ applicationId: application.id, user: user.username }, 'dashboard: note added');
    return back(reply, application, { done: 'note-added' }, 'notes');
  });
};
