/**
 * The hourly reply caps, per recipient and in all, kept in Redis so that
 * every worker process counts against the same numbers. The reply stage sees
 * only the ReplyRate port (core/ports/reply-rate.ts); the keys are built here.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ReplyRate } from '../core/ports/reply-rate';

export interface ReplyRateOptions {
  redis: Redis;
  /** The configured Redis prefix: two installations sharing one Redis keep their counts apart. */
  prefix: string;
  perRecipientPerHour: number;
  perHour: number;
  now: () => Date;
}

const HOUR_S = 3600;

export function createReplyRate(opts: ReplyRateOptions): ReplyRate {
  /**
   * Sets of the reply ids sent this hour, so a retried job counts once; the per-recipient key holds a
   * hash, never the address. A slot taken by a worker that then died stays until the hour's key expires:
   * at most one reply's worth of headroom, for at most an hour.
   */
  const keys = (address: string) => {
    const hour = Math.floor(opts.now().getTime() / (HOUR_S * 1000));
    const hash = createHash('sha256').update(address.trim().toLowerCase()).digest('hex').slice(0, 24);
    return { one: `${opts.prefix}:reply-rate:${hash}:${hour}`, all: `${opts.prefix}:reply-rate:all:${hour}` };
  };
  return {
    async claim(address, replyId) {
      const k = keys(address);
      // Atomic per set, so two workers cannot both take the last slot.
      const results = (await opts.redis.multi().sadd(k.one, replyId).scard(k.one).expire(k.one, HOUR_S).sadd(k.all, replyId).scard(k.all).expire(k.all, HOUR_S).exec()) as Array<[Error | null, number]>;
      const [one, all] = [results[1]![1], results[4]![1]];
      const over = one > opts.perRecipientPerHour ? 'reply rate limit for this sender' : all > opts.perHour ? 'hourly reply cap for all senders' : undefined;
      if (over) await opts.redis.multi().srem(k.one, replyId).srem(k.all, replyId).exec();
      return over;
    },
    async release(address, replyId) {
      const k = keys(address);
      await opts.redis.multi().srem(k.one, replyId).srem(k.all, replyId).exec();
    },
    async count(address, replyId) {
      const k = keys(address);
      await opts.redis.multi().sadd(k.one, replyId).expire(k.one, HOUR_S).sadd(k.all, replyId).expire(k.all, HOUR_S).exec();
    },
  };
}
