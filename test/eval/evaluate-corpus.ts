/**
 * Scores the engine against a generated corpus whose truth is known: status
 * accuracy, page-label accuracy (text pages and scans apart), exact section
 * boundaries, and flag precision/recall per code.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { TriageRules } from '../../core/triage/triage-application';
import type { PageLabel, Status } from '../../core/types';
import { triageFile } from '../../services/triage/triage-file';
import { formatVerdicts, measureVerdicts, missingFromLabels, type VerdictCase, type VerdictMetrics } from './verdict-metrics';

interface Truth {
  id: string;
  status: Status;
  flags: string[];
  pageLabels: PageLabel[];
  sections: Array<{ id: PageLabel; pages: [number, number] }>;
  imageOnlyPages: number[];
  fault: string;
}

export interface CaseOutcome {
  id: string;
  fault: string;
  expected: Status;
  got: Status;
  pageErrors: Array<{ page: number; expected: PageLabel; got: PageLabel; scan: boolean }>;
  missingFlags: string[];
  extraFlags: string[];
}

export interface CorpusMetrics {
  cases: number;
  statusAccuracy: number;
  /** Page labels on applications whose pages all have text. */
  pageLabelAccuracyText: number;
  /** Page labels on applications with at least one scanned page (all their pages). */
  pageLabelAccuracyWithScans: number;
  /** Labels of the scanned pages themselves. */
  scanPageAccuracy: number;
  exactBoundaryRate: number;
  flags: Record<string, { tp: number; fp: number; fn: number; precision: number; recall: number }>;
  flagPrecision: number;
  flagRecall: number;
  /** What reached applicants by itself (contract § 6). */
  verdicts: VerdictMetrics;
  outcomes: CaseOutcome[];
}

/** Triages every case of `dir` (pairs `<id>.eml` + `<id>.truth.json`) and compares with the truth. */
export async function evaluateCorpus(dir: string, rules: TriageRules): Promise<CorpusMetrics> {
  const ids = readdirSync(dir)
    .filter((n) => n.endsWith('.truth.json'))
    .map((n) => n.slice(0, -'.truth.json'.length))
    .sort();
  const outcomes: CaseOutcome[] = [];
  const flagCounts: Record<string, { tp: number; fp: number; fn: number }> = {};
  const count = (code: string, key: 'tp' | 'fp' | 'fn') => {
    flagCounts[code] ??= { tp: 0, fp: 0, fn: 0 };
    flagCounts[code]![key]++;
  };
  let textPages = 0, textRight = 0, scanAppPages = 0, scanAppRight = 0, scanPages = 0, scanRight = 0;
  let boundaryCases = 0, boundaryExact = 0;
  const required = rules.rules.common.sections.filter((s) => s.required).map((s) => s.id);
  const verdictCases: VerdictCase[] = [];
  for (const id of ids) {
    const truth = JSON.parse(readFileSync(path.join(dir, `${id}.truth.json`), 'utf8')) as Truth;
    const { result } = await triageFile(path.join(dir, `${id}.eml`), rules);
    const got: PageLabel[] = [];
    for (const s of result.sections) for (let p = s.pages[0]; p <= s.pages[1]; p++) got[p - 1] = s.id;
    const pageErrors: CaseOutcome['pageErrors'] = [];
    const scans = new Set(truth.imageOnlyPages);
    const hasScans = scans.size > 0;
    truth.pageLabels.forEach((expected, i) => {
      const g = got[i] ?? 'other';
      const right = g === expected;
      if (hasScans) {
        scanAppPages++;
        if (right) scanAppRight++;
      } else {
        textPages++;
        if (right) textRight++;
      }
      if (scans.has(i + 1)) {
        scanPages++;
        if (right) scanRight++;
      }
      if (!right) pageErrors.push({ page: i + 1, expected, got: g, scan: scans.has(i + 1) });
    });
    if (truth.pageLabels.length > 0) {
      boundaryCases++;
      const a = JSON.stringify(truth.sections.map((s) => [s.id, s.pages]));
      const b = JSON.stringify(result.sections.map((s) => [s.id, s.pages]));
      if (a === b) boundaryExact++;
    }
    // low_confidence is the machine speaking of itself (contract § 6): it is measured through the
    // status and the share of automatic verdicts, not as a flag the truth could name (as in the
    // independent and held-out evaluations).
    const expectedFlags = new Set(truth.flags.filter((c) => c !== 'low_confidence'));
    const gotFlags = new Set(result.flags.map((f) => f.code).filter((c) => c !== 'low_confidence'));
    for (const c of gotFlags) count(c, expectedFlags.has(c) ? 'tp' : 'fp');
    for (const c of expectedFlags) if (!gotFlags.has(c)) count(c, 'fn');
    verdictCases.push({
      expected: truth.status,
      got: result.status,
      expectedMissing: missingFromLabels(truth.pageLabels, required),
      gotMissing: result.missing,
      expectedFlags,
      gotFlags,
    });
    outcomes.push({
      id,
      fault: truth.fault,
      expected: truth.status,
      got: result.status,
      pageErrors,
      missingFlags: [...expectedFlags].filter((c) => !gotFlags.has(c)),
      extraFlags: [...gotFlags].filter((c) => !expectedFlags.has(c)),
    });
  }
  const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
  const flags: CorpusMetrics['flags'] = {};
  let tp = 0, fp = 0, fn = 0;
  for (const [code, c] of Object.entries(flagCounts)) {
    flags[code] = { ...c, precision: ratio(c.tp, c.tp + c.fp), recall: ratio(c.tp, c.tp + c.fn) };
    tp += c.tp;
    fp += c.fp;
    fn += c.fn;
  }
  return {
    cases: ids.length,
    statusAccuracy: ratio(outcomes.filter((o) => o.expected === o.got).length, outcomes.length),
    pageLabelAccuracyText: ratio(textRight, textPages),
    pageLabelAccuracyWithScans: ratio(scanAppRight, scanAppPages),
    scanPageAccuracy: ratio(scanRight, scanPages),
    exactBoundaryRate: ratio(boundaryExact, boundaryCases),
    flags,
    flagPrecision: ratio(tp, tp + fp),
    flagRecall: ratio(tp, tp + fn),
    verdicts: measureVerdicts(verdictCases),
    outcomes,
  };
}

/** A human-readable report of the metrics. */
export function formatMetrics(m: CorpusMetrics): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const lines = [
    `cases                          ${m.cases}`,
    `status accuracy                ${pct(m.statusAccuracy)}`,
    `page-label accuracy (text)     ${pct(m.pageLabelAccuracyText)}`,
    `page-label accuracy (w/ scans) ${pct(m.pageLabelAccuracyWithScans)}`,
    `scanned pages labelled right   ${pct(m.scanPageAccuracy)}`,
    `exact section boundaries       ${pct(m.exactBoundaryRate)}`,
    `flag precision / recall        ${pct(m.flagPrecision)} / ${pct(m.flagRecall)}`,
    ...formatVerdicts(m.verdicts),
    '',
    'flag                             tp   fp   fn  precision  recall',
    ...Object.entries(m.flags)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([code, c]) => `${code.padEnd(30)} ${String(c.tp).padStart(4)} ${String(c.fp).padStart(4)} ${String(c.fn).padStart(4)}  ${pct(c.precision).padStart(9)} ${pct(c.recall).padStart(7)}`),
  ];
  return lines.join('\n');
}
