/** The overview (counts, deadlines, what needs a person) and the filtered list of applications. */
import type { ApplicationSummary, Store } from '../../../core/ports/store';
import type { OfficeWords } from '../words';
import { sendPage, staffOf, type RouteModule } from '../context';
import { PAGE_SIZE, parseListQuery, toStoreFilter, UNKNOWN_PROGRAMME } from '../filters';
import { flashFrom } from '../views/common';
import { listPage } from '../views/applications';
import { linksOf } from '../merges';
import { overviewPage, type ProgrammeRow } from '../views/overview';

const QUEUE_SHOWN = 20;
const DAY_MS = 86_400_000;

/** Calendar days from `now`'s UTC date to `deadline` (YYYY-MM-DD); undefined when it is no date. */
export function daysUntil(deadline: string | undefined, now: Date): number | undefined {
  if (!deadline || !/^\d{4}-\d{2}-\d{2}/.test(deadline)) return undefined;
  const end = Date.parse(`${deadline.slice(0, 10)}T00:00:00.000Z`);
  if (Number.isNaN(end)) return undefined;
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.round((end - today) / DAY_MS);
}

/** Unreviewed applications looked at for flags that ask for a person: more than an office's call receives. */
const FLAGGED_SCAN = 5000;

/**
 * Complete or incomplete applications, not yet reviewed, that carry a flag asking for a person: the
 * verdict went out (an incomplete reply asks for what is surely missing) but something else stays
 * unsure. Oldest first. needs_review and ineligible applications have queues of their own.
 */
export async function flaggedForPerson(store: Store, words: OfficeWords): Promise<ApplicationSummary[]> {
  const unreviewed = await store.listApplications({ unreviewed: true, sort: 'received', order: 'asc', limit: FLAGGED_SCAN });
  return unreviewed.filter((a) => (a.status === 'complete' || a.status === 'incomplete') && a.flags.some((f) => words.needsPerson(f)));
}

/** The id of the newest event, which the page's script polls past. */
export async function latestEventId(store: Store): Promise<number> {
  return (await store.listEvents(undefined, 1))[0]?.id ?? 0;
}

export const overviewRoutes: RouteModule = (app, { deps, words: wordsNow }) => {
  app.get('/', async (request, reply) => {
    const user = staffOf(request);
    const { store } = deps;
    const now = deps.now();
    const words = wordsNow();
    const liveSince = await latestEventId(store);
    const rows: ProgrammeRow[] = [];
    for (const p of deps.rules().programmes) {
      const days = daysUntil(p.deadline, now);
      rows.push({ key: p.id, title: p.title, ...(p.deadline ? { deadline: p.deadline } : {}), ...(days !== undefined ? { daysToDeadline: days } : {}), counts: await store.countByStatus(p.id) });
    }
    rows.push({ key: UNKNOWN_PROGRAMME, title: 'Programme not known', counts: await store.countByStatus(null) });
    rows.push({ key: '', title: 'All programmes', counts: await store.countByStatus() });

    const needsFilter = { status: 'needs_review' as const, unreviewed: true };
    const ineligibleFilter = { status: 'ineligible' as const, unreviewed: true };
    const heldReplies = await store.listReplies({ state: 'held' });
    const held = [];
    for (const r of heldReplies.slice(0, QUEUE_SHOWN)) {
      const app = await store.getApplication(r.applicationId);
      held.push({ reply: r, ...(app ? { app } : {}) });
    }
    const flagged = await flaggedForPerson(store, words);
    return sendPage(
      reply,
      overviewPage({
        words,
        flagged: { items: flagged.slice(0, QUEUE_SHOWN), total: flagged.length },
        user,
        ...(flashFrom(request.query) ? { flash: flashFrom(request.query)! } : {}),
        rows,
        needsReview: {
          items: await store.listApplications({ ...needsFilter, sort: 'received', order: 'asc', limit: QUEUE_SHOWN }),
          total: await store.countApplications(needsFilter),
        },
        held: { items: held, total: heldReplies.length },
        ineligible: {
          items: await store.listApplications({ ...ineligibleFilter, sort: 'received', order: 'asc', limit: QUEUE_SHOWN }),
          total: await store.countApplications(ineligibleFilter),
        },
        liveSince,
      }),
    );
  });

  app.get('/applications', async (request, reply) => {
    const user = staffOf(request);
    const query = parseListQuery(request.query);
    const filter = toStoreFilter(query);
    const liveSince = await latestEventId(deps.store);
    const total = await deps.store.countApplications(filter);
    const items = await deps.store.listApplications({ ...filter, limit: PAGE_SIZE, offset: (query.page - 1) * PAGE_SIZE });
    // One look per row shown (at most a page) at its own events: merges are links in the event log.
    const merged = new Map((await Promise.all(items.map(async (a) => [a.id, (await linksOf(deps.store, a.id)).length] as const))).filter(([, n]) => n > 0));
    const flash = flashFrom(request.query);
    return sendPage(
      reply,
      listPage({ user, query, items, merged, total, programmes: deps.rules().programmes, liveSince, words: wordsNow(), ...(flash ? { flash } : {}) }),
    );
  });
};
