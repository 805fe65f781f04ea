/**
 * `esor-intake erase --applicant EMAIL [--dry-run]`: erases everything kept of
 * one applicant on request (GDPR art. 17): each of their applications with
 * its files, notes and replies, and the address's bounce record. A dry run
 * lists what would go. The event log records each erasure by application id
 * and counts, never the address.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../common/config';
import { describeLine, withErasureTarget } from '../common/erasure';
import { runApplicantErasure } from '../common/erasure-runs';
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
    return await withErasureTarget(config, dryRun, async (target) => {
      const { applications, bounceForgotten } = await runApplicantErasure(target, email, now(), 'command:erase', ({ work, done }) => {
        if (!done) io.stdout.write(`would delete: ${describeLine(work)}\n`);
        else io.stdout.write(`deleted: ${describeLine(work)}; ${done.filesDeleted} file(s), ${done.rowsRemoved} row(s)\n`);
      });
      io.stderr.write(`esor-intake erase: ${dryRun ? 'dry run, nothing deleted; ' : ''}${applications.length} application(s) of that address${bounceForgotten ? '; its bounce record forgotten' : ''}\n`);
      return 0;
    });
  } catch (err) {
    if (err instanceof ConfigError) return fail(`${err.message.split('\n')[0]} ${err.problems.join('; ')}`);
    return fail((err as Error).message.split('\n')[0] ?? 'unexpected error');
  }
}
