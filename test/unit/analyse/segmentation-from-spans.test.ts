import { segmentationFromSpans, SpanError } from '../../../core/analyse/segmentation-from-spans';
import { SECTION_IDS } from '../../../core/types';

const models = SECTION_IDS.map((id) => ({ required: id !== 'references', expectedPages: 1 }));
const pages = Array.from({ length: 12 }, (_, i) => i + 1);

describe('a segmentation fixed by staff', () => {
  it('labels the pages of each range, the rest other, and finds what is missing', () => {
    const seg = segmentationFromSpans(pages, [
      { id: 'motivation', pages: [1, 1] },
      { id: 'cv', pages: [2, 4] },
      { id: 'passport', pages: [12, 12] },
    ], models);
    expect(seg.labels.slice(0, 5)).toEqual(['motivation', 'cv', 'cv', 'cv', 'other']);
    expect(seg.spans).toEqual([
      { id: 'motivation', pages: [1, 1], confidence: 1 },
      { id: 'cv', pages: [2, 4], confidence: 1 },
      { id: 'other', pages: [5, 11], confidence: 1 },
      { id: 'passport', pages: [12, 12], confidence: 1 },
    ]);
    expect(seg.missing).not.toContain('cv');
    expect(seg.missing).toContain('board_certificate');
    expect(seg.missing).not.toContain('references'); // optional in this model
    expect(seg.outOfOrder).toBe(false);
  });

  it('tells when staff put the documents out of the required order', () => {
    const seg = segmentationFromSpans(pages, [
      { id: 'cv', pages: [1, 2] },
      { id: 'motivation', pages: [3, 3] },
    ], models);
    expect(seg.outOfOrder).toBe(true);
    expect(seg.foundOrder).toEqual(['cv', 'motivation']);
  });

  it('refuses overlapping, reversed and out-of-range ranges with a reason', () => {
    expect(() => segmentationFromSpans(pages, [{ id: 'cv', pages: [1, 3] }, { id: 'passport', pages: [3, 4] }], models)).toThrow(/page 3 is in both cv and passport/);
    expect(() => segmentationFromSpans(pages, [{ id: 'cv', pages: [4, 2] }], models)).toThrow(SpanError);
    expect(() => segmentationFromSpans(pages, [{ id: 'cv', pages: [11, 13] }], models)).toThrow(/outside the PDF/);
  });
});
