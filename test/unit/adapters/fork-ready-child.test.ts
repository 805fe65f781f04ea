/**
 * The PDF sandbox's children run below the worker's priority, so that on a busy machine the worker still
 * renews its job locks while they read (a lapsed lock counts a stall against the mail).
 */
import os from 'node:os';
import path from 'node:path';
import { forkReadyChild } from '../../../adapters/fork-ready-child';

it('forks a child that says it is ready, at a lower priority than its parent', async () => {
  const { proc, ready } = forkReadyChild(path.resolve(__dirname, '../../../adapters/pdf-sandbox'), 'child', 128, 'the PDF sandbox');
  try {
    await ready;
    expect(os.getPriority(proc.pid)).toBe(Math.min(19, os.getPriority() + 5));
  } finally {
    proc.kill('SIGKILL');
  }
}, 30_000);
