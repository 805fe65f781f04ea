/**
 * The digest end to end: a real SQLite store in a temp folder, a real SMTP server on a loopback
 * port (dev/local/smtp-relay.ts), a real Redis for the one-sender-per-day guard.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { simpleParser } from 'mailparser';
import { openSqliteStore } from '../../../adapters/store/sqlite-store';
import type { Store } from '../../../core/ports/store';
import { readMail } from '../../../adapters/mail-reader';
import { loadRules, toMachinePatterns } from '../../../adapters/rules-loader';
import { detectMachineMail } from '../../../core/mail-kind';
import { startRedis, type RedisServer } from '../../../dev/local/redis-server';
import { startSmtpRelay, type SmtpRelay } from '../../../dev/local/smtp-relay';
import {
  collectDigest,
  createDigestMailer,
  DIGEST_HELP,
  nextDigestTime,
  runDigestCommand,
  sendDigest,
  startDigestSchedule,
  type DigestMailer,
} from '../../../services/digest';
import { recordAndTriage, steppingClock, triageResult } from '../store/store-fixtures';

const GR = 'gustave-roussy-hybrid-imaging-2022';
const PROGRAMMES = [{ id: GR, title: 'Clinical/Research Fellowship in Hybrid Imaging in Oncology', deadline: '2021-03-31', timezone: 'Europe/Paris' }];
const NOW = new Date('2021-03-12T07:00:00.000Z');
const STAFF = ['clara@esor.test', 'marc@esor.test'];
const FROM = { email: 'office@esor.test', name: 'ESOR Office' };
/** Personal data in the store that must never reach the digest. */
const APPLICANT_DATA = ['Anna Rossi', 'a.rossi@example.it', 'Jean Dupont', 'j.dupont@example.fr', 'Lee Kim', 'lee@example.kr'];

let dir: string;
let store: Store;
let relay: SmtpRelay;
let ids: { complete: string; review: string; review2: string; unknown: string; retired: string; held: string };

beforeAll(async () => {
  relay = await startSmtpRelay();
});
afterAll(async () => {
  await relay.stop();
});

beforeEach(async () => {
  relay.failNext(0);
  relay.setDown(false);
  dir = mkdtempSync(path.join(os.tmpdir(), 'esor-digest-'));
  store = openSqliteStore(path.join(dir, 'esor-intake.sqlite'), { now: steppingClock('2021-03-12T06:00:00.000Z') });
  const applicant = (name: string, email: string) => ({ applicant: { name, email } });
  const complete = await recordAndTriage(store, 'complete', { uid: 1, applicantKey: 'a.rossi@example.it', result: triageResult({ ...applicant('Anna Rossi', 'a.rossi@example.it'), receivedAt: '2021-03-01T10:00:00.000Z' }) });
  const review = await recordAndTriage(store, 'review', {
    uid: 2,
    applicantKey: 'j.dupont@example.fr',
    result: triageResult({ ...applicant('Jean Dupont', 'j.dupont@example.fr'), status: 'needs_review', flagCodes: ['language_unverified'], receivedAt: '2021-03-11T18:00:00.000Z' }),
  });
  const review2 = await recordAndTriage(store, 'review2', {
    uid: 3,
    applicantKey: 'lee@example.kr',
    result: triageResult({ ...applicant('Lee Kim', 'lee@example.kr'), status: 'needs_review', flagCodes: ['image_only_pages'], receivedAt: '2021-03-10T08:00:00.000Z' }),
  });
  const unknown = await recordAndTriage(store, 'unknown', { uid: 4, applicantKey: 'x@example.org', result: triageResult({ status: 'not_application', programme: null, applicant: null, receivedAt: '2021-03-11T20:00:00.000Z' }) });
  const retired = await recordAndTriage(store, 'retired', { uid: 5, applicantKey: 'y@example.org', result: triageResult({ status: 'incomplete', programme: 'retired-2019', applicant: null, receivedAt: '2019-01-01T10:00:00.000Z' }) });
  const { reply } = await store.reserveReply({ applicationId: review.applicationId, revision: 1, status: 'needs_review', to: 'j.dupont@example.fr', subject: 'Your application', body: 'Dear Jean Dupont', held: true });
  await store.reserveReply({ applicationId: complete.applicationId, revision: 1, status: 'complete', to: 'a.rossi@example.it', subject: 'Your application', body: 'Dear Anna Rossi', held: false });
  ids = { complete: complete.applicationId, review: review.applicationId, review2: review2.applicationId, unknown: unknown.applicationId, retired: retired.applicationId, held: reply.id };
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function sink(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  }) as Writable & { text: () => string };
  w.text = () => chunks.join('');
  return w;
}

describe('collectDigest', () => {
  it('gathers counts per programme, unknown and other, what waits for review (oldest first) and held replies, without personal data', async () => {
    const input = await collectDigest(store, PROGRAMMES, NOW, new Date('2021-03-11T07:00:00.000Z'), { dashboardUrl: 'https://dash.example' });
    expect(input.counts[GR]).toEqual({ complete: 1, incomplete: 0, ineligible: 0, needs_review: 2, not_application: 0 });
    expect(input.counts.unknown).toEqual({ complete: 0, incomplete: 0, ineligible: 0, needs_review: 0, not_application: 1 });
    expect(input.counts.other).toEqual({ complete: 0, incomplete: 1, ineligible: 0, needs_review: 0, not_application: 0 });
    expect(input.newSince).toBe(2); // the review (18:00) and the unknown one (20:00) of 11 March
    expect(input.needsReview.map((a) => a.id)).toEqual([ids.review2, ids.review]);
    expect(input.needsReview[0]).toEqual({ id: ids.review2, programme: GR, status: 'needs_review', flags: ['image_only_pages'], receivedAt: '2021-03-10T08:00:00.000Z' });
    expect(input.needsReviewTotal).toBe(2);
    expect(input.heldReplies).toEqual([{ id: ids.held, applicationId: ids.review, status: 'needs_review', createdAt: expect.any(String) }]);
    const json = JSON.stringify(input);
    for (const personal of APPLICANT_DATA) expect(json).not.toContain(personal);
  });
});

describe('sendDigest', () => {
  let mailer: DigestMailer;
  beforeEach(() => (mailer = createDigestMailer({ host: relay.host, port: relay.port, secure: false, connectionTimeoutMs: 5000 })));
  afterEach(() => mailer.close());

  it('mails the digest to every staff address through a real SMTP server, marked auto-generated, and logs it', async () => {
    const before = relay.received.length;
    const sent = await sendDigest({ store, programmes: PROGRAMMES, mailer, from: FROM, to: [...STAFF, ' clara@esor.test '], now: NOW, dashboardUrl: 'https://dash.example/staff' });
    expect(sent.accepted).toEqual(STAFF);
    expect(sent.rejected).toEqual([]);
    const [message] = (await relay.waitForMessages(before + 1)).slice(before);
    expect(message!.from).toBe('office@esor.test');
    expect(message!.to).toEqual(STAFF);

    const raw = message!.raw.toString('utf8');
    expect(raw).toMatch(/^Auto-Submitted: auto-generated\r$/m);
    expect(raw).toMatch(/^X-Auto-Response-Suppress: All\r$/m);
    expect(raw).toMatch(/^X-ESOR-Intake: digest\r$/m);
    const mail = await simpleParser(message!.raw);
    expect(mail.subject).toBe(sent.digest.subject);
    expect(mail.subject).toBe('ESOR intake digest, 12 March 2021: 2 received, 2 to review, 1 reply held');
    expect(mail.messageId).toBe(sent.messageId);
    expect(mail.text?.replace(/\r\n/g, '\n').trimEnd()).toBe(sent.digest.text.trimEnd());
    expect(mail.text).toContain(`https://dash.example/staff/applications/${ids.review}`);
    expect(mail.text).toContain('deadline 31 March 2021: 19 days left');
    for (const personal of APPLICANT_DATA) expect(raw).not.toContain(personal);

    // Should it land in the office mailbox, the poller drops it as our own mail.
    const verdict = detectMachineMail(await readMail(message!.raw), toMachinePatterns(loadRules(path.join(__dirname, '../../../rules'))));
    expect(verdict).toMatchObject({ machine: true, kind: 'loop' });

    const [event] = await store.listEvents('digest', 1);
    expect(event).toMatchObject({ actor: 'system', action: 'digest.sent', detail: { messageId: sent.messageId, accepted: 2, rejected: 0 } });
    expect(JSON.stringify(event)).not.toContain('@esor.test');
  });

  it('throws the adapter’s SmtpError when the server refuses (permanent) or is down (transient), logging nothing', async () => {
    relay.failNext(1, { responseCode: 550 });
    await expect(sendDigest({ store, programmes: PROGRAMMES, mailer, from: FROM, to: STAFF, now: NOW })).rejects.toMatchObject({ name: 'SmtpError', code: 'SMTP_REJECTED', transient: false });
    relay.setDown(true);
    await expect(sendDigest({ store, programmes: PROGRAMMES, mailer, from: FROM, to: STAFF, now: NOW })).rejects.toMatchObject({ name: 'SmtpError', transient: true });
    relay.setDown(false);
    expect(await store.listEvents('digest')).toEqual([]);
  });

  it('refuses to send without recipients or to something that is no address', async () => {
    await expect(sendDigest({ store, programmes: PROGRAMMES, mailer, from: FROM, to: [' '], now: NOW })).rejects.toThrow('the digest has no recipients');
    await expect(sendDigest({ store, programmes: PROGRAMMES, mailer, from: FROM, to: ['not an address'], now: NOW })).rejects.toMatchObject({ code: 'SMTP_INVALID_MESSAGE' });
  });
});

describe('esor-intake digest', () => {
  const env = () => ({
    ESOR_DATA_DIR: dir,
    ESOR_RULES_DIR: path.join(__dirname, '../../../rules'),
    ESOR_SMTP_HOST: relay.host,
    ESOR_SMTP_PORT: String(relay.port),
    ESOR_REPLY_FROM: FROM.email,
    ESOR_DIGEST_TO: STAFF.join(', '),
    ESOR_DASHBOARD_PUBLIC_URL: 'https://dash.example',
  });

  it('prints the digest, and with --send also mails it', async () => {
    const out = sink();
    const err = sink();
    expect(await runDigestCommand(['--since', '48'], { stdout: out, stderr: err }, env(), dir, () => NOW)).toBe(0);
    expect(out.text()).toMatch(/^Subject: ESOR intake digest, 12 March 2021: 3 received, 2 to review, 1 reply held\n\nESOR intake: daily digest/);
    expect(out.text()).toContain('Period: 2021-03-10 07:00 UTC to 2021-03-12 07:00 UTC');
    expect(out.text()).toContain(`https://dash.example/applications/${ids.review2}`);
    expect(err.text()).toBe('');

    const before = relay.received.length;
    const err2 = sink();
    expect(await runDigestCommand(['--send'], { stdout: sink(), stderr: err2 }, env(), dir, () => NOW)).toBe(0);
    expect(err2.text()).toBe('esor-intake digest: sent to 2 recipient(s)\n');
    const [message] = (await relay.waitForMessages(before + 1)).slice(before);
    expect(message!.to).toEqual(STAFF);
  });

  it('fails with one line when it cannot run, and prints its help', async () => {
    const run = async (args: string[], e: Record<string, string | undefined>) => {
      const err = sink();
      const code = await runDigestCommand(args, { stdout: sink(), stderr: err }, e, dir, () => NOW);
      return { code, err: err.text() };
    };
    expect(await run(['--send'], { ...env(), ESOR_DIGEST_TO: '' })).toEqual({ code: 1, err: 'esor-intake digest: --send needs staff addresses (ESOR_DIGEST_TO, comma-separated)\n' });
    expect(await run(['--send'], { ...env(), ESOR_SMTP_HOST: undefined, ESOR_REPLY_FROM: undefined, ESOR_SMTP_PORT: undefined })).toEqual({ code: 1, err: 'esor-intake digest: --send needs an SMTP server (ESOR_SMTP_HOST, ESOR_REPLY_FROM)\n' });
    expect((await run(['--send'], { ...env(), ESOR_DIGEST_TO: 'clara' })).err).toMatch(/^esor-intake digest: invalid configuration: digest\.to\.0: /);
    expect(await run(['--since', 'yesterday'], env())).toEqual({ code: 1, err: 'esor-intake digest: --since takes a number of hours (got "yesterday")\n' });
    expect((await run([], { ...env(), ESOR_DATA_DIR: path.join(dir, 'nowhere') })).err).toMatch(/^esor-intake digest: no store in .*nowhere/);
    expect((await run(['--bogus'], env())).code).toBe(1);
    relay.failNext(1, { responseCode: 550 });
    expect(await run(['--send'], env())).toEqual({ code: 1, err: 'esor-intake digest: the SMTP server refused the reply (550) (SMTP_REJECTED)\n' });
    const out = sink();
    expect(await runDigestCommand(['--help'], { stdout: out, stderr: sink() }, {}, dir)).toBe(0);
    expect(out.text()).toBe(`${DIGEST_HELP}\n`);
  });
});

describe('startDigestSchedule', () => {
  /** A clock and timers moved by hand. */
  function fakeTime(start: string) {
    let t = Date.parse(start);
    const timers: Array<{ fn: () => void; at: number }> = [];
    return {
      now: () => new Date(t),
      setTimer: (fn: () => void, ms: number) => {
        const timer = { fn, at: t + ms };
        timers.push(timer);
        return timer;
      },
      clearTimer: (h: unknown) => void timers.splice(timers.indexOf(h as (typeof timers)[number]), 1),
      /** Moves the clock to the next timer and fires it. */
      fireNext() {
        timers.sort((a, b) => a.at - b.at);
        const next = timers.shift();
        if (!next) throw new Error('no timer armed');
        t = Math.max(t, next.at);
        next.fn();
      },
      pending: () => timers.length,
    };
  }

  it('computes the next slot strictly after now', () => {
    expect(nextDigestTime(new Date('2021-03-12T06:59:59Z'), 7).toISOString()).toBe('2021-03-12T07:00:00.000Z');
    expect(nextDigestTime(new Date('2021-03-12T07:00:00Z'), 7).toISOString()).toBe('2021-03-13T07:00:00.000Z');
    expect(nextDigestTime(new Date('2021-12-31T23:30:00Z'), 0).toISOString()).toBe('2022-01-01T00:00:00.000Z');
    expect(() => startDigestSchedule({ atHourUtc: 24, send: async () => undefined })).toThrow(RangeError);
  });

  it('sends once a day at the hour, covering the 24 hours before, and stops', async () => {
    const time = fakeTime('2021-03-12T05:30:00Z');
    const periods: Array<{ now: string; since: string }> = [];
    const schedule = startDigestSchedule({ atHourUtc: 7, send: async (p) => void periods.push({ now: p.now.toISOString(), since: p.since.toISOString() }), ...time });
    expect(schedule.next()?.toISOString()).toBe('2021-03-12T07:00:00.000Z');
    time.fireNext();
    await schedule.idle();
    time.fireNext();
    await schedule.idle();
    expect(periods).toEqual([
      { now: '2021-03-12T07:00:00.000Z', since: '2021-03-11T07:00:00.000Z' },
      { now: '2021-03-13T07:00:00.000Z', since: '2021-03-12T07:00:00.000Z' },
    ]);
    expect(schedule.next()?.toISOString()).toBe('2021-03-14T07:00:00.000Z');
    schedule.stop();
    expect(time.pending()).toBe(0);
    expect(schedule.next()).toBeUndefined();
  });

  it('reports a failed send and keeps the schedule going', async () => {
    const time = fakeTime('2021-03-12T05:30:00Z');
    const errors: unknown[] = [];
    const outcomes: string[] = [];
    const schedule = startDigestSchedule({ atHourUtc: 7, send: async () => Promise.reject(new Error('smtp down')), onError: (e) => errors.push(e), onRun: (o, day) => outcomes.push(`${o} ${day}`), ...time });
    time.fireNext();
    await schedule.idle();
    expect(outcomes).toEqual(['failed 2021-03-12']);
    expect((errors[0] as Error).message).toBe('smtp down');
    expect(schedule.next()?.toISOString()).toBe('2021-03-13T07:00:00.000Z');
    schedule.stop();
  });

  describe('with Redis', () => {
    let redis: RedisServer;
    const clients: Redis[] = [];
    beforeAll(async () => {
      redis = await startRedis();
    });
    afterAll(async () => {
      for (const c of clients) c.disconnect();
      await redis.stop({ removeDir: true });
    });

    it('lets only one of several processes send each day (SET NX EX per day)', async () => {
      const prefix = `test-${process.pid}-${Date.now()}`;
      const sends: string[] = [];
      const outcomes: string[] = [];
      const schedules = ['a', 'b', 'c'].map((name) => {
        const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
        clients.push(client);
        const time = fakeTime('2021-03-12T05:30:00Z');
        const schedule = startDigestSchedule({ atHourUtc: 7, redis: client, prefix, send: async () => void sends.push(name), onRun: (o, day) => outcomes.push(`${o} ${day}`), ...time });
        return { time, schedule };
      });
      for (const day of [1, 2]) {
        for (const s of schedules) s.time.fireNext();
        await Promise.all(schedules.map((s) => s.schedule.idle()));
        expect(sends).toHaveLength(day);
      }
      expect(outcomes.filter((o) => o.startsWith('sent'))).toEqual(['sent 2021-03-12', 'sent 2021-03-13']);
      expect(outcomes.filter((o) => o.startsWith('skipped'))).toHaveLength(4);
      const ttl = await clients[0]!.ttl(`${prefix}:digest:2021-03-12`);
      expect(ttl).toBeGreaterThan(35 * 3600);
      expect(ttl).toBeLessThanOrEqual(36 * 3600);
      for (const s of schedules) s.schedule.stop();
    });
  });
});
