/**
 * Temp folders of ours that a killed process left behind (page images,
 * copies of applicants' PDFs): removed once per process when older than any
 * run could be, so a folder another live process is using is never touched.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** No OCR or split of one PDF runs this long (their budgets are minutes). */
const STALE_AFTER_MS = 60 * 60 * 1000;
const swept = new Set<string>();

export function sweepStaleTemp(prefix: string, now = Date.now()): void {
  if (swept.has(prefix)) return;
  swept.add(prefix);
  try {
    for (const name of readdirSync(os.tmpdir())) {
      if (!name.startsWith(prefix)) continue;
      const dir = path.join(os.tmpdir(), name);
      try {
        if (now - statSync(dir).mtimeMs > STALE_AFTER_MS) rmSync(dir, { recursive: true, force: true });
      } catch {
        // gone meanwhile, or not ours to remove
      }
    }
  } catch {
    // an unreadable temp folder: nothing to sweep
  }
}
