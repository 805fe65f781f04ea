/**
 * Dry run of edited rules: re-triages the latest revision of every stored
 * application with two rule sets and says what would change (status, flags,
 * programme, the automatic reply), before anyone puts the edit in force.
 * Nothing is written: the store and the files are only read.
 *
 * Both sides are decided from the stored mail and page texts by the same
 * function the triage stage uses (core/stored/decide-stored.ts), with the pages
 * classified again by each side's rules (their vocabularies decide the
 * sections). Resubmission and second-programme flags are rebuilt from the
 * applicant's applications as they stood when the revision was decided.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { BlobStore } from '../core/ports/blob-store';
import { loadRules, RulesInvalidError } from '../adapters/rules-loader';
import type { ApplicationSummary, ApplicationView, Store } from '../core/ports/store';
import { chooseRecipient, chooseReply } from '../core/reply/choose-reply';
import { compileTriageRules, type DocumentAnalysis, type TriageRules } from '../core/triage/triage-application';
import { STATUSES, type Flag, type Status, type TriageResult } from '../core/types';
import type { StoredAnalysis } from '../core/stored/stored-analysis';
import { decideStored, reanalyseStored, type DecisionHistory } from '../core/stored/decide-stored';
import { readMemberList } from '../adapters/member-list-blob';
import { replyMailOf, whyNotAnswer, type StoredMail } from '../core/stored/stored-mail';
import { ConfigError, loadConfig } from './common/config';
import { openBlobStore } from './common/open-files';
import { openStore } from './common/open-store';
import { hashRuleSources } from './common/rules-holder';

/** Which reply a verdict would get; the subject only as a short hash (it may quote the applicant's own subject). */
export type ReplyKind =
  | { action: 'none'; reason: string }
  | { action: 'send' | 'hold'; template: string; subjectHash: string };

export interface DiffOutcome {
  status: Status;
  programme: string | null;
  /** Flag keys, sorted: the code, with `:section` for flags about one section (`missing_section:passport`). */
  flags: string[];
  reply: ReplyKind;
}

export interface ApplicationDiff {
  applicationId: string;
  /** The programme the application is filed under in the store. */
  programme: string | null;
  revision: number;
  messageId: string;
  /** The hash of the rules that decided the stored revision. */
  decidedWith: string;
  before: DiffOutcome;
  after: DiffOutcome;
  changed: boolean;
  replyChanged: boolean;
}

export interface RulesDiffTotals {
  applications: number;
  changed: number;
  /** Applications whose stored mail or analysis could not be read (not re-triaged). */
  skipped: number;
  statusBefore: Record<Status, number>;
  statusAfter: Record<Status, number>;
  /** By flag key: in how many applications the flag appears / disappears. */
  flagsAdded: Record<string, number>;
  flagsRemoved: Record<string, number>;
  repliesChanged: number;
  programmesChanged: number;
}

export interface RulesDiff {
  applications: ApplicationDiff[];
  skipped: Array<{ applicationId: string; reason: string }>;
  totals: RulesDiffTotals;
  /** Wall time of the re-triage, and per application. */
  ms: number;
  msPerApplication: number;
}

export interface RulesDiffInput {
  store: Store;
  files: BlobStore;
  /** The rules "before"; `stored`: the verdicts as stored (as decided, or as staff amended them). */
  currentRules: TriageRules | 'stored';
  candidateRules: TriageRules;
  onProgress?: (done: number, total: number) => void;
}

const PAGE = 500;

/**
 * Re-triages every stored application's latest revision with both rule sets.
 * @throws StoreError when the store cannot be read.
 */
export async function diffRules(input: RulesDiffInput): Promise<RulesDiff> {
  const { store, files, currentRules, candidateRules } = input;
  const started = performance.now();
  const apps: ApplicationSummary[] = [];
  // Oldest decision first: applications arriving meanwhile land on the last page, not in the middle.
  for (let offset = 0; ; offset += PAGE) {
    const page = await store.listApplications({ sort: 'decided', order: 'asc', limit: PAGE, offset });
    apps.push(...page);
    if (page.length < PAGE) break;
  }
  // Page classification depends only on the common rules: when both sides share them, classify once.
  const sameAnalysis = currentRules !== 'stored' && JSON.stringify(currentRules.rules.common) === JSON.stringify(candidateRules.rules.common);
  const out: RulesDiff = { applications: [], skipped: [], totals: emptyTotals(), ms: 0, msPerApplication: 0 };
  // Both sides are checked against the same ESR member list, so only the rules make a difference.
  const esrMembers = await readMemberList(files);
  const members = esrMembers ? { esrMembers } : {};
  input.onProgress?.(0, apps.length);
  for (const [i, app] of apps.entries()) {
    const view = await store.getApplication(app.id);
    const latest = view?.latest;
    let mail: StoredMail | undefined;
    let stored: StoredAnalysis | undefined;
    if (latest) {
      [mail, stored] = await Promise.all([
        files.readJson<StoredMail>('mail', latest.messageId).catch(() => undefined),
        files.readJson<StoredAnalysis>('analysis', latest.messageId).catch(() => undefined),
      ]);
    }
    if (!view || !latest || !mail || !stored) {
      out.skipped.push({ applicationId: app.id, reason: !latest ? 'no revision' : 'the stored mail or analysis is missing' });
      input.onProgress?.(i + 1, apps.length);
      continue;
    }
    const history = mail.from?.email ? await historyOf(store, view, mail.from.email) : undefined;
    // Whether to answer at all depends on the mail, not on the rules: decided once for both sides.
    const replyMail = replyMailOf(mail);
    const to = chooseRecipient(replyMail);
    const doNotAnswer = whyNotAnswer(mail, to?.email, to ? await store.isAddressBounced(to.email) : false);
    const afterAnalysis: DocumentAnalysis = reanalyseStored(stored, candidateRules);
    let beforeResult: TriageResult;
    let beforeRules: TriageRules;
    if (currentRules === 'stored') {
      beforeResult = latest.result;
      beforeRules = candidateRules;
    } else {
      beforeResult = decideStored(mail, stored, currentRules, history, { analysis: sameAnalysis ? afterAnalysis : 'fresh', ...members });
      beforeRules = currentRules;
    }
    const afterResult = decideStored(mail, stored, candidateRules, history, { analysis: afterAnalysis, ...members });
    const before = outcomeOf(beforeResult, replyKindOf(beforeResult, beforeRules, replyMail, doNotAnswer));
    const after = outcomeOf(afterResult, replyKindOf(afterResult, candidateRules, replyMail, doNotAnswer));
    const replyChanged = JSON.stringify(before.reply) !== JSON.stringify(after.reply);
    const changed = replyChanged || before.status !== after.status || before.programme !== after.programme || before.flags.join() !== after.flags.join();
    out.applications.push({
      applicationId: app.id,
      programme: app.programme,
      revision: latest.revision,
      messageId: latest.messageId,
      decidedWith: latest.rulesHash,
      before,
      after,
      changed,
      replyChanged,
    });
    count(out.totals, before, after, changed, replyChanged);
    input.onProgress?.(i + 1, apps.length);
  }
  out.totals.applications = out.applications.length;
  out.totals.skipped = out.skipped.length;
  out.ms = Math.round(performance.now() - started);
  out.msPerApplication = out.applications.length > 0 ? Math.round((out.ms / out.applications.length) * 10) / 10 : 0;
  return out;
}

/**
 * The applicant's applications as the triage stage saw them when it decided
 * this revision: the others decided before it, and this one with its
 * earlier revisions when it has any.
 */
export async function historyOf(store: Store, view: ApplicationView, sender: string, revision: number = view.latest.revision): Promise<DecisionHistory> {
  const latest = view.revisions.find((r) => r.revision === revision) ?? view.latest;
  const earlier: ApplicationSummary[] = [];
  for (const a of await store.listApplicationsOf(sender)) {
    if (a.id === view.id) {
      const prev = view.revisions.filter((r) => r.revision < latest.revision);
      const last = prev[prev.length - 1];
      if (last) earlier.push({ ...a, status: last.status, flags: last.flags.map((f) => f.code), revisionCount: prev.length });
      continue;
    }
    const other = await store.getApplication(a.id);
    const first = other?.revisions[0];
    if (!other || !first || first.decidedAt > latest.decidedAt) continue;
    const known = other.revisions.filter((r) => r.decidedAt <= latest.decidedAt);
    const last = known[known.length - 1]!;
    earlier.push({ ...a, status: last.status, flags: last.flags.map((f) => f.code), revisionCount: known.length });
  }
  return { earlier };
}

/** As the reply stage would choose, minus its per-hour rate limit (which depends on the hour, not the rules). */
function replyKindOf(result: TriageResult, t: TriageRules, replyMail: ReturnType<typeof replyMailOf>, doNotAnswer: string | undefined): ReplyKind {
  const rules = t.rules;
  const programme = rules.programmes.find((p) => p.id === result.programme);
  const d = chooseReply({
    result,
    ...(programme ? { programme } : {}),
    common: rules.common,
    replies: rules.replies,
    mail: replyMail,
    ...(doNotAnswer ? { doNotAnswer } : {}),
  });
  if (d.action === 'none') return { action: 'none', reason: d.reason.split(':')[0]! };
  return { action: d.action, template: d.template, subjectHash: createHash('sha256').update(d.subject).digest('hex').slice(0, 8) };
}

function flagKey(f: Flag): string {
  return f.section ? `${f.code}:${f.section}` : f.code;
}

function outcomeOf(result: TriageResult, reply: ReplyKind): DiffOutcome {
  return { status: result.status, programme: result.programme, flags: [...new Set(result.flags.map(flagKey))].sort(), reply };
}

function emptyTotals(): RulesDiffTotals {
  const zero = () => Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  return { applications: 0, changed: 0, skipped: 0, statusBefore: zero(), statusAfter: zero(), flagsAdded: {}, flagsRemoved: {}, repliesChanged: 0, programmesChanged: 0 };
}

function count(t: RulesDiffTotals, before: DiffOutcome, after: DiffOutcome, changed: boolean, replyChanged: boolean): void {
  t.statusBefore[before.status]++;
  t.statusAfter[after.status]++;
  if (changed) t.changed++;
  if (replyChanged) t.repliesChanged++;
  if (before.programme !== after.programme) t.programmesChanged++;
  for (const f of after.flags) if (!before.flags.includes(f)) t.flagsAdded[f] = (t.flagsAdded[f] ?? 0) + 1;
  for (const f of before.flags) if (!after.flags.includes(f)) t.flagsRemoved[f] = (t.flagsRemoved[f] ?? 0) + 1;
}

// ---------------------------------------------------------------- the command

export const RULES_DIFF_HELP = `esor-intake rules diff [DIR] [options]

Dry run of edited rule files: re-triage every stored application (its latest
revision, from the mail and page texts kept in the data folder) with the rules
in force and with the rules in DIR, and show what would change: statuses,
flags, programme, and the automatic reply (send / hold / none, template).
Nothing is changed, nothing is sent.

  before  the rules in the configured rules folder (ESOR_RULES_DIR, default rules/):
          the rules the running service uses (it reloads them when they change),
          re-applied to every application whichever rules decided it back then
  after   the rules in DIR

Without DIR (or with DIR the configured folder itself), "before" is the stored
verdict of each application (as decided, or as staff amended it) and "after"
the configured rules: which verdicts re-triaging today would change.

Options:
  --json       print the whole diff as JSON (every application, before and after)
  -h, --help   this help

The store and data folder come from ESOR_DATA_DIR (see README.md). Only
application ids, programmes, statuses, flag codes and reply templates are
printed, never names or addresses. Exit code 0 whatever the diff; 1 when the
rules or the store cannot be read.`;

export interface DiffIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * `esor-intake rules diff [DIR] [--json]`; `args` are the arguments after `rules diff`.
 * `opts.env` defaults to the process environment (this is a command's entry point).
 * Resolves to the exit code.
 */
export async function runRulesDiffCommand(args: string[], io: DiffIo, opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<number> {
  const fail = (message: string) => {
    io.stderr.write(`esor-intake: ${message}\n`);
    return 1;
  };
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    return fail((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(`${RULES_DIFF_HELP}\n`);
    return 0;
  }
  if (positionals.length > 1) return fail('rules diff takes at most one rules folder (see --help)');
  const cwd = opts.cwd ?? process.cwd();
  let config;
  try {
    config = loadConfig(opts.env ?? process.env, cwd);
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const p of err.problems) io.stderr.write(`${p}\n`);
      return 1;
    }
    throw err;
  }
  const candidateDir = positionals[0] ? path.resolve(cwd, positionals[0]) : config.rulesDir;
  const againstStored = candidateDir === config.rulesDir;
  const load = (dir: string) => {
    const set = loadRules(dir);
    return { rules: compileTriageRules(set), hash: hashRuleSources(set.sources) };
  };
  let current: { rules: TriageRules; hash: string } | undefined;
  let candidate: { rules: TriageRules; hash: string };
  try {
    if (!againstStored) current = load(config.rulesDir);
    candidate = load(candidateDir);
  } catch (err) {
    if (!(err instanceof RulesInvalidError)) return fail((err as Error).message);
    for (const p of err.problems) io.stderr.write(`${p}\n`);
    return 1;
  }

  const store = await openStore(config);
  const files = await openBlobStore(config).catch(async (err: unknown) => {
    await store.close();
    throw err;
  });
  try {
    const diff = await diffRules({
      store,
      files,
      currentRules: current?.rules ?? 'stored',
      candidateRules: candidate.rules,
      onProgress: progressPrinter(io.stderr),
    });
    if (values.json) {
      const doc = {
        before: againstStored ? { stored: true } : { dir: config.rulesDir, hash: current!.hash },
        after: { dir: candidateDir, hash: candidate.hash },
        ...diff,
      };
      io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    } else {
      const beforeLabel = againstStored ? 'the stored verdicts' : `${config.rulesDir} (${current!.hash})`;
      io.stdout.write(formatDiff(diff, beforeLabel, `${candidateDir} (${candidate.hash})`));
    }
    return 0;
  } finally {
    await files.close();
    await store.close();
  }
}

/** A bar redrawn in place on a terminal; a few plain lines otherwise (logs, CI). */
function progressPrinter(out: DiffIo['stderr']): (done: number, total: number) => void {
  let lastQuarter = -1;
  let lastDraw = 0;
  return (done, total) => {
    if (out.isTTY) {
      const now = Date.now();
      if (done !== total && done !== 0 && now - lastDraw < 50) return;
      lastDraw = now;
      const width = 30;
      const filled = total === 0 ? width : Math.round((done / total) * width);
      out.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}${done === total ? '\n' : ''}`);
      return;
    }
    const quarter = total === 0 ? 4 : Math.floor((done / total) * 4);
    if (quarter !== lastQuarter) {
      lastQuarter = quarter;
      out.write(`rules diff: ${done}/${total} applications\n`);
    }
  };
}

/** The summary for people: ids, programmes, statuses, flag codes, reply templates; nothing personal. */
export function formatDiff(diff: RulesDiff, beforeLabel: string, afterLabel: string): string {
  const t = diff.totals;
  const lines: string[] = [];
  lines.push(`before: ${beforeLabel}`);
  lines.push(`after:  ${afterLabel}`);
  lines.push(`${t.applications} application(s) re-triaged in ${diff.ms} ms (${diff.msPerApplication} ms each); ${t.changed} would change${t.skipped ? `; ${t.skipped} skipped (stored files missing)` : ''}`);
  lines.push('');
  lines.push(`${'status'.padEnd(16)} ${'before'.padStart(6)} ${'after'.padStart(6)}`);
  for (const s of STATUSES) {
    if (t.statusBefore[s] === 0 && t.statusAfter[s] === 0) continue;
    const delta = t.statusAfter[s] - t.statusBefore[s];
    lines.push(`${s.padEnd(16)} ${String(t.statusBefore[s]).padStart(6)} ${String(t.statusAfter[s]).padStart(6)}${delta ? `  (${delta > 0 ? '+' : ''}${delta})` : ''}`);
  }
  const listCounts = (rec: Record<string, number>) =>
    Object.entries(rec)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([k, n]) => `${k} ×${n}`)
      .join(', ') || 'none';
  lines.push('');
  lines.push(`flags added:      ${listCounts(t.flagsAdded)}`);
  lines.push(`flags removed:    ${listCounts(t.flagsRemoved)}`);
  lines.push(`replies changed:  ${t.repliesChanged}`);
  lines.push(`programme changed: ${t.programmesChanged}`);
  const changed = diff.applications.filter((a) => a.changed);
  if (changed.length > 0) {
    lines.push('');
    lines.push('changed applications:');
    for (const a of changed) {
      const added = a.after.flags.filter((f) => !a.before.flags.includes(f)).map((f) => `+${f}`);
      const removed = a.before.flags.filter((f) => !a.after.flags.includes(f)).map((f) => `-${f}`);
      const parts = [`  ${a.applicationId}  ${a.programme ?? '(programme unknown)'}  ${a.before.status} → ${a.after.status}`];
      if (a.before.programme !== a.after.programme) parts.push(`programme ${a.before.programme ?? 'none'} → ${a.after.programme ?? 'none'}`);
      if (added.length + removed.length > 0) parts.push([...added, ...removed].join(' '));
      if (a.replyChanged) {
        const [b, c] = [replyLabel(a.before.reply), replyLabel(a.after.reply)];
        parts.push(b === c ? `reply ${b}: another subject` : `reply ${b} → ${c}`);
      }
      lines.push(parts.join('  '));
    }
  }
  for (const s of diff.skipped) lines.push(`  skipped ${s.applicationId}: ${s.reason}`);
  return `${lines.join('\n')}\n`;
}

function replyLabel(r: ReplyKind): string {
  return r.action === 'none' ? 'none' : `${r.action} ${r.template}`;
}
