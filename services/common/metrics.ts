/**
 * Prometheus metrics for the poller and the workers, in a registry of their
 * own (not prom-client's global one) so that tests, and two components in
 * one process, never share counters.
 *
 * Label values are ids chosen by the service (mailbox names, programme ids,
 * stage names, error codes, statuses), never personal data; free-form values
 * are clipped to keep the number of series bounded.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Stage durations from 5 ms (a triage) to a minute (a large PDF with OCR). */
export const STAGE_DURATION_BUCKETS = Object.freeze([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60]);

export type ReplyOutcome = 'sent' | 'held' | 'skipped' | 'failed';

export interface QueueDepth {
  queue: string;
  /** BullMQ job state: waiting, active, delayed, failed, completed, prioritized, waiting-children. */
  state: string;
  count: number;
}

export type QueueDepthSource = () => Promise<QueueDepth[]>;

/** Ends a stage timer; returns the seconds measured. A second call does nothing and returns the first result. */
export type EndStageTimer = (outcome?: { failureCode?: string }) => number;

export interface Metrics {
  readonly registry: Registry;
  /** The Content-Type of `render()`'s text. */
  readonly contentType: string;
  /** One message found in `mailbox` by the poller. */
  countMailSeen(mailbox: string, count?: number): void;
  /** One application reached a verdict (`status`: complete, incomplete, ineligible, needs_review, not_application). */
  countApplication(programme: string, status: string): void;
  /**
   * Starts timing one attempt of `stage`; the returned function records the
   * duration, and with `{ failureCode }` also counts a stage failure. Failed
   * attempts are timed too: the histogram measures the time workers spend.
   */
  startStageTimer(stage: string): EndStageTimer;
  /** Runs `work` as one attempt of `stage`, timed; a throw counts a failure under the error's code and is rethrown. */
  timeStage<T>(stage: string, work: () => Promise<T>): Promise<T>;
  /** One failed attempt of `stage`, under a stable error code (e.g. PDF_ENCRYPTED, ECONNREFUSED). */
  countStageFailure(stage: string, code: string): void;
  /** The final outcome of one reply (`status` is the application's status). */
  countReply(status: string, outcome: ReplyOutcome): void;
  /** One failed SMTP send attempt, retries included (the final outcome goes to countReply). */
  countReplyFailure(): void;
  /** A poll of the mailbox finished; `at` defaults to now. */
  recordPoll(at?: Date): void;
  /** Sets the callback that reads queue depths at each scrape (BullMQ `getJobCounts`); null removes it. */
  setQueueDepthSource(source: QueueDepthSource | null): void;
  /** The registry in Prometheus text format. */
  render(): Promise<string>;
}

export interface MetricsOptions {
  /** Default process metrics (CPU, memory, event loop lag, GC); default true. */
  defaultMetrics?: boolean;
  /** Labels added to every series, e.g. { component: 'worker' }. */
  labels?: Record<string, string>;
  /** How long a scrape waits for the queue depth source; default 2 s. */
  queueDepthTimeoutMs?: number;
}

const MAX_LABEL_LENGTH = 64;
// Error codes become label values: only identifier-like codes, so a message
// passed by mistake cannot create a series per message (or leak its content).
const CODE_LABEL = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Creates the metrics in a fresh registry. */
export function createMetrics(opts: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (opts.labels) registry.setDefaultLabels(opts.labels);
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const queueDepthTimeoutMs = opts.queueDepthTimeoutMs ?? 2000;

  const mailsSeen = new Counter({
    name: 'esor_mails_seen_total',
    help: 'Messages found in the watched mailbox by the poller.',
    labelNames: ['mailbox'] as const,
    registers: [registry],
  });
  const applications = new Counter({
    name: 'esor_applications_total',
    help: 'Applications that reached a verdict, by programme and status.',
    labelNames: ['programme', 'status'] as const,
    registers: [registry],
  });
  const stageDuration = new Histogram({
    name: 'esor_stage_duration_seconds',
    help: 'Duration of one attempt of a queue stage, failed attempts included.',
    labelNames: ['stage'] as const,
    buckets: [...STAGE_DURATION_BUCKETS],
    registers: [registry],
  });
  const stageFailures = new Counter({
    name: 'esor_stage_failures_total',
    help: 'Failed attempts of a queue stage, by error code.',
    labelNames: ['stage', 'code'] as const,
    registers: [registry],
  });
  const replies = new Counter({
    name: 'esor_replies_total',
    help: 'Final outcome of replies to applicants: sent, held for staff, skipped (machine mail, rate limit) or failed.',
    labelNames: ['status', 'outcome'] as const,
    registers: [registry],
  });
  const replyFailures = new Counter({
    name: 'esor_reply_failures_total',
    help: 'Failed SMTP send attempts, retries included.',
    registers: [registry],
  });
  const lastPoll = new Gauge({
    name: 'esor_last_poll_timestamp_seconds',
    help: 'Unix time of the last finished poll of the mailbox.',
    registers: [registry],
  });
  let queueDepthSource: QueueDepthSource | null = null;
  // The failure counter below waits for the scrape's depth read, so that a
  // failure is reported in the same scrape (the registry renders metrics
  // concurrently, in registration order).
  let depthRead: Promise<void> = Promise.resolve();
  let depthFailed = false;
  new Gauge({
    name: 'esor_queue_depth',
    help: 'Jobs per queue and state, read at scrape time.',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    collect() {
      // Reset first: a queue or state that disappeared must not keep its last value.
      this.reset();
      const source = queueDepthSource;
      if (!source) return;
      depthRead = (async () => {
        try {
          const rows = await withTimeout(source(), queueDepthTimeoutMs);
          for (const row of rows) {
            if (Number.isFinite(row.count)) this.set({ queue: clip(row.queue), state: clip(row.state) }, row.count);
          }
        } catch {
          // A slow or broken Redis must not fail the whole scrape: the other
          // metrics matter most when Redis is in trouble.
          depthFailed = true;
        }
      })();
      return depthRead;
    },
  });
  new Counter({
    name: 'esor_queue_depth_collect_failures_total',
    help: 'Scrapes whose queue depth source failed or timed out (esor_queue_depth was then left empty).',
    registers: [registry],
    async collect() {
      await depthRead;
      if (depthFailed) {
        depthFailed = false;
        this.inc();
      }
    },
  });

  const countStageFailure = (stage: string, code: string) => {
    stageFailures.inc({ stage: clip(stage), code: toCodeLabel(code) });
  };

  const startStageTimer = (stage: string): EndStageTimer => {
    const started = process.hrtime.bigint();
    let seconds: number | undefined;
    return (outcome) => {
      if (seconds !== undefined) return seconds;
      seconds = Number(process.hrtime.bigint() - started) / 1e9;
      stageDuration.observe({ stage: clip(stage) }, seconds);
      if (outcome?.failureCode !== undefined) countStageFailure(stage, outcome.failureCode);
      return seconds;
    };
  };

  return {
    registry,
    contentType: registry.contentType,
    countMailSeen: (mailbox, count = 1) => mailsSeen.inc({ mailbox: clip(mailbox) }, count),
    countApplication: (programme, status) => applications.inc({ programme: clip(programme || 'unknown'), status: clip(status) }),
    startStageTimer,
    async timeStage(stage, work) {
      const end = startStageTimer(stage);
      try {
        const result = await work();
        end();
        return result;
      } catch (err) {
        end({ failureCode: errorCode(err) });
        throw err;
      }
    },
    countStageFailure,
    countReply: (status, outcome) => replies.inc({ status: clip(status), outcome }),
    countReplyFailure: () => replyFailures.inc(),
    recordPoll: (at = new Date()) => lastPoll.set(at.getTime() / 1000),
    setQueueDepthSource: (source) => {
      queueDepthSource = source;
    },
    render: () => registry.metrics(),
  };
}

/** The label value for an error: its `code` if identifier-like, else its class name. */
function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' || typeof code === 'number') return String(code);
  if (err instanceof Error) return err.name;
  return 'unknown';
}

function toCodeLabel(code: string): string {
  return CODE_LABEL.test(code) ? code : 'other';
}

function clip(value: string): string {
  return value.length > MAX_LABEL_LENGTH ? value.slice(0, MAX_LABEL_LENGTH) : value;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
