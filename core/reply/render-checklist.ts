/**
 * The ten documents as the applicant should see them: each one named as the
 * rule file names it to applicants (`reply_name`), in the required order,
 * with what the triage found: "found, pages 3–6", "not found", "found
 * (pages 7–9) but out of order", "not sent (optional)". Pure.
 */
import type { CommonRules } from '../rules/schema';
import type { SectionId, SectionSpan, TriageResult } from '../types';
import { fillTemplate } from './fill-template';
import type { ChecklistWording } from './reply-rules-schema';

export type ChecklistState = 'found' | 'found_out_of_order' | 'not_found' | 'not_sent_optional' | 'required' | 'optional';

export interface ChecklistItem {
  number: number;
  id: SectionId;
  document: string;
  state: ChecklistState;
  /** [first, last] per place the document was found, in document order. */
  spans: Array<[number, number]>;
}

type ChecklistInput = Pick<TriageResult, 'sections' | 'missing' | 'flags'>;

/** The checklist as data, for the reply text and for the staff view. */
/** `names`: the programme's own names of documents (its `section_names`), over common.yaml's `reply_name`. */
export function listChecklistItems(result: ChecklistInput, common: CommonRules, names: Partial<Record<SectionId, string>> = {}): ChecklistItem[] {
  const spansOf = (id: SectionId) => result.sections.filter((s) => s.id === id).map((s) => [...s.pages] as [number, number]);
  // Without any section found or missing, no PDF was read (none sent, or unreadable):
  // the list then says what the PDF must hold instead of "not found" ten times.
  const readable = result.missing.length > 0 || result.sections.some((s) => s.id !== 'other');
  const misplaced = result.flags.some((f) => f.code === 'out_of_order') ? findMisplacedSections(result.sections, common) : new Set<SectionId>();
  return common.sections.map((section, i) => {
    const spans = spansOf(section.id);
    let state: ChecklistState;
    if (!readable) state = section.required ? 'required' : 'optional';
    else if (spans.length > 0) state = misplaced.has(section.id) ? 'found_out_of_order' : 'found';
    else state = section.required ? 'not_found' : 'not_sent_optional';
    return { number: i + 1, id: section.id, document: names[section.id] ?? section.reply_name, state, spans };
  });
}

/** The checklist as text, one line per document, worded by `rules/replies.yaml`. */
export function renderChecklist(result: ChecklistInput, common: CommonRules, wording: ChecklistWording, names: Partial<Record<SectionId, string>> = {}): string {
  return listChecklistItems(result, common, names)
    .map((item) =>
      fillTemplate(wording.line, {
        number: String(item.number),
        // reply_name is written to stand inside a sentence ("the copy of your passport"); a list line starts with a capital.
        document: capitalize(item.document),
        state: describeState(item, wording),
      }),
    )
    .join('\n');
}

function describeState(item: ChecklistItem, wording: ChecklistWording): string {
  switch (item.state) {
    case 'found':
      return fillTemplate(wording.found, { pages: describePages(item.spans, wording) });
    case 'found_out_of_order':
      return fillTemplate(wording.found_out_of_order, { pages: describePages(item.spans, wording) });
    case 'not_found':
      return wording.not_found;
    case 'not_sent_optional':
      return wording.not_sent_optional;
    case 'required':
      return wording.required;
    case 'optional':
      return wording.optional;
  }
}

function describePages(spans: Array<[number, number]>, wording: ChecklistWording): string {
  return spans
    .map(([first, last]) =>
      first === last
        ? fillTemplate(wording.one_page, { first: String(first) })
        : fillTemplate(wording.page_range, { first: String(first), last: String(last) }),
    )
    .join(wording.page_ranges_joiner);
}

/**
 * Which found sections stand out of the required order: those outside the
 * longest run that does follow the order (a longest increasing subsequence
 * of their required positions, in document order). Moving only these puts
 * the PDF in order, so they are the ones worth naming to the applicant.
 */
export function findMisplacedSections(sections: readonly SectionSpan[], common: CommonRules): Set<SectionId> {
  const order = common.sections.map((s) => s.id);
  const seen = new Set<SectionId>();
  const found: SectionId[] = [];
  for (const span of [...sections].sort((a, b) => a.pages[0] - b.pages[0])) {
    if (span.id === 'other' || seen.has(span.id)) continue;
    seen.add(span.id);
    found.push(span.id);
  }
  const rank = found.map((id) => order.indexOf(id));
  // O(n²) is plenty for ten sections; ties keep the earliest predecessor, so the result is deterministic.
  const length = rank.map(() => 1);
  const previous = rank.map(() => -1);
  for (let i = 0; i < rank.length; i++) {
    for (let j = 0; j < i; j++) {
      if (rank[j]! < rank[i]! && length[j]! + 1 > length[i]!) {
        length[i] = length[j]! + 1;
        previous[i] = j;
      }
    }
  }
  let end = -1;
  for (let i = 0; i < rank.length; i++) if (end < 0 || length[i]! > length[end]!) end = i;
  const inOrder = new Set<number>();
  for (let i = end; i >= 0; i = previous[i]!) inOrder.add(i);
  return new Set(found.filter((_, i) => !inOrder.has(i)));
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
