import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findUntraversableAncestor } from '../../../dev/local/dovecot-server';

describe("folders Dovecot's users must pass through", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'esor-trav-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('names the first folder above that others cannot search (a 0700 home), none when all can', () => {
    const home = path.join(root, 'home');
    mkdirSync(path.join(home, 'esor', '.data'), { recursive: true });
    chmodSync(root, 0o711);
    chmodSync(home, 0o700);
    expect(findUntraversableAncestor(path.join(home, 'esor', '.data', 'local', 'dovecot'))).toBe(home);
    chmodSync(home, 0o755);
    expect(findUntraversableAncestor(path.join(home, 'esor', '.data', 'local', 'dovecot'))).toBeUndefined();
  });
});
