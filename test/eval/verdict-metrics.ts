/**
 * What reaches applicants by itself (contract § 6): of the verdicts the
 * machine sends on its own (`complete`, `incomplete`), how many were right,
 * how many applications get one at all, and the two errors that hurt most:
 * a wrong `complete`, and "document X is missing" about a document that is
 * there. Shared by every evaluation (generated corpus, independent and
 * held-out sets) so their figures mean the same thing.
 */
import type { Status } from '../../core/types';

export interface VerdictCase {
  expected: Status;
  got: Status;
  /** Required sections the truth says are absent. */
  expectedMissing: readonly string[];
  /** Sections the verdict calls missing. */
  gotMissing: readonly string[];
  expectedFlags: ReadonlySet<string>;
  gotFlags: ReadonlySet<string>;
}

export interface VerdictMetrics {
  cases: number;
  /** Applications that got `complete` or `incomplete`, i.e. a verdict nobody looked at. */
  automatic: number;
  automaticShare: number;
  /** Share of those whose status was the truth's. */
  automaticPrecision: number;
  /** `complete` told to an application whose truth is anything else. */
  falseComplete: number;
  /** Automatic `incomplete` verdicts that call a present document missing. */
  falseMissing: number;
  outOfOrder: { tp: number; fp: number; fn: number; precision: number; recall: number };
}

const AUTOMATIC: ReadonlySet<Status> = new Set(['complete', 'incomplete']);

export function measureVerdicts(cases: readonly VerdictCase[]): VerdictMetrics {
  const auto = cases.filter((c) => AUTOMATIC.has(c.got));
  const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
  const ooo = { tp: 0, fp: 0, fn: 0 };
  for (const c of cases) {
    const e = c.expectedFlags.has('out_of_order');
    const g = c.gotFlags.has('out_of_order');
    if (e && g) ooo.tp++;
    else if (g) ooo.fp++;
    else if (e) ooo.fn++;
  }
  return {
    cases: cases.length,
    automatic: auto.length,
    automaticShare: ratio(auto.length, cases.length),
    automaticPrecision: ratio(auto.filter((c) => c.got === c.expected).length, auto.length),
    falseComplete: cases.filter((c) => c.got === 'complete' && c.expected !== 'complete').length,
    falseMissing: auto.filter((c) => c.got === 'incomplete' && c.gotMissing.some((s) => !c.expectedMissing.includes(s))).length,
    outOfOrder: { ...ooo, precision: ratio(ooo.tp, ooo.tp + ooo.fp), recall: ratio(ooo.tp, ooo.tp + ooo.fn) },
  };
}

export function formatVerdicts(m: VerdictMetrics): string[] {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return [
    `automatic verdicts             ${m.automatic} of ${m.cases} (${pct(m.automaticShare)})`,
    `automatic verdicts right       ${pct(m.automaticPrecision)}`,
    `told complete although not     ${m.falseComplete}`,
    `told missing although there    ${m.falseMissing}`,
    `out_of_order precision/recall  ${pct(m.outOfOrder.precision)} / ${pct(m.outOfOrder.recall)} (tp ${m.outOfOrder.tp}, fp ${m.outOfOrder.fp}, fn ${m.outOfOrder.fn})`,
  ];
}

/** Required sections absent from a truth's page labels (the truth files of the corpus name no `missing`). */
export function missingFromLabels(labels: readonly string[], required: readonly string[]): string[] {
  if (labels.length === 0) return [];
  return required.filter((id) => !labels.includes(id));
}
