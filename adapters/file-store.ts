/**
 * The BlobStore port (core/ports/blob-store.ts) on the local disk. Files
 * under the data folder: raw mail and PDFs content-addressed by their
 * SHA-256, and per-message JSON and section PDFs. Every write is atomic and
 * flushed to disk (temp file, fsync, rename, fsync of the folder), because
 * the ledger says "recorded" only after the bytes are safe. Files are
 * readable by the service alone (0600 in 0700 folders).
 *
 * Writes return `blob:` references (core/ports/blob-ref.ts), never paths.
 * Versions before issue 11 stored absolute paths under `root`; those still
 * read when they lie inside this store's root and follow its layout
 * (`refOfStoredPath` turns them into references for `store copy`).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { contentRef, formatBlobRef, isJsonKind, isRefExt, isRefSegment, jsonRef, parseBlobRef, sectionRef, type BlobRef } from '../core/ports/blob-ref';
import { BlobStoreError, type BlobStore } from '../core/ports/blob-store';

export function sha256Of(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The BlobStore on the local disk, under `root`. */
export function createFileStore(root: string): BlobStore & { readonly root: string } {
  const base = path.resolve(root);
  const fileOf = (ref: BlobRef) => path.join(base, relativeFileOf(ref));
  const refOf = (text: string): BlobRef | undefined => parseBlobRef(text) ?? legacyRef(base, text);
  return {
    root: base,
    async putBlob(kind, data, ext) {
      const sha256 = sha256Of(data);
      const ref = contentRef(kind, sha256, ext);
      await writeDurably(fileOf(ref), data);
      return { sha256, path: formatBlobRef(ref) };
    },
    async readFile(text) {
      const ref = refOf(text);
      if (!ref) throw new BlobStoreError('BLOB_UNKNOWN_REF', 'not a reference of this file store');
      return readOrNotFound(fileOf(ref));
    },
    isRef: (text) => refOf(text) !== undefined,
    async writeJson(kind, messageId, value) {
      const ref = jsonRef(kind, messageId);
      await writeDurably(fileOf(ref), Buffer.from(JSON.stringify(value)));
      return formatBlobRef(ref);
    },
    async readJson<T>(kind: string, messageId: string) {
      return JSON.parse((await readOrNotFound(fileOf(jsonRef(kind, messageId)))).toString('utf8')) as T;
    },
    async writeSection(messageId, name, data) {
      const ref = sectionRef(messageId, name);
      await writeDurably(fileOf(ref), data);
      return { sha256: sha256Of(data), path: formatBlobRef(ref) };
    },
  };
}

/** Where a reference lives under the root (the layout of every version so far). */
function relativeFileOf(ref: BlobRef): string {
  switch (ref.type) {
    case 'blob':
      return path.join(ref.kind, ref.sha256.slice(0, 2), `${ref.sha256}${ref.ext}`);
    case 'section':
      return path.join('sections', ref.messageId, `${ref.name}.pdf`);
    case 'json':
      return path.join(ref.kind, ref.messageId.slice(0, 2), `${ref.messageId}.json`);
  }
}

/**
 * The reference of a path an older version stored: absolute, inside `root`, and in the layout above
 * (so `root/../store.sqlite` or `root/raw/../../x` never is one). Undefined otherwise.
 */
export function refOfStoredPath(root: string, file: string): string | undefined {
  const ref = legacyRef(path.resolve(root), file);
  return ref && formatBlobRef(ref);
}

function legacyRef(base: string, file: string): BlobRef | undefined {
  if (typeof file !== 'string' || !path.isAbsolute(file) || file.includes('\0')) return undefined;
  const rel = path.relative(base, path.resolve(file));
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  const parts = rel.split(path.sep);
  if (parts.length === 3 && parts[0] === 'sections') {
    const name = parts[2]!.endsWith('.pdf') ? parts[2]!.slice(0, -4) : '';
    return isRefSegment(parts[1]!) && isRefSegment(name) ? { type: 'section', messageId: parts[1]!, name } : undefined;
  }
  if (parts.length !== 3) return undefined;
  const [folder, fan, leaf] = parts as [string, string, string];
  const blob = /^([0-9a-f]{64})(.*)$/.exec(leaf);
  if ((folder === 'raw' || folder === 'pdf') && blob && blob[1]!.startsWith(fan) && isRefExt(blob[2]!)) {
    return { type: 'blob', kind: folder, sha256: blob[1]!, ext: blob[2]! };
  }
  const id = leaf.endsWith('.json') ? leaf.slice(0, -5) : '';
  if (isJsonKind(folder) && isRefSegment(id) && id.startsWith(fan)) return { type: 'json', kind: folder, messageId: id };
  return undefined;
}

async function readOrNotFound(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new BlobStoreError('BLOB_NOT_FOUND', 'no such file in the store', { cause: err });
    throw err;
  }
}

/** Writes a whole file or nothing, and resolves only once it is on disk. */
async function writeDurably(file: string, data: Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Unique per write: two workers of one process may store the same PDF at once.
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}
