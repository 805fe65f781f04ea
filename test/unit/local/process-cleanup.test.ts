import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findPackageRoot } from '../../../services/common/paths';
import { findProcesses } from './find-processes';

const FIXTURE = path.join(__dirname, 'fixtures', 'hold-local-servers.ts');

interface Held {
  child: ChildProcess;
  ready: Promise<Record<string, string | number>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const held: Held[] = [];

function holdServers(mode: 'stack' | 'redis', dir: string): Held {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', FIXTURE, mode, dir], { cwd: findPackageRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise<Record<string, string | number>>((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('\n')) resolve(JSON.parse(stdout.slice(0, stdout.indexOf('\n'))));
    });
    void exited.then(() => reject(new Error(`fixture exited before it was ready: ${stderr}`)));
  });
  const result = { child, ready, exited };
  held.push(result);
  return result;
}

/** The child's exit, or a rejection after `timeoutMs`, so a broken cleanup fails the test instead of hanging it. */
function waitForExit(target: Held, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return Promise.race([
    target.exited,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`fixture still running after ${timeoutMs} ms`)), timeoutMs).unref()),
  ]);
}

/** Polls until no process runs for `text`; returns what is left after `timeoutMs`. */
async function waitForNoProcess(text: string, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let left = findProcesses(text);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    left = findProcesses(text);
  }
  return left;
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('local servers die with the Node process that started them', () => {
  let parent: string;

  beforeAll(() => {
    parent = mkdtempSync(path.join(os.tmpdir(), 'esor-cleanup-test-'));
    chmodSync(parent, 0o711);
  });

  afterEach(async () => {
    // A fixture that outlived its test must not keep Jest (or its servers) running.
    for (const target of held.splice(0)) {
      if (target.child.exitCode === null && target.child.signalCode === null) {
        target.child.kill('SIGKILL');
        await target.exited;
      }
    }
  });

  afterAll(async () => {
    await waitForNoProcess(parent, 5000);
    rmSync(parent, { recursive: true, force: true });
  });

  it('SIGKILL of the parent still takes Redis, Dovecot and the relay down', async () => {
    const dir = path.join(parent, 'stack');
    const stack = holdServers('stack', dir);
    const info = await stack.ready;
    expect(findProcesses(String(info.redis))).toHaveLength(1);
    expect(findProcesses(String(info.dovecot))).toHaveLength(1);
    expect(await isListening(Number(info.smtpPort))).toBe(true);

    stack.child.kill('SIGKILL');
    expect(await waitForExit(stack, 5000)).toMatchObject({ signal: 'SIGKILL' });
    expect(await waitForNoProcess(dir, 5000)).toEqual([]);
    expect(await isListening(Number(info.smtpPort))).toBe(false);
  });

  it('SIGTERM to a process without its own handler stops the servers and ends it by that signal', async () => {
    const dir = path.join(parent, 'redis');
    const redis = holdServers('redis', dir);
    await redis.ready;
    // The fixture's own command line names DIR too: look for the server's config.
    expect(findProcesses(path.join(dir, 'redis.conf'))).toHaveLength(1);
    redis.child.kill('SIGTERM');
    expect(await waitForExit(redis, 5000)).toMatchObject({ signal: 'SIGTERM' });
    expect(await waitForNoProcess(dir, 5000)).toEqual([]);
  });
});
