/**
 * POST /applications/:id/merge and /unmerge: staff link two applications of
 * one person (core/merge-links.ts), recorded in the event log on both sides
 * with the staff user as actor, and undo it. Each side is written only when
 * its own events do not say so already, so a repeated post (or one whose
 * second write failed) completes the link without doubling it. CSRF as
 * every form.
 */
import { MERGE_EVENTS } from '../../../core/merge-links';
import { isId, redirectTo, sendMessage, staffOf, stringField, type RouteModule } from '../context';
import { linksOf } from '../merges';

export const mergeRoutes: RouteModule = (app, { deps }) => {
  const { store } = deps;
  for (const action of ['merge', 'unmerge'] as const) {
    app.post<{ Params: { id: string } }>(`/applications/:id/${action}`, async (request, reply) => {
      const user = staffOf(request);
      const { id } = request.params;
      const application = isId(id) ? await store.getApplication(id) : undefined;
      if (!application) return sendMessage(reply, 404, 'Not found', 'There is no such application.', user);
      const back = (outcome: string) => redirectTo(reply, `/applications/${application.id}?${outcome}#same-person`);
      // A pasted link or id: the last path segment.
      const otherId = (stringField(request.body, 'other') ?? '').trim().split(/[/?#]/).filter(Boolean).at(-1) ?? '';
      const other = isId(otherId) && otherId !== application.id ? await store.getApplication(otherId) : undefined;
      if (!other) return back('error=merge-unknown');
      const at = deps.now().toISOString();
      const want = action === 'merge';
      for (const [from, to] of [
        [application.id, other.id],
        [other.id, application.id],
      ] as const) {
        const linked = (await linksOf(store, from)).includes(to);
        if (linked === want) continue;
        await store.appendEvent({ actor: user.username, action: want ? MERGE_EVENTS.merged : MERGE_EVENTS.unmerged, subject: from, detail: { with: to }, at });
      }
      request.log.info({ applicationId: application.id, other: other.id, user: user.username }, `dashboard: applications ${want ? 'merged' : 'unmerged'}`);
      return back(want ? 'done=merged' : 'done=unmerged');
    });
  }
};
