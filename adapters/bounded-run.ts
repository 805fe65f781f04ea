/**
 * One run of a poppler or tesseract tool on a file from outside: no shell, killed at its timeout, its
 * address space capped where prlimit exists, its output bounded. What a hostile PDF can make the tool do
 * costs that one run, never the service.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

const HAS_PRLIMIT = ['/usr/bin/prlimit', '/bin/prlimit'].some((p) => existsSync(p));

/** The tool's standard output; rejects on a non-zero exit, the timeout or output over 16 MB. */
export function run(cmd: string, args: string[], timeoutMs: number, memoryBytes: number): Promise<string> {
  const [file, argv] = HAS_PRLIMIT ? ['prlimit', [`--as=${memoryBytes}`, '--', cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    execFile(
      file,
      argv,
      // One thread for tesseract: pages are read in parallel already, one process a core.
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024, env: { ...process.env, OMP_THREAD_LIMIT: '1' } },
      (err, stdout) => (err ? reject(err) : resolve(stdout)),
    );
  });
}
