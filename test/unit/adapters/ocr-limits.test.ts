/** OCR renders no page larger than its pixel cap (a 14,400 pt page at 200 dpi would be 1.6 GB). */
import { dpiWithin, parsePageSizes } from '../../../adapters/ocr';

describe('OCR page-size limits', () => {
  it('keeps 200 dpi for an A4 page and lowers it for a huge one', () => {
    expect(dpiWithin(200, [595, 842], 16_000_000)).toBe(200);
    const dpi = dpiWithin(200, [14_400, 14_400], 16_000_000);
    expect(dpi).toBe(20);
    expect(((14_400 / 72) * dpi) ** 2).toBeLessThanOrEqual(16_000_000);
    expect(dpiWithin(200, [0, 0], 16_000_000)).toBe(200);
  });

  it("reads pdfinfo's page sizes", () => {
    const out = 'Pages:           2\nPage    1 size: 595 x 842 pts (A4)\nPage    2 size: 14400 x 612.5 pts\nFile size: 9 bytes\n';
    expect([...parsePageSizes(out)]).toEqual([
      [1, [595, 842]],
      [2, [14400, 612.5]],
    ]);
  });
});
