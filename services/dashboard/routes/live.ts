/**
 * Live updates. Pages open one server-sent event stream (`/live/events`)
 * that says when applications changed: the new counts by status and how
 * many were triaged since the page was drawn. Workers run in other
 * processes and write only to the store, so one watcher per dashboard looks
 * at the newest event id every second while someone listens, and tells every
 * stream at once. `/live.json` stays for the script's fallback: it polls
 * when the stream cannot be held (a proxy that buffers, a dropped link).
 *
 * A stream is authenticated like any route when it opens, and again at each
 * message and heartbeat: a session that ended (signed out, expired) gets a
 * `signed-out` event and the stream closes.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import { STATUSES, type Status } from '../../../core/types';
import { parsePositiveInt, staffOf, stringField, type DashboardContext, type RouteModule } from '../context';
import { UNKNOWN_PROGRAMME } from '../filters';

/** Events looked at per poll: more new ones than this are reported as "at least". */
const WINDOW = 500;
/** How often the watcher looks at the store while a stream is open. */
export const WATCH_MS = 1000;
/** A comment line this often keeps proxies from closing a quiet stream (and re-checks the session). */
const HEARTBEAT_MS = 15_000;

export interface LiveUpdate {
  /** The newest event id: the next poll's `since`. */
  latest: number;
  /** Applications triaged since `since`. */
  triaged: number;
  /** True when more happened than one poll looks at (`triaged` is then a lower bound). */
  more: boolean;
  /** Counts by status: `all`, each programme id, `unknown`; each with `total`. */
  counts: Record<string, Record<Status | 'total', number>>;
}

/** What changed after event `since` (0: nothing counted as new, counts only). */
async function updateSince({ deps }: DashboardContext, since: number): Promise<LiveUpdate> {
  const events = await deps.store.listEvents(undefined, WINDOW);
  const latest = events[0]?.id ?? 0;
  const fresh = events.filter((e) => e.id > since);
  const triaged = since === 0 ? 0 : fresh.filter((e) => e.action === 'application.triaged').length;
  const counts: LiveUpdate['counts'] = {};
  const withTotal = (c: Record<Status, number>) => ({ ...c, total: STATUSES.reduce((n, s) => n + c[s], 0) });
  counts.all = withTotal(await deps.store.countByStatus());
  counts[UNKNOWN_PROGRAMME] = withTotal(await deps.store.countByStatus(null));
  for (const p of deps.rules().programmes) counts[p.id] = withTotal(await deps.store.countByStatus(p.id));
  return { latest, triaged, more: since > 0 && fresh.length === events.length && events.length === WINDOW, counts };
}

interface Stream {
  res: ServerResponse;
  sessionId: string;
  /** The last event id this stream was told about. */
  since: number;
  /** One message at a time per stream: a look and the opening check must not both count the same change. */
  chain: Promise<void>;
}

/** The streams of one dashboard app and the watcher that feeds them (running only while one is open). */
class LiveStreams {
  private readonly streams = new Set<Stream>();
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private latest = -1;
  private busy = false;

  constructor(
    private readonly ctx: DashboardContext,
    private readonly watchMs: number,
  ) {}

  add(stream: Stream): void {
    this.streams.add(stream);
    stream.res.on('close', () => this.remove(stream));
    if (!this.timer) {
      this.timer = setInterval(() => void this.look(), this.watchMs);
      this.heartbeat = setInterval(() => void this.beat(), HEARTBEAT_MS);
    }
    // A page drawn before the latest change learns of it at once.
    this.queue(stream);
  }

  closeAll(): void {
    for (const s of [...this.streams]) s.res.end();
    this.streams.clear();
    this.stop();
  }

  private remove(stream: Stream): void {
    this.streams.delete(stream);
    if (this.streams.size === 0) this.stop();
  }

  private stop(): void {
    clearInterval(this.timer);
    clearInterval(this.heartbeat);
    this.timer = this.heartbeat = undefined;
    this.latest = -1;
  }

  private async look(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const latest = (await this.ctx.deps.store.listEvents(undefined, 1))[0]?.id ?? 0;
      if (latest === this.latest) return;
      this.latest = latest;
      for (const s of [...this.streams]) this.queue(s);
    } catch (err) {
      // The store is busy or gone for a moment: the next look tries again; pages keep what they show.
      this.ctx.deps.logger.warn({ err: (err as Error).message }, 'dashboard: live watcher could not read the store');
    } finally {
      this.busy = false;
    }
  }

  private queue(s: Stream): void {
    s.chain = s.chain
      .then(() => this.tell(s))
      .catch((err: unknown) => this.ctx.deps.logger.warn({ err: (err as Error).message }, 'dashboard: live update not sent'));
  }

  /** Sends the stream what changed since it last heard, if anything did (and its session still holds). */
  private async tell(s: Stream): Promise<void> {
    if (s.res.writableEnded || !(await this.signedIn(s))) return;
    const update = await updateSince(this.ctx, s.since);
    if (update.latest <= s.since) return;
    s.since = update.latest;
    s.res.write(`id: ${update.latest}\nevent: change\ndata: ${JSON.stringify(update)}\n\n`);
  }

  private async beat(): Promise<void> {
    for (const s of [...this.streams]) {
      s.chain = s.chain.then(async () => {
        if (!s.res.writableEnded && (await this.signedIn(s))) s.res.write(': still here\n\n');
      }).catch(() => undefined);
    }
  }

  private async signedIn(s: Stream): Promise<boolean> {
    const session = await this.ctx.deps.store.getSession(s.sessionId, this.ctx.deps.now().toISOString());
    if (session) return true;
    s.res.write('event: signed-out\ndata: {}\n\n');
    s.res.end();
    return false;
  }
}

/** Opens a server-sent event stream on a hijacked reply, keeping the security headers already set. */
function openStream(reply: FastifyReply): ServerResponse {
  reply.hijack();
  const res = reply.raw;
  const headers = { ...reply.getHeaders(), 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' };
  res.writeHead(200, headers as Record<string, string>);
  // Tells EventSource how long to wait before reconnecting by itself; the script falls back to polling instead.
  res.write('retry: 5000\n\n');
  return res;
}

export function liveRoutesWith(watchMs: number): RouteModule {
  return (app, ctx) => {
    const streams = new LiveStreams(ctx, watchMs);
    // Open streams would keep app.close() waiting: end them first.
    app.addHook('preClose', async () => streams.closeAll());

    app.get('/live/events', { config: { kind: 'api' } }, async (request, reply) => {
      const user = staffOf(request);
      const header = request.headers['last-event-id'];
      const since = parsePositiveInt(typeof header === 'string' ? header : stringField(request.query, 'since'), Number.MAX_SAFE_INTEGER) ?? 0;
      const res = openStream(reply);
      streams.add({ res, sessionId: user.sessionId, since, chain: Promise.resolve() });
    });

    app.get('/live.json', { config: { kind: 'api' } }, async (request, reply) => {
      staffOf(request);
      const sinceParam = stringField(request.query, 'since');
      const since = sinceParam === '0' ? 0 : (parsePositiveInt(sinceParam, Number.MAX_SAFE_INTEGER) ?? 0);
      return reply.type('application/json; charset=utf-8').send(await updateSince(ctx, since));
    });
  };
}

export const liveRoutes: RouteModule = liveRoutesWith(WATCH_MS);
