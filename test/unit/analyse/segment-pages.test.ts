import { LABELS, OTHER, type PageScore } from '../../../core/analyse/classify-pages';
import { segmentPages } from '../../../core/analyse/segment-pages';
import type { PageLabel } from '../../../core/types';

const labelIndex = (l: PageLabel): number => LABELS.indexOf(l);
const REQUIRED = LABELS.slice(0, OTHER).map((l) => ({ required: l !== 'language_certificates', expectedPages: 1.5 }));

/** A page that clearly reads as `label` (or a scan when label is null), with a small prior for scans. */
function page(num: number, label: PageLabel | null, strength = 8): PageScore {
  const scores = LABELS.map((l) => {
    if (label === null) return l === 'passport' ? 1.2 : l === 'board_certificate' || l === 'medical_degree' ? 0.5 : l === 'other' ? 0.1 : -1;
    return l === label ? strength : 0;
  });
  return { num, imageOnly: label === null, scores, reasons: LABELS.map(() => []), head: '', startBonus: 0 };
}

function pagesOf(labels: Array<PageLabel | null>): PageScore[] {
  return labels.map((l, i) => page(i + 1, l));
}

const FULL: PageLabel[] = ['motivation', 'cv', 'recommendation', 'board_certificate', 'medical_degree', 'language_certificates', 'publications', 'references', 'esr_membership', 'passport'];

describe('segmentPages', () => {
  it('reads a complete application in order, one span per section', () => {
    const seg = segmentPages(pagesOf(FULL), REQUIRED);
    expect(seg.labels).toEqual(FULL);
    expect(seg.missing).toEqual([]);
    expect(seg.outOfOrder).toBe(false);
    expect(seg.spans.map((s) => s.pages)).toEqual(FULL.map((_, i) => [i + 1, i + 1]));
  });

  it('keeps weak continuation pages in the section they continue', () => {
    const labels: Array<PageLabel | null> = [...FULL];
    const pages = pagesOf(labels);
    // A second CV page with no telling words.
    pages.splice(2, 0, { ...page(3, 'cv', 0), scores: LABELS.map(() => 0) });
    pages.forEach((p, i) => (p.num = i + 1));
    const seg = segmentPages(pages, REQUIRED);
    expect(seg.spans.find((s) => s.id === 'cv')!.pages).toEqual([2, 3]);
  });

  it('labels a scan at the end, after the ESR proof, as the passport', () => {
    const seg = segmentPages(pagesOf([...FULL.slice(0, 9), null]), REQUIRED);
    expect(seg.labels[9]).toBe('passport');
    expect(seg.missing).toEqual([]);
  });

  it('reports a required section with no page as missing, an optional one not', () => {
    const labels = FULL.filter((l) => l !== 'references' && l !== 'language_certificates');
    const seg = segmentPages(pagesOf(labels), REQUIRED);
    expect(seg.missing).toEqual(['references']);
  });

  it('finds a document that begins lower on the page before it in the order, and only there', () => {
    const labels = FULL.filter((l) => l !== 'references');
    const pages = pagesOf(labels);
    const refs = LABELS.indexOf('references');
    pages[6] = { ...pages[6]!, holds: [LABELS.indexOf('publications'), refs] }; // the publication list ends with the referees
    const seg = segmentPages(pages, REQUIRED);
    expect(seg.missing).toEqual([]);
    expect(seg.spans.filter((s) => s.id === 'publications' || s.id === 'references').map((s) => [s.id, s.pages])).toEqual([
      ['publications', [7, 7]],
      ['references', [7, 7]],
    ]);
    expect(seg.labels[6]).toBe('publications');

    // A CV's "References" heading holds no list of references; nor does a page far from its place.
    for (const host of [1, 3]) {
      const elsewhere = pagesOf(labels);
      elsewhere[host] = { ...elsewhere[host]!, holds: [labelIndex(labels[host]!), refs] };
      expect(segmentPages(elsewhere, REQUIRED).missing).toEqual(['references']);
    }
  });

  it('detects two swapped documents as out of order', () => {
    const swapped = [...FULL];
    [swapped[6], swapped[7]] = [swapped[7]!, swapped[6]!];
    const seg = segmentPages(pagesOf(swapped), REQUIRED);
    expect(seg.outOfOrder).toBe(true);
    expect(seg.labels).toEqual(swapped);
    expect(seg.foundOrder.indexOf('references')).toBeLessThan(seg.foundOrder.indexOf('publications'));
  });

  it('does not call a section that reappears (an interruption) out of order', () => {
    const pages = pagesOf(['motivation', 'cv', 'publications', 'cv', ...FULL.slice(2)]);
    pages[2] = page(3, 'publications', 3);
    const seg = segmentPages(pages, REQUIRED);
    expect(seg.outOfOrder).toBe(false);
  });

  it('sees one document inside another as out of order when each piece plainly is its document and opens one', () => {
    // The CV's second page after the recommendation letter: the required order files it with the board
    // certificate at low confidence, and the application looked complete.
    const pages = pagesOf(['motivation', 'cv', 'recommendation', 'cv', ...FULL.slice(3)]);
    for (const t of [0, 1, 2, 4, 5]) pages[t]!.startBonus = 1.5;
    pages[3]!.scores[labelIndex('board_certificate')] = 2.6;
    const seg = segmentPages(pages, REQUIRED);
    expect(seg.outOfOrder).toBe(true);
    expect(seg.labels.slice(0, 5)).toEqual(['motivation', 'cv', 'recommendation', 'cv', 'board_certificate']);
    expect(seg.missing).toEqual([]);
  });

  it('does not take a CV page listing papers, nor a CV page read as the degree, for a document inside the CV', () => {
    const papers = pagesOf(['motivation', 'cv', 'publications', 'cv', ...FULL.slice(2)]);
    papers.forEach((p) => (p.startBonus = 1.5));
    expect(segmentPages(papers, REQUIRED).outOfOrder).toBe(false);
    // "Education" on a CV page without a heading reads as the degree before the recommendation letter.
    const education = pagesOf(['motivation', 'cv', 'medical_degree', 'recommendation', 'board_certificate', 'medical_degree', ...FULL.slice(5)]);
    education.forEach((p, t) => (p.startBonus = t === 2 ? -0.5 : 1.5));
    expect(segmentPages(education, REQUIRED).outOfOrder).toBe(false);
    // Headed like a document, but not far ahead of the CV it continues (board certificate 6.6, CV 3.5).
    const headed = pagesOf(['motivation', 'cv', 'board_certificate', 'recommendation', 'board_certificate', ...FULL.slice(4)]);
    headed.forEach((p) => (p.startBonus = 1.5));
    headed[2]!.scores[labelIndex('board_certificate')] = 6.6;
    headed[2]!.scores[labelIndex('cv')] = 3.5;
    expect(segmentPages(headed, REQUIRED).outOfOrder).toBe(false);
  });

  it('still sees a swap when a specialist page after the degree reads as a second board certificate', () => {
    const labels: PageLabel[] = ['motivation', 'cv', 'recommendation', 'board_certificate', 'medical_degree', 'medical_degree', 'language_certificates', 'references', 'publications', 'esr_membership', 'passport'];
    const pages = pagesOf(labels);
    pages[5] = { ...page(6, 'board_certificate', 10), scores: LABELS.map((l) => (l === 'board_certificate' ? 10 : l === 'medical_degree' ? 3 : 0)) };
    const seg = segmentPages(pages, REQUIRED);
    expect(seg.outOfOrder).toBe(true);
    expect(seg.labels).toEqual(labels);
    expect(seg.missing).toEqual([]);
  });

  it('sees a CV moved after the recommendation when the letter before it has a wordless second page', () => {
    // motivation (2 pages, the second with no words of any document), recommendation, CV: swapped.
    const labels: PageLabel[] = ['motivation', 'motivation', 'recommendation', 'cv', ...FULL.slice(3)];
    const pages = pagesOf(labels);
    pages[1] = { ...page(2, 'motivation', 0), scores: LABELS.map((l) => (l === 'other' ? 1 : 0)) };
    const seg = segmentPages(pages, REQUIRED);
    expect(seg.outOfOrder).toBe(true);
    expect(seg.labels).toEqual(labels);
    expect(seg.missing).toEqual([]);
  });

  it('out of order, lets a specialist title that ties board certificate and degree start the board certificate rather than call it missing', () => {
    // Passport first (out of order); then a specialist title scoring the same for both documents, then the degree diploma.
    const labels: PageLabel[] = ['passport', 'motivation', 'cv', 'recommendation', 'board_certificate', 'medical_degree', ...FULL.slice(5, 9)];
    const pages = pagesOf(labels);
    pages[4] = { ...page(5, 'board_certificate', 5), startBonus: 1.5, scores: LABELS.map((l) => (l === 'board_certificate' || l === 'medical_degree' ? 5 : 0)) };
    pages[5] = { ...page(6, 'medical_degree', 6), startBonus: 0 };
    // The sections' usual lengths as rules/common.yaml has them (a degree runs to two pages).
    const sections = REQUIRED.map((s, k) => ({ ...s, expectedPages: LABELS[k] === 'medical_degree' ? 2 : LABELS[k] === 'board_certificate' ? 1.2 : s.expectedPages }));
    const seg = segmentPages(pages, sections);
    expect(seg.outOfOrder).toBe(true);
    expect(seg.labels).toEqual(labels);
    expect(seg.missing).toEqual([]);
    expect(seg.pageConfidence[4]).toBeGreaterThan(0.9);

    // The same page with the board certificate clearly weaker stays with the degree: the tie is what decides.
    pages[4] = { ...pages[4]!, scores: LABELS.map((l) => (l === 'board_certificate' ? 5 : l === 'medical_degree' ? 9 : 0)) };
    const weaker = segmentPages(pages, sections);
    expect(weaker.missing).toEqual(['board_certificate']);
  });

  it('out of order, lets the last page of the board certificate that reads nearly as well as the degree start the missing degree', () => {
    // Passport first (out of order); the specialist certificate, then the degree diploma reading as the certificate by 0.8.
    const labels: PageLabel[] = ['passport', 'motivation', 'cv', 'recommendation', 'board_certificate', 'medical_degree', ...FULL.slice(5, 9)];
    const pages = pagesOf(labels);
    pages[4] = { ...page(5, 'board_certificate', 6.9), startBonus: 1.5, scores: LABELS.map((l) => (l === 'board_certificate' ? 6.9 : l === 'medical_degree' ? 5.4 : 0)) };
    pages[5] = { ...page(6, 'medical_degree', 7.3), startBonus: 1.5, scores: LABELS.map((l) => (l === 'board_certificate' ? 8.1 : l === 'medical_degree' ? 7.3 : 0)) };
    const seg = segmentPages(pages, REQUIRED);
    expect(seg.outOfOrder).toBe(true);
    expect(seg.labels).toEqual(labels);
    expect(seg.missing).toEqual([]);
  });

  it('sees several documents out of order when one step back is plain and another lands between board certificate and degree', () => {
    // CV before the motivation letter (plain), and a ministry's specialist certificate after the degree that
    // reads as board certificate and degree nearly alike.
    const labels: PageLabel[] = ['cv', 'motivation', 'recommendation', 'medical_degree', 'board_certificate', ...FULL.slice(5)];
    const pages = pagesOf(labels);
    pages[4] = { ...page(5, 'board_certificate', 7), startBonus: 1.5, scores: LABELS.map((l) => (l === 'board_certificate' ? 7 : l === 'medical_degree' ? 5.5 : 0)) };
    const seg = segmentPages(pages, REQUIRED);
    expect(seg.outOfOrder).toBe(true);
    expect(seg.missing).toEqual([]);
  });

  it('does not let an unread scan that the prior calls a passport turn the real passport into a repeat', () => {
    const labels: Array<PageLabel | null> = ['cv', 'motivation', ...FULL.slice(2, 4), 'medical_degree', null, 'medical_degree', ...FULL.slice(5)];
    const seg = segmentPages(pagesOf(labels), REQUIRED);
    expect(seg.outOfOrder).toBe(true);
    expect(seg.missing).toEqual([]);
    expect(seg.labels[seg.labels.length - 1]).toBe('passport');
  });

  it('labels a table of contents before the first document as other', () => {
    const seg = segmentPages(pagesOf(['other', ...FULL]), REQUIRED);
    expect(seg.labels[0]).toBe('other');
    expect(seg.spans[0]).toMatchObject({ id: 'other', pages: [1, 1] });
  });

  it('gives high confidence to clear pages and less to a lone ambiguous scan', () => {
    const seg = segmentPages(pagesOf([...FULL.slice(0, 9), null]), REQUIRED);
    expect(seg.pageConfidence[0]).toBeGreaterThan(0.95);
    expect(seg.pageConfidence[9]).toBeLessThan(seg.pageConfidence[0]!);
  });
  it('keeps the order when a specialist title in the board certificate\'s place ties board certificate and degree, and a registration with the speciality follows the degree', () => {
    // Título de Médico Especialista (board and degree alike), the degree diploma, the Colegio de Médicos' certificate (board words).
    const labels: PageLabel[] = [...FULL.slice(0, 3), 'board_certificate', 'medical_degree', 'medical_degree', ...FULL.slice(5)];
    const pages = pagesOf(labels);
    const scored = (num: number, board: number, degree: number, startBonus: number): PageScore => ({
      ...page(num, 'board_certificate'),
      startBonus,
      scores: LABELS.map((l) => (l === 'board_certificate' ? board : l === 'medical_degree' ? degree : l === 'other' ? 1 : 0)),
    });
    pages[3] = scored(4, 8.8, 8.8, 1.5);
    pages[4] = scored(5, 0, 4.9, 0);
    pages[5] = scored(6, 6.4, 1.9, 0);
    // The sections' usual lengths as rules/common.yaml has them (a degree runs to two pages).
    const SECTIONS = REQUIRED.map((s, k) => ({ ...s, expectedPages: LABELS[k] === 'medical_degree' ? 2 : LABELS[k] === 'board_certificate' ? 1.2 : s.expectedPages }));
    const seg = segmentPages(pages, SECTIONS);
    expect(seg.outOfOrder).toBe(false);
    expect(seg.labels).toEqual(labels);

    // A degree diploma in the board certificate's place (a real swap) reads as a degree only: out of order.
    pages[3] = scored(4, 0, 8.4, 1.5);
    pages[4] = scored(5, 7.7, 7.7, 1.5);
    pages[5] = scored(6, 11.8, 2.3, 1.5);
    expect(segmentPages(pages, SECTIONS).outOfOrder).toBe(true);
  });

  it('files a specialist certificate right after the degree with the degree when a board certificate came before', () => {
    const pages = pagesOf([...FULL.slice(0, 5), null, ...FULL.slice(5)]);
    // A specialist-register entry: the board certificate's words, none of the language certificates', and it starts a document.
    pages[5] = { ...page(6, 'board_certificate', 11), startBonus: 1.5 };
    pages[5]!.scores[LABELS.indexOf('medical_degree')] = 0.4;
    const seg = segmentPages(pages, REQUIRED);
    expect(seg.labels[5]).toBe('medical_degree');
    expect(seg.outOfOrder).toBe(false);
    expect(seg.pageConfidence[5]).toBeGreaterThan(0.5);
  });

  it('takes a specialist title after the degree for the board certificate sent late when no board certificate is anywhere', () => {
    // The degree diploma, then a Título de Médico Especialista (board and degree alike, titled so, opening a document).
    const labels: PageLabel[] = [...FULL.slice(0, 3), 'medical_degree', 'board_certificate', ...FULL.slice(5)];
    const pages = pagesOf(labels);
    const titled = (num: number, board: number, degree: number): PageScore => ({
      ...page(num, 'board_certificate'),
      startBonus: 1.5,
      titled: [LABELS.indexOf('board_certificate'), LABELS.indexOf('medical_degree')],
      scores: LABELS.map((l) => (l === 'board_certificate' ? board : l === 'medical_degree' ? degree : l === 'other' ? 1 : 0)),
    });
    pages[3] = { ...page(4, 'medical_degree', 8.4), startBonus: 1.5 };
    pages[4] = titled(5, 7.3, 7.3);
    const SECTIONS = REQUIRED.map((s, k) => ({ ...s, expectedPages: LABELS[k] === 'medical_degree' ? 2 : LABELS[k] === 'board_certificate' ? 1.2 : s.expectedPages }));
    const seg = segmentPages(pages, SECTIONS);
    expect(seg.labels).toEqual(labels);
    expect(seg.missing).toEqual([]);
    expect(seg.outOfOrder).toBe(true);
    expect(seg.foundOrder.slice(3, 5)).toEqual(['medical_degree', 'board_certificate']);
    expect(seg.pageConfidence[4]).toBeGreaterThan(0.8);

    // A page that reads as the degree more than the board certificate (an Italian "diploma di specializzazione"
    // beside the degree) stays the degree's, and the board certificate is missing.
    pages[4] = titled(5, 5, 10);
    expect(segmentPages(pages, SECTIONS).missing).toEqual(['board_certificate']);
    // Nor does a page that carries no title of the board certificate move.
    pages[4] = { ...titled(5, 7.3, 7.3), titled: [] };
    expect(segmentPages(pages, SECTIONS).missing).toEqual(['board_certificate']);
  });

  it("keeps a CV's later page with the CV rather than take it for a missing recommendation letter it has no words of", () => {
    // The CV's "Professional experience" page (CV 2.3, degree 1.6, recommendation 0.4), no recommendation letter.
    const labels: PageLabel[] = ['motivation', 'cv', 'cv', ...FULL.slice(3)];
    const pages = pagesOf(labels);
    pages[2] = { ...page(3, 'cv'), scores: LABELS.map((l) => (l === 'cv' ? 2.3 : l === 'medical_degree' ? 1.6 : l === 'recommendation' ? 0.4 : l === 'other' ? 1 : 0)) };
    const seg = segmentPages(pages, REQUIRED);
    expect(seg.labels).toEqual(labels);
    expect(seg.missing).toEqual(['recommendation']);
    expect(seg.pageConfidence[2]).toBeGreaterThan(0.9);
    // A page that opens a document (a letter's head) is no continuation: it stays where the order put it.
    pages[2] = { ...pages[2]!, startBonus: 1.5 };
    expect(segmentPages(pages, REQUIRED).missing).toEqual([]);
  });

  it('sees a passport moved after the CV as out of order though the letter after it is barely a letter', () => {
    const labels: PageLabel[] = ['motivation', 'cv', 'passport', ...FULL.slice(2, 9)];
    const pages = pagesOf(labels);
    pages[3] = page(4, 'recommendation', 5.4);
    pages[3]!.scores[LABELS.indexOf('motivation')] = 3.5;
    const seg = segmentPages(pages, REQUIRED);
    expect(seg.outOfOrder).toBe(true);
    expect(seg.labels.slice(0, 4)).toEqual(['motivation', 'cv', 'passport', 'recommendation']);
    expect(seg.missing).toEqual([]);
  });
});
