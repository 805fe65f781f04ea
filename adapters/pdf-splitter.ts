/**
 * Cuts the application into one PDF per section with `qpdf --pages`. Pages are
 * numbered across all the mail's readable PDFs, as in the triage result.
 *
 * qpdf, not pdf-lib: pdf-lib cannot open owner-password PDFs (their pages were
 * skipped, so the next PDF's pages shifted into the wrong sections), and it
 * parses every object in memory (an unreferenced object-stream bomb ended the
 * process with a heap out-of-memory). qpdf decrypts owner-password files,
 * copies only what the pages use, and runs as a child under a timeout and a
 * memory cap.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SectionSpan } from '../core/types';
import { sweepStaleTemp } from './pdf-sandbox/stale-temp';

export interface SplitOptions {
  /**
   * Pages of each PDF as the PDF reader counted them; by default qpdf counts. A PDF whose pages
   * cannot be counted ends the numbering there: later sections get no file rather than wrong pages.
   */
  pageCounts?: ReadonlyArray<number | undefined>;
  /** Per qpdf run; default 60 s. */
  timeoutMs?: number;
  /** Address-space cap of each qpdf run, in MB; default 1024. */
  memoryMb?: number;
  qpdfPath?: string;
}

/**
 * One PDF per span, in span order. A span qpdf cannot cut (damaged PDF, over its budget) yields
 * no file rather than an error.
 */
export async function splitSections(
  pdfs: Uint8Array[],
  spans: readonly SectionSpan[],
  opts: SplitOptions = {},
): Promise<Array<{ span: SectionSpan; data: Uint8Array }>> {
  const qpdf = opts.qpdfPath ?? 'qpdf';
  const limits = { timeoutMs: opts.timeoutMs ?? 60_000, memoryBytes: (opts.memoryMb ?? 1024) * 1024 * 1024 };
  if (spans.length === 0 || pdfs.length === 0) return [];
  sweepStaleTemp('esor-split-');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'esor-split-'));
  try {
    // Global page number → (file, page in file); numbering stops at a PDF that cannot be counted.
    const files: Array<{ file: string; first: number; count: number }> = [];
    let next = 1;
    for (const [i, data] of pdfs.entries()) {
      const file = path.join(dir, `in${i}.pdf`);
      writeFileSync(file, data, { mode: 0o600 });
      const count = opts.pageCounts?.[i] ?? (await countPages(qpdf, file, limits));
      if (count === undefined) break;
      files.push({ file, first: next, count });
      next += count;
    }
    const out: Array<{ span: SectionSpan; data: Uint8Array }> = [];
    for (const [n, span] of spans.entries()) {
      const [from, to] = span.pages;
      if (from < 1 || to < from || to >= next) continue;
      const args = ['--empty', '--warning-exit-0', '--no-warn', '--pages'];
      for (const f of files) {
        const lo = Math.max(from, f.first);
        const hi = Math.min(to, f.first + f.count - 1);
        if (lo <= hi) args.push(f.file, `${lo - f.first + 1}-${hi - f.first + 1}`);
      }
      const target = path.join(dir, `out${n}.pdf`);
      args.push('--', target);
      try {
        await run(qpdf, args, limits);
        out.push({ span, data: new Uint8Array(readFileSync(target)) });
      } catch {
        // a section qpdf cannot cut gets no file; the verdict does not depend on it
      } finally {
        rmSync(target, { force: true });
      }
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function countPages(qpdf: string, file: string, limits: { timeoutMs: number; memoryBytes: number }): Promise<number | undefined> {
  try {
    const n = Number((await run(qpdf, ['--warning-exit-0', '--no-warn', '--show-npages', file], limits)).trim());
    return Number.isInteger(n) && n >= 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

const HAS_PRLIMIT = ['/usr/bin/prlimit', '/bin/prlimit'].some((p) => existsSync(p));

function run(cmd: string, args: string[], limits: { timeoutMs: number; memoryBytes: number }): Promise<string> {
  const [file, argv] = HAS_PRLIMIT ? ['prlimit', [`--as=${limits.memoryBytes}`, '--', cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    execFile(file, argv, { timeout: limits.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1024 * 1024 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}
