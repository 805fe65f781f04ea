import { existsSync } from 'node:fs';
import path from 'node:path';

/** The project's root folder, whether running from the TypeScript sources or from dist/. */
export function findPackageRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) return from;
    dir = up;
  }
  return dir;
}
