/**
 * Merged applications of one person (core/merge-links.ts) as the dashboard
 * reads them: the applications this one is merged with, and the ones staff
 * may merge it with (same name, another address or programme; or any
 * application whose id staff paste).
 */
import { mergedWith } from '../../core/merge-links';
import type { ApplicationSummary, ApplicationView, Store } from '../../core/ports/store';

/** Events looked at to replay an application's links. */
export const LINK_EVENTS = 1000;
const CANDIDATES = 20;

export interface MergeModel {
  merged: ApplicationSummary[];
  candidates: ApplicationSummary[];
}

export async function linksOf(store: Pick<Store, 'listEvents'>, applicationId: string): Promise<string[]> {
  return mergedWith(applicationId, await store.listEvents(applicationId, LINK_EVENTS));
}

export async function mergeModel(store: Store, application: ApplicationView): Promise<MergeModel> {
  const ids = await linksOf(store, application.id);
  const merged = (await Promise.all(ids.map((id) => store.getApplication(id)))).filter((a): a is ApplicationView => a !== undefined);
  const name = application.applicantName?.trim();
  const sameName = name && name.length >= 3 ? await store.listApplications({ search: name, limit: CANDIDATES + 1 + ids.length }) : [];
  const candidates = sameName.filter((a) => a.id !== application.id && !ids.includes(a.id)).slice(0, CANDIDATES);
  return { merged, candidates };
}
