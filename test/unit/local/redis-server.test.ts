import { Redis } from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from '../../../dev/local/free-port';
import { LocalServerError } from '../../../dev/local/managed-process';
import { startRedis, type RedisServer } from '../../../dev/local/redis-server';
import { findProcesses } from './find-processes';

function connect(server: RedisServer): Redis {
  return new Redis(server.port, server.host, { maxRetriesPerRequest: 1, retryStrategy: () => null, lazyConnect: true });
}

async function withClient<T>(server: RedisServer, use: (client: Redis) => Promise<T>): Promise<T> {
  const client = connect(server);
  await client.connect();
  try {
    return await use(client);
  } finally {
    client.disconnect();
  }
}

describe('startRedis', () => {
  let server: RedisServer;

  beforeAll(async () => {
    server = await startRedis();
  });

  afterAll(async () => {
    await server?.stop({ removeDir: true });
  });

  it('listens on a free loopback port and answers PING', async () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    await withClient(server, async (client) => expect(await client.ping()).toBe('PONG'));
  });

  it('runs with append-only persistence, noeviction and no RDB snapshots', async () => {
    const config = await withClient(server, async (client) => {
      const pairs = (await client.config('GET', '*')) as string[];
      return Object.fromEntries(pairs.flatMap((value, i) => (i % 2 === 0 ? [[value, pairs[i + 1]]] : [])));
    });
    expect(config).toMatchObject({
      bind: '127.0.0.1',
      'protected-mode': 'yes',
      appendonly: 'yes',
      appendfsync: 'everysec',
      'maxmemory-policy': 'noeviction',
      save: '',
      dir: server.dir,
      daemonize: 'no',
    });
  });

  it('keeps data across stop and restart on the same port and folder', async () => {
    await withClient(server, (client) => client.set('survives-restart', 'yes'));
    const port = server.port;
    await server.stop();
    expect(findProcesses(server.dir)).toEqual([]);
    await server.restart();
    expect(server.port).toBe(port);
    await withClient(server, async (client) => expect(await client.get('survives-restart')).toBe('yes'));
  });

  it('keeps acknowledged writes across kill -9 (they reached the AOF before the reply)', async () => {
    await withClient(server, (client) => client.rpush('crash-list', 'a', 'b'));
    await server.kill9();
    expect(findProcesses(server.dir)).toEqual([]);
    await server.restart();
    await withClient(server, async (client) => expect(await client.lrange('crash-list', 0, -1)).toEqual(['a', 'b']));
  });

  it('stops idempotently and leaves no process behind', async () => {
    expect(findProcesses(server.dir)).toHaveLength(1);
    await Promise.all([server.stop(), server.stop()]);
    await server.stop();
    expect(findProcesses(server.dir)).toEqual([]);
    await server.restart();
  });
});

describe('startRedis with a given folder and port', () => {
  let parent: string;

  beforeAll(() => {
    parent = mkdtempSync(path.join(os.tmpdir(), 'esor-redis-test-'));
  });

  afterAll(() => {
    rmSync(parent, { recursive: true, force: true });
  });

  it('uses them, and names the port and the log when the port is taken', async () => {
    const port = await findFreePort();
    const first = await startRedis({ dir: path.join(parent, 'first'), port });
    try {
      expect(first.port).toBe(port);
      expect(first.dir).toBe(path.join(parent, 'first'));
      const second = startRedis({ dir: path.join(parent, 'second'), port });
      await expect(second).rejects.toThrow(LocalServerError);
      await expect(second).rejects.toThrow(new RegExp(`port 127\\.0\\.0\\.1:${port} is already in use`));
      expect(findProcesses(path.join(parent, 'second'))).toEqual([]);
    } finally {
      await first.stop();
    }
    expect(findProcesses(parent)).toEqual([]);
  });
});
