/**
 * The command line triages each file in a child process (./triage-child.ts)
 * under a wall-time budget and a heap limit: a file whose triage runs away or
 * crashes the child gets a verdict (unreadable_pdf with the reason, a person
 * looks at it) and the batch goes on with a fresh child. One child serves the
 * whole batch while it behaves (rules are loaded once).
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { forkReadyChild } from '../../adapters/fork-ready-child';
import { triageApplication, type TriageDetails, type TriageRules } from '../../core/triage/triage-application';
import type { TriageChildReply, TriageChildRequest } from './triage-child';
import type { TriageFileOptions } from './triage-file';

/** Per input file: reading its PDFs (60 s each at most), OCR (120 s per PDF) and the triage itself. */
export const DEFAULT_FILE_BUDGET_MS = 300_000;
/** Heap of the triage child; PDFs are read in their own sandbox children besides. */
const CHILD_HEAP_MB = 1024;

export const FILE_TOO_SLOW_REASON = 'the file took too long to triage';
export const FILE_CRASHED_REASON = 'the file could not be processed';

/**
 * The verdict for a file whose triage failed or ran over its budget: its PDF counts as unreadable
 * with `reason` (unreadable_pdf), so every input of a batch gets a verdict and a person looks at it.
 * Built here, in the command's own process, from the rules alone: this process loads no mail or PDF
 * reader (those live in the child), which keeps it at about half the memory of the child.
 */
export function unreadableFileVerdict(file: string, rules: TriageRules, options: Pick<TriageFileOptions, 'received' | 'programme'>, reason = FILE_CRASHED_REASON): TriageDetails {
  return triageApplication({ receivedAt: options.received ?? null, pdfs: [{ filename: path.basename(file), unreadable: reason }], programme: options.programme }, rules);
}

export type GuardedDetails = Pick<TriageDetails, 'result' | 'outcomes'>;
export type GuardedOutcome = { details: GuardedDetails } | { unreadable: string } | { diskError: string };

export interface TriageGuard {
  triage(file: string, request: Omit<TriageChildRequest, 'id' | 'file'>, budgetMs?: number): Promise<GuardedOutcome>;
  close(): Promise<void>;
}

export function createTriageGuard(): TriageGuard {
  let child: { proc: ChildProcess; ready: Promise<void> } | undefined;
  let nextId = 1;

  const spawn = () => {
    const { proc, ready } = forkReadyChild(__dirname, 'triage-child', CHILD_HEAP_MB, 'the triage child');
    ready.catch(() => undefined);
    return { proc, ready };
  };

  const kill = async (c: { proc: ChildProcess }) => {
    if (c.proc.exitCode !== null || c.proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      c.proc.once('exit', () => resolve());
      c.proc.kill('SIGKILL');
    });
  };

  return {
    async triage(file, request, budgetMs = DEFAULT_FILE_BUDGET_MS) {
      const c = (child ??= spawn());
      const id = nextId++;
      const outcome = await new Promise<GuardedOutcome | 'killed'>((resolve) => {
        let done = false;
        const finish = (o: GuardedOutcome | 'killed') => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          c.proc.off('message', onMessage);
          c.proc.off('exit', onExit);
          resolve(o);
        };
        const onMessage = (msg: TriageChildReply) => {
          if (msg?.id !== id) return;
          if ('details' in msg) finish({ details: msg.details as GuardedDetails });
          else if (msg.fromDisk) finish({ diskError: msg.error });
          else finish({ unreadable: FILE_CRASHED_REASON });
        };
        const onExit = () => finish({ unreadable: FILE_CRASHED_REASON });
        const timer = setTimeout(() => finish('killed'), budgetMs);
        c.proc.on('message', onMessage);
        c.proc.on('exit', onExit);
        c.ready.then(
          () => {
            if (!done) c.proc.send({ ...request, id, file } satisfies TriageChildRequest, (err) => err && finish({ unreadable: FILE_CRASHED_REASON }));
          },
          () => finish({ unreadable: FILE_CRASHED_REASON }),
        );
      });
      if (outcome === 'killed' || 'unreadable' in outcome) {
        // Over budget or crashed: this child is done for; the next file gets a fresh one.
        child = undefined;
        await kill(c);
        return outcome === 'killed' ? { unreadable: FILE_TOO_SLOW_REASON } : outcome;
      }
      return outcome;
    },
    async close() {
      const c = child;
      child = undefined;
      if (!c || c.proc.exitCode !== null || c.proc.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => c.proc.once('exit', () => resolve()));
      c.proc.send({ close: true }, () => undefined);
      const timer = setTimeout(() => c.proc.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
}
