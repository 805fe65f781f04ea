/**
 * `npm run eval [-- --count N --seed S --dir DIR --verbose]`: generates a
 * synthetic corpus (or reads DIR) and prints how well the engine triages it.
 *
 * `npm run eval -- --set independent|tune|opened|sealed [--ocr] [--verbose] [--only h,i]`
 * scores a written set instead: the independent set, or part of the held-out
 * sets of test/fixtures/heldout/ (written by people who never saw the
 * engine). Tune on `tune` and on `opened` (sealed halves already measured,
 * see heldout.ts); `sealed` is measured once, at the end of a piece of work,
 * and its figure reported beside the tuning one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createOcrEngine } from '../../adapters/ocr';
import { loadRules } from '../../adapters/rules-loader';
import { compileTriageRules } from '../../core/triage/triage-application';
import { DEFAULT_RULES_DIR } from '../../services/cli';
import { generateCorpus } from '../corpus/generate';
import { evaluateIndependent, formatIndependent, INDEPENDENT_DIR } from '../fixtures/independent/evaluate';
import { evaluateCorpus, formatMetrics } from './evaluate-corpus';
import { heldOutDirs, inSet, type HeldOutSet } from './heldout';

async function run(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '200' },
      seed: { type: 'string', default: '7' },
      dir: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      set: { type: 'string' },
      ocr: { type: 'boolean', default: false },
      // Writers' folders to score, e.g. `--only h,i` (default: all).
      only: { type: 'string' },
    },
  });
  const rules = compileTriageRules(loadRules(DEFAULT_RULES_DIR));
  if (values.set) {
    const set = values.set;
    if (!['independent', 'tune', 'opened', 'sealed'].includes(set)) throw new Error(`--set takes independent, tune, opened or sealed, not ${set}`);
    const started = Date.now();
    const only = values.only?.split(',').map((s) => s.trim());
    // --ocr reads scanned pages as the command line does by default (tesseract); without it they stay images.
    const options = values.ocr ? { ocr: createOcrEngine() } : {};
    const m = set === 'independent'
      ? await evaluateIndependent(INDEPENDENT_DIR, rules, undefined, options)
      : await evaluateIndependent(heldOutDirs().filter((d) => !only || only.includes(path.basename(d))), rules, (t, dir) => inSet(set as HeldOutSet, dir, t.half), options);
    if (m.cases === 0) {
      // An empty set would print 100 % of nothing.
      const why = set === 'sealed' ? ': every writer\'s sealed half has been measured (test/eval/heldout.ts OPENED); a new writer\'s folder is the next sealed set' : '';
      process.stdout.write(`${set} set: no cases${why}\n`);
      return;
    }
    process.stdout.write(`${formatIndependent(m, values.verbose).replace(/^independent set/, `${set} set`)}\n\ntriaged in ${Date.now() - started} ms\n`);
    return;
  }
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
