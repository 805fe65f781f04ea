/**
 * Page thumbnails for the staff dashboard: one page of an application PDF as
 * a PNG, rendered by poppler's `pdftoppm` (Debian package poppler-utils).
 *
 * Why a separate process: a corrupt or hostile PDF may make a renderer loop,
 * eat memory or crash; in a child process that costs one thumbnail (killed at
 * the timeout), never the service. `execFile` without a shell, so nothing in
 * a path is ever interpreted.
 *
 * Rendered PNGs are cached under `cacheDir` by (PDF sha256, page, width): the
 * sha256 names the content, so a cached file never goes stale. Files are
 * written to a temporary name in the same folder and renamed, so a reader
 * sees a whole PNG or none, even with several processes sharing the folder.
 * The PDF is a local file or a loader of its bytes (a BlobStore reference may
 * name bytes in PostgreSQL): loaded only on a cache miss, into the render's
 * private folder, and removed with it.
 * Concurrent requests for one key share one render; at most `maxConcurrent`
 * pdftoppm processes run at a time, the others wait their turn.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, promises as fs } from 'node:fs';
import path from 'node:path';

export const PAGE_RENDER_ERROR_CODES = ['PAGE_OUT_OF_RANGE', 'RENDER_FAILED', 'RENDER_TIMEOUT'] as const;
export type PageRenderErrorCode = (typeof PAGE_RENDER_ERROR_CODES)[number];

/**
 * - `PAGE_OUT_OF_RANGE` the page is not in the PDF (or is no positive integer).
 * - `RENDER_FAILED`     the PDF cannot be read (corrupt, missing, not a PDF) or the input is malformed.
 * - `RENDER_TIMEOUT`    pdftoppm took longer than `timeoutMs` and was killed.
 */
export class PageRenderError extends Error {
  constructor(
    readonly code: PageRenderErrorCode,
    message: string,
    /** pdftoppm's own words (first lines of stderr), for the log; may name the file. */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'PageRenderError';
  }
}

export interface PageRendererOptions {
  /** Where PNGs are kept; created (0700) when missing. */
  cacheDir: string;
  /** pdftoppm processes at a time; default 2. */
  maxConcurrent?: number;
  /** pdftoppm is killed after this long; default 15000. */
  timeoutMs?: number;
  /** The pdftoppm binary; default `pdftoppm` from PATH. */
  pdftoppmPath?: string;
}

export interface PageRenderer {
  /**
   * One page as a PNG `width` pixels wide (clamped to 40..800), the height following the page's aspect.
   * @param pdf a local file, or a loader of the PDF's bytes (called only when the page is not cached).
   * @param pdfSha256 the SHA-256 (hex) of the PDF's bytes: the cache key, trusted to match the file.
   * @param page 1-based.
   * @throws PageRenderError PAGE_OUT_OF_RANGE, RENDER_FAILED, RENDER_TIMEOUT.
   */
  render(pdf: PdfSource, pdfSha256: string, page: number, width: number): Promise<Buffer>;
  /** Counters, for tests and metrics: `renders` counts pdftoppm runs, `cacheHits` answers read from the cache. */
  stats(): { renders: number; cacheHits: number; running: number; waiting: number };
}

/** A PDF on this machine's disk, or a loader of its bytes. */
export type PdfSource = string | (() => Promise<Uint8Array>);

export const MIN_WIDTH = 40;
export const MAX_WIDTH = 800;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const SHA256 = /^[0-9a-f]{64}$/;
/** pdftoppm's exit code for "Wrong page range given". */
const EXIT_BAD_PAGE_RANGE = 99;

/** Width clamped to MIN_WIDTH..MAX_WIDTH and rounded; a non-number gets the minimum. */
export function clampWidth(width: number): number {
  if (!Number.isFinite(width)) return MIN_WIDTH;
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, Math.round(width)));
}

export function createPageRenderer(opts: PageRendererOptions): PageRenderer {
  const cacheDir = path.resolve(opts.cacheDir);
  const maxConcurrent = Math.max(1, Math.floor(opts.maxConcurrent ?? 2));
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const binary = opts.pdftoppmPath ?? 'pdftoppm';
  mkdirSync(cacheDir, { recursive: true, mode: 0o700 });

  const inflight = new Map<string, Promise<Buffer>>();
  const counters = { renders: 0, cacheHits: 0 };
  let running = 0;
  const queue: Array<() => void> = [];

  async function withSlot<T>(work: () => Promise<T>): Promise<T> {
    if (running >= maxConcurrent) await new Promise<void>((resolve) => queue.push(resolve));
    else running += 1;
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next waiter, so `running` never dips and lets a newcomer jump the queue.
      const next = queue.shift();
      if (next) next();
      else running -= 1;
    }
  }

  function cachePath(sha: string, page: number, width: number): string {
    return path.join(cacheDir, sha.slice(0, 2), `${sha}-p${page}-w${width}.png`);
  }

  async function readCached(file: string): Promise<Buffer | undefined> {
    try {
      const png = await fs.readFile(file);
      return isPng(png) ? png : undefined;
    } catch {
      return undefined;
    }
  }

  async function renderFresh(pdf: PdfSource, file: string, page: number, width: number): Promise<Buffer> {
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    // pdftoppm names its output itself (<prefix>.png): a private folder next to the target keeps the rename on one file system.
    const work = await fs.mkdtemp(path.join(path.dirname(file), '.render-'));
    try {
      const pdfPath = typeof pdf === 'string' ? pdf : await loadInto(work, pdf);
      counters.renders += 1;
      await runPdftoppm(binary, ['-png', '-f', String(page), '-l', String(page), '-scale-to-x', String(width), '-scale-to-y', '-1', '-singlefile', pdfPath, path.join(work, 'page')], timeoutMs, page);
      let png: Buffer;
      try {
        png = await fs.readFile(path.join(work, 'page.png'));
      } catch {
        throw new PageRenderError('RENDER_FAILED', `pdftoppm wrote no image for page ${page}`);
      }
      if (!isPng(png)) throw new PageRenderError('RENDER_FAILED', `pdftoppm wrote no PNG for page ${page}`);
      const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      await fs.writeFile(tmp, png, { mode: 0o600 });
      await fs.rename(tmp, file);
      return png;
    } finally {
      await fs.rm(work, { recursive: true, force: true });
    }
  }

  return {
    async render(pdf, pdfSha256, page, width) {
      const sha = String(pdfSha256).toLowerCase();
      if (!SHA256.test(sha)) throw new PageRenderError('RENDER_FAILED', 'the PDF hash is not a SHA-256 (64 hex digits)');
      if (!Number.isInteger(page) || page < 1) throw new PageRenderError('PAGE_OUT_OF_RANGE', `page ${String(page)} is not a page number (1, 2, ...)`);
      const w = clampWidth(width);
      const file = cachePath(sha, page, w);
      const shared = inflight.get(file);
      if (shared) return shared;
      const job = (async () => {
        const cached = await readCached(file);
        if (cached) {
          counters.cacheHits += 1;
          return cached;
        }
        return withSlot(async () => {
          // Another process may have rendered it while this request waited for a slot.
          const late = await readCached(file);
          if (late) {
            counters.cacheHits += 1;
            return late;
          }
          return renderFresh(pdf, file, page, w);
        });
      })();
      inflight.set(file, job);
      try {
        return await job;
      } finally {
        inflight.delete(file);
      }
    },
    stats() {
      return { ...counters, running, waiting: queue.length };
    },
  };
}

/** Writes the loaded PDF into the render's private folder; a failed load is the PDF being unreadable. */
async function loadInto(work: string, load: () => Promise<Uint8Array>): Promise<string> {
  let data: Uint8Array;
  try {
    data = await load();
  } catch (err) {
    throw new PageRenderError('RENDER_FAILED', `the PDF could not be loaded (${String((err as { code?: unknown }).code ?? 'error')})`);
  }
  const file = path.join(work, 'input.pdf');
  await fs.writeFile(file, data, { mode: 0o600 });
  return file;
}

function isPng(b: Buffer): boolean {
  return b.length > PNG_SIGNATURE.length && b.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE);
}

/** Runs pdftoppm; maps its failures to PageRenderError. */
function runPdftoppm(binary: string, args: string[], timeoutMs: number, page: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1024 * 1024, windowsHide: true }, (err, _stdout, stderr) => {
      if (!err) return resolve();
      const detail = String(stderr ?? '').trim().split('\n').slice(0, 5).join('\n') || undefined;
      const e = err as Error & { killed?: boolean; signal?: string | null; code?: number | string };
      if (e.killed && e.signal === 'SIGKILL') {
        return reject(new PageRenderError('RENDER_TIMEOUT', `rendering page ${page} took longer than ${timeoutMs} ms`, detail));
      }
      if (e.code === 'ENOENT') {
        return reject(new PageRenderError('RENDER_FAILED', `cannot run ${binary}: is poppler-utils installed?`));
      }
      if (e.code === EXIT_BAD_PAGE_RANGE || /Wrong page range/i.test(detail ?? '')) {
        return reject(new PageRenderError('PAGE_OUT_OF_RANGE', `the PDF has no page ${page}`, detail));
      }
      reject(new PageRenderError('RENDER_FAILED', `pdftoppm could not render page ${page} (exit ${String(e.code ?? e.signal)}): the PDF is unreadable`, detail));
    });
  });
}
