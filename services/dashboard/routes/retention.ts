/**
 * Admins: retention (/rules/retention: each programme's periods, the dry run
 * of what must go today, Delete now) and one applicant's erasure on request
 * (/rules/erasure/:id). Both run the commands' own steps
 * (services/common/erasure-runs.ts) on what the commands open
 * (`deps.withErasure`), so the page deletes exactly what `esor-intake
 * retention` and `esor-intake erase` would, records the same events, and
 * refuses where they refuse (the PostgreSQL store), in words.
 *
 * Both under /rules, as every admin page (test/dashboard/security.test.ts).
 * A deletion is confirmed on the page that listed it: a ticked box for
 * retention (and the list must not have changed since), the typed word for
 * an erasure. The log names the admin and counts, never an applicant.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EventRecord } from '../../../core/ports/store';
import { addDays } from '../../../core/retention/plan-retention';
import { ErasureUnavailableError, type ErasureTarget } from '../../common/erasure';
import { retentionDay, runApplicantErasure, runRetention, type ErasureStep, type RetentionRun } from '../../common/erasure-runs';
import { isId, sendMessage, sendPage, staffOf, stringField, type RouteModule } from '../context';
import type { DashboardDeps } from '../deps';
import type { Flash } from '../views/common';
import { CONFIRM_WORD, erasurePage, retentionPage, type ErasureUnavailable, type ProgrammeRetention, type RetentionModel, type StepRow } from '../views/retention';

type Opened<T> = { value: T } | { unavailable: ErasureUnavailable };

/** Runs `run` on what the commands open; a refusal (PostgreSQL, no store, not wired) comes back as its code. */
async function opened<T>(deps: DashboardDeps, dryRun: boolean, run: (target: ErasureTarget) => Promise<T>): Promise<Opened<T>> {
  if (!deps.withErasure) return { unavailable: 'NOT_WIRED' };
  try {
    return { value: await deps.withErasure(dryRun, run) };
  } catch (err) {
    if (err instanceof ErasureUnavailableError) return { unavailable: err.code };
    throw err;
  }
}

function programmesOf(deps: DashboardDeps): ProgrammeRetention[] {
  const settings = new Map((deps.retentionSettings?.() ?? []).map((s) => [s.programme, s]));
  return deps.rules().programmes.map((p) => {
    const s = settings.get(p.id);
    const selectionDate = s?.selectionDate ?? p.selectionDate;
    return {
      title: p.title,
      ...(selectionDate ? { selectionDate } : {}),
      ...(s ? { documentsDays: s.documentsDaysAfterSelection, days: s.daysAfterSelection } : {}),
      // The same days planRetention counts (documents never later than the whole application).
      ...(s?.selectionDate
        ? { documentsFrom: addDays(s.selectionDate, Math.min(s.documentsDaysAfterSelection, s.daysAfterSelection)), allFrom: addDays(s.selectionDate, s.daysAfterSelection) }
        : {}),
    };
  });
}

/** Which steps a plan holds: Delete now goes ahead only on the list the admin saw. */
function fingerprintOf(run: RetentionRun): string {
  const items = run.steps.map((s) => `${s.item.applicationId}:${s.item.step}`).sort();
  return createHash('sha256').update(`${run.today}\n${items.join('\n')}`).digest('hex').slice(0, 32);
}

/** The names and received dates of the applications a run concerns, read before anything goes. */
async function rowsOf(target: ErasureTarget, run: RetentionRun): Promise<StepRow[]> {
  const rows: StepRow[] = [];
  for (const s of run.steps) {
    const a = await target.store.getApplication(s.item.applicationId);
    rows.push({ applicationId: s.item.applicationId, name: a?.applicantName ?? '', ...(a ? { receivedAt: a.receivedAt } : {}), programme: s.work.programme, dueSince: s.item.dueSince, work: s.work });
  }
  return rows;
}

const STEP_EVENTS = { documents: 'application.documents_erased', application: 'application.erased' } as const;

/** The event each step just wrote (its action, this admin, this instant), oldest first. */
async function eventsOf(deps: DashboardDeps, rows: readonly StepRow[], actor: string, at: string): Promise<EventRecord[]> {
  const out: EventRecord[] = [];
  for (const r of rows) {
    const written = (await deps.store.listEvents(r.applicationId, 50)).find((e) => e.action === STEP_EVENTS[r.work.step] && e.actor === actor && e.at === at);
    if (written) out.push(written);
  }
  return out.sort((a, b) => a.id - b.id);
}

export const retentionRoutes: RouteModule = (app, { deps, words }) => {
  const admin = { config: { access: 'admin' as const } };
  const settings = () => deps.retentionSettings?.() ?? [];
  // The office's day, in the zone every date of these pages is shown in (ESOR_OFFICE_TIME_ZONE), as the command's.
  const clockAt = (at: Date) => ({ at, timeZone: words().timeZone });

  /** The page with today's dry run (and what was just done). */
  async function showRetention(request: FastifyRequest, reply: FastifyReply, extra: { flash?: Flash; done?: RetentionModel['done']; status?: number } = {}) {
    const user = staffOf(request);
    const at = deps.now();
    const dry = await opened(deps, true, async (target) => {
      const run = await runRetention(target, settings(), clockAt(at), user.username);
      return { rows: await rowsOf(target, run), unregulated: run.plan.unregulated, fingerprint: fingerprintOf(run) };
    });
    const model: RetentionModel = {
      user,
      words: words(),
      programmes: programmesOf(deps),
      today: retentionDay(at, words().timeZone),
      ...('value' in dry ? { due: dry.value } : { unavailable: dry.unavailable }),
      ...(extra.flash ? { flash: extra.flash } : {}),
      ...(extra.done ? { done: extra.done } : {}),
    };
    return sendPage(reply, retentionPage(model), extra.status ?? 200);
  }

  app.get('/rules/retention', admin, async (request, reply) => showRetention(request, reply));

  app.post('/rules/retention/delete', admin, async (request, reply) => {
    const user = staffOf(request);
    if (stringField(request.body, 'confirm') !== 'yes') {
      return showRetention(request, reply, { status: 400, flash: { kind: 'error', text: 'Tick the box to confirm that the list may be deleted; nothing was deleted.' } });
    }
    const at = deps.now();
    // The list as it stands now, named before anything goes (whole applications are not named afterwards).
    const seen = await opened(deps, true, async (target) => {
      const run = await runRetention(target, settings(), clockAt(at), user.username);
      return { fingerprint: fingerprintOf(run), rows: await rowsOf(target, run) };
    });
    if (!('value' in seen)) return showRetention(request, reply, { status: 409 });
    if (seen.value.fingerprint !== stringField(request.body, 'plan')) {
      return showRetention(request, reply, { status: 409, flash: { kind: 'error', text: 'The list changed since the page showed it (another run, new applications or a new day). Check it again; nothing was deleted.' } });
    }
    const before = new Map(seen.value.rows.map((r) => [`${r.applicationId}:${r.work.step}`, r]));
    const done = await opened(deps, false, (target) => runRetention(target, settings(), clockAt(at), user.username));
    if (!('value' in done)) return showRetention(request, reply, { status: 409 });
    const rows: StepRow[] = done.value.steps.map((s) => {
      const seenRow = before.get(`${s.item.applicationId}:${s.item.step}`);
      const row: StepRow = { applicationId: s.item.applicationId, programme: s.work.programme, dueSince: s.item.dueSince, work: s.work, ...(seenRow?.receivedAt ? { receivedAt: seenRow.receivedAt } : {}), ...(s.done ? { done: s.done } : {}) };
      // Documents gone, the application stays and keeps its name and link; erased whole, it is named no more.
      return s.item.step === 'documents' && seenRow?.name !== undefined ? { ...row, name: seenRow.name } : row;
    });
    request.log.info(
      { user: user.username, documents: rows.filter((r) => r.work.step === 'documents').length, whole: rows.filter((r) => r.work.step === 'application').length },
      'dashboard: retention run',
    );
    const events = await eventsOf(deps, rows, user.username, at.toISOString());
    return showRetention(request, reply, { done: { rows, events } });
  });

  app.get<{ Params: { id: string } }>('/rules/erasure/:id', admin, async (request, reply) => {
    const user = staffOf(request);
    const application = isId(request.params.id) ? await deps.store.getApplication(request.params.id) : undefined;
    if (!application) return sendMessage(reply, 404, 'Not found', 'There is no such application.', user);
    const base = { user, words: words(), applicationId: application.id, ...(application.applicantName ? { name: application.applicantName } : {}) };
    const email = application.applicantEmail;
    if (!email) return sendPage(reply, erasurePage({ ...base, noAddress: true }));
    const dry = await opened(deps, true, (target) => runApplicantErasure(target, email, deps.now(), user.username));
    if (!('value' in dry)) return sendPage(reply, erasurePage({ ...base, unavailable: dry.unavailable }));
    return sendPage(reply, erasurePage({ ...base, due: { rows: erasureRows(dry.value.steps, dry.value.applications, true) } }));
  });

  app.post<{ Params: { id: string } }>('/rules/erasure/:id', admin, async (request, reply) => {
    const user = staffOf(request);
    const application = isId(request.params.id) ? await deps.store.getApplication(request.params.id) : undefined;
    if (!application) return sendMessage(reply, 404, 'Not found', 'There is no such application (it may have been erased already).', user);
    const email = application.applicantEmail;
    const base = { user, words: words(), applicationId: application.id };
    if (!email) return sendPage(reply, erasurePage({ ...base, noAddress: true }), 400);
    if ((stringField(request.body, 'confirm') ?? '').trim().toLowerCase() !== CONFIRM_WORD) {
      const dry = await opened(deps, true, (target) => runApplicantErasure(target, email, deps.now(), user.username));
      const flash: Flash = { kind: 'error', text: `Type ${CONFIRM_WORD} to confirm; nothing was erased.` };
      if (!('value' in dry)) return sendPage(reply, erasurePage({ ...base, flash, unavailable: dry.unavailable }), 400);
      return sendPage(reply, erasurePage({ ...base, flash, due: { rows: erasureRows(dry.value.steps, dry.value.applications, true) } }), 400);
    }
    const at = deps.now();
    const done = await opened(deps, false, (target) => runApplicantErasure(target, email, at, user.username));
    if (!('value' in done)) return sendPage(reply, erasurePage({ ...base, unavailable: done.unavailable }), 409);
    const rows = erasureRows(done.value.steps, done.value.applications, false);
    request.log.info({ user: user.username, applications: rows.length, bounceForgotten: done.value.bounceForgotten }, 'dashboard: applicant erased on request');
    const events = await eventsOf(deps, rows, user.username, at.toISOString());
    return sendPage(reply, erasurePage({ ...base, done: { rows, bounceForgotten: done.value.bounceForgotten, events } }));
  });
};

/** Rows of an erasure; `named` only before it (an erased application is named no more). */
function erasureRows(steps: ErasureStep[], applications: ReadonlyArray<{ id: string; applicantName: string | null; receivedAt: string }>, named: boolean): StepRow[] {
  const byId = new Map(applications.map((a) => [a.id, a]));
  return steps.map((s) => {
    const a = byId.get(s.work.applicationId);
    return {
      applicationId: s.work.applicationId,
      ...(named ? { name: a?.applicantName ?? '' } : {}),
      ...(a ? { receivedAt: a.receivedAt } : {}),
      programme: s.work.programme,
      work: s.work,
      ...(s.done ? { done: s.done } : {}),
    };
  });
}
