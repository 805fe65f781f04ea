/**
 * The BlobStore port (core/ports/blob-store.ts) on the local disk. Files
 * under the data folder: raw mail and PDFs content-addressed by their
 * SHA-256, and per-message JSON and section PDFs. Every write is atomic and
 * flushed to disk (temp file, fsync, rename, fsync of the folder), because
 * the ledger says "recorded" only after the bytes are safe. Files are
 * readable by the service alone (0600 in 0700 folders).
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BlobStore } from '../core/ports/blob-store';

export function sha256Of(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The BlobStore on the local disk, under `root`. */
export function createFileStore(root: string): BlobStore {
  const dir = (...parts: string[]) => {
    const d = path.join(root, ...parts);
    mkdirSync(d, { recursive: true, mode: 0o700 });
    return d;
  };
  const jsonPath = (kind: string, messageId: string) => path.join(dir(kind, messageId.slice(0, 2)), `${messageId}.json`);
  return {
    root,
    putBlob(kind, data, ext) {
      const sha256 = sha256Of(data);
      const file = path.join(dir(kind, sha256.slice(0, 2)), `${sha256}${ext}`);
      writeDurably(file, data);
      return { sha256, path: file };
    },
    readFile: (file) => readFile(file),
    writeJson(kind, messageId, value) {
      const file = jsonPath(kind, messageId);
      writeDurably(file, Buffer.from(JSON.stringify(value)));
      return file;
    },
    async readJson<T>(kind: string, messageId: string) {
      return JSON.parse(await readFile(jsonPath(kind, messageId), 'utf8')) as T;
    },
    writeSection(messageId, name, data) {
      const file = path.join(dir('sections', messageId), `${name}.pdf`);
      writeDurably(file, data);
      return { sha256: sha256Of(data), path: file };
    },
  };
}

/** Writes a whole file or nothing, and returns only once it is on disk. */
function writeDurably(file: string, data: Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  const dfd = openSync(path.dirname(file), 'r');
  try {
    fsyncSync(dfd);
  } finally {
    closeSync(dfd);
  }
}
