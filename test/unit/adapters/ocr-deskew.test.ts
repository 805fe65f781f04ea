import { cropPgm, inkBox } from '../../../adapters/ocr/crop';
import { deskew, findSkew, rotateBy, straightInk, turnedBox } from '../../../adapters/ocr/deskew';
import type { Pgm } from '../../../adapters/ocr/pgm';

/** A 200 dpi page of "text": rows of dashes (words) on lines 40 px apart, climbing by `degrees` to the right. */
function page(degrees: number, width = 1200, height = 1000): Pgm {
  const pixels = new Uint8Array(width * height).fill(240);
  const t = Math.tan((degrees * Math.PI) / 180);
  for (let line = 0; line < 15; line++) {
    const base = 200 + line * 40;
    for (let x = 100; x < 1100; x++) {
      if (x % 60 > 45) continue; // gaps between words
      for (let dy = 0; dy < 12; dy++) {
        const y = Math.round(base + dy - (x - 600) * t);
        if (y >= 0 && y < height) pixels[y * width + x] = 30;
      }
    }
  }
  return { width, height, maxval: 255, pixels };
}

/** Same size and pixels (jest's deep equality walks a million-pixel array slowly). */
function same(a: Pgm, b: Pgm): boolean {
  return a.width === b.width && a.height === b.height && Buffer.from(a.pixels).equals(Buffer.from(b.pixels));
}

describe('deskew', () => {
  it.each([-3, -1.6, 1, 2.5])('finds a tilt of %s° within a tenth of a degree', (degrees) => {
    expect(Math.abs(findSkew(page(degrees), 200) - degrees)).toBeLessThanOrEqual(0.15);
  });

  it('turns a tilted page straight', () => {
    const straight = rotateBy(page(2), findSkew(page(2), 200));
    expect(Math.abs(findSkew(straight, 200))).toBeLessThanOrEqual(0.15);
  });

  it('leaves a straight page, a barely tilted one and a near-empty one as they are', () => {
    const upright = page(0);
    expect(deskew(upright, 200)).toEqual({ img: upright, degrees: 0 });
    expect(deskew(page(0.1), 200).degrees).toBe(0);
    const blank: Pgm = { width: 400, height: 400, maxval: 255, pixels: new Uint8Array(400 * 400).fill(240) };
    expect(deskew(blank, 200).img).toBe(blank);
  });

  it('turns only the box asked for: the same pixels as the whole page turned and cut', () => {
    const tilted = page(2);
    const whole = rotateBy(tilted, 2);
    const window = { left: 150, top: 170, width: 700, height: 400 };
    expect(same(rotateBy(tilted, 2, undefined, window), cropPgm(whole, window))).toBe(true);
  });

  it("cuts a tilted page to its ink's turned bounds, losing no ink", () => {
    const tilted = page(2.5);
    const box = inkBox(tilted, 10)!;
    const degrees = findSkew(tilted, 200);
    expect(degrees).toBeCloseTo(2.5, 0);
    const window = turnedBox(tilted, degrees, box);
    expect(window.width * window.height).toBeLessThan(tilted.width * tilted.height);
    // Every inky pixel of the whole page turned lies inside the window.
    const whole = rotateBy(tilted, degrees);
    let outside = 0;
    for (let y = 0; y < whole.height; y++) {
      for (let x = 0; x < whole.width; x++) {
        const inside = x >= window.left && x < window.left + window.width && y >= window.top && y < window.top + window.height;
        if (!inside && whole.pixels[y * whole.width + x]! < 100) outside++;
      }
    }
    expect(outside).toBe(0);
    // Turned in its window and cut again to its ink, the page gives the very pixels of the whole page turned and then cut.
    const read = straightInk(tilted, 200, 10)!;
    expect(read.width * read.height).toBeLessThan(tilted.width * tilted.height);
    expect(same(read, cropPgm(whole, inkBox(whole, 10)!))).toBe(true);
    // A straight page is only cut; blank paper has nothing to read.
    expect(same(straightInk(page(0), 200, 10)!, cropPgm(page(0), inkBox(page(0), 10)!))).toBe(true);
    const blank: Pgm = { width: 400, height: 400, maxval: 255, pixels: new Uint8Array(400 * 400).fill(240) };
    expect(straightInk(blank, 200, 10)).toBeNull();
  });
});
