/**
 * `npx tsx test/eval/calibration.ts tune|DIR`: how often a page's label is
 * right at each level of the confidence the decoder gives it, on the tuning
 * half of the held-out sets or on a generated corpus folder (`<id>.eml` +
 * `<id>.truth.json`). The thresholds of core/triage/certainty.ts and
 * classifier.low_confidence_below were read off this table; run it on data
 * the classifier was not tuned on.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { loadRules } from '../../adapters/rules-loader';
import { compileTriageRules } from '../../core/triage/triage-application';
import { DEFAULT_RULES_DIR } from '../../services/cli';
import { triageFile } from '../../services/triage/triage-file';
import { heldOutDirs } from './heldout';

const BINS = [0, 0.3, 0.55, 0.8, 0.95, 1.01];

function casesOf(source: string): Array<{ file: string; labels: string[] }> {
  if (source === 'tune') {
    return heldOutDirs().flatMap((dir) =>
      (JSON.parse(readFileSync(path.join(dir, 'truth.json'), 'utf8')) as Array<{ id: string; half: string; pageLabels: string[] }>)
        .filter((t) => t.half === 'tune')
        .map((t) => ({ file: path.join(dir, `${t.id}.eml`), labels: t.pageLabels })),
    );
  }
  return readdirSync(source)
    .filter((f) => f.endsWith('.truth.json'))
    .map((f) => JSON.parse(readFileSync(path.join(source, f), 'utf8')) as { id: string; pageLabels: string[] })
    .map((t) => ({ file: path.join(source, `${t.id}.eml`), labels: t.pageLabels }));
}

async function main(source: string): Promise<void> {
  const rules = compileTriageRules(loadRules(DEFAULT_RULES_DIR));
  const stat = BINS.slice(1).map(() => ({ pages: 0, right: 0 }));
  for (const c of casesOf(source)) {
    const { segmentation: seg } = await triageFile(c.file, rules, {});
    seg?.labels.forEach((label, i) => {
      const bin = BINS.findIndex((from, k) => seg.pageConfidence[i]! >= from && seg.pageConfidence[i]! < BINS[k + 1]!);
      stat[bin]!.pages++;
      if (c.labels[i] === label) stat[bin]!.right++;
    });
  }
  stat.forEach((s, k) => {
    const share = s.pages ? `${((100 * s.right) / s.pages).toFixed(1)}%` : '-';
    process.stdout.write(`confidence [${BINS[k]}, ${Math.min(BINS[k + 1]!, 1)}${k === stat.length - 1 ? ']' : ')'}  pages ${String(s.pages).padStart(5)}  labelled right ${share}\n`);
  });
}

main(process.argv[2] ?? 'tune').catch((e) => {
  console.error(e);
  process.exit(1);
});
