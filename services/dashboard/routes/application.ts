/** One application, in the order staff work: verdict and what to decide, documents (page viewer, strip, files), facts, mail, replies, notes, history. */
import type { EventRecord } from '../../../core/ports/store';
import { isId, parsePositiveInt, sendMessage, sendPage, staffOf, stringField, type RouteModule } from '../context';
import { documentsErasedAt, loadRevisionDocuments, pickRevision } from '../documents';
import { flashFrom } from '../views/common';
import { applicationPage } from '../views/application';
import { composeModel, staffMessagesOf } from '../staff-messages';
import { mergeModel } from '../merges';

const EVENTS_SHOWN = 200;

export const applicationRoutes: RouteModule = (app, { deps, words }) => {
  app.get<{ Params: { id: string } }>('/applications/:id', async (request, reply) => {
    const user = staffOf(request);
    const { id } = request.params;
    const application = isId(id) ? await deps.store.getApplication(id) : undefined;
    if (!application) return sendMessage(reply, 404, 'Not found', 'There is no such application.', user);
    const revParam = stringField(request.query, 'rev');
    const revision = pickRevision(application, revParam === undefined ? undefined : (parsePositiveInt(revParam) ?? -1));
    if (!revision) return sendMessage(reply, 404, 'Not found', 'This application has no such revision.', user);

    const [docs, allSectionFiles, replies, notes, erasedAt] = await Promise.all([
      loadRevisionDocuments(deps.files, revision),
      deps.store.listSectionFiles(application.id, revision.revision),
      deps.store.listReplies({ applicationId: application.id }),
      deps.store.listNotes(application.id),
      documentsErasedAt(deps.store, application.id, revision),
    ]);
    // Only the files of the ranges in force: after staff fixed the sections, the first cut's files stay on disk.
    const inForce = new Set(revision.sections.map((x) => `${x.id}:${x.pages[0]}-${x.pages[1]}`));
    const sectionFiles = allSectionFiles.filter((f) => inForce.has(`${f.section}:${f.pages[0]}-${f.pages[1]}`));
    // Events about the application, its messages and its replies, newest first.
    const subjects = new Set([application.id, ...application.revisions.map((r) => r.messageId), ...replies.map((r) => r.id)]);
    const byId = new Map<number, EventRecord>();
    for (const subject of subjects) for (const e of await deps.store.listEvents(subject, EVENTS_SHOWN)) byId.set(e.id, e);
    const events = [...byId.values()].sort((a, b) => b.id - a.id).slice(0, EVENTS_SHOWN);

    const [compose, messages, merge] = await Promise.all([
      composeModel(deps, application, words(), user, stringField(request.query, 'template')),
      staffMessagesOf(deps, events.filter((e) => e.subject === application.id)),
      mergeModel(deps.store, application),
    ]);
    const flash = flashFrom(request.query);
    const viewPage = parsePositiveInt(stringField(request.query, 'page'), 100_000);
    return sendPage(reply, applicationPage({ user, app: application, revision, docs, sectionFiles, replies, notes, events, compose, messages, merge, words: words(), ...(viewPage ? { viewPage } : {}), ...(flash ? { flash } : {}), ...(erasedAt ? { documentsErasedAt: erasedAt } : {}) }));
  });
};
