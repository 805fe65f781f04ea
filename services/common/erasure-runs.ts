/**
 * The two runs that delete: what the programmes' retention periods say must
 * go today, and everything of one applicant on request. Shared by the
 * commands (services/commands/retention-command.ts, erase-command.ts) and the
 * admins' dashboard pages, so a page deletes exactly what the command would
 * and lists exactly what its `--dry-run` lists.
 *
 * A dry run is a target without erasers (withErasureTarget opens none for
 * one): each step is described and nothing is deleted. Each step is handed to
 * `onStep` as soon as it ends, so a command cut short has printed what it did.
 */
import type { Store, ApplicationSummary } from '../../core/ports/store';
import type { Programme } from '../../core/rules/schema';
import { planRetention, type RetentionItem, type RetentionPlan, type RetentionSetting, type RetentionCandidate } from '../../core/retention/plan-retention';
import { toZonedDate } from '../../core/time';
import { carryOutErasure, describeErasure, type ErasureDone, type ErasureTarget, type ErasureWork } from './erasure';

const BATCH = 500;

/** The retention settings of the programmes that have one (rules/programmes/*.yaml `selection_date`, `retention`). */
export function retentionSettingsOf(programmes: ReadonlyArray<Pick<Programme, 'id' | 'selection_date' | 'retention'>>): RetentionSetting[] {
  return programmes
    .filter((p) => p.retention)
    .map((p) => ({
      programme: p.id,
      ...(p.selection_date ? { selectionDate: p.selection_date } : {}),
      documentsDaysAfterSelection: p.retention!.documents_days_after_selection,
      daysAfterSelection: p.retention!.days_after_selection,
    }));
}

/** Every application with whether its documents already went (an earlier run's event). */
export async function retentionCandidates(store: Store): Promise<RetentionCandidate[]> {
  const out: RetentionCandidate[] = [];
  for (let offset = 0; ; offset += BATCH) {
    const page = await store.listApplications({ sort: 'received', order: 'asc', limit: BATCH, offset });
    for (const a of page) {
      const events = await store.listEvents(a.id, 1000);
      out.push({ applicationId: a.id, programme: a.programme, documentsErased: events.some((e) => e.action === 'application.documents_erased') });
    }
    if (page.length < BATCH) break;
  }
  return out;
}

/**
 * The day a run at `at` plans for (YYYY-MM-DD): the office's calendar day in `timeZone` (config
 * `office.timeZone`, the zone every date of the dashboard is in). The periods end on the office's days,
 * so at 00:30 in Paris the new day's steps are due although the UTC day is still yesterday's.
 * @throws RangeError when `timeZone` is not one Intl knows (config validation refuses it first).
 */
export function retentionDay(at: Date, timeZone: string): string {
  return toZonedDate(at, timeZone);
}

/** When a run happens: the instant (for the event log) and the office's time zone (for the day it plans). */
export interface RunClock {
  at: Date;
  timeZone: string;
}

/** One step of a run: what it deletes and, unless a dry run, what it deleted. */
export interface ErasureStep {
  work: ErasureWork;
  done?: ErasureDone;
}

export interface RetentionRun {
  /** The day the plan was made for (YYYY-MM-DD). */
  today: string;
  plan: RetentionPlan;
  /** In the plan's order; an application gone since the plan was made has no step. */
  steps: Array<ErasureStep & { item: RetentionItem }>;
}

async function step(target: ErasureTarget, work: ErasureWork, event: { actor: string; reason: 'retention' | 'request'; at: string }): Promise<ErasureStep> {
  if (!target.erasers) return { work };
  return { work, done: await carryOutErasure({ store: target.store, files: target.files, ...target.erasers }, work, event) };
}

/**
 * Plans retention for the office's day at `clock.at` and carries out (or, without erasers, describes) each
 * step due. `actor` goes to the event log (`command:retention`, or the admin's username).
 * @throws what the store, files and erasers throw; steps done before stay done and recorded.
 */
export async function runRetention(
  target: ErasureTarget,
  settings: readonly RetentionSetting[],
  clock: RunClock,
  actor: string,
  onStep?: (s: RetentionRun['steps'][number]) => void,
): Promise<RetentionRun> {
  const { at } = clock;
  const today = retentionDay(at, clock.timeZone);
  const plan = planRetention(settings, await retentionCandidates(target.store), today);
  const steps: RetentionRun['steps'] = [];
  for (const item of plan.items) {
    const work = await describeErasure(target, item.applicationId, item.step);
    if (!work) continue;
    const s = { item, ...(await step(target, work, { actor, reason: 'retention', at: at.toISOString() })) };
    steps.push(s);
    onStep?.(s);
  }
  return { today, plan, steps };
}

/** Every application whose sender is `email` (the grouped ones and those never grouped, e.g. not an application). */
export async function applicationsOfAddress(store: Store, email: string): Promise<ApplicationSummary[]> {
  const want = email.trim().toLowerCase();
  const found = new Map<string, ApplicationSummary>();
  for (const a of await store.listApplicationsOf(want)) found.set(a.id, a);
  for (let offset = 0; ; offset += BATCH) {
    const page = await store.listApplications({ search: want, limit: BATCH, offset });
    for (const a of page) if (a.applicantEmail?.toLowerCase() === want) found.set(a.id, a);
    if (page.length < BATCH) break;
  }
  return [...found.values()];
}

export interface ApplicantErasure {
  /** Applications found for the address (each has a step unless it went meanwhile). */
  applications: ApplicationSummary[];
  steps: ErasureStep[];
  /** Whether the address's bounce record was forgotten (never in a dry run). */
  bounceForgotten: boolean;
}

/**
 * Erases (or, without erasers, describes) everything kept of the applicant writing from `email`: each
 * application whole, then the address's bounce record. `actor` goes to the event log.
 * @throws what the store, files and erasers throw; applications erased before stay erased and recorded.
 */
export async function runApplicantErasure(target: ErasureTarget, email: string, at: Date, actor: string, onStep?: (s: ErasureStep) => void): Promise<ApplicantErasure> {
  const address = email.trim().toLowerCase();
  const applications = await applicationsOfAddress(target.store, address);
  const steps: ErasureStep[] = [];
  for (const a of applications) {
    const work = await describeErasure(target, a.id, 'application');
    if (!work) continue;
    const s = await step(target, work, { actor, reason: 'request', at: at.toISOString() });
    steps.push(s);
    onStep?.(s);
  }
  const bounceForgotten = target.erasers ? await target.erasers.records.forgetBouncedAddress(address) : false;
  return { applications, steps, bounceForgotten };
}
