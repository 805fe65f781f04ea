/**
 * The hourly reply caps on a real Redis: per recipient and in all, a retried
 * reply counts once, a failed send gives its slot back, prefixes keep two
 * installations apart, and a new hour starts afresh.
 */
import { Redis } from 'ioredis';
import { createReplyRate } from '../../../adapters/reply-rate';
import { startRedis, type RedisServer } from '../../../dev/local/redis-server';

let server: RedisServer;
let redis: Redis;
let clock = Date.parse('2021-03-01T10:05:00Z');
const now = () => new Date(clock);

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  redis.disconnect();
  await server.stop({ removeDir: true });
});

describe('createReplyRate', () => {
  it('holds the third reply to one address in an hour at a cap of 2, counting a retried reply once', async () => {
    const rate = createReplyRate({ redis, prefix: 'a', perRecipientPerHour: 2, perHour: 100, now });
    expect(await rate.claim('Applicant@Example.org', 'r1')).toBeUndefined();
    expect(await rate.claim('applicant@example.org', 'r1')).toBeUndefined(); // the same reply, retried
    expect(await rate.claim('applicant@example.org', 'r2')).toBeUndefined();
    expect(await rate.claim('applicant@example.org', 'r3')).toBe('reply rate limit for this sender');
    // The refused claim took no slot; a failed send gives its slot back.
    await rate.release('applicant@example.org', 'r2');
    expect(await rate.claim('applicant@example.org', 'r3')).toBeUndefined();
    // Another installation on the same Redis counts apart; the next hour starts afresh.
    const other = createReplyRate({ redis, prefix: 'b', perRecipientPerHour: 2, perHour: 100, now });
    expect(await other.claim('applicant@example.org', 'r4')).toBeUndefined();
    clock += 3_600_000;
    expect(await rate.claim('applicant@example.org', 'r5')).toBeUndefined();
    // No key names the address.
    expect((await redis.keys('*')).join(' ')).not.toMatch(/example/);
  });

  it('holds replies over the cap for all senders, and counts what staff approved', async () => {
    const rate = createReplyRate({ redis, prefix: 'c', perRecipientPerHour: 5, perHour: 2, now });
    await rate.count('one@example.org', 's1');
    expect(await rate.claim('two@example.org', 's2')).toBeUndefined();
    expect(await rate.claim('three@example.org', 's3')).toBe('hourly reply cap for all senders');
  });
});
