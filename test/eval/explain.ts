/**
 * `npx tsx test/eval/explain.ts FILE.eml|FILE.pdf [--ocr]`: how the engine saw one
 * application, page by page: the three best labels with their scores, the
 * label chosen and its confidence, then the verdict. For tuning on the
 * tuning half and the generated corpus; never on the sealed half. `--why N`: the
 * reasons behind every label's score on page N.
 */
import { createOcrEngine } from '../../adapters/ocr';
import { loadRules } from '../../adapters/rules-loader';
import { LABELS } from '../../core/analyse/classify-pages';
import { compileTriageRules } from '../../core/triage/triage-application';
import { DEFAULT_RULES_DIR } from '../../services/cli';
import { triageFile } from '../../services/triage/triage-file';

async function main(file: string, ocr: boolean): Promise<void> {
  const rules = compileTriageRules(loadRules(DEFAULT_RULES_DIR));
  const d = await triageFile(file, rules, ocr ? { ocr: createOcrEngine() } : {});
  const seg = d.segmentation;
  for (const [i, p] of d.pageScores.entries()) {
    const top = p.scores.map((s, k) => [LABELS[k]!, s] as const).sort((a, b) => b[1] - a[1]).slice(0, 3);
    const label = seg?.labels[i] ?? '-';
    process.stdout.write(
      `p${String(p.num).padStart(2)} ${label.padEnd(22)} ${String(seg?.pageConfidence[i] ?? '').padEnd(5)} ` +
        `start ${p.startBonus.toFixed(1).padStart(4)} ${p.imageOnly ? 'SCAN ' : ''}| ${top.map(([l, s]) => `${l} ${s.toFixed(1)}`).join(', ')} | ${p.head.slice(0, 50)}\n`,
    );
  }
  const whyAt = process.argv.indexOf('--why');
  const whyPage = whyAt > 0 ? d.pageScores.find((p) => p.num === Number(process.argv[whyAt + 1])) : undefined;
  if (whyPage) {
    for (const [k, s] of whyPage.scores.entries()) process.stdout.write(`  ${LABELS[k]!.padEnd(22)} ${s.toFixed(1).padStart(5)}  ${whyPage.reasons[k]!.join('; ')}\n`);
  }
  const r = d.result;
  process.stdout.write(`status ${r.status}, programme ${r.programme}, missing [${r.missing.join(', ')}]\n`);
  for (const f of r.flags) process.stdout.write(`  ${f.severity.padEnd(10)} ${f.code}${f.uncertain ? ' (uncertain)' : ''}${f.section ? ` ${f.section}` : ''}: ${JSON.stringify(f.evidence ?? {}).slice(0, 160)}\n`);
  process.stdout.write(`facts ${JSON.stringify(r.facts)}\n`);
}

main(process.argv[2]!, process.argv.includes('--ocr')).catch((e) => {
  console.error(e);
  process.exit(1);
});
