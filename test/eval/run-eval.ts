/**
 * `npm run eval [-- --count N --seed S --dir DIR --verbose]`: generates a
 * synthetic corpus (or reads DIR) and prints how well the engine triages it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadRules } from '../../adapters/rules-loader';
import { compileTriageRules } from '../../core/triage/triage-application';
import { DEFAULT_RULES_DIR } from '../../services/cli';
import { generateCorpus } from '../corpus/generate';
import { evaluateCorpus, formatMetrics } from './evaluate-corpus';

async function run(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '200' },
      seed: { type: 'string', default: '7' },
      dir: { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
  });
  const rules = compileTriageRules(loadRules(DEFAULT_RULES_DIR));
  let dir = values.dir;
  let temp: string | undefined;
  if (!dir) {
    temp = mkdtempSync(path.join(os.tmpdir(), 'esor-eval-'));
    dir = temp;
    const started = Date.now();
    await generateCorpus({ seed: Number(values.seed), count: Number(values.count), outDir: dir });
    process.stderr.write(`generated ${values.count} applications (seed ${values.seed}) in ${Date.now() - started} ms\n`);
  }
  const started = Date.now();
  const metrics = await evaluateCorpus(dir, rules);
  process.stdout.write(`${formatMetrics(metrics)}\n\ntriaged in ${Date.now() - started} ms\n`);
  if (values.verbose) {
    for (const o of metrics.outcomes) {
      if (o.expected === o.got && o.pageErrors.length === 0 && o.missingFlags.length + o.extraFlags.length === 0) continue;
      process.stdout.write(
        `${o.id} [${o.fault}] expected ${o.expected} got ${o.got}` +
          `${o.missingFlags.length ? ` missing ${o.missingFlags.join(',')}` : ''}${o.extraFlags.length ? ` extra ${o.extraFlags.join(',')}` : ''}` +
          `${o.pageErrors.length ? ` pages ${o.pageErrors.map((e) => `${e.page}:${e.expected}->${e.got}${e.scan ? '(scan)' : ''}`).join(' ')}` : ''}\n`,
      );
    }
  }
  if (temp) rmSync(temp, { recursive: true, force: true });
}

run().catch((err) => {
  process.stderr.write(`eval: ${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});
