/**
 * The rules in force, reloaded while the service runs. Admins edit the YAML
 * files of the rules folder; the holder notices (fs.watch, debounced, plus a
 * slow mtime poll because fs.watch can miss an editor's rename-over-save),
 * validates the whole folder again and swaps the compiled rules in only when
 * every file is valid. A refused edit leaves the previous rules in force; its
 * `file:line: path: problem` lines are kept for the dashboard and logged.
 *
 * Each accepted change is an event (`rules.changed`: the new hash, the one
 * before it, and each changed file's sha256) by `filesystem` or the given
 * actor, so the `rulesHash` stored with every verdict can be traced to the
 * exact files that produced it. The start is recorded too (`rules.loaded`).
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { listRuleFiles, loadRules, RulesInvalidError } from '../../adapters/rules-loader';
import type { EventLog } from '../../core/ports/store';
import type { RuleSet } from '../../core/rules/schema';
import { compileTriageRules, type TriageRules } from '../../core/triage/triage-application';
import { safeError } from './logger';

export interface RuleFileState {
  /** As the loader names it (relative to the working folder when inside it). */
  file: string;
  sha256: string;
  ok: boolean;
  /** This file's problems, one per line, when it is not ok. */
  error?: string;
}

export interface ReloadOutcome {
  ok: boolean;
  /** Every problem, one `file:line: path: what` per line, when the edit was refused. */
  error?: string;
  /** The hash of the rules in force after the reload (unchanged when refused). */
  hash: string;
}

export interface RulesHolder {
  /** The compiled rules in force. */
  current(): TriageRules;
  /** The hash of the rules in force (recorded with each verdict). */
  hash(): string;
  /** The rule files as last read from the folder, with their problems when the last reload was refused. */
  files(): RuleFileState[];
  /** The problems of the last refused reload; undefined once the folder is valid again. */
  lastError(): string | undefined;
  /** Reads the folder now (serialised with watcher-triggered reloads). Never throws. */
  reload(opts?: { actor?: string }): Promise<ReloadOutcome>;
  /** Stops watching. Idempotent. */
  close(): void;
}

export interface RulesHolderOptions {
  logger: Logger;
  /** Where `rules.loaded` / `rules.changed` events go; without it, changes are only logged. */
  store?: EventLog;
  now: () => Date;
  /** Who changes the files; default `filesystem`. */
  actor?: string;
  /** Quiet time after the last file event before reloading; default 200 ms. */
  debounceMs?: number;
  /** The mtime poll that catches what fs.watch missed; default 3000 ms, 0 turns it off. */
  pollMs?: number;
  /** Default true; false: no fs.watch (the poll, unless off, still notices edits). */
  watch?: boolean;
}

/** The hash recorded with verdicts: sha256 of the file → sha256 map, first 16 hex digits. */
export function hashRuleSources(sources: Record<string, string>): string {
  return createHash('sha256').update(JSON.stringify(sources)).digest('hex').slice(0, 16);
}

/**
 * Loads the rules folder and starts watching it.
 * @throws RulesInvalidError when the folder is invalid at start (nothing to keep in force).
 */
export async function openRulesHolder(dir: string, opts: RulesHolderOptions): Promise<RulesHolder> {
  const { logger, store, now } = opts;
  const defaultActor = opts.actor ?? 'filesystem';
  const debounceMs = opts.debounceMs ?? 200;
  const pollMs = opts.pollMs ?? 3000;

  let ruleSet: RuleSet = loadRules(dir);
  let rules: TriageRules = compileTriageRules(ruleSet);
  let currentHash = hashRuleSources(ruleSet.sources);
  let fileStates: RuleFileState[] = statesOf(ruleSet.sources);
  let error: string | undefined;
  let closed = false;
  let chain: Promise<unknown> = Promise.resolve();

  const record = async (action: string, detail: Record<string, unknown>, actor: string) => {
    if (!store) return;
    try {
      await store.appendEvent({ actor, action, subject: 'rules', detail, at: now().toISOString() });
    } catch (err) {
      // The change is in force either way; the verdicts still carry its hash.
      logger.error({ err: safeError(err), action, hash: detail.hash }, 'could not record the rules event');
    }
  };

  await record('rules.loaded', { hash: currentHash, files: fileList(ruleSet.sources) }, defaultActor);
  logger.info({ hash: currentHash, files: Object.keys(ruleSet.sources).length, programmes: ruleSet.programmes.map((p) => p.id) }, 'rules loaded');

  const reloadNow = async (actor: string): Promise<ReloadOutcome> => {
    let next: RuleSet;
    try {
      next = loadRules(dir);
    } catch (err) {
      const problems = err instanceof RulesInvalidError ? err.problems : [safeError(err).message];
      const text = problems.join('\n');
      fileStates = statesOnDisk(dir, problems);
      if (text !== error) {
        // Logged once per distinct problem set: the poll must not repeat it every few seconds.
        logger.error({ problems, hash: currentHash }, 'rule files refused; the previous rules stay in force');
      }
      error = text;
      return { ok: false, error: text, hash: currentHash };
    }
    const nextHash = hashRuleSources(next.sources);
    error = undefined;
    fileStates = statesOf(next.sources);
    if (nextHash === currentHash) return { ok: true, hash: currentHash };
    const compiled = compileTriageRules(next);
    const previous = ruleSet;
    const previousHash = currentHash;
    // Swapped together in one tick: a reader never pairs these rules with another hash.
    ruleSet = next;
    rules = compiled;
    currentHash = nextHash;
    const changed = changedFiles(previous.sources, next.sources);
    logger.info({ hash: nextHash, previousHash, changed: changed.map((c) => c.file) }, 'rules changed');
    await record('rules.changed', { hash: nextHash, previousHash, files: changed }, actor);
    return { ok: true, hash: nextHash };
  };

  const reload = (o: { actor?: string } = {}): Promise<ReloadOutcome> => {
    const run = chain.then(() => reloadNow(o.actor ?? defaultActor));
    chain = run.catch(() => undefined);
    return run.catch((err: unknown) => ({ ok: false, error: safeError(err).message, hash: currentHash }));
  };

  // ---- noticing edits
  let debounce: NodeJS.Timeout | undefined;
  const schedule = () => {
    if (closed) return;
    if (debounce) clearTimeout(debounce);
    debounce = setTimeout(() => {
      debounce = undefined;
      if (!closed) void reload();
    }, debounceMs);
    debounce.unref();
  };

  let watcher: FSWatcher | undefined;
  const startWatcher = () => {
    if (closed || opts.watch === false || watcher) return;
    try {
      watcher = watch(dir, { recursive: true, persistent: false }, () => schedule());
      watcher.on('error', (err) => {
        // The folder went away or was replaced: the poll keeps looking and watches it again.
        logger.warn({ err: safeError(err) }, 'watching the rules folder failed; polling continues');
        watcher?.close();
        watcher = undefined;
      });
    } catch (err) {
      logger.warn({ err: safeError(err) }, 'cannot watch the rules folder; polling only');
      watcher = undefined;
    }
  };
  startWatcher();

  let signature = folderSignature(dir);
  const poll =
    pollMs <= 0
      ? undefined
      : setInterval(() => {
          startWatcher();
          const seen = folderSignature(dir);
          if (seen !== signature) {
            signature = seen;
            schedule();
          }
        }, pollMs);
  poll?.unref();

  return {
    current: () => rules,
    hash: () => currentHash,
    files: () => fileStates.map((f) => ({ ...f })),
    lastError: () => error,
    reload,
    close() {
      closed = true;
      if (debounce) clearTimeout(debounce);
      if (poll) clearInterval(poll);
      watcher?.close();
      watcher = undefined;
    },
  };
}

function statesOf(sources: Record<string, string>): RuleFileState[] {
  return Object.entries(sources).map(([file, sha256]) => ({ file, sha256, ok: true }));
}

function fileList(sources: Record<string, string>): Array<{ file: string; sha256: string }> {
  return Object.entries(sources).map(([file, sha256]) => ({ file, sha256 }));
}

/** Files added or edited (their new sha256) and removed (sha256 null). */
function changedFiles(before: Record<string, string>, after: Record<string, string>): Array<{ file: string; sha256: string | null }> {
  const out: Array<{ file: string; sha256: string | null }> = [];
  for (const [file, sha256] of Object.entries(after)) if (before[file] !== sha256) out.push({ file, sha256 });
  for (const file of Object.keys(before)) if (!(file in after)) out.push({ file, sha256: null });
  return out;
}

/** The folder as it is now, each file with the problems that name it. */
function statesOnDisk(dir: string, problems: readonly string[]): RuleFileState[] {
  let files: string[] = [];
  try {
    files = listRuleFiles(dir);
  } catch {
    return [];
  }
  return files.map((full) => {
    const file = displayPath(full);
    let sha256 = '';
    try {
      sha256 = createHash('sha256').update(readFileSync(full)).digest('hex');
    } catch {
      // removed between listing and reading
    }
    const mine = problems.filter((p) => p.startsWith(`${file}:`));
    return mine.length > 0 ? { file, sha256, ok: false, error: mine.join('\n') } : { file, sha256, ok: true };
  });
}

/** Names, sizes, mtimes and inodes of the rule files: any edit, rename-over or removal changes it. */
function folderSignature(dir: string): string {
  try {
    return listRuleFiles(dir)
      .map((f) => {
        const s = statSync(f);
        return `${f}:${s.size}:${s.mtimeMs}:${s.ino}`;
      })
      .join('\n');
  } catch {
    return 'unreadable';
  }
}

/** As the loader shows paths: relative to the working folder when inside it. */
function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
