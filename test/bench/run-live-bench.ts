/**
 * `npm run bench:live [-- --count 100 --burst 500]`: the live service on
 * local servers. Latency from delivery into the office INBOX to the reply
 * landing in the applicant's mailbox (p50, p95), and the time to clear a
 * burst, beside the analysis-only time of the same mails in this process
 * (the baseline: what the service would cost without mail, queues and
 * storage).
 */
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readMail } from '../../adapters/mail-reader';
import { loadRules } from '../../adapters/rules-loader';
import { compileTriageRules } from '../../core/triage/triage-application';
import { toMailInput } from '../../services/triage/triage-file';
import { triageApplication } from '../../core/triage/triage-application';
import { generateCorpus } from '../corpus/generate';
import { startBenchService } from './live-service';

const ROOT = path.resolve(__dirname, '../..');

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { count: { type: 'string', default: '100' }, burst: { type: 'string', default: '500' }, seed: { type: 'string', default: '21' } } });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'esor-live-bench-'));
  // Dovecot's unprivileged processes must pass through to their folder.
  chmodSync(dir, 0o711);
  try {
    const corpus = path.join(dir, 'corpus');
    // Text PDFs only, as the goal states; about 60 % of applications get a reply at once.
    await generateCorpus({ seed: Number(values.seed), count: Math.ceil(Number(values.count) * 1.8) + Number(values.burst), outDir: corpus, imageOnlyShare: 0 });
    const mails = readdirSync(corpus).filter((n) => n.endsWith('.eml')).sort().map((n) => readFileSync(path.join(corpus, n)));
    const rules = compileTriageRules(loadRules(path.join(ROOT, 'rules')));

    // Which mails get an immediate reply (complete/incomplete): the latency sample.
    const replied: Buffer[] = [];
    const rest: Buffer[] = [];
    for (const raw of mails) {
      const status = triageApplication(await toMailInput(raw, rules), rules).result.status;
      (replied.length < Number(values.count) && (status === 'complete' || status === 'incomplete') ? replied : rest).push(raw);
    }
    const burst = rest.slice(0, Number(values.burst));

    const live = await startBenchService(path.join(dir, 'local'));
    const { service, arrived } = live;
    try {
      // Latency: one application at a time, as mail trickles in.
      const latencies: number[] = [];
      for (const raw of replied) {
        const id = (await readMail(raw)).messageId!;
        const t0 = performance.now();
        await live.deliver(raw);
        const deadline = t0 + 60_000;
        while (!arrived.has(id)) {
          if (performance.now() > deadline) throw new Error('a reply did not arrive within 60 s');
          await new Promise((r) => setTimeout(r, 5));
        }
        latencies.push(arrived.get(id)! - t0);
      }
      // Burst: all at once, until every mail has a verdict.
      const before = (await service.store.countByStatus()) as Record<string, number>;
      const start = performance.now();
      for (const raw of burst) await live.deliver(raw);
      const target = Object.values(before).reduce((a, b) => a + b, 0) + burst.length;
      for (;;) {
        const counts = Object.values(await service.store.countByStatus()).reduce((a, b) => a + b, 0);
        if (counts >= target) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const burstMs = performance.now() - start;

      // Baseline: the same burst analysed in this process, without mail, queues or storage.
      const b0 = performance.now();
      for (const raw of burst) triageApplication(await toMailInput(raw, rules), rules);
      const baselineMs = performance.now() - b0;

      latencies.sort((a, b) => a - b);
      const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
      process.stdout.write(
        [
          `delivery -> reply in the applicant's mailbox, ${latencies.length} applications one at a time:`,
          `  p50 ${q(0.5).toFixed(0)} ms   p95 ${q(0.95).toFixed(0)} ms   max ${latencies[latencies.length - 1]!.toFixed(0)} ms   (goal p95 <= 2000 ms)`,
          `burst of ${burst.length} applications delivered at once: all triaged in ${(burstMs / 1000).toFixed(1)} s (goal <= 300 s)`,
          `  baseline, analysis only in one process: ${(baselineMs / 1000).toFixed(1)} s; ratio live/analysis ${(burstMs / baselineMs).toFixed(2)}x`,
        ].join('\n') + '\n',
      );
    } finally {
      await live.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`bench: ${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});
