/**
 * The committee pack of one programme as a zip (services/common/committee-pack.ts,
 * the same pack as `esor-intake pack`), for any signed-in member of staff:
 * every complete application, or those named by `application=ID` (repeatable).
 * Each download is recorded in the event log (who, which programme, how many):
 * the pack is personal data leaving the system.
 */
import { isId, staffOf, type RouteModule } from '../context';
import { contentDisposition } from './files';

const PROGRAMME_ID = /^[a-z0-9][a-z0-9-]{0,99}$/;
const MAX_SELECTED = 500;

function selectedIds(query: unknown): string[] | undefined {
  const raw = (query as Record<string, unknown> | undefined)?.application;
  const list = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : [];
  const ids = list.filter(isId).slice(0, MAX_SELECTED);
  return ids.length ? [...new Set(ids)] : undefined;
}

export const packRoutes: RouteModule = (app, { deps }) => {
  app.get<{ Params: { id: string } }>('/programmes/:id/committee-pack.zip', { config: { kind: 'file' } }, async (request, reply) => {
    const user = staffOf(request);
    const { id } = request.params;
    if (!PROGRAMME_ID.test(id) || !deps.committeePack) return reply.code(404).type('text/plain; charset=utf-8').send('Not found.\n');
    const selected = selectedIds(request.query);
    const pack = await deps.committeePack(id, selected);
    if (!pack) return reply.code(404).type('text/plain; charset=utf-8').send('Not found.\n');
    await deps.store.appendEvent({
      actor: user.username,
      action: 'committee_pack.downloaded',
      subject: id,
      detail: { applications: pack.applications, selected: selected?.length ?? 0 },
      at: deps.now().toISOString(),
    });
    request.log.info({ user: user.username, programme: id, applications: pack.applications }, 'dashboard: committee pack downloaded');
    return reply.type('application/zip').header('content-disposition', contentDisposition(true, pack.fileName)).send(pack.zip);
  });
};
