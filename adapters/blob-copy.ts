/**
 * Copies the files of a data folder's file store (adapters/file-store.ts) into another BlobStore
 * (PostgreSQL, for `esor-intake store copy`). Walks the folder rather than the rows, so every file
 * goes, also one no row names any more. Paths that versions before issue 11 wrote into the JSON
 * (absolute, inside the folder) become `blob:` references on the way; the rows' paths are the row
 * copy's business (adapters/store-copy.ts).
 *
 * Idempotent and resumable: content goes under its hash (a second put is a lookup), JSON and
 * sections are replaced by the same bytes. A file whose name is not its hash, or JSON that does not
 * parse, is counted as damaged and left behind (the count says so; nothing is guessed).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { isJsonKind, isRefExt, isRefSegment } from '../core/ports/blob-ref';
import type { BlobStore } from '../core/ports/blob-store';
import { refOfStoredPath, sha256Of } from './file-store';

export interface BlobCopyCounts {
  raw: number;
  pdf: number;
  sections: number;
  json: number;
  /** Paths in JSON turned into references. */
  pathsRewritten: number;
  /** Files left behind: a name that is not the content's hash, JSON that does not parse. */
  damaged: string[];
  /** Files outside the store's layout (left behind): temp files of a crashed write, strays. */
  ignored: string[];
}

/** Copies every file under `root` into `target`; `onFile` hears of each one copied (for progress). */
export async function copyFileStore(root: string, target: BlobStore, onFile: (counts: BlobCopyCounts) => void = () => undefined): Promise<BlobCopyCounts> {
  const base = path.resolve(root);
  const counts: BlobCopyCounts = { raw: 0, pdf: 0, sections: 0, json: 0, pathsRewritten: 0, damaged: [], ignored: [] };
  for (const folder of await listDir(base)) {
    if (folder === 'raw' || folder === 'pdf') await copyContent(base, folder, target, counts, onFile);
    else if (folder === 'sections') await copySections(base, target, counts, onFile);
    else if (isJsonKind(folder)) await copyJson(base, folder, target, counts, onFile);
    else counts.ignored.push(folder);
  }
  return counts;
}

async function copyContent(base: string, kind: 'raw' | 'pdf', target: BlobStore, counts: BlobCopyCounts, onFile: (c: BlobCopyCounts) => void): Promise<void> {
  await forEachLimited(await twoLevels(base, kind), async ([rel, leaf]) => {
    const m = /^([0-9a-f]{64})(.*)$/.exec(leaf);
    if (!m || !isRefExt(m[2]!)) {
      counts.ignored.push(rel);
      return;
    }
    const data = await readFile(path.join(base, rel));
    if (sha256Of(data) !== m[1]) {
      counts.damaged.push(rel);
      return;
    }
    await target.putBlob(kind, data, m[2]!);
    counts[kind] += 1;
    onFile(counts);
  });
}

async function copySections(base: string, target: BlobStore, counts: BlobCopyCounts, onFile: (c: BlobCopyCounts) => void): Promise<void> {
  await forEachLimited(await twoLevels(base, 'sections'), async ([rel, leaf, messageId]) => {
    const name = leaf.endsWith('.pdf') ? leaf.slice(0, -4) : '';
    if (!isRefSegment(messageId) || !isRefSegment(name)) {
      counts.ignored.push(rel);
      return;
    }
    await target.writeSection(messageId, name, await readFile(path.join(base, rel)));
    counts.sections += 1;
    onFile(counts);
  });
}

async function copyJson(base: string, kind: string, target: BlobStore, counts: BlobCopyCounts, onFile: (c: BlobCopyCounts) => void): Promise<void> {
  await forEachLimited(await twoLevels(base, kind), async ([rel, leaf]) => {
    const messageId = leaf.endsWith('.json') ? leaf.slice(0, -5) : '';
    if (!isRefSegment(messageId)) {
      counts.ignored.push(rel);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(await readFile(path.join(base, rel), 'utf8'));
    } catch {
      counts.damaged.push(rel);
      return;
    }
    await target.writeJson(kind, messageId, rewritePaths(value, base, counts));
    counts.json += 1;
    onFile(counts);
  });
}

/**
 * A few files at a time: each write waits for PostgreSQL's commit (fsync), which a single stream
 * spends mostly waiting on. Four, the PostgreSQL store's pool size by default.
 */
const PARALLEL = 4;

async function forEachLimited<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, lane));
}

/**
 * The value with every `path` field that an earlier version wrote (an absolute path in the store's
 * layout) replaced by its reference; the stored mail's PDFs and the analysis's section files are the
 * fields that hold one.
 */
export function rewritePaths(value: unknown, root: string, counts: { pathsRewritten: number }): unknown {
  if (Array.isArray(value)) return value.map((v) => rewritePaths(v, root, counts));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const ref = k === 'path' && typeof v === 'string' ? refOfStoredPath(root, v) : undefined;
    if (ref) counts.pathsRewritten += 1;
    out[k] = ref ?? rewritePaths(v, root, counts);
  }
  return out;
}

/** `folder/<sub>/<leaf>` files (relative path, leaf, sub), temp files of interrupted writes left out. */
async function twoLevels(base: string, folder: string): Promise<Array<[string, string, string]>> {
  const out: Array<[string, string, string]> = [];
  for (const sub of await listDir(path.join(base, folder))) {
    for (const leaf of await listDir(path.join(base, folder, sub))) {
      if (!leaf.endsWith('.tmp')) out.push([path.join(folder, sub, leaf), leaf, sub]);
    }
  }
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw err;
  }
}
