/**
 * Two applications of one person (two addresses) merged by staff (issue 12,
 * point 5): a thin, reversible link, not a move of rows. Merging logs
 * `application.merged` on both applications (detail `{ with: <the other id> }`),
 * undoing logs `application.unmerged` the same way; an application's links
 * are its own events replayed, so each side reads them by its own id and
 * both stores need no new table.
 *
 * Pure: no I/O, no clock.
 */
export const MERGE_EVENTS = { merged: 'application.merged', unmerged: 'application.unmerged' } as const;

interface LinkEvent {
  id: number;
  action: string;
  subject: string;
  detail: Record<string, unknown>;
}

/** The ids an application is merged with now, from its events (any order), in the order they were linked. */
export function mergedWith(applicationId: string, events: readonly LinkEvent[]): string[] {
  const links = new Set<string>();
  for (const e of [...events].sort((a, b) => a.id - b.id)) {
    if (e.subject !== applicationId || typeof e.detail.with !== 'string') continue;
    if (e.action === MERGE_EVENTS.merged) links.add(e.detail.with);
    else if (e.action === MERGE_EVENTS.unmerged) links.delete(e.detail.with);
  }
  return [...links];
}
