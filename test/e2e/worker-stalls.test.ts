/**
 * Why worker-crash.test.ts saw an analyse job end with UnrecoverableError after one SIGKILL on a
 * busy machine: BullMQ fails a job for good once it has stalled more than `maxStalledCount` times
 * (default 1, "job stalled more than allowable limit"). An analyse run that kept its worker from
 * renewing the lock (a busy machine) stalls once; the kill makes the second stall, and the retry
 * that would have succeeded never runs. A stall is mostly the worker's fate, not the input's: the
 * job now survives two stalls (a mail that kills every worker ends at the third, see
 * worker-crash.test.ts). Real Redis; a worker closed without finishing
 * its job stands for a killed one (its lock runs out, the job stalls).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import pino from 'pino';
import { createFileStore } from '../../adapters/file-store';
import { openSqliteStore } from '../../adapters/store/sqlite-store';
import type { Store } from '../../core/ports/store';
import { startRedis, type RedisServer } from '../../dev/local/redis-server';
import { openQueues, runWorkers, type QueueSet } from '../../workers/queues';
import { STAGES } from '../../workers/registry';
import type { Stage, StageContext } from '../../workers/stage-context';
import { waitFor } from './harness';

let redis: RedisServer;
let dir: string;
let store: Store;
let queues: QueueSet;
const prefix = `stall${process.pid}`;
const settings = () => ({ redisUrl: redis.url, prefix, attempts: 5, backoffMs: 100 });
const originalRun = STAGES.analyse.run;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'esor-stalls-'));
  redis = await startRedis({ dir: path.join(dir, 'redis') });
  store = openSqliteStore(path.join(dir, 'store.sqlite'));
  queues = openQueues(settings());
}, 30_000);
afterAll(async () => {
  (STAGES.analyse as { run: Stage['run'] }).run = originalRun;
  await queues?.close();
  await store?.close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('an analyse job that stalled twice (a lost lock, then a killed worker) is still run to the end', async () => {
  let runs = 0;
  let finished = 0;
  // The first two runs never finish in their worker (the worker "dies" under them); the third does.
  (STAGES.analyse as { run: Stage['run'] }).run = async () => {
    runs++;
    if (runs <= 2) return new Promise<never>(() => undefined);
    finished++;
  };
  const ctx = { store, files: createFileStore(path.join(dir, 'files')), logger: pino({ level: 'silent' }), now: () => new Date() } as unknown as StageContext;
  const workerSettings = { ...settings(), concurrency: 1, lockDurationMs: 1000, stalledIntervalMs: 200 };
  const id = 'a'.repeat(64);
  await queues.enqueue('analyse', id);

  for (const dying of [1, 2]) {
    const w = runWorkers(workerSettings, ctx, ['analyse']);
    await waitFor(`run ${dying} started`, async () => runs >= dying);
    await w.close(0); // takes the job to its grave: the lock is not released, the job stalls
  }
  const survivor = runWorkers(workerSettings, ctx, ['analyse']);
  try {
    const q = new Queue('analyse', { connection: { url: redis.url } as never, prefix });
    try {
      const state = await waitFor('the job completed or failed', async () => {
        const s = await (await q.getJob(id))?.getState();
        return s === 'completed' || s === 'failed' ? s : undefined;
      }, 30_000);
      expect({ state, failedReason: (await q.getJob(id))?.failedReason ?? null }).toEqual({ state: 'completed', failedReason: null });
      expect(finished).toBe(1);
    } finally {
      await q.close();
    }
  } finally {
    await survivor.close(1000);
  }
}, 60_000);
