/**
 * Forks a child process that says `{ ready: true }` over IPC once it has loaded. From dist/ the compiled
 * `<name>.js` runs on plain node; from the TypeScript sources (jest, tsx) `<name>.ts` runs through tsx.
 * The child gets its own heap limit and no inherited NODE_OPTIONS, and writes nothing to our streams.
 * Used by the PDF sandbox and the command line's per-file guard.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface ReadyChild {
  proc: ChildProcess;
  /** Resolves when the child said it is ready; rejects when it ended before. */
  ready: Promise<void>;
}

export function forkReadyChild(dir: string, name: string, heapMb: number, what: string): ReadyChild {
  const ts = path.extname(__filename) === '.ts';
  const execArgv = [`--max-old-space-size=${heapMb}`];
  if (ts) execArgv.push('--import', pathToFileURL(require.resolve('tsx')).href);
  const proc = fork(path.join(dir, `${name}${ts ? '.ts' : '.js'}`), [], {
    execArgv,
    serialization: 'advanced', // Uint8Array and page objects cross as they are, no base64
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  proc.on('error', () => undefined); // surfaces as 'exit' (or a failed send) in the request
  const ready = new Promise<void>((resolve, reject) => {
    const onReady = (m: { ready?: boolean }) => {
      if (!m?.ready) return;
      proc.off('message', onReady);
      resolve();
    };
    proc.on('message', onReady);
    proc.once('exit', () => reject(new Error(`${what} ended before it was ready`)));
  });
  return { proc, ready };
}
