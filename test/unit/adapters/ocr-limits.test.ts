/** OCR renders no page larger than its pixel cap (a 14,400 pt page at 200 dpi would be 1.6 GB). */
import { dpiWithin, parsePageSizes, scoreTsv } from '../../../adapters/ocr';
import { createPageCache, pageKey } from '../../../adapters/ocr/page-cache';
import { formatPgm, parsePgm, rotatePgm } from '../../../adapters/ocr/pgm';
import { listsImages, parseImagePpi, renderDpi } from '../../../adapters/ocr/resolution';
import { languagesForScript, parseOsd, unknownToOsd } from '../../../adapters/ocr/script-languages';

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

describe('OCR choices', () => {
  it("reads OSD's answer, and nothing from a failed or partial one", () => {
    const out = 'Page number: 0\nOrientation in degrees: 270\nRotate: 90\nOrientation confidence: 11.93\nScript: Cyrillic\nScript confidence: 4.07\n';
    expect(parseOsd(out)).toEqual({ rotate: 90, orientationConfidence: 11.93, script: 'Cyrillic', scriptConfidence: 4.07 });
    expect(parseOsd('Too few characters. Skipping this page\n')).toBeUndefined();
    expect(parseOsd(out.replace('Rotate: 90', 'Rotate: 45'))).toBeUndefined();
  });

  it('chooses the installed languages of a page’s script, English last', () => {
    const installed = new Set(['eng', 'fra', 'rus', 'ukr', 'ell', 'kat']);
    expect(languagesForScript('Latin', installed)).toEqual(['eng', 'fra']);
    expect(languagesForScript('Cyrillic', installed)).toEqual(['rus', 'ukr', 'eng']);
    expect(languagesForScript('Greek', installed)).toEqual(['ell', 'eng']);
    expect(languagesForScript('Han', installed)).toEqual([]);
    expect(unknownToOsd(installed)).toEqual(['kat', 'eng']);
    expect(unknownToOsd(new Set(['eng', 'fra']))).toEqual([]);
  });

  it("renders at the target resolution as the scan's own pixels allow (at most three times enlarged)", () => {
    const list = [
      'page   num  type   width height color comp bpc  enc interp  object ID x-ppi y-ppi size ratio',
      '--------------------------------------------------------------------------------------------',
      '   1     0 image      40    40  rgb     3   8  image  no         9  0    72    72  1K 0.5%',
      '   1     1 image    1240  1755  gray    1   8  jpeg   no         4  0   150   150 34.4K 0.5%',
    ].join('\n');
    expect(parseImagePpi(list)).toBe(150); // the page's largest image: the scan, not a logo
    expect(parseImagePpi('page   num  type\n----\n')).toBeUndefined();
    // A page with no image at all (vector paths only) is not read: nothing a scan reader could read.
    expect(listsImages(list)).toBe(true);
    expect(listsImages('page   num  type\n----\n')).toBe(false);
    expect(renderDpi(150, 300)).toBe(300);
    expect(renderDpi(600, 300)).toBe(300);
    expect(renderDpi(50, 300)).toBe(150);
    expect(renderDpi(undefined, 200)).toBe(200);
  });

  it('turns a page image by quarter turns', () => {
    // 3 × 2:  a b c / d e f
    const img = { width: 3, height: 2, maxval: 255, pixels: Uint8Array.from([1, 2, 3, 4, 5, 6]) };
    expect(rotatePgm(img, 90)).toEqual({ width: 2, height: 3, maxval: 255, pixels: Uint8Array.from([4, 1, 5, 2, 6, 3]) });
    expect(rotatePgm(img, 270)).toEqual({ width: 2, height: 3, maxval: 255, pixels: Uint8Array.from([3, 6, 2, 5, 1, 4]) });
    expect(rotatePgm(img, 180).pixels).toEqual(Uint8Array.from([6, 5, 4, 3, 2, 1]));
    expect(parsePgm(formatPgm(img))).toEqual(img);
    expect(parsePgm(Buffer.from('P6\n3 2\n255\n'))).toBeUndefined();
  });

  it('keeps the most recently used readings, up to its bound', () => {
    const cache = createPageCache(2);
    cache.set('a', 'text a');
    cache.set('b', null);
    expect(cache.get('a')).toBe('text a'); // a is now the most recent
    cache.set('c', 'text c');
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.size]).toEqual(['text a', undefined, 'text c', 2]);
    expect(pageKey(Buffer.from('img'), 'eng+fra')).not.toBe(pageKey(Buffer.from('img'), 'eng+fra+deu'));
  });

  it("scores a reading by its confident words and the mean confidence of all", () => {
    const row = (conf: number, text: string) => ['5', '1', '1', '1', '1', '1', '0', '0', '10', '10', String(conf), text].join('\t');
    const r = scoreTsv(['header', row(90, 'Diploma'), row(80, '2019'), row(10, 'x~'), row(0, '')].join('\n'), 60);
    expect(r).toEqual({ text: 'Diploma 2019', goodWords: 2, meanConfidence: 60 });
  });
});
