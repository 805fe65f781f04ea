import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { SCHEMA_VERSION as SQLITE_SCHEMA_VERSION } from '../../../adapters/store/migrations';
import { SCHEMA_VERSION as PG_SCHEMA_VERSION } from '../../../adapters/store/postgres/migrations';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, describeConfig, loadConfig } from '../../../services/common/config';
import { describeStore, migrateStore, openStore } from '../../../services/common/open-store';
import { startPostgres, type PostgresServer } from '../../../dev/local/postgres-server';
import { runEraseCommand } from '../../../services/commands/erase-command';
import { runRetentionCommand } from '../../../services/commands/retention-command';
import { migrateCommand } from '../../../services/run-commands';

describe('ESOR_DATABASE_URL', () => {
  it('is optional: without it the store is the SQLite file in the data folder', () => {
    const config = loadConfig({ ESOR_DATA_DIR: '/srv/esor/data' }, '/');
    expect(config.databaseUrl).toBeUndefined();
    expect(describeStore(config)).toBe('/srv/esor/data/esor-intake.sqlite');
  });

  it('takes a postgres:// or postgresql:// URL, shown everywhere with its password masked', () => {
    for (const url of ['postgres://esor:s3cret-pw@db.example.org:5432/esor', 'postgresql://esor:s3cret-pw@db.example.org/esor']) {
      const config = loadConfig({ ESOR_DATABASE_URL: url }, '/');
      expect(config.databaseUrl).toBe(url);
      expect(JSON.stringify(describeConfig(config))).not.toContain('s3cret-pw');
      expect(describeStore(config)).toBe(url.replace(':s3cret-pw@', ':***@'));
    }
  });

  it('refuses anything else, without repeating the value', () => {
    for (const url of ['mysql://esor:s3cret-pw@db/esor', 'esor:s3cret-pw@db/esor', 'postgres://']) {
      let error: unknown;
      try {
        loadConfig({ ESOR_DATABASE_URL: url }, '/');
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/databaseUrl: expected postgres:\/\//);
      expect((error as Error).message).not.toContain('s3cret-pw');
    }
  });
});

describe('openStore and migrateStore', () => {
  let dir: string;
  let server: PostgresServer;

  beforeAll(async () => {
    server = await startPostgres();
  }, 120_000);
  afterAll(() => server?.stop({ removeDir: true }));
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'esor-open-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('opens the SQLite file in the data folder when no database URL is set, and migrates it', async () => {
    const config = { dataDir: dir };
    expect(await migrateStore(config)).toEqual({ before: 0, after: SQLITE_SCHEMA_VERSION });
    expect(existsSync(path.join(dir, 'esor-intake.sqlite'))).toBe(true);
    expect(await migrateStore(config)).toEqual({ before: SQLITE_SCHEMA_VERSION, after: SQLITE_SCHEMA_VERSION });
    const store = await openStore(config);
    expect(await store.lastUid('office', 'INBOX', '1')).toBe(0);
    await store.close();
  });

  it('opens the PostgreSQL database when a URL is set, and never the SQLite file', async () => {
    const config = { dataDir: dir, databaseUrl: await server.createDatabase() };
    expect(await migrateStore(config)).toEqual({ before: 0, after: PG_SCHEMA_VERSION });
    expect(await migrateStore(config)).toEqual({ before: PG_SCHEMA_VERSION, after: PG_SCHEMA_VERSION });
    const store = await openStore(config);
    await store.appendEvent({ actor: 'system', action: 'test', subject: 's', at: '2021-03-12T09:00:00Z' });
    expect(await store.listEvents('s')).toHaveLength(1);
    await store.close();
    expect(existsSync(path.join(dir, 'esor-intake.sqlite'))).toBe(false);
  });

  it('esor-intake migrate prints the version before and after, naming the database without its password', async () => {
    const url = await server.createDatabase();
    const saved = { url: process.env.ESOR_DATABASE_URL, dir: process.env.ESOR_DATA_DIR };
    process.env.ESOR_DATABASE_URL = url;
    process.env.ESOR_DATA_DIR = dir;
    const run = async () => {
      let out = '';
      const sink = { write: (chunk: string) => ((out += chunk), true) } as unknown as NodeJS.WritableStream;
      const code = await migrateCommand([], { stdout: sink, stderr: sink });
      return { code, out };
    };
    try {
      const password = new URL(url).password;
      const masked = url.replace(`:${password}@`, ':***@');
      expect(await run()).toEqual({ code: 0, out: `${masked}: schema version 0 -> ${PG_SCHEMA_VERSION}\n` });
      expect(await run()).toEqual({ code: 0, out: `${masked}: schema version ${PG_SCHEMA_VERSION}, up to date\n` });
    } finally {
      for (const [key, value] of [['ESOR_DATABASE_URL', saved.url], ['ESOR_DATA_DIR', saved.dir]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});

describe('commands with no PostgreSQL side yet', () => {
  it('retention and erase refuse to run when ESOR_DATABASE_URL is set, instead of erasing from an unused SQLite file', async () => {
    const env = { ESOR_DATABASE_URL: 'postgres://esor:s3cret-pw@127.0.0.1:1/esor', ESOR_DATA_DIR: os.tmpdir() };
    const root = path.resolve(__dirname, '../../..');
    for (const [command, args] of [[runRetentionCommand, ['--dry-run']], [runEraseCommand, ['--applicant', 'a@example.org', '--dry-run']]] as const) {
      let err = '';
      const io = { stdout: { write: () => true }, stderr: { write: (chunk: string) => ((err += chunk), true) } } as unknown as Parameters<typeof runEraseCommand>[1];
      expect(await command([...args], io, env, root)).toBe(1);
      expect(err).toMatch(/does not work on the PostgreSQL store yet/);
      expect(err).not.toContain('s3cret-pw');
    }
  });
});
