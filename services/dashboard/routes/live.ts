/**
 * Live updates by polling: the page's script asks every few seconds what
 * happened since the event it last saw. Polling a small JSON answer survives
 * proxies, sleeping laptops and restarts without the bookkeeping of open
 * event streams.
 */
import { STATUSES, type Status } from '../../../core/types';
import { parsePositiveInt, staffOf, stringField, type RouteModule } from '../context';
import { UNKNOWN_PROGRAMME } from '../filters';

/** Events looked at per poll: more new ones than this are reported as "at least". */
const WINDOW = 500;

export interface LiveUpdate {
  /** The newest event id: the next poll's `since`. */
  latest: number;
  /** Applications triaged since `since`. */
  triaged: number;
  /** True when more happened than one poll looks at (`triaged` is then a lower bound). */
  more: boolean;
  /** Counts by status: `all`, each programme id, `unknown`; each with `total`. */
  counts: Record<string, Record<Status | 'total', number>>;
}

export const liveRoutes: RouteModule = (app, { deps }) => {
  app.get('/live.json', { config: { kind: 'api' } }, async (request, reply) => {
    staffOf(request);
    const sinceParam = stringField(request.query, 'since');
    const since = sinceParam === '0' ? 0 : (parsePositiveInt(sinceParam, Number.MAX_SAFE_INTEGER) ?? 0);
    const events = await deps.store.listEvents(undefined, WINDOW);
    const latest = events[0]?.id ?? 0;
    const fresh = events.filter((e) => e.id > since);
    const triaged = since === 0 ? 0 : fresh.filter((e) => e.action === 'application.triaged').length;
    const counts: LiveUpdate['counts'] = {};
    const withTotal = (c: Record<Status, number>) => ({ ...c, total: STATUSES.reduce((n, s) => n + c[s], 0) });
    counts.all = withTotal(await deps.store.countByStatus());
    counts[UNKNOWN_PROGRAMME] = withTotal(await deps.store.countByStatus(null));
    for (const p of deps.rules().programmes) counts[p.id] = withTotal(await deps.store.countByStatus(p.id));
    const body: LiveUpdate = { latest, triaged, more: since > 0 && fresh.length === events.length && events.length === WINDOW, counts };
    return reply.type('application/json; charset=utf-8').send(body);
  });
};
