/**
 * The BullMQ side: one queue per stage, workers that run the registered
 * stages, retries with capped exponential backoff, and what happens when a
 * job can never succeed. Payloads carry the message id and nothing else;
 * the job id is the message id, so a second poller or a retry cannot
 * enqueue the same mail twice while its job exists.
 */
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { chooseStatus } from '../core/triage/triage-application';
import type { TriageResult } from '../core/types';
import { codeOf, permanentStoreError } from './errors';
import { advanceMessageState } from './message-state';
import { STAGES } from './registry';
import { recordStaffMessageGivenUp } from './staff-message';
import { STAGE_NAMES, type StageContext, type StageJob, type StageName } from './stage-context';

export interface QueueSettings {
  redisUrl: string;
  prefix: string;
  attempts: number;
  backoffMs: number;
}

/** Stalls a job survives (see runWorkers): a lapsed lock and a killed worker, not a third. */
export const MAX_STALLS = 2;

/** Replies wait out a mail server that is down for hours: they are never dropped for a passing fault. */
const REPLY_ATTEMPTS = 200;
const MAX_BACKOFF_MS = 5 * 60_000;

export interface QueueSet {
  /**
   * `key` sets a job id of its own (`<messageId>-<key>`; BullMQ refuses ':' in ids), for a pass that staff asked for after the
   * mail's own job completed (an approved reply, a verdict amended); `hold` keeps the reply for approval.
   */
  enqueue(stage: StageName, messageId: string, opts?: { key?: string; hold?: boolean; replyId?: string; staffMessage?: string }): Promise<void>;
  counts(): Promise<Array<{ queue: string; state: string; count: number }>>;
  close(): Promise<void>;
}

export function openQueues(settings: QueueSettings): QueueSet {
  const connection = new Redis(settings.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
  connection.on('error', () => undefined); // reported through health; ioredis reconnects by itself
  const queues = Object.fromEntries(
    STAGE_NAMES.map((name) => [
      name,
      new Queue<StageJob>(name, {
        connection,
        prefix: settings.prefix,
        defaultJobOptions: {
          attempts: name === 'reply' ? REPLY_ATTEMPTS : settings.attempts,
          backoff: { type: 'capped', delay: settings.backoffMs },
          removeOnComplete: { age: 24 * 3600, count: 1000 },
          removeOnFail: { age: 30 * 24 * 3600, count: 10_000 },
        },
      }),
    ]),
  ) as Record<StageName, Queue<StageJob>>;
  // Without a listener BullMQ prints every connection error with console.error, past the
  // service's logger; a lost Redis shows in /healthz, and callers see their own calls fail.
  for (const q of Object.values(queues)) q.on('error', () => undefined);
  return {
    async enqueue(stage, messageId, opts = {}) {
      const job: StageJob = { messageId, ...(opts.hold ? { hold: true } : {}), ...(opts.replyId ? { replyId: opts.replyId } : {}), ...(opts.staffMessage ? { staffMessage: opts.staffMessage } : {}) };
      await queues[stage].add(stage, job, { jobId: opts.key ? `${messageId}-${opts.key}` : messageId });
    },
    async counts() {
      const out: Array<{ queue: string; state: string; count: number }> = [];
      for (const name of STAGE_NAMES) {
        const c = await queues[name].getJobCounts('waiting', 'active', 'delayed', 'failed');
        for (const [state, count] of Object.entries(c)) out.push({ queue: name, state, count });
      }
      return out;
    },
    async close() {
      await Promise.all(STAGE_NAMES.map((n) => queues[n].close()));
      connection.disconnect();
    },
  };
}

export interface RunningWorkers {
  /** Stops taking jobs, waits for running ones up to the timeout, then forces. */
  close(timeoutMs: number): Promise<void>;
}

/** Starts one BullMQ worker per stage (or the given ones), sharing the stage context. */
export function runWorkers(settings: QueueSettings & { concurrency: number; lockDurationMs?: number; stalledIntervalMs?: number }, ctx: StageContext, stages: readonly StageName[] = STAGE_NAMES): RunningWorkers {
  const workers: Worker[] = [];
  // BullMQ leaves connections it was given open: these are ours to close.
  const connections: Redis[] = [];
  for (const name of stages) {
    const connection = new Redis(settings.redisUrl, { maxRetriesPerRequest: null });
    connection.on('error', () => undefined);
    connections.push(connection);
    const stage = STAGES[name];
    const worker = new Worker<StageJob>(
      name,
      async (job: Job<StageJob>) => {
        if (!job.data || typeof job.data.messageId !== 'string' || !/^[0-9a-f]{64}$/.test(job.data.messageId)) {
          throw new UnrecoverableError('INVALID_PAYLOAD: a job must carry a message id');
        }
        const timed = ctx.observe?.timeStage ?? (<T>(_: StageName, work: () => Promise<T>) => work());
        await timed(name, () => stage.run(job.data, ctx)).catch((err: unknown) => {
          throw permanentStoreError(err) ?? err;
        });
      },
      {
        connection,
        prefix: settings.prefix,
        concurrency: name === 'analyse' ? Math.max(1, settings.concurrency) : settings.concurrency * 2,
        // A killed worker's job waits out its lock, then the next stalled check hands it to another worker.
        ...(settings.lockDurationMs ? { lockDuration: settings.lockDurationMs } : {}),
        ...(settings.stalledIntervalMs ? { stalledInterval: settings.stalledIntervalMs } : {}),
        // A stall is mostly the worker's fate (killed, or a long step that kept it from renewing its lock
        // on a busy machine), not the input's. With BullMQ's default of 1, a job whose lock lapsed once
        // under load and whose worker was then killed failed for good ("job stalled more than allowable
        // limit", an UnrecoverableError) although its retry would have succeeded. Two stalls are
        // forgiven; the third ends the job (processing_failed), so a mail that kills every worker
        // reading it costs three workers, not a crash loop.
        maxStalledCount: MAX_STALLS,
        settings: {
          backoffStrategy: (attemptsMade: number) => Math.min(settings.backoffMs * 2 ** Math.max(0, attemptsMade - 1), MAX_BACKOFF_MS),
        },
      },
    );
    worker.on('error', (err) => ctx.logger.warn({ stage: name, code: codeOf(err) }, 'worker connection problem'));
    worker.on('failed', (job, err) => {
      if (!job) return;
      const final = err instanceof UnrecoverableError || err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
      ctx.logger.warn({ stage: name, messageId: job.data.messageId, attempt: job.attemptsMade, final, code: codeOf(err) }, 'stage failed');
      if (!final) return;
      // A message staff wrote is not the applicant's mail: its failure is the message's ("Not sent" on the page, to retry).
      if (job.data.staffMessage) void recordStaffMessageGivenUp(ctx, job.data.staffMessage, codeOf(err));
      else void recordExhausted(ctx, name, job.data.messageId, codeOf(err));
    });
    workers.push(worker);
  }
  // Jobs taken and not yet completed or failed, over all stages: what close() waits for.
  let running = 0;
  for (const w of workers) {
    w.on('active', () => running++);
    w.on('completed', () => running--);
    w.on('failed', (job) => {
      if (job) running--;
    });
  }
  return {
    async close(timeoutMs) {
      // Not BullMQ's graceful close: it waits for good when its blocking connection is reconnecting
      // to a Redis that went away, and a close(true) after it only hands back that pending close.
      // So: take no new jobs, wait for the running ones up to the timeout, then close without
      // waiting on Redis (a job cut short is taken over by another worker once its lock expires).
      await Promise.all(workers.map((w) => w.pause(true).catch(() => undefined)));
      const deadline = Date.now() + timeoutMs;
      while (running > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      await Promise.all(workers.map((w) => w.close(true).catch(() => undefined)));
      for (const c of connections) c.disconnect();
    },
  };
}

/**
 * A job that will never succeed: the mail is marked failed (it goes to the
 * problem folder) and, when no verdict exists yet, the application waits
 * for a person with the error as its reason.
 */
async function recordExhausted(ctx: StageContext, stage: StageName, messageId: string, code: string): Promise<void> {
  try {
    const at = ctx.now().toISOString();
    const record = await ctx.store.getMessage(messageId);
    if (!record) return;
    await advanceMessageState(ctx, messageId, 'failed', `${stage}: ${code}`);
    await ctx.store.appendEvent({ actor: `worker:${stage}`, action: 'stage.failed', subject: messageId, detail: { stage, code }, at });
    if (stage !== 'reply' && !(await ctx.store.getRevisionByMessage(messageId))) {
      const flags = [{ code: 'processing_failed', severity: 'review' as const, message: `The ${stage} step failed (${code}); a person needs to look at this mail.` }];
      const result: TriageResult = { status: chooseStatus(flags), programme: null, applicant: null, receivedAt: record.receivedAt, pdf: null, sections: [], missing: [], flags, facts: {} };
      await ctx.store.saveTriage({ messageId, result, rulesHash: ctx.rulesHash(), applicantKey: null, decidedAt: at });
    }
  } catch (err) {
    ctx.logger.error({ stage, messageId, code: codeOf(err) }, 'could not record a failed job');
  }
}
