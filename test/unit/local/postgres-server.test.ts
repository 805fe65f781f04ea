import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { findFreePort } from '../../../dev/local/free-port';
import { LocalServerError } from '../../../dev/local/managed-process';
import { startPostgres, type PostgresServer } from '../../../dev/local/postgres-server';
import { findProcesses } from './find-processes';

async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('startPostgres', () => {
  let server: PostgresServer;

  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);

  afterAll(async () => {
    await server?.stop({ removeDir: true });
  });

  it('listens on a free loopback port, with a password, fsync on and synchronous_commit at its default', async () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toMatch(new RegExp(`^postgres://esor:[^@]+@127\\.0\\.0\\.1:${server.port}/postgres$`));
    const settings = await withClient(server.url, async (client) => {
      const { rows } = await client.query<{ name: string; setting: string }>(
        `SELECT name, setting FROM pg_settings WHERE name IN ('listen_addresses', 'fsync', 'synchronous_commit', 'unix_socket_directories', 'data_directory')`,
      );
      return Object.fromEntries(rows.map((r) => [r.name, r.setting]));
    });
    expect(settings).toEqual({
      listen_addresses: '127.0.0.1',
      fsync: 'on',
      synchronous_commit: 'on',
      unix_socket_directories: path.join(server.dir, 'run'),
      data_directory: server.dataDir,
    });
    // A wrong password is refused: the cluster does not trust loopback connections.
    await expect(withClient(server.url.replace(/:[^:@]+@/, ':wrong@'), async () => undefined)).rejects.toThrow(/password authentication failed/);
    expect(statSync(server.dataDir).mode & 0o077).toBe(0);
  });

  it('creates fresh databases', async () => {
    const a = await server.createDatabase();
    const b = await server.createDatabase();
    expect(a).not.toBe(b);
    await withClient(a, (client) => client.query('CREATE TABLE only_in_a (x int)'));
    const tables = await withClient(b, async (client) => (await client.query(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'only_in_a'`)).rows[0].n);
    expect(tables).toBe(0);
  });

  it('keeps committed rows across kill -9 and restart on the same port', async () => {
    const url = await server.createDatabase('crash_test');
    await withClient(url, async (client) => {
      await client.query('CREATE TABLE kept (x int)');
      await client.query('INSERT INTO kept VALUES (1), (2)');
    });
    const port = server.port;
    await server.kill9();
    expect(findProcesses(server.dataDir)).toEqual([]);
    await server.restart();
    expect(server.port).toBe(port);
    const rows = await withClient(url, async (client) => (await client.query('SELECT x FROM kept ORDER BY x')).rows);
    expect(rows).toEqual([{ x: 1 }, { x: 2 }]);
  }, 60_000);

  it('stops idempotently although a client is still connected, leaving no process behind', async () => {
    const client = new Client({ connectionString: server.url });
    client.on('error', () => undefined);
    await client.connect();
    expect(findProcesses(server.dataDir).length).toBeGreaterThan(0);
    await Promise.all([server.stop(), server.stop()]);
    await server.stop();
    expect(findProcesses(server.dataDir)).toEqual([]);
    await client.end().catch(() => undefined);
    await server.restart();
  }, 60_000);
});

describe('startPostgres with a given folder and port', () => {
  let parent: string;

  beforeAll(() => {
    parent = mkdtempSync(path.join(os.tmpdir(), 'esor-postgres-test-'));
    // The server runs as another user when the tests run as root: it must get through to its folder.
    chmodSync(parent, 0o711);
  });

  afterAll(() => {
    rmSync(parent, { recursive: true, force: true });
  });

  it('uses them, keeps the cluster for the next start, and names the port when it is taken', async () => {
    const port = await findFreePort();
    const first = await startPostgres({ dir: path.join(parent, 'first'), port });
    try {
      expect(first.port).toBe(port);
      expect(first.dir).toBe(path.join(parent, 'first'));
      const second = startPostgres({ dir: path.join(parent, 'second'), port });
      await expect(second).rejects.toThrow(LocalServerError);
      await expect(second).rejects.toThrow(new RegExp(`port 127\\.0\\.0\\.1:${port} is already in use`));
      expect(findProcesses(path.join(parent, 'second'))).toEqual([]);
    } finally {
      await first.stop();
    }
    // Started again on the same folder: the cluster (and its password) are reused, not made anew.
    const again = await startPostgres({ dir: path.join(parent, 'first') });
    try {
      expect(again.url.replace(/:\d+\//, '/')).toBe(first.url.replace(/:\d+\//, '/'));
      await withClient(again.url, (client) => client.query('SELECT 1'));
    } finally {
      await again.stop();
    }
    expect(findProcesses(parent)).toEqual([]);
  }, 120_000);
});
