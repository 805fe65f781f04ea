/**
 * Issue 9: `start` with the dashboard or health port taken ends with exit 1 and a one-line message,
 * after stopping the Redis, Dovecot and SMTP relay of the local default it had started (it hung).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findProcesses } from '../unit/local/find-processes';

const ENTRY = path.join(__dirname, 'esor-intake-from-sources.js');

function holdPort(): Promise<{ port: number; close: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({ port, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

function runStart(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [ENTRY, 'start'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.resume();
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

describe('start with a port in use', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'esor-port-in-use-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each([
    ['dashboard', 'ESOR_DASHBOARD_PORT', 'ESOR_HTTP_PORT'],
    ['health and metrics', 'ESOR_HTTP_PORT', 'ESOR_DASHBOARD_PORT'],
  ])('the %s port: exit 1, one line naming the port, the local servers stopped', async (what, taken, free) => {
    const held = await holdPort();
    try {
      const { code, stderr } = await runStart({ ESOR_DATA_DIR: dataDir, [taken]: String(held.port), [free]: '0', ESOR_LOG_LEVEL: 'silent', ESOR_OCR: 'false' });
      expect(code).toBe(1);
      const lines = stderr.trim().split('\n');
      expect(lines).toEqual([`esor-intake: the ${what} port 127.0.0.1:${held.port} is in use (set ${taken})`]);
      // Redis, Dovecot and the relay were started below the data folder, and are gone.
      expect(findProcesses(path.basename(dataDir))).toEqual([]);
    } finally {
      await held.close();
    }
  }, 120_000);
});
