import net from 'node:net';
import os from 'node:os';
import { computeHealthStatus, startHttpServer, type HealthReport, type HttpServer } from '../../../services/common/http-server';
import { createMetrics, type Metrics } from '../../../services/common/metrics';

const HEALTHY: HealthReport = {
  status: 'ok',
  checks: {
    redis: { ok: true, detail: 'PONG' },
    imap: { ok: true, lastPollAt: '2026-01-02T03:04:05.000Z', staleSeconds: 4 },
    store: { ok: true },
  },
};

let server: HttpServer | undefined;
let metrics: Metrics;
let report: HealthReport | (() => Promise<HealthReport>);

async function start(extra: { healthTimeoutMs?: number } = {}): Promise<string> {
  metrics = createMetrics({ defaultMetrics: false });
  server = await startHttpServer({
    port: 0,
    metrics,
    health: () => (typeof report === 'function' ? report() : Promise.resolve(report)),
    ...extra,
  });
  return `http://127.0.0.1:${server.port}`;
}

beforeEach(() => {
  report = HEALTHY;
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('startHttpServer', () => {
  it('answers /healthz with 200 and the report when healthy', async () => {
    const base = await start();
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual(HEALTHY);
  });

  it('answers 200 when degraded and 503 when down', async () => {
    const base = await start();
    report = { status: 'degraded', checks: { redis: { ok: true }, imap: { ok: false, detail: 'last poll 400 s ago', staleSeconds: 400 } } };
    let res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as HealthReport).status).toBe('degraded');

    report = { status: 'down', checks: { redis: { ok: false, detail: 'ECONNREFUSED' } } };
    res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual(report);
  });

  it('answers 503 when the health function throws or hangs', async () => {
    const base = await start({ healthTimeoutMs: 100 });
    report = () => Promise.reject(new Error('boom with anna.rossi@example.it'));
    let res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(503);
    const body = await res.text();
    expect(JSON.parse(body)).toMatchObject({ status: 'down', checks: { health: { ok: false } } });
    expect(body).not.toContain('anna');

    report = () => new Promise(() => undefined);
    res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as HealthReport).checks.health!.detail).toMatch(/timed out/);
  });

  it('serves the metrics in Prometheus text format', async () => {
    const base = await start();
    metrics.countMailSeen('INBOX');
    metrics.setQueueDepthSource(async () => [{ queue: 'analyse', state: 'waiting', count: 7 }]);
    const res = await fetch(`${base}/metrics?x=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(metrics.contentType);
    const text = await res.text();
    expect(text).toContain('esor_mails_seen_total{mailbox="INBOX"} 1');
    expect(text).toContain('esor_queue_depth{queue="analyse",state="waiting"} 7');
  });

  it('answers 404 for other paths and 405 for other methods', async () => {
    const base = await start();
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/healthz/x`)).status).toBe(404);
    const post = await fetch(`${base}/metrics`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await fetch(`${base}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('binds 127.0.0.1 by default', async () => {
    await start();
    const reachable = (host: string) =>
      new Promise<boolean>((resolve) => {
        const socket = net.connect({ host, port: server!.port }, () => {
          socket.destroy();
          resolve(true);
        });
        socket.on('error', () => resolve(false));
      });
    expect(await reachable('127.0.0.1')).toBe(true);
    // Another local address of this machine, if it has one, must not reach it.
    const other = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (other) expect(await reachable(other.address)).toBe(false);
  });

  it('closes with a keep-alive connection open, and frees the port', async () => {
    const base = await start();
    await (await fetch(`${base}/healthz`, { headers: { connection: 'keep-alive' } })).text();
    const port = server!.port;
    // No clock: a close that waited for the idle connection would wait out the 5 s keep-alive
    // timeout, and the test's own 5 s timeout fails it.
    await server!.close();
    server = undefined;
    const again = await startHttpServer({ port, metrics, health: async () => HEALTHY });
    await again.close();
  });

  it('rejects when the port is taken', async () => {
    await start();
    await expect(startHttpServer({ port: server!.port, metrics, health: async () => HEALTHY })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});

describe('computeHealthStatus', () => {
  it('is ok when all pass, down when a critical check fails, degraded otherwise', () => {
    expect(computeHealthStatus({ redis: { ok: true }, imap: { ok: true } })).toBe('ok');
    expect(computeHealthStatus({ redis: { ok: true }, imap: { ok: false } })).toBe('down');
    expect(computeHealthStatus({ redis: { ok: true }, imap: { ok: false } }, ['redis'])).toBe('degraded');
    expect(computeHealthStatus({ redis: { ok: false }, imap: { ok: false } }, ['redis'])).toBe('down');
    expect(computeHealthStatus({})).toBe('ok');
  });
});
