/**
 * Where the held-out sets live: one folder per writer under
 * test/fixtures/heldout/, each with its .eml files and a truth.json whose
 * cases say which half they belong to (`tune` or `sealed`).
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

export const HELDOUT_DIR = path.resolve(__dirname, '../fixtures/heldout');

/** The writers' folders that hold a truth.json, in name order. */
export function heldOutDirs(): string[] {
  if (!existsSync(HELDOUT_DIR)) return [];
  return readdirSync(HELDOUT_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(HELDOUT_DIR, d.name, 'truth.json')))
    .map((d) => path.join(HELDOUT_DIR, d.name))
    .sort();
}
