/**
 * `npm run bench:stores [-- --burst 40 --rounds 1 --seed 21]`: the burst's throughput with one and two worker
 * processes, on the SQLite store and on PostgreSQL, side by side (issue 11). Each configuration gets
 * fresh local servers (the fault tests' harness: Redis, Dovecot, SMTP relay), a fresh store and the
 * same mails; the poller runs in this process, the workers are `esor-intake worker` processes of their
 * own. With SQLite they share one data folder (one machine); with PostgreSQL each has its own, as on
 * separate machines. The clock runs from the first delivery until every mail is finished (replied or
 * held, and filed by the poller). Ratios are against one worker on SQLite in the same run, so a busy
 * machine moves all four figures together; with --rounds N each configuration runs N times (the order
 * turned each round, so a quiet or busy spell does not favour one) and the median counts.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startPostgres, type PostgresServer } from '../../dev/local/postgres-server';
import { mailKey } from '../../services/poller';
import { generateCorpus } from '../corpus/generate';
import { startFaultHarness } from '../e2e/fault-harness';
import { OFFICE } from '../e2e/harness';

interface Run {
  store: 'SQLite' | 'PostgreSQL';
  workers: 1 | 2;
  seconds: number;
}

const CONFIGURATIONS: Array<Pick<Run, 'store' | 'workers'>> = [
  { store: 'SQLite', workers: 1 },
  { store: 'SQLite', workers: 2 },
  { store: 'PostgreSQL', workers: 1 },
  { store: 'PostgreSQL', workers: 2 },
];

/** Seconds from the first delivery until every mail of the burst is finished (ledger done or failed). */
async function timeBurst(config: Pick<Run, 'store' | 'workers'>, mails: Buffer[], pg: PostgresServer): Promise<number> {
  const databaseUrl = config.store === 'PostgreSQL' ? await pg.createDatabase() : undefined;
  const h = await startFaultHarness({ roles: ['poller'], ...(databaseUrl ? { databaseUrl } : {}) });
  const scratch: string[] = [];
  try {
    for (let i = 0; i < config.workers; i++) {
      const own = databaseUrl ? mkdtempSync(path.join(os.tmpdir(), 'esor-bench-worker-')) : undefined;
      if (own) scratch.push(own);
      await h.startWorker(own ? { dataDir: own } : {});
    }
    const pending = new Set(mails.map((raw) => mailKey(raw)));
    const start = performance.now();
    for (const raw of mails) await h.stack.dovecot.deliver(OFFICE.user, raw);
    const deadline = start + 30 * 60_000;
    while (pending.size > 0) {
      for (const id of [...pending]) {
        const state = (await h.service.store.getMessage(id))?.state;
        if (state === 'done' || state === 'failed') pending.delete(id);
      }
      if (performance.now() > deadline) throw new Error(`${config.store}, ${config.workers} worker(s): ${pending.size} mails unfinished after 30 min`);
      if (pending.size > 0) await new Promise((r) => setTimeout(r, 250));
    }
    return (performance.now() - start) / 1000;
  } finally {
    await h.stop();
    for (const d of scratch) rmSync(d, { recursive: true, force: true });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { burst: { type: 'string', default: '40' }, rounds: { type: 'string', default: '1' }, seed: { type: 'string', default: '21' } } });
  const count = Number(values.burst);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'esor-bench-stores-'));
  const pg = await startPostgres();
  try {
    // Text PDFs only, as the live bench; the corpus's own mix of complete, incomplete and faulty mail.
    await generateCorpus({ seed: Number(values.seed), count, outDir: dir, imageOnlyShare: 0 });
    const mails = readdirSync(dir).filter((n) => n.endsWith('.eml')).sort().map((n) => readFileSync(path.join(dir, n)));
    const times = new Map<(typeof CONFIGURATIONS)[number], number[]>(CONFIGURATIONS.map((c) => [c, []]));
    for (let round = 0; round < Number(values.rounds); round++) {
      const order = [...CONFIGURATIONS.slice(round % 4), ...CONFIGURATIONS.slice(0, round % 4)];
      for (const c of order) {
        const seconds = await timeBurst(c, mails, pg);
        times.get(c)!.push(seconds);
        process.stderr.write(`bench:stores round ${round + 1}: ${c.store}, ${c.workers} worker process(es): ${seconds.toFixed(1)} s\n`);
      }
    }
    const runs: Run[] = CONFIGURATIONS.map((c) => ({ ...c, seconds: median(times.get(c)!) }));
    const base = runs[0]!;
    const rate = (r: Run) => mails.length / r.seconds;
    process.stdout.write(
      [
        `burst of ${mails.length} mails, delivery to every mail finished (replied or held, filed), ${os.cpus().length} cores, median of ${values.rounds} round(s):`,
        ...runs.map(
          (r) =>
            `  ${r.store.padEnd(10)} ${r.workers} worker process${r.workers > 1 ? 'es' : '  '}  ${r.seconds.toFixed(1).padStart(6)} s  ${(rate(r) * 60).toFixed(1).padStart(6)} mails/min  x${(rate(r) / rate(base)).toFixed(2)} of 1 worker on SQLite`,
        ),
      ].join('\n') + '\n',
    );
  } finally {
    await pg.stop({ removeDir: true });
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`bench: ${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});
