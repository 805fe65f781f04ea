/**
 * Runs the reading of a PDF's text layer in a forked Node process with a hard
 * wall-time budget and memory limit. A child process, not a worker thread: a
 * decompression bomb grows ArrayBuffers that `resourceLimits` does not count,
 * and a synchronous inflate cannot be interrupted from inside; SIGKILL always
 * works. A child is reused for the next PDF (pdf.js starts in ≈250 ms) unless
 * it was killed or grew large.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { PageText } from '../../core/types';
import { forkReadyChild } from '../fork-ready-child';
import type { SandboxReply, SandboxRequest } from './child';
import { PdfUnreadableError, precheckPdf } from './text-layer';

export interface PdfReadLimits {
  /** Wall time for reading one PDF's text layer, child start-up included. */
  timeoutMs: number;
  /**
   * Resident memory one PDF may add to the reading child (V8 heap and pdf.js buffers together), over
   * what the child holds once started (≈65 MB compiled, ≈180 MB from the sources through tsx).
   */
  memoryMb: number;
}

/**
 * The defaults of `limits.pdfReadMs` / `limits.pdfReadMemoryMb` in services/common/config.ts; the CLI uses them too.
 * 384 MB: a 300-page text PDF adds ≈125 MB, and a bomb stopped here leaves the compiled child under the
 * issue's 500 MB (≈65 MB + 384 MB + the watch's overshoot; `npm run bench:hostile`).
 */
export const DEFAULT_PDF_READ_LIMITS: Readonly<PdfReadLimits> = { timeoutMs: 60_000, memoryMb: 384 };

export const TOO_SLOW_REASON = 'the PDF took too long to read';
export const TOO_BIG_REASON = 'the PDF needs more memory than we allow';

/** How often the child's resident memory is looked at (one small /proc read); a bomb inflates some 50 MB in this time at most. */
const RSS_POLL_MS = 25;
/** A child that grew by more than this over its start after a PDF is not kept for the next one. */
const REUSE_MAX_GROWTH = 200 * 1024 * 1024;
/** Children kept waiting for the next PDF (the workers' concurrency is 2 by default). */
const MAX_IDLE = 2;
/** An idle child (≈100–150 MB) ends after this long without a PDF; the next PDF pays ≈0.3 s to start one. */
const IDLE_MS = 30_000;

interface Child {
  proc: ChildProcess;
  memoryMb: number;
  ready: Promise<void>;
  /** Resident bytes once started; the budget counts what a PDF adds to it. */
  baseline: number;
  idleTimer?: NodeJS.Timeout;
}

const idle: Child[] = [];
let nextId = 1;

/**
 * The text layer of one PDF, read in a sandbox child.
 * @throws PdfUnreadableError for a PDF that cannot be read, or takes more time or memory than allowed.
 */
export async function readTextLayerSandboxed(data: Uint8Array, firstPageNumber: number, limits: PdfReadLimits = DEFAULT_PDF_READ_LIMITS): Promise<PageText[]> {
  precheckPdf(data);
  const deadline = Date.now() + limits.timeoutMs;
  const child = takeIdle(limits.memoryMb) ?? spawnChild(limits.memoryMb);
  child.proc.ref();
  (child.proc.channel as { ref?: () => void } | undefined)?.ref?.();
  return new Promise<PageText[]>((resolve, reject) => {
    const id = nextId++;
    let done = false;
    const finish = (outcome: { pages: PageText[] } | { error: PdfUnreadableError }, keep: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(watch);
      child.proc.off('message', onMessage);
      child.proc.off('exit', onExit);
      if (keep) release(child);
      else child.proc.kill('SIGKILL');
      if ('pages' in outcome) resolve(outcome.pages);
      else reject(outcome.error);
    };
    const onMessage = (msg: SandboxReply) => {
      if (msg?.id !== id) return;
      if ('pages' in msg) finish({ pages: msg.pages }, true);
      else finish({ error: new PdfUnreadableError(msg.unreadable) }, true);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      // V8 ends a process over --max-old-space-size with SIGABRT (or exit 134 through a shell).
      const memory = signal === 'SIGABRT' || code === 134;
      finish({ error: new PdfUnreadableError(memory ? TOO_BIG_REASON : 'the file is damaged or incomplete') }, false);
    };
    const timer = setTimeout(() => finish({ error: new PdfUnreadableError(TOO_SLOW_REASON) }, false), Math.max(0, deadline - Date.now()));
    const watch = setInterval(() => {
      const rss = residentBytes(child.proc.pid);
      if (rss !== undefined && child.baseline > 0 && rss - child.baseline > limits.memoryMb * 1024 * 1024) finish({ error: new PdfUnreadableError(TOO_BIG_REASON) }, false);
    }, RSS_POLL_MS);
    child.proc.on('message', onMessage);
    child.proc.on('exit', onExit);
    child.ready.then(
      () => {
        if (done) return;
        const request: SandboxRequest = { id, data, firstPageNumber };
        child.proc.send(request, (err) => {
          if (err) finish({ error: new PdfUnreadableError('the file is damaged or incomplete', { cause: err }) }, false);
        });
      },
      () => finish({ error: new PdfUnreadableError('the file is damaged or incomplete') }, false),
    );
  });
}

/**
 * Ends the idle children now (tests, shutdown, the end of a CLI run) and resolves once they are
 * gone, so that they are reaped and counted in the caller's resource usage; busy ones end with their PDF.
 */
export async function closePdfSandbox(): Promise<void> {
  await Promise.all(
    idle.splice(0).map(
      (c) =>
        new Promise<void>((resolve) => {
          clearTimeout(c.idleTimer);
          if (c.proc.exitCode !== null || c.proc.signalCode !== null) return resolve();
          c.proc.ref();
          c.proc.once('exit', () => resolve());
          c.proc.kill('SIGKILL');
        }),
    ),
  );
}

function takeIdle(memoryMb: number): Child | undefined {
  while (idle.length > 0) {
    const c = idle.pop()!;
    clearTimeout(c.idleTimer);
    if (c.proc.exitCode === null && c.proc.signalCode === null && c.proc.connected && c.memoryMb === memoryMb) return c;
    c.proc.kill('SIGKILL');
  }
  return undefined;
}

function release(child: Child): void {
  const rss = residentBytes(child.proc.pid) ?? Infinity;
  if (idle.length >= MAX_IDLE || rss - child.baseline > REUSE_MAX_GROWTH || !child.proc.connected) {
    child.proc.kill('SIGKILL');
    return;
  }
  // An idle child must not keep the CLI (or a test) from exiting.
  child.proc.unref();
  (child.proc.channel as { unref?: () => void } | undefined)?.unref?.();
  child.idleTimer = setTimeout(() => {
    const at = idle.indexOf(child);
    if (at >= 0) idle.splice(at, 1);
    child.proc.kill('SIGKILL');
  }, IDLE_MS).unref();
  idle.push(child);
}

function spawnChild(memoryMb: number): Child {
  const { proc, ready } = forkReadyChild(__dirname, 'child', memoryMb, 'the PDF sandbox');
  const child: Child = { proc, memoryMb, ready, baseline: 0 };
  ready.then(
    () => (child.baseline = residentBytes(proc.pid) ?? 0),
    () => undefined,
  );
  return child;
}

/** Resident memory of a process from /proc (Linux); undefined elsewhere or when it is gone. */
function residentBytes(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const pages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    return Number.isFinite(pages) ? pages * 4096 : undefined;
  } catch {
    return undefined;
  }
}
