/**
 * Live updates by server-sent events (issue 12, point 9) on a listening
 * dashboard: the stream is refused without a session, carries the security
 * headers, tells an open page when an application was triaged, closes when
 * the session ended, and does not keep app.close() waiting.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { CONTENT_SECURITY_POLICY } from '../../services/dashboard/server';
import type { LiveUpdate } from '../../services/dashboard/routes/live';
import { Fixture, get, GR, login, post, type Session } from './dashboard-fixtures';

let f: Fixture;
let app: FastifyInstance;
let bob: Session;
let port: number;

beforeEach(async () => {
  f = await Fixture.create();
  await f.seed();
  app = await f.app();
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as AddressInfo).port;
  bob = await login(app, 'bob');
});
afterEach(async () => {
  await app.close();
  await f.cleanup();
});

interface Opened {
  res: http.IncomingMessage;
  /** Resolves with the next event of this name (its data parsed), failing after `ms`. */
  next(name: string, ms?: number): Promise<unknown>;
  ended: Promise<void>;
}

/** Opens /live/events as EventSource would, collecting the events it sends. */
function open(session: Session | undefined, since: number): Promise<Opened> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: `/live/events?since=${since}`, headers: { accept: 'text/event-stream', ...(session ? { cookie: `esor_session=${session.cookie}` } : {}) } }, (res) => {
      res.setEncoding('utf8');
      let buffer = '';
      const seen: Array<{ name: string; data: string }> = [];
      const waiters: Array<() => void> = [];
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const name = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (name && data !== undefined) seen.push({ name, data });
        }
        for (const w of waiters.splice(0)) w();
      });
      const ended = new Promise<void>((done) => res.on('end', () => done()));
      const next = (name: string, ms = 10_000) =>
        new Promise<unknown>((ok, fail) => {
          const timer = setTimeout(() => fail(new Error(`no ${name} event within ${ms} ms`)), ms);
          const check = () => {
            const i = seen.findIndex((e) => e.name === name);
            if (i < 0) return void waiters.push(check);
            clearTimeout(timer);
            ok(JSON.parse(seen.splice(i, 1)[0]!.data));
          };
          check();
        });
      resolve({ res, next, ended });
    });
    req.on('error', reject);
  });
}

async function latestEventId(): Promise<number> {
  return (await f.store.listEvents(undefined, 1))[0]!.id;
}

describe('live updates by server-sent events', () => {
  it('refuses a stream without a session (401), like the rest of the dashboard', async () => {
    const s = await open(undefined, 0);
    expect(s.res.statusCode).toBe(401);
    s.res.resume();
  });

  it('tells an open page when an application was triaged: the count and the new totals', async () => {
    const s = await open(bob, await latestEventId());
    expect(s.res.statusCode).toBe(200);
    expect(s.res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(s.res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(s.res.headers['cache-control']).toBe('no-store');

    await f.addMessage({
      seed: 'live-1',
      uid: 21,
      person: { name: 'Tomasz Wierzbicki-Lund', email: 'tw.lund@example.pl' },
      status: 'complete',
      programme: GR,
      sections: ['motivation', 'cv', 'recommendation', 'board_certificate', 'medical_degree', 'language_certificates', 'publications', 'references', 'esr_membership', 'passport'],
      receivedAt: '2021-03-18T08:00:00.000Z',
      pages: 10,
      subject: 'Application',
      body: 'Attached.',
    });
    const update = (await s.next('change')) as LiveUpdate;
    expect(update.triaged).toBe(1);
    expect(update.latest).toBe(await latestEventId());
    expect(update.counts.all!.total).toBe(5);
    expect(update.counts[GR]!.complete).toBe(2);
  });

  it('a page drawn before the latest change hears of it as soon as it opens the stream', async () => {
    const before = await latestEventId();
    await f.store.appendEvent({ actor: 'worker:triage', action: 'application.triaged', subject: 'x', detail: {}, at: f.now.toISOString() });
    const s = await open(bob, before);
    expect(((await s.next('change')) as LiveUpdate).triaged).toBe(1);
  });

  it('closes the stream once the session has ended', async () => {
    const s = await open(bob, await latestEventId());
    expect((await post(app, bob, '/logout')).statusCode).toBe(303);
    await f.store.appendEvent({ actor: 'worker:triage', action: 'application.triaged', subject: 'x', detail: {}, at: f.now.toISOString() });
    await s.next('signed-out');
    await s.ended;
  });

  it('keeps the polling fallback (/live.json) and ends open streams when the app closes', async () => {
    const json = await get(app, bob, '/live.json?since=0');
    expect(json.statusCode).toBe(200);
    expect((json.json() as LiveUpdate).counts.all!.total).toBe(4);
    const s = await open(bob, await latestEventId());
    await app.close();
    await s.ended;
  });
});
