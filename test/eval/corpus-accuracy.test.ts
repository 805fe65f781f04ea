/**
 * The engine against a generated corpus of 200 applications (seed fixed, so
 * the test is repeatable), read without OCR. `npm run eval` prints the full
 * report; other seeds are for measuring, not for this gate.
 *
 * Sure or silent (contract § 6): what reaches applicants by itself must be
 * right, so the verdicts sent automatically are gated first. Status accuracy
 * measured 98.0 % before § 6 and 96.0 % after (seed 1; seed 3: 93.5 %): the
 * difference is applications now sent to a person (an unreadable scan that
 * could be the board certificate, the degree or the passport; a document
 * found only by its place), among them the two that were told `complete`
 * wrongly and the two told a present document was missing. Without OCR, as
 * here, a scan shows nothing, so these doubts are real.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadRules } from '../../adapters/rules-loader';
import { compileTriageRules } from '../../core/triage/triage-application';
import { generateCorpus } from '../corpus/generate';
import { evaluateCorpus, formatMetrics, type CorpusMetrics } from './evaluate-corpus';

let metrics: CorpusMetrics;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'esor-corpus-'));
  await generateCorpus({ seed: 1, count: 200, outDir: dir });
  metrics = await evaluateCorpus(dir, compileTriageRules(loadRules(path.resolve(__dirname, '../../rules'))));
  process.stdout.write(`${formatMetrics(metrics)}\n`);
  // Liveness, not speed: about 60 s alone on two cores, over 180 s beside an end-to-end file on a busy CI machine.
}, 600_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('triage on a generated corpus of 200 applications', () => {
  it('sends no wrong verdict by itself: no false complete, no present document called missing', () => {
    expect(metrics.cases).toBe(200);
    expect(metrics.verdicts.falseComplete).toBe(0);
    expect(metrics.verdicts.falseMissing).toBe(0);
    expect(metrics.verdicts.automaticPrecision).toBeGreaterThanOrEqual(0.99);
    // Silence must not become the rule either: of the applications whose right verdict would go out by itself,
    // at least 80 % get it (measured 89 against 96 such applications when English B2 became a person's to weigh; 120 of 200 in all
    // before, when the truth had more of them).
    const automaticInTruth = metrics.outcomes.filter((o) => o.expected === 'complete' || o.expected === 'incomplete').length;
    expect(metrics.verdicts.automaticShare * metrics.cases).toBeGreaterThanOrEqual(0.8 * automaticInTruth);
  });

  it('decides the status of at least 95% right', () => {
    expect(metrics.statusAccuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('labels at least 97% of pages right on applications with text pages', () => {
    expect(metrics.pageLabelAccuracyText).toBeGreaterThanOrEqual(0.97);
  });

  it('labels most pages right on applications with scans too (no OCR yet)', () => {
    expect(metrics.pageLabelAccuracyWithScans).toBeGreaterThanOrEqual(0.9);
  });

  it('raises the expected flags with high precision and recall', () => {
    expect(metrics.flagPrecision).toBeGreaterThanOrEqual(0.9);
    expect(metrics.flagRecall).toBeGreaterThanOrEqual(0.9);
  });

  it('never answers machine mail as an application', () => {
    const machine = metrics.outcomes.filter((o) => o.expected === 'not_application');
    expect(machine.length).toBeGreaterThan(0);
    expect(machine.filter((o) => o.got !== 'not_application')).toEqual([]);
  });
});
