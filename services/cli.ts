/**
 * The `esor-intake` command. Parses arguments, loads the rules once, and
 * prints results in the contract's shape. Exit code 0 whatever the verdict;
 * non-zero only when the tool itself cannot run, with one line on stderr.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { RulesInvalidError, loadRules } from '../adapters/rules-loader';
import { compileTriageRules, type TriageRules } from '../core/triage/triage-application';
import type { TriageResult } from '../core/types';
import { ConfigError } from './common/config';
import { findPackageRoot } from './common/paths';
import type { TriageFileOptions } from './triage/triage-file';
import { DEFAULT_FILE_BUDGET_MS, createTriageGuard, unreadableFileVerdict, type GuardedDetails, type TriageGuard } from './triage/triage-guard';

export const DEFAULT_RULES_DIR = path.join(findPackageRoot(), 'rules');

const HELP: Record<string, string> = {
  main: `esor-intake: triage of ESOR fellowship applications

Usage:
  esor-intake triage FILE [--json]        triage one .eml or .pdf
  esor-intake triage DIR --jsonl          triage every .eml/.pdf in DIR, one JSON line each
  esor-intake rules check [DIR]           validate the rule files (default: the bundled rules/)
  esor-intake rules diff [DIR]            what edited rules would change in stored verdicts (dry run)
  esor-intake start                       the whole service (poller, workers, dashboard); with no mailbox
                                          configured, on local servers with demo applications
  esor-intake poller                      only the IMAP poller
  esor-intake worker                      only the queue workers (run as many as you like)
  esor-intake dashboard                   only the staff dashboard (ESOR_DASHBOARD_PORT, default 8080)
  esor-intake replay FILE.eml             push one mail through the live pipeline, print its verdict
  esor-intake migrate                     bring the store's schema up to date (ESOR_DATABASE_URL, else the data folder)
  esor-intake users add NAME --role staff|admin
                                          a dashboard account (also: users passwd NAME, users list)
  esor-intake digest [--send] [--since HOURS]
                                          print (and with --send mail) the staff digest
  esor-intake pack PROGRAMME [--out DIR]  the evaluation committee's pack of a programme, as a zip
  esor-intake retention [--dry-run]       delete what the programmes' retention periods say must go
  esor-intake erase --applicant EMAIL [--dry-run]
                                          erase everything kept of one applicant (GDPR request)
  esor-intake store copy --to postgres://...
                                          copy the data folder's store and files into PostgreSQL
  esor-intake help [COMMAND]              this help, or a command's

Configuration comes from ESOR_* environment variables (see README.md).

Run "esor-intake COMMAND --help" for a command's options.`,
  triage: `esor-intake triage FILE|DIR [options]

Triage an applicant's e-mail (.eml) or a bare application PDF and print the verdict.

Options:
  --json                 print the result document (triage contract § 5)
  --jsonl                with a DIR: one JSON line per .eml/.pdf file, with "file" added
  --received YYYY-MM-DD  the date the application was received (default: the office server's
                         topmost Received header, else the mail's Date header)
  --programme ID         the programme applied for (default: detected from the mail)
  --rules DIR            rule files to use (default: the bundled rules/)
  --no-ocr               leave scanned pages unread (by default tesseract reads them, when installed)
  --time-limit SECONDS   per input file (default ${DEFAULT_FILE_BUDGET_MS / 1000}); a file over it gets a verdict
                         saying so (unreadable_pdf, for a person) and a batch goes on
  -h, --help             this help

Without --json/--jsonl a short summary for people is printed.
Exit code 0 whatever the verdict; 1 when the file or the rules cannot be read.`,
  rules: `esor-intake rules check [DIR]
esor-intake rules diff [DIR] [--json]

check: validate every rule file in DIR (default: the bundled rules/) and its programmes/ folder.
Prints each problem as "file:line: path: what is wrong" and exits 1 when there is any.
diff: a dry run of edited rules against the stored applications (esor-intake rules diff --help).`,
};

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Runs the command line; resolves to the exit code. */
export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  const fail = (message: string) => {
    io.stderr.write(`esor-intake: ${message}\n`);
    return 1;
  };
  try {
    switch (command) {
      case undefined:
      case '-h':
      case '--help':
        io.stdout.write(`${HELP.main}\n`);
        return 0;
      case 'help':
        io.stdout.write(`${HELP[rest[0] ?? 'main'] ?? HELP.main}\n`);
        return 0;
      case 'triage':
        return await runTriage(rest, io, fail);
      case 'rules':
        if (rest[0] === 'diff') return await (await import('./rules-diff')).runRulesDiffCommand(rest.slice(1), io);
        return runRules(rest, io, fail);
      case 'start':
      case 'poller':
      case 'worker':
      case 'dashboard':
        if (rest.includes('--help') || rest.includes('-h')) {
          io.stdout.write(`${HELP.main}\n`);
          return 0;
        }
        // Loaded on demand: `triage` should not pay for BullMQ, imapflow and SQLite.
        return await (await import('./run-commands')).runRoles(command === 'start' ? 'start' : [command], io);
      case 'replay':
        if (rest.length !== 1 || rest[0]!.startsWith('-')) return fail('replay takes one FILE.eml (see esor-intake --help)');
        return await (await import('./run-commands')).replayMail(rest[0]!, io);
      case 'migrate':
        return await (await import('./run-commands')).migrateCommand(rest, io);
      case 'digest':
        return await (await import('./digest')).runDigestCommand(rest, io);
      case 'retention':
        return await (await import('./commands/retention-command')).runRetentionCommand(rest, io);
      case 'erase':
        return await (await import('./commands/erase-command')).runEraseCommand(rest, io);
      case 'store':
        return await (await import('./commands/store-command')).runStoreCommand(rest, io);
      case 'pack':
        return await (await import('./commands/pack-command')).runPackCommand(rest, io);
      case 'users':
        return await (await import('./commands/users-command')).runUsersCommand(rest, { ...io, stdin: process.stdin });
      default:
        return fail(`unknown command "${command}" (see esor-intake --help)`);
    }
  } catch (err) {
    if (err instanceof ConfigError) return fail(`${err.message.split('\n')[0]} ${err.problems.join('; ')}`);
    if (err instanceof RulesInvalidError) {
      const more = err.problems.length > 1 ? ` (+${err.problems.length - 1} more; run esor-intake rules check)` : '';
      return fail(`invalid rule files: ${err.problems[0]}${more}`);
    }
    return fail((err as Error).message.split('\n')[0] ?? 'unexpected error');
  }
}

async function runTriage(args: string[], io: Io, fail: (m: string) => number): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      jsonl: { type: 'boolean' },
      received: { type: 'string' },
      programme: { type: 'string' },
      rules: { type: 'string' },
      'no-ocr': { type: 'boolean' },
      'time-limit': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(`${HELP.triage}\n`);
    return 0;
  }
  if (positionals.length !== 1) return fail('triage takes one FILE or DIR (see esor-intake triage --help)');
  const target = positionals[0]!;
  // Scanned pages are read by OCR when tesseract is installed (the two commands install it). The files
  // are read in the guard's child (./triage/triage-child.ts); this process only loads the rules, so that the
  // whole run stays small when a hostile PDF takes its sandbox to its memory limit.
  const ocr = values['no-ocr'] !== true;
  const options: Pick<TriageFileOptions, 'received' | 'programme'> = {};
  if (values.received !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(values.received) || Number.isNaN(Date.parse(`${values.received}T00:00:00Z`))) {
      return fail(`--received takes a date written YYYY-MM-DD, not "${values.received}"`);
    }
    options.received = new Date(`${values.received}T00:00:00.000Z`);
  }
  let budgetMs = DEFAULT_FILE_BUDGET_MS;
  if (values['time-limit'] !== undefined) {
    const seconds = Number(values['time-limit']);
    if (!(seconds > 0)) return fail(`--time-limit takes a number of seconds, not "${values['time-limit']}"`);
    budgetMs = Math.round(seconds * 1000);
  }
  let stat;
  try {
    stat = statSync(target);
  } catch {
    return fail(`cannot read ${target}: no such file or directory`);
  }
  const rulesDir = path.resolve(values.rules ?? DEFAULT_RULES_DIR);
  const rules = compileTriageRules(loadRules(rulesDir));
  if (values.programme !== undefined) {
    if (!rules.rules.programmes.some((p) => p.id === values.programme)) return fail(`unknown programme "${values.programme}"`);
    options.programme = values.programme;
  }
  if (stat.isDirectory() && values.json) return fail('a DIR takes --jsonl (one line per file), not --json');
  if (!stat.isDirectory() && values.jsonl) return fail('--jsonl takes a DIR; use --json for one FILE');
  const guard = createTriageGuard();
  const run: RunFile = (file) =>
    triageOrVerdict(file, rules, options, guard, {
      rulesDir,
      ocr,
      ...(options.received ? { received: options.received.toISOString() } : {}),
      ...(options.programme ? { programme: options.programme } : {}),
    }, budgetMs);
  try {
    if (stat.isDirectory()) return await triageDirectory(target, rules, options, io, values.jsonl === true, run);
    const details = await run(target);
    io.stdout.write(values.json ? `${JSON.stringify(toOutput(details), null, 2)}\n` : formatSummary(details.result));
    return 0;
  } finally {
    await guard.close();
  }
}

type RunFile = (file: string) => Promise<GuardedDetails>;

async function triageDirectory(dir: string, rules: TriageRules, options: TriageFileOptions, io: Io, jsonl: boolean, run: RunFile): Promise<number> {
  const files = readdirSync(dir)
    .filter((n) => /\.(eml|pdf)$/i.test(n))
    .sort()
    .filter((n) => statSync(path.join(dir, n)).isFile());
  const progress = io.stderr.isTTY ? (i: number) => drawProgress(io.stderr, i, files.length) : () => undefined;
  for (const [i, name] of files.entries()) {
    progress(i);
    let details: GuardedDetails;
    try {
      details = await run(path.join(dir, name));
    } catch (err) {
      // Unreadable from disk (EACCES, removed meanwhile): still a line, so the batch accounts for every file.
      io.stderr.write(`esor-intake: ${name}: ${(err as Error).message.split('\n')[0]}\n`);
      details = unreadableFileVerdict(name, rules, options, 'the file could not be read');
    }
    io.stdout.write(jsonl ? `${JSON.stringify({ file: name, ...toOutput(details) })}\n` : `${name}: ${formatSummary(details.result)}`);
  }
  progress(files.length);
  if (io.stderr.isTTY) io.stderr.write('\n');
  return 0;
}

/**
 * Triages one file in the guard's child; a failure past reading it from disk (a parser or rule that
 * throws, crashes or runs over the time limit on hostile input) is a verdict too (unreadable_pdf with
 * the reason, for a person), never a lost file or a non-zero exit.
 * @throws only when the file cannot be read from disk.
 */
async function triageOrVerdict(
  file: string,
  rules: TriageRules,
  options: TriageFileOptions,
  guard: TriageGuard,
  request: Parameters<TriageGuard['triage']>[1],
  budgetMs: number,
): Promise<GuardedDetails> {
  const outcome = await guard.triage(file, request, budgetMs);
  if ('details' in outcome) return outcome.details;
  if ('diskError' in outcome) throw new Error(outcome.diskError);
  return unreadableFileVerdict(file, rules, options, outcome.unreadable);
}

/** The contract's result document, extended with each rule's outcome (what was checked and why). */
export function toOutput(details: GuardedDetails): TriageResult & { rules: Array<{ id: string; outcome: string; detail: string }> } {
  return {
    ...details.result,
    rules: details.outcomes.map((o) => ({ id: o.rule, outcome: o.outcome, detail: o.detail })),
  };
}

function formatSummary(r: TriageResult): string {
  const lines = [`${r.status.toUpperCase()}${r.programme ? `  (${r.programme})` : ''}`];
  if (r.pdf) lines.push(`  PDF ${r.pdf.filename}, ${r.pdf.pages} pages`);
  for (const s of r.sections) {
    lines.push(`  ${s.id.padEnd(22)} pages ${s.pages[0]}-${s.pages[1]}${s.confidence !== undefined ? `  (${Math.round(s.confidence * 100)}%)` : ''}`);
  }
  for (const f of r.flags) lines.push(`  [${f.severity}] ${f.code}: ${f.message}`);
  return `${lines.join('\n')}\n`;
}

function drawProgress(out: NodeJS.WritableStream, done: number, total: number): void {
  const width = 30;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  out.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
}

function runRules(args: string[], io: Io, fail: (m: string) => number): number {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help || positionals[0] !== 'check') {
    io.stdout.write(`${HELP.rules}\n`);
    return values.help ? 0 : 1;
  }
  const dir = positionals[1] ?? DEFAULT_RULES_DIR;
  try {
    const rules = loadRules(dir);
    io.stdout.write(`ok: ${Object.keys(rules.sources).length} rule files, ${rules.programmes.length} programme(s): ${rules.programmes.map((p) => p.id).join(', ')}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof RulesInvalidError)) return fail((err as Error).message);
    for (const p of err.problems) io.stderr.write(`${p}\n`);
    return 1;
  }
}
