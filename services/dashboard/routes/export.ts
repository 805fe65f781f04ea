/** CSV of the applications the list's filters select (all of them when none), for the evaluation committee. */
import type { ApplicationView } from '../../../core/ports/store';
import { staffOf, type RouteModule } from '../context';
import { parseListQuery, toStoreFilter } from '../filters';
import { contentDisposition } from './files';

const BATCH = 500;

export const exportRoutes: RouteModule = (app, { deps }) => {
  app.get('/export.csv', { config: { kind: 'file' } }, async (request, reply) => {
    const user = staffOf(request);
    const query = parseListQuery(request.query);
    const filter = toStoreFilter(query);
    const apps: ApplicationView[] = [];
    for (let offset = 0; ; offset += BATCH) {
      const page = await deps.store.listApplications({ ...filter, limit: BATCH, offset });
      for (const summary of page) {
        const view = await deps.store.getApplication(summary.id);
        if (view) apps.push(view);
      }
      if (page.length < BATCH) break;
    }
    const csv = deps.exportCsv(apps);
    const day = deps.now().toISOString().slice(0, 10);
    request.log.info({ user: user.username, applications: apps.length, programme: query.programme || 'all' }, 'dashboard: CSV exported');
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', contentDisposition(true, `esor-applications-${query.programme || 'all'}-${day}.csv`))
      .send(csv);
  });
};
