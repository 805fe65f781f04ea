/** Test helper: which processes are still running for a server's folder. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Command lines of live processes whose command line contains `text` (pgrep -f), zombies excluded. */
export function findProcesses(text: string): string[] {
  try {
    return execFileSync('pgrep', ['-a', '-f', text], { encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch {
    // pgrep exits 1 when nothing matches
    return [];
  }
}

/** Whether a pid is a live process (a zombie has exited, it only waits to be reaped). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
