/**
 * `esor-intake retention [--dry-run]`: deletes what the programmes' retention
 * periods say must go today (rules/programmes/*.yaml `selection_date`,
 * `retention`): identity documents and certificates first, later the whole
 * application. A dry run lists what would go and deletes nothing. Each
 * deletion is recorded in the event log with ids and counts only.
 */
import { parseArgs } from 'node:util';
import { loadRules, RulesInvalidError } from '../../adapters/rules-loader';
import { ConfigError, loadConfig } from '../common/config';
import { describeLine, withErasureTarget } from '../common/erasure';
import { retentionSettingsOf, runRetention } from '../common/erasure-runs';

export const RETENTION_HELP = `esor-intake retention [--dry-run]

Deletes what the retention period of each programme says must go today, the office's day
(ESOR_OFFICE_TIME_ZONE, Europe/Paris unless set) (programme file: selection_date,
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
    const settings = retentionSettingsOf(rules.programmes);
    return await withErasureTarget(config, dryRun, async (target) => {
      const { plan, steps } = await runRetention(target, settings, { at: now(), timeZone: config.office.timeZone }, 'command:retention', ({ item, work, done }) => {
        if (!done) io.stdout.write(`would delete (due since ${item.dueSince}): ${describeLine(work)}\n`);
        else io.stdout.write(`deleted: ${describeLine(work)}; ${done.filesDeleted} file(s), ${done.rowsRemoved} row(s)\n`);
      });
      for (const p of plan.noSelectionDate) io.stderr.write(`esor-intake retention: ${p} has a retention period but no selection_date: nothing of it is due\n`);
      const done = steps.filter((s) => s.done).length;
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
