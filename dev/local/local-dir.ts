import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface LocalDir {
  dir: string;
  /** True when the folder was made here (a fresh temp dir), so it is ours to remove. */
  created: boolean;
  /** Removes the folder if it was made here; leaves a caller's folder alone. */
  remove(): void;
}

/** The caller's folder (created if missing) or a fresh one in the system temp dir. */
export function prepareLocalDir(dir: string | undefined, prefix: string): LocalDir {
  if (dir) {
    const resolved = path.resolve(dir);
    mkdirSync(resolved, { recursive: true });
    return { dir: resolved, created: false, remove: () => undefined };
  }
  const created = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir: created, created: true, remove: () => rmSync(created, { recursive: true, force: true }) };
}
