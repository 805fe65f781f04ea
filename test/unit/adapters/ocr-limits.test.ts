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

describe('OCR leftovers', () => {
  it('removes our temp folders a killed process left, not the fresh ones', async () => {
    const { mkdtempSync, existsSync, utimesSync, rmSync } = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const { sweepStaleTemp } = await import('../../../adapters/pdf-sandbox/stale-temp');
    const prefix = `esor-sweep-test-${process.pid}-`;
    const old = mkdtempSync(path.join(os.tmpdir(), prefix));
    const fresh = mkdtempSync(path.join(os.tmpdir(), prefix));
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    utimesSync(old, twoHoursAgo, twoHoursAgo);
    sweepStaleTemp(prefix);
    expect([existsSync(old), existsSync(fresh)]).toEqual([false, true]);
    rmSync(fresh, { recursive: true, force: true });
  });
});
