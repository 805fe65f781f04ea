/**
 * A segmentation that a member of staff fixed by hand: the section page ranges
 * they set replace the decoded ones, and the rest of the verdict (missing
 * sections, order, facts read per section) is decided from them as usual.
 * Pages no range covers are `other`. Staff ranges are certain: confidence 1.
 */
import { SECTION_IDS, type PageLabel, type SectionId, type SectionSpan } from '../types';
import type { SectionModel, Segmentation } from './segment-pages';

export interface StaffSpan {
  id: SectionId;
  /** [first, last], 1-based, inclusive. */
  pages: [number, number];
}

export class SpanError extends Error {
  readonly code = 'SPAN_INVALID';
  override name = 'SpanError';
}

/**
 * @param pageNums the numbers of the application's readable pages, ascending.
 * @throws SpanError when a range is empty or reversed, falls outside the pages, or overlaps another.
 */
export function segmentationFromSpans(pageNums: readonly number[], staff: readonly StaffSpan[], sections: readonly SectionModel[]): Segmentation {
  const byPage = new Map<number, SectionId>();
  const first = pageNums[0] ?? 1;
  const last = pageNums[pageNums.length - 1] ?? 0;
  for (const s of staff) {
    const [a, b] = s.pages;
    if (!SECTION_IDS.includes(s.id)) throw new SpanError(`unknown section ${String(s.id)}`);
    if (!Number.isInteger(a) || !Number.isInteger(b) || a > b) throw new SpanError(`${s.id}: pages ${a}-${b} are not a range`);
    if (a < first || b > last) throw new SpanError(`${s.id}: pages ${a}-${b} are outside the PDF (pages ${first}-${last})`);
    for (let p = a; p <= b; p++) {
      const taken = byPage.get(p);
      if (taken) throw new SpanError(`page ${p} is in both ${taken} and ${s.id}`);
      byPage.set(p, s.id);
    }
  }
  const labels: PageLabel[] = pageNums.map((n) => byPage.get(n) ?? 'other');
  const spans: SectionSpan[] = [];
  pageNums.forEach((n, t) => {
    const prev = spans[spans.length - 1];
    if (prev && prev.id === labels[t] && prev.pages[1] === pageNums[t - 1]) prev.pages[1] = n;
    else spans.push({ id: labels[t]!, pages: [n, n], confidence: 1 });
  });
  const found = new Set(labels);
  const missing = SECTION_IDS.filter((id, k) => sections[k]?.required && !found.has(id));
  const foundOrder = spans.filter((s) => s.id !== 'other').map((s) => s.id as SectionId);
  const rank = foundOrder.map((id) => SECTION_IDS.indexOf(id));
  const outOfOrder = rank.some((r, i) => i > 0 && r < rank[i - 1]!);
  return { labels, pageConfidence: labels.map(() => 1), spans, missing, outOfOrder, foundOrder, fixedByStaff: true };
}
