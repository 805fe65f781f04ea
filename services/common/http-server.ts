/**
 * The operations endpoint of the poller and the workers: `GET /healthz` for
 * container health checks and `GET /metrics` for Prometheus. Plain node:http:
 * two routes do not need a framework, and this listener must keep answering
 * when the rest of the process is in trouble.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from './metrics';

/** One named check, e.g. redis, imap, store. Extra fields (lastPollAt, staleSeconds) are reported as given. */
export interface HealthCheck {
  ok: boolean;
  /** A short reason, shown to operators: never secrets or personal data. */
  detail?: string;
  [field: string]: unknown;
}

/**
 * ok: everything works. degraded: the process works but something needs a
 * look (e.g. the last poll is old); still answered 200 so that an orchestrator
 * does not restart a process that a restart would not fix. down: 503.
 */
export type HealthStatus = 'ok' | 'degraded' | 'down';

export interface HealthReport {
  status: HealthStatus;
  checks: Record<string, HealthCheck>;
}

export interface HttpServerOptions {
  /** Default 127.0.0.1: metrics are not for the internet. In a container set 0.0.0.0 (ESOR_HTTP_HOST). */
  host?: string;
  /** 0 picks a free port (tests). */
  port: number;
  metrics: Metrics;
  health: () => Promise<HealthReport>;
  /** How long /healthz waits for `health()` before answering 503; default 5 s. */
  healthTimeoutMs?: number;
}

export interface HttpServer {
  /** The port actually bound. */
  port: number;
  /** Stops listening and closes open connections (keep-alive ones included). */
  close(): Promise<void>;
}

/**
 * The status of a set of checks: down when a check named in `critical` fails
 * (all checks when `critical` is not given), degraded when another one fails.
 */
export function computeHealthStatus(checks: Record<string, HealthCheck>, critical?: readonly string[]): HealthStatus {
  let status: HealthStatus = 'ok';
  for (const [name, check] of Object.entries(checks)) {
    if (check.ok) continue;
    if (!critical || critical.includes(name)) return 'down';
    status = 'degraded';
  }
  return status;
}

/**
 * Starts listening; resolves once bound.
 * @throws the listen error (EADDRINUSE, EACCES) when the port cannot be bound.
 */
export async function startHttpServer(opts: HttpServerOptions): Promise<HttpServer> {
  const healthTimeoutMs = opts.healthTimeoutMs ?? 5000;
  const server = http.createServer((req, res) => {
    handleRequest(req, res, opts, healthTimeoutMs).catch(() => {
      // handleRequest answers its own errors; this only guards a write to a dead socket.
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else res.destroy();
    });
  });
  // A scraper or health probe that stalls must not hold sockets for long.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function handleRequest(req: http.IncomingMessage, res: http.ServerResponse, opts: HttpServerOptions, healthTimeoutMs: number): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (path !== '/healthz' && path !== '/metrics') {
    send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
    return;
  }

  if (path === '/metrics') {
    let text: string;
    try {
      text = await opts.metrics.render();
    } catch {
      send(res, 500, 'text/plain; charset=utf-8', 'metrics unavailable\n');
      return;
    }
    send(res, 200, opts.metrics.contentType, text, req.method === 'HEAD');
    return;
  }

  let report: HealthReport;
  try {
    report = await withTimeout(opts.health(), healthTimeoutMs);
  } catch (err) {
    // A health function that throws or hangs is itself the answer: not healthy.
    const detail = err instanceof TimeoutError ? err.message : 'health check failed';
    report = { status: 'down', checks: { health: { ok: false, detail } } };
  }
  // Anything but ok/degraded (a malformed report included) counts as down.
  const code = report?.status === 'ok' || report?.status === 'degraded' ? 200 : 503;
  send(res, code, 'application/json; charset=utf-8', `${JSON.stringify(report)}\n`, req.method === 'HEAD');
}

function send(res: http.ServerResponse, status: number, contentType: string, body: string, headOnly = false): void {
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  // Health and metrics are live values: no proxy may serve a stale copy.
  res.setHeader('Cache-Control', 'no-store');
  res.end(headOnly ? undefined : body);
}

class TimeoutError extends Error {
  override name = 'TimeoutError';
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`health check timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
