/**
 * `esor-intake erase --applicant EMAIL [--dry-run]`: erases everything kept of
 * one applicant on request (GDPR art. 17): each of their applications with
 * its files, notes and replies, and the address's bounce record. A dry run
 * lists what would go. The event log records each erasure by application id
 * and counts, never the address.
 */
import { parseArgs } from 'node:util';
import type { ApplicationSummary, Store } from '../../core/ports/store';
import { ConfigError, loadConfig } from '../common/config';
import { carryOutErasure, describeErasure, describeLine, withErasureTarget } from '../common/erasure';
import type { CommandIo } from './retention-command';

export const ERASE_HELP = `esor-intake erase --applicant EMAIL [--dry-run]

Erases everything kept of one applicant: every application sent from EMAIL (any programme, any status)
with its mails, PDFs, documents, notes and replies, and the address's bounce record. The event log
records each erasure by application id, without the erased data.

Options:
  --applicant EMAIL   the applicant's address (any case)
  --dry-run           list what would go; delete nothing
  -h, --help          this help`;

const ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+$/;

/** Every application whose sender is `email` (the grouped ones and those never grouped, e.g. not an application). */
export async function applicationsOfAddress(store: Store, email: string): Promise<ApplicationSummary[]> {
  const want = email.trim().toLowerCase();
  const found = new Map<string, ApplicationSummary>();
  for (const a of await store.listApplicationsOf(want)) found.set(a.id, a);
  for (let offset = 0; ; offset += 500) {
    const page = await store.listApplications({ search: want, limit: 500, offset });
    for (const a of page) if (a.applicantEmail?.toLowerCase() === want) found.set(a.id, a);
    if (page.length < 500) break;
  }
  return [...found.values()];
}

export async function runEraseCommand(
  args: string[],
  io: CommandIo,
  env: Record<string, string | undefined> = process.env,
  cwd: string = process.cwd(),
  now: () => Date = () => new Date(),
): Promise<number> {
  const fail = (message: string) => {
    io.stderr.write(`esor-intake erase: ${message}\n`);
    return 1;
  };
  let values: { applicant?: string; 'dry-run'?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({ args, options: { applicant: { type: 'string' }, 'dry-run': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    return fail(`${(err as Error).message} (see esor-intake erase --help)`);
  }
  if (values.help) {
    io.stdout.write(`${ERASE_HELP}\n`);
    return 0;
  }
  if (!values.applicant || !ADDRESS.test(values.applicant.trim())) return fail('takes --applicant EMAIL (see esor-intake erase --help)');
  const email = values.applicant.trim().toLowerCase();
  const dryRun = values['dry-run'] === true;
  try {
    const config = loadConfig(env, cwd);
    return await withErasureTarget(config, dryRun, async ({ store, files, erasers }) => {
      const apps = await applicationsOfAddress(store, email);
      const at = now().toISOString();
      for (const a of apps) {
        const work = await describeErasure({ store, files }, a.id, 'application');
        if (!work) continue;
        if (dryRun) {
          io.stdout.write(`would delete: ${describeLine(work)}\n`);
          continue;
        }
        const result = await carryOutErasure({ store, files, ...erasers! }, work, { actor: 'command:erase', reason: 'request', at });
        io.stdout.write(`deleted: ${describeLine(work)}; ${result.filesDeleted} file(s), ${result.rowsRemoved} row(s)\n`);
      }
      const bounced = dryRun ? false : await erasers!.records.forgetBouncedAddress(email);
      io.stderr.write(`esor-intake erase: ${dryRun ? 'dry run, nothing deleted; ' : ''}${apps.length} application(s) of that address${bounced ? '; its bounce record forgotten' : ''}\n`);
      return 0;
    });
  } catch (err) {
    if (err instanceof ConfigError) return fail(`${err.message.split('\n')[0]} ${err.problems.join('; ')}`);
    return fail((err as Error).message.split('\n')[0] ?? 'unexpected error');
  }
}
