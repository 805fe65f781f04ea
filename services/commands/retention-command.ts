/**
 * `esor-intake retention [--dry-run]`: deletes what the programmes' retention
 * periods say must go today (rules/programmes/*.yaml `selection_date`,
 * `retention`): identity documents and certificates first, later the whole
 * application. A dry run lists what would go and deletes nothing. Each
 * deletion is recorded in the event log with ids and counts only.
 */
import { parseArgs } from 'node:util';
import { loadRules, RulesInvalidError } from '../../adapters/rules-loader';
import type { Store } from '../../core/ports/store';
import { planRetention, type RetentionCandidate, type RetentionSetting } from '../../core/retention/plan-retention';
import { ConfigError, loadConfig } from '../common/config';
import { carryOutErasure, describeErasure, describeLine, withErasureTarget } from '../common/erasure';

export const RETENTION_HELP = `esor-intake retention [--dry-run]

Deletes what the retention period of each programme says must go today (programme file: selection_date,
retention.documents_days_after_selection, retention.days_after_selection): first passports and
certificates with the mail and PDF that contain them, later the whole application. Recorded in the
event log without the erased data.

Options:
  --dry-run   list what would go; delete nothing
  -h, --help  this help`;

export interface CommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const BATCH = 500;

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

export async function runRetentionCommand(
  args: string[],
  io: CommandIo,
  env: Record<string, string | undefined> = process.env,
  cwd: string = process.cwd(),
  now: () => Date = () => new Date(),
): Promise<number> {
  const fail = (message: string) => {
    io.stderr.write(`esor-intake retention: ${message}\n`);
    return 1;
  };
  let values: { 'dry-run'?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({ args, options: { 'dry-run': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    return fail(`${(err as Error).message} (see esor-intake retention --help)`);
  }
  if (values.help) {
    io.stdout.write(`${RETENTION_HELP}\n`);
    return 0;
  }
  const dryRun = values['dry-run'] === true;
  try {
    const config = loadConfig(env, cwd);
    const rules = loadRules(config.rulesDir);
    const settings: RetentionSetting[] = rules.programmes
      .filter((p) => p.retention)
      .map((p) => ({
        programme: p.id,
        ...(p.selection_date ? { selectionDate: p.selection_date } : {}),
        documentsDaysAfterSelection: p.retention!.documents_days_after_selection,
        daysAfterSelection: p.retention!.days_after_selection,
      }));
    return await withErasureTarget(config, dryRun, async ({ store, files, erasers }) => {
      const at = now();
      const plan = planRetention(settings, await retentionCandidates(store), at.toISOString().slice(0, 10));
      for (const p of plan.noSelectionDate) io.stderr.write(`esor-intake retention: ${p} has a retention period but no selection_date: nothing of it is due\n`);
      let done = 0;
      for (const item of plan.items) {
        const work = await describeErasure({ store, files }, item.applicationId, item.step);
        if (!work) continue;
        if (dryRun) {
          io.stdout.write(`would delete (due since ${item.dueSince}): ${describeLine(work)}\n`);
          continue;
        }
        const result = await carryOutErasure({ store, files, ...erasers! }, work, { actor: 'command:retention', reason: 'retention', at: at.toISOString() });
        io.stdout.write(`deleted: ${describeLine(work)}; ${result.filesDeleted} file(s), ${result.rowsRemoved} row(s)\n`);
        done++;
      }
      const documents = plan.items.filter((i) => i.step === 'documents').length;
      io.stderr.write(
        `esor-intake retention: ${dryRun ? 'dry run, nothing deleted; ' : ''}${plan.items.length - documents} application(s) ${dryRun ? 'due' : 'erased'} whole, ${documents} with documents ${dryRun ? 'due' : 'deleted'}${dryRun ? '' : ` (${done} done)`}; ${plan.unregulated} application(s) of programmes without a retention period kept\n`,
      );
      return 0;
    });
  } catch (err) {
    if (err instanceof ConfigError) return fail(`${err.message.split('\n')[0]} ${err.problems.join('; ')}`);
    if (err instanceof RulesInvalidError) return fail(`invalid rule files: ${err.problems[0]} (run esor-intake rules check)`);
    return fail((err as Error).message.split('\n')[0] ?? 'unexpected error');
  }
}
