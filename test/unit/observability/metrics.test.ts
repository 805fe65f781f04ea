import { register as globalRegistry } from 'prom-client';
import { STAGE_DURATION_BUCKETS, createMetrics } from '../../../services/common/metrics';

/** The value of one series in Prometheus text, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('createMetrics', () => {
  it('counts mails, applications, replies and reply failures with their labels', async () => {
    const m = createMetrics({ defaultMetrics: false });
    m.countMailSeen('INBOX');
    m.countMailSeen('INBOX', 2);
    m.countApplication('gustave-roussy-hybrid-imaging-2022', 'complete');
    m.countApplication('gustave-roussy-hybrid-imaging-2022', 'incomplete');
    m.countApplication('gustave-roussy-hybrid-imaging-2022', 'incomplete');
    m.countApplication('', 'not_application');
    m.countReply('incomplete', 'sent');
    m.countReply('needs_review', 'held');
    m.countReply('not_application', 'skipped');
    m.countReply('complete', 'failed');
    m.countReplyFailure();
    m.countReplyFailure();
    const text = await m.render();
    expect(sample(text, 'esor_mails_seen_total{mailbox="INBOX"}')).toBe(3);
    expect(sample(text, 'esor_applications_total{programme="gustave-roussy-hybrid-imaging-2022",status="incomplete"}')).toBe(2);
    expect(sample(text, 'esor_applications_total{programme="gustave-roussy-hybrid-imaging-2022",status="complete"}')).toBe(1);
    expect(sample(text, 'esor_applications_total{programme="unknown",status="not_application"}')).toBe(1);
    for (const [status, outcome] of [['incomplete', 'sent'], ['needs_review', 'held'], ['not_application', 'skipped'], ['complete', 'failed']]) {
      expect(sample(text, `esor_replies_total{status="${status}",outcome="${outcome}"}`)).toBe(1);
    }
    expect(sample(text, 'esor_reply_failures_total')).toBe(2);
    expect(text).toContain('# TYPE esor_mails_seen_total counter');
  });

  it('times stages into a histogram with buckets from 5 ms to 60 s and counts failures by code', async () => {
    const m = createMetrics({ defaultMetrics: false });
    const end = m.startStageTimer('analyse');
    await new Promise((r) => setTimeout(r, 20));
    const seconds = end();
    expect(seconds).toBeGreaterThanOrEqual(0.015);
    expect(end()).toBe(seconds); // a second call records nothing more
    m.startStageTimer('reply')({ failureCode: 'ECONNREFUSED' });
    m.countStageFailure('ingest', 'free text with anna.rossi@example.it in it');

    const text = await m.render();
    expect(sample(text, 'esor_stage_duration_seconds_count{stage="analyse"}')).toBe(1);
    expect(sample(text, 'esor_stage_duration_seconds_bucket{le="0.01",stage="analyse"}')).toBe(0);
    expect(sample(text, 'esor_stage_duration_seconds_bucket{le="60",stage="analyse"}')).toBe(1);
    expect(sample(text, 'esor_stage_duration_seconds_count{stage="reply"}')).toBe(1);
    expect(sample(text, 'esor_stage_failures_total{stage="reply",code="ECONNREFUSED"}')).toBe(1);
    // Not an identifier: never a label value.
    expect(sample(text, 'esor_stage_failures_total{stage="ingest",code="other"}')).toBe(1);
    expect(text).not.toContain('anna');
    expect(STAGE_DURATION_BUCKETS[0]).toBe(0.005);
    expect(STAGE_DURATION_BUCKETS[STAGE_DURATION_BUCKETS.length - 1]).toBe(60);
  });

  it('timeStage returns the result, or counts the error code and rethrows', async () => {
    const m = createMetrics({ defaultMetrics: false });
    await expect(m.timeStage('triage', async () => 42)).resolves.toBe(42);
    const err = Object.assign(new Error('encrypted'), { code: 'PDF_ENCRYPTED' });
    await expect(m.timeStage('analyse', async () => Promise.reject(err))).rejects.toBe(err);
    await expect(m.timeStage('analyse', async () => Promise.reject(new TypeError('x')))).rejects.toThrow(TypeError);
    const text = await m.render();
    expect(sample(text, 'esor_stage_duration_seconds_count{stage="triage"}')).toBe(1);
    expect(sample(text, 'esor_stage_duration_seconds_count{stage="analyse"}')).toBe(2);
    expect(sample(text, 'esor_stage_failures_total{stage="analyse",code="PDF_ENCRYPTED"}')).toBe(1);
    expect(sample(text, 'esor_stage_failures_total{stage="analyse",code="TypeError"}')).toBe(1);
  });

  it('records the last poll as a Unix timestamp in seconds', async () => {
    const m = createMetrics({ defaultMetrics: false });
    m.recordPoll(new Date('2026-01-02T03:04:05.000Z'));
    expect(sample(await m.render(), 'esor_last_poll_timestamp_seconds')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5) / 1000);
  });

  it('reads queue depths from the source at each scrape and drops states that disappeared', async () => {
    const m = createMetrics({ defaultMetrics: false });
    expect(await m.render()).not.toMatch(/^esor_queue_depth\{/m);
    let rows = [
      { queue: 'analyse', state: 'waiting', count: 3 },
      { queue: 'analyse', state: 'active', count: 2 },
      { queue: 'reply', state: 'failed', count: 1 },
    ];
    m.setQueueDepthSource(async () => rows);
    let text = await m.render();
    expect(sample(text, 'esor_queue_depth{queue="analyse",state="waiting"}')).toBe(3);
    expect(sample(text, 'esor_queue_depth{queue="analyse",state="active"}')).toBe(2);
    expect(sample(text, 'esor_queue_depth{queue="reply",state="failed"}')).toBe(1);
    rows = [{ queue: 'analyse', state: 'waiting', count: 0 }];
    text = await m.render();
    expect(sample(text, 'esor_queue_depth{queue="analyse",state="waiting"}')).toBe(0);
    expect(sample(text, 'esor_queue_depth{queue="analyse",state="active"}')).toBeUndefined();
  });

  it('still renders the other metrics when the queue depth source fails or hangs', async () => {
    const m = createMetrics({ defaultMetrics: false, queueDepthTimeoutMs: 50 });
    m.countMailSeen('INBOX');
    m.setQueueDepthSource(async () => {
      throw new Error('Connection is closed.');
    });
    let text = await m.render();
    expect(sample(text, 'esor_mails_seen_total{mailbox="INBOX"}')).toBe(1);
    expect(sample(text, 'esor_queue_depth_collect_failures_total')).toBe(1);

    // A source that never answers: render still resolves (after queueDepthTimeoutMs), or the test times out.
    m.setQueueDepthSource(() => new Promise(() => undefined));
    text = await m.render();
    expect(sample(text, 'esor_queue_depth_collect_failures_total')).toBe(2);

    m.setQueueDepthSource(null);
    expect(sample(await m.render(), 'esor_queue_depth_collect_failures_total')).toBe(2);
  });

  it('includes default process metrics and default labels, in its own registry', async () => {
    const a = createMetrics({ labels: { component: 'worker' } });
    const b = createMetrics({ defaultMetrics: false });
    a.countMailSeen('INBOX');
    const text = await a.render();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    expect(text).toMatch(/esor_mails_seen_total\{mailbox="INBOX",component="worker"\} 1/);
    expect(await b.render()).not.toContain('esor_mails_seen_total{');
    expect(await globalRegistry.metrics()).not.toContain('esor_');
    expect(a.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });
});
