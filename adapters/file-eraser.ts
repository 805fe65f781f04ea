/**
 * The FileEraser port (core/ports/erasure.ts) for the BlobStore on the local
 * disk (adapters/file-store.ts) and the page renderer's image cache
 * (adapters/page-renderer.ts). It knows their folder layout, which both keep
 * stable: `raw|pdf/<sha[0:2]>/<sha><ext>`, `sections/<messageId>/<name>.pdf`,
 * `<kind>/<id[0:2]>/<id>.json`, `thumbnails/<sha[0:2]>/<sha>-p<n>-w<w>.png`.
 *
 * References are read from the store's rows and JSON, so they are checked as
 * strictly as the BlobStore checks them: a `blob:` reference in exactly that
 * format, or (stores written before references) an absolute path inside the
 * root in that layout. Anything else is never deleted.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { FileEraser } from '../core/ports/erasure';

const SHA = /^[0-9a-f]{64}$/;
const EXT = /^(\.[a-z0-9]{1,10})?$/;
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
const KIND = /^[a-z][a-z0-9_]{0,31}$/;

/** The file a reference names under `root`, relative; undefined when it is no reference of this layout. */
export function relativeFileOfRef(root: string, ref: string): string | undefined {
  if (typeof ref !== 'string' || ref.includes('\0') || ref.length > 1000) return undefined;
  let parts: string[];
  if (ref.startsWith('blob:')) {
    parts = ref.slice(5).split('/');
    if (parts[0] === 'section' && parts.length === 3) parts = ['sections', parts[1]!, parts[2]!];
    else if (parts[0] === 'json' && parts.length === 3) parts = [parts[1]!, '', parts[2]!];
    else if ((parts[0] === 'raw' || parts[0] === 'pdf') && parts.length === 2) parts = [parts[0], '', parts[1]!];
    else return undefined;
  } else {
    if (!path.isAbsolute(ref)) return undefined;
    const rel = path.relative(path.resolve(root), path.resolve(ref));
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    parts = rel.split(path.sep);
    if (parts.length !== 3) return undefined;
  }
  const [folder, fan, leaf] = parts as [string, string, string];
  if (folder === 'sections') {
    const name = leaf.endsWith('.pdf') ? leaf.slice(0, -4) : '';
    return SEGMENT.test(fan) && SEGMENT.test(name) ? path.join(folder, fan, leaf) : undefined;
  }
  if (folder === 'raw' || folder === 'pdf') {
    const sha = leaf.slice(0, 64);
    if (!SHA.test(sha) || !EXT.test(leaf.slice(64)) || (fan && fan !== sha.slice(0, 2))) return undefined;
    return path.join(folder, sha.slice(0, 2), leaf);
  }
  const id = leaf.endsWith('.json') ? leaf.slice(0, -5) : '';
  if (!KIND.test(folder) || !SEGMENT.test(id) || (fan && fan !== id.slice(0, 2))) return undefined;
  return path.join(folder, id.slice(0, 2), leaf);
}

async function remove(file: string): Promise<boolean> {
  try {
    await rm(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** `filesRoot`: the BlobStore's folder (`<data>/files`); `thumbnailsDir`: the renderer's cache (`<data>/thumbnails`). */
export function createFileEraser(filesRoot: string, thumbnailsDir: string): FileEraser {
  const root = path.resolve(filesRoot);
  return {
    async eraseRef(ref) {
      const rel = relativeFileOfRef(root, ref);
      return rel ? remove(path.join(root, rel)) : false;
    },
    async eraseJson(kind, messageId) {
      if (!KIND.test(kind) || !SEGMENT.test(messageId)) return false;
      return remove(path.join(root, kind, messageId.slice(0, 2), `${messageId}.json`));
    },
    async eraseSections(messageId) {
      if (!SEGMENT.test(messageId)) return 0;
      const dir = path.join(root, 'sections', messageId);
      const names = await readdir(dir).catch(() => [] as string[]);
      await rm(dir, { recursive: true, force: true });
      return names.length;
    },
    async eraseThumbnails(sha256) {
      if (!SHA.test(sha256)) return 0;
      const dir = path.join(path.resolve(thumbnailsDir), sha256.slice(0, 2));
      let names: string[];
      try {
        names = await readdir(dir);
      } catch {
        return 0;
      }
      let n = 0;
      for (const name of names.filter((f) => f.startsWith(`${sha256}-`))) if (await remove(path.join(dir, name))) n++;
      return n;
    },
  };
}
