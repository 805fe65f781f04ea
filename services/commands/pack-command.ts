/**
 * `esor-intake pack PROGRAMME [--out DIR] [--application ID ...]`: writes the
 * committee pack of one programme as a zip into DIR (default: the current
 * folder). The pack itself is made by services/common/committee-pack.ts, the
 * same code the dashboard's download runs.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadRules, RulesInvalidError } from '../../adapters/rules-loader';
import { packFileName, writeCommitteePack } from '../common/committee-pack';
import { ConfigError, loadConfig } from '../common/config';
import { openBlobStore } from '../common/open-files';
import { openStore, sqliteStoreFile } from '../common/open-store';

export const PACK_HELP = `esor-intake pack PROGRAMME [--out DIR] [--application ID ...]

Writes the evaluation committee's pack of one programme as a zip: an index sheet (PDF and CSV) and,
for every complete application, one PDF with a cover sheet (name, nationality, facts, flags cleared by
staff, notes to the committee) followed by the application's documents, one bookmark per document.
Notes reach the cover when they begin with "Committee:".

Options:
  --out DIR            where to write the zip (default: the current folder)
  --application ID     only this application (any status); repeat for several
  -h, --help           this help`;

export interface PackCommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Resolves to the exit code: 0 when the zip was written, 1 when it could not be made. */
export async function runPackCommand(
  args: string[],
  io: PackCommandIo,
  env: Record<string, string | undefined> = process.env,
  cwd: string = process.cwd(),
  now: () => Date = () => new Date(),
): Promise<number> {
  const fail = (message: string) => {
    io.stderr.write(`esor-intake pack: ${message}\n`);
    return 1;
  };
  let values: { out?: string; application?: string[]; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { out: { type: 'string' }, application: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    return fail(`${(err as Error).message} (see esor-intake pack --help)`);
  }
  if (values.help) {
    io.stdout.write(`${PACK_HELP}\n`);
    return 0;
  }
  if (positionals.length !== 1) return fail('takes one PROGRAMME id (see esor-intake pack --help)');
  const programmeId = positionals[0]!;
  try {
    const config = loadConfig(env, cwd);
    const rules = loadRules(config.rulesDir);
    const programme = rules.programmes.find((p) => p.id === programmeId);
    if (!programme) return fail(`unknown programme "${programmeId}"; known: ${rules.programmes.map((p) => p.id).join(', ') || 'none'}`);
    if (!config.databaseUrl && !existsSync(sqliteStoreFile(config))) return fail(`no store in ${config.dataDir} (has the service run? ESOR_DATA_DIR)`);
    const store = await openStore(config);
    const files = await openBlobStore(config).catch(async (err: unknown) => {
      await store.close();
      throw err;
    });
    try {
      const outDir = path.resolve(cwd, values.out ?? '.');
      mkdirSync(outDir, { recursive: true });
      const at = now();
      const file = path.join(outDir, packFileName(programme.id, at));
      // Written under a temporary name and renamed when whole: a run that fails leaves no half pack.
      const partial = `${file}.${process.pid}.part`;
      // Personal data: readable by the owner alone.
      const fd = await open(partial, 'w', 0o600);
      let pack;
      try {
        pack = await writeCommitteePack(
          {
            store,
            files,
            programme: { id: programme.id, title: programme.title, timezone: programme.timezone },
            sectionNames: Object.fromEntries(rules.common.sections.map((s) => [s.id, s.name])),
            ...(values.application?.length ? { selected: values.application } : {}),
            now: at,
          },
          async (chunk) => fd.writeFile(chunk),
        );
        await fd.sync();
        await fd.close();
        await rename(partial, file);
      } catch (err) {
        await fd.close().catch(() => undefined);
        await rm(partial, { force: true });
        throw err;
      }
      const n = pack.plan.applicants.length;
      io.stdout.write(`${file}\n`);
      io.stderr.write(`esor-intake pack: ${n} application${n === 1 ? '' : 's'}, ${pack.plan.applicants.reduce((s, a) => s + a.sections.length, 0)} documents\n`);
      if (pack.plan.notFound.length) io.stderr.write(`esor-intake pack: not found in this programme: ${pack.plan.notFound.join(', ')}\n`);
      return 0;
    } finally {
      await files.close();
      await store.close();
    }
  } catch (err) {
    if (err instanceof ConfigError) return fail(`${err.message.split('\n')[0]} ${err.problems.join('; ')}`);
    if (err instanceof RulesInvalidError) return fail(`invalid rule files: ${err.problems[0]} (run esor-intake rules check)`);
    return fail((err as Error).message.split('\n')[0] ?? 'unexpected error');
  }
}
