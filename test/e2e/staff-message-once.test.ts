/**
 * A message staff wrote is sent once (issue 12 point 3; "a reply is sent once per decision"), through
 * the real pieces: the dashboard's route queues it in real BullMQ on a real Redis, the reply worker
 * (runWorkers) sends it through the real SMTP sender to a real SMTP server on loopback (the local
 * relay), and the store is the SQLite store the dashboard fixture opens.
 *
 * - A job run twice (the same message's job in two workers at once, as when a lock runs out while
 *   SMTP is slow, and once more after it was sent) reaches the mail server once.
 * - A refusal, and a mail server the queue gave up on, end as "Not sent" on the page in the office's
 *   words, with a Try again button that sends it, once.
 * - A message whose job was never queued (Redis away when staff pressed Send) is queued by the
 *   worker role's sweep, and sent once however often the sweep runs.
 * - A worker that died after SMTP took the message but before it was recorded: after the lease, the
 *   message goes again with the same Message-ID, and the page says so (not silently).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { createReplyRate } from '../../adapters/reply-rate';
import { createSmtpSender, type SmtpSender } from '../../adapters/smtp-sender';
import { MESSAGE_EVENTS, type StaffMessage } from '../../core/reply/staff-message';
import { startRedis, type RedisServer } from '../../dev/local/redis-server';
import { startSmtpRelay, type SmtpRelay } from '../../dev/local/smtp-relay';
import { openQueues, runWorkers, type QueueSet, type RunningWorkers } from '../../workers/queues';
import { reply } from '../../workers/reply';
import { requeueStaffMessages } from '../../workers/staff-message';
import type { OutgoingMail, StageContext, StageJob } from '../../workers/stage-context';
import { Fixture, get, login, post, type Seeded, type Session } from '../dashboard/dashboard-fixtures';
import { waitFor } from './harness';

const LEASE_MS = 2000;

let dir: string;
let redis: RedisServer;
let relay: SmtpRelay;
/** While set, the relay holds each message in DATA until it resolves: a slow mail server. */
let slow: Promise<void> | undefined;
let entered = 0;

let f: Fixture;
let seeded: Seeded;
let app: FastifyInstance;
let bob: Session;
let prefix: string;
let queues: QueueSet;
let rawQueue: Queue<StageJob>;
let rateRedis: Redis;
let sender: SmtpSender;
const workers: RunningWorkers[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'esor-staff-once-'));
  redis = await startRedis({ dir: path.join(dir, 'redis') });
  relay = await startSmtpRelay({
    deliverTo: async () => {
      entered++;
      if (slow) await slow;
    },
  });
}, 30_000);
afterAll(async () => {
  await relay?.stop();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  // A fresh queue name space per test.
  prefix = `once${randomBytes(4).toString('hex')}`;
  queues = openQueues({ redisUrl: redis.url, prefix, attempts: 3, backoffMs: 100 });
  rawQueue = new Queue<StageJob>('reply', { connection: { url: redis.url } as never, prefix });
  rateRedis = new Redis(redis.url, { maxRetriesPerRequest: null });
  sender = createSmtpSender({ host: relay.host, port: relay.port, secure: false });
  relay.setDown(false);
  relay.received.length = 0;
  entered = 0;
  slow = undefined;
  f = await Fixture.create();
  seeded = await f.seed();
  app = await f.app({ requestReply: (messageId, opts) => queues.enqueue('reply', messageId, opts) });
  bob = await login(app, 'bob');
});
afterEach(async () => {
  for (const w of workers.splice(0)) await w.close(0);
  await app.close();
  await rawQueue.close();
  await queues.close();
  rateRedis.disconnect();
  sender.close();
  await f.cleanup();
});

function context(sendMail: StageContext['sendMail'] = (m) => sender.send(m)): StageContext {
  return {
    store: f.store,
    files: f.files,
    rules: () => {
      throw new Error('a staff message reads no rules');
    },
    rulesHash: () => 'rules',
    enqueue: async () => undefined,
    sendMail,
    saveSentCopy: async () => undefined,
    replyFrom: { email: 'office@esor.example.org', name: 'ESOR Office' },
    replyRate: createReplyRate({ redis: rateRedis, prefix, perRecipientPerHour: 5, perHour: 200, now: () => new Date() }),
    replySendLeaseMs: LEASE_MS,
    logger: f.logger,
    now: () => new Date(),
  };
}

function startWorker(ctx: StageContext = context()): RunningWorkers {
  const w = runWorkers({ redisUrl: redis.url, prefix, attempts: 3, backoffMs: 100, concurrency: 1, lockDurationMs: 1000, stalledIntervalMs: 200 }, ctx, ['reply']);
  workers.push(w);
  return w;
}

/** Writes a message from the application page, as staff do; its key. */
async function write(body = 'Please resend page 5 as part of the one PDF.'): Promise<{ id: string; key: string; messageId: string }> {
  const id = seeded.maria.applicationId;
  const page = await get(app, bob, `/applications/${id}`);
  const key = /name="key" value="([A-Za-z0-9_-]+)"/.exec(page.body)![1]!;
  const res = await post(app, bob, `/applications/${id}/message`, { key, subject: 'Re: Fellowship (corrected)', body });
  expect(String(res.headers.location)).toContain('done=message-queued');
  const stored = await f.files.readJson<StaffMessage>('staff_message', key);
  return { id, key, messageId: stored.messageId };
}

async function actions(id: string, key: string): Promise<string[]> {
  return (await f.store.listEvents(id, 200))
    .filter((e) => e.detail.key === key)
    .reverse()
    .map((e) => e.action);
}

/** The Try again form of a message on the page: its attempt. */
function retryForm(page: string, id: string, key: string): { attempt: string } | undefined {
  const m = new RegExp(`action="/applications/${id}/message/${key}/retry"[^>]*>.*?name="attempt" value="(\\d+)"`, 's').exec(page);
  return m ? { attempt: m[1]! } : undefined;
}

async function settle(ms = 800): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

it('a job run twice at once (a lock that ran out while SMTP was slow), and once more after, sends the message once', async () => {
  let release!: () => void;
  slow = new Promise<void>((resolve) => (release = resolve));
  const { id, key, messageId } = await write();
  // The same message's job a second time, as BullMQ hands a job whose lock ran out to another worker.
  await queues.enqueue('reply', messageId, { key: 'again', staffMessage: key });
  startWorker(); // two reply jobs at once

  await waitFor('the mail server holding the message', async () => entered >= 1);
  const jobs = [`${messageId}-message-${key}`, `${messageId}-again`];
  const inFlight = await waitFor('the other run finding the claim', async () => {
    for (const jobId of jobs) {
      const job = await rawQueue.getJob(jobId);
      if (job?.failedReason?.includes('REPLY_IN_FLIGHT')) return jobId;
    }
    return undefined;
  });
  expect(jobs).toContain(inFlight);
  // A third run meanwhile, straight through the stage: refused the same way, nothing sent.
  await expect(reply.run({ messageId, staffMessage: key }, context())).rejects.toMatchObject({ code: 'REPLY_IN_FLIGHT' });
  expect(await f.store.getStaffMessageSend(key)).toMatchObject({ state: 'sending' });

  release();
  slow = undefined;
  await waitFor('both jobs completed', async () => {
    const states = await Promise.all(jobs.map(async (j) => (await rawQueue.getJob(j))?.getState()));
    return states.every((s) => s === 'completed');
  });
  // And once more after it was sent (a retry after a crash, a late copy of the job).
  await reply.run({ messageId, staffMessage: key }, context());
  await settle();

  expect(entered).toBe(1);
  expect(relay.received).toHaveLength(1);
  expect(relay.received[0]!.raw.toString('utf8')).toContain(`Message-ID: <message-${key}@esor-intake>`);
  expect(await f.store.getStaffMessageSend(key)).toMatchObject({ state: 'sent', attempt: 1 });
  expect(await actions(id, key)).toEqual([MESSAGE_EVENTS.requested, MESSAGE_EVENTS.sent]);
  const page = await get(app, bob, `/applications/${id}`);
  expect(page.body).toMatch(/<span class="badge">Sent<\/span> Message from bob/);
}, 60_000);

it('a refusal by the mail server ends as "Not sent" on the page, and Try again sends it, once', async () => {
  relay.failNext(1, { responseCode: 550, message: 'No such user here' });
  const { id, key } = await write();
  startWorker();
  await waitFor('the message recorded failed', async () => (await f.store.getStaffMessageSend(key))?.state === 'failed');
  expect(relay.received).toHaveLength(0);
  expect(await f.store.getStaffMessageSend(key)).toMatchObject({ error: 'refused', attempt: 1 });

  const page = (await get(app, bob, `/applications/${id}`)).body;
  expect(page).toContain('Not sent: the mail server refused it — try again.');
  expect(page).not.toMatch(/<span class="badge">Sending<\/span> Message from bob/);
  const form = retryForm(page, id, key);
  expect(form).toEqual({ attempt: '1' });

  // CSRF as every form: a forged press asks for nothing.
  expect((await post(app, bob, `/applications/${id}/message/${key}/retry`, form!, 'not-the-token')).statusCode).toBe(403);
  expect(await f.store.getStaffMessageSend(key)).toMatchObject({ state: 'failed', attempt: 1 });

  const first = await post(app, bob, `/applications/${id}/message/${key}/retry`, form!);
  expect(first.statusCode).toBe(303);
  expect(String(first.headers.location)).toContain('done=message-retried');
  // The same button pressed again (a double press, or a page left open): nothing more.
  await post(app, bob, `/applications/${id}/message/${key}/retry`, form!);
  await relay.waitForMessages(1);
  await waitFor('the retry recorded sent', async () => (await f.store.getStaffMessageSend(key))?.state === 'sent');
  await post(app, bob, `/applications/${id}/message/${key}/retry`, form!);
  await settle();

  expect(relay.received).toHaveLength(1);
  expect(await f.store.getStaffMessageSend(key)).toMatchObject({ state: 'sent', attempt: 2 });
  expect(await actions(id, key)).toEqual([MESSAGE_EVENTS.requested, MESSAGE_EVENTS.failed, MESSAGE_EVENTS.retried, MESSAGE_EVENTS.sent]);
  const after = (await get(app, bob, `/applications/${id}`)).body;
  expect(after).toMatch(/<span class="badge">Sent<\/span> Message from bob/);
  expect(after).toContain('Tried again');
  expect(after).not.toContain('the mail server refused it');
  expect(retryForm(after, id, key)).toBeUndefined();
}, 60_000);

it('a mail server the queue gave up on (attempts exhausted) shows as "Not sent" and can be tried again', async () => {
  relay.setDown(true);
  // The reply queue retries for hours; this job gives up after two attempts, as one would in the end.
  await app.close();
  app = await f.app({
    requestReply: async (messageId, opts) => {
      await rawQueue.add('reply', { messageId, staffMessage: opts.staffMessage! }, { jobId: `${messageId}-${opts.key}`, attempts: 2, backoff: { type: 'fixed', delay: 100 } });
    },
  });
  bob = await login(app, 'bob');
  const { id, key } = await write();
  startWorker();
  await waitFor('the message recorded failed', async () => (await f.store.getStaffMessageSend(key))?.state === 'failed', 30_000);
  expect(await f.store.getStaffMessageSend(key)).toMatchObject({ error: 'unreachable', attempt: 1 });
  const page = (await get(app, bob, `/applications/${id}`)).body;
  expect(page).toContain('Not sent: the mail server could not be reached for hours — try again.');

  relay.setDown(false);
  const res = await post(app, bob, `/applications/${id}/message/${key}/retry`, retryForm(page, id, key)!);
  expect(String(res.headers.location)).toContain('done=message-retried');
  await relay.waitForMessages(1);
  await waitFor('the retry recorded sent', async () => (await f.store.getStaffMessageSend(key))?.state === 'sent');
  await settle();
  expect(relay.received).toHaveLength(1);
  expect((await get(app, bob, `/applications/${id}?done=message-retried`)).body).toContain('The message is being sent again');
}, 60_000);

it('a worker killed after the mail server took the message: after the lease it goes again, same Message-ID, and the page says so', async () => {
  const { id, key } = await write();
  let killed = false;
  // The first worker dies right after SMTP accepted: it never records the send (its job hangs, then stalls).
  const dying = startWorker(
    context(async (m: OutgoingMail) => {
      const sent = await sender.send(m);
      if (!killed) {
        killed = true;
        return new Promise<never>(() => undefined);
      }
      return sent;
    }),
  );
  await relay.waitForMessages(1);
  await dying.close(0);
  workers.splice(workers.indexOf(dying), 1);
  expect(await f.store.getStaffMessageSend(key)).toMatchObject({ state: 'sending' });

  startWorker();
  await waitFor('the message recorded sent', async () => (await f.store.getStaffMessageSend(key))?.state === 'sent', 30_000);
  await settle();
  expect(relay.received).toHaveLength(2);
  const ids = relay.received.map((r) => /^Message-ID: (.*)$/im.exec(r.raw.toString('utf8'))?.[1]?.trim());
  expect(ids).toEqual([`<message-${key}@esor-intake>`, `<message-${key}@esor-intake>`]);
  expect(await actions(id, key)).toEqual([MESSAGE_EVENTS.requested, MESSAGE_EVENTS.interrupted, MESSAGE_EVENTS.sent]);
  expect(f.logLines.some((l) => l.includes('sending it again with the same Message-ID'))).toBe(true);
  const page = (await get(app, bob, `/applications/${id}`)).body;
  expect(page).toContain('An attempt to send it was cut off before its outcome was known, so it was sent again');
}, 60_000);

it('a message whose job was never queued (Redis away at the press) is queued by the sweep and sent once', async () => {
  await app.close();
  app = await f.app({
    requestReply: async () => {
      throw Object.assign(new Error('Connection is closed.'), { code: 'ECONNREFUSED' });
    },
  });
  bob = await login(app, 'bob');
  const id = seeded.maria.applicationId;
  const key = /name="key" value="([A-Za-z0-9_-]+)"/.exec((await get(app, bob, `/applications/${id}`)).body)![1]!;
  const res = await post(app, bob, `/applications/${id}/message`, { key, subject: 'Re: Fellowship (corrected)', body: 'Please resend page 5.' });
  expect(String(res.headers.location)).toContain('error=message-request-failed');
  expect(await f.store.getStaffMessageSend(key)).toMatchObject({ state: 'queued', attempt: 1 });

  // The sweep runs every minute, maybe in several worker processes: the queue keeps one job.
  expect(await requeueStaffMessages(context(), queues)).toBe(1);
  expect(await requeueStaffMessages(context(), queues)).toBe(1);
  startWorker();
  await relay.waitForMessages(1);
  await waitFor('the message recorded sent', async () => (await f.store.getStaffMessageSend(key))?.state === 'sent');
  expect(await requeueStaffMessages(context(), queues)).toBe(0);
  await settle();
  expect(relay.received).toHaveLength(1);
  expect(await actions(id, key)).toEqual([MESSAGE_EVENTS.requested, MESSAGE_EVENTS.sent]);
}, 60_000);
