/**
 * Cutting a scanned page to its ink (adapters/ocr/crop): synthetic grey
 * images with the troubles of real scans (grey paper, grain, a speck of
 * dust, a scanner's shadow along the border).
 */
import { NO_INK, cropPgm, inkBox, paperLevel } from '../../../adapters/ocr/crop';
import type { Pgm } from '../../../adapters/ocr/pgm';

/** A `w`×`h` page of paper grey `paper`, with seeded grain of ±`grain`. */
function page(w: number, h: number, paper = 235, grain = 0): Pgm {
  const pixels = new Uint8Array(w * h);
  let seed = 7;
  for (let i = 0; i < pixels.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    pixels[i] = Math.max(0, Math.min(255, paper + (grain ? (seed % (2 * grain + 1)) - grain : 0)));
  }
  return { width: w, height: h, maxval: 255, pixels };
}

/** Dark "letters": vertical strokes 2 px wide every 6 px, over the rectangle. */
function text(img: Pgm, x0: number, y0: number, x1: number, y1: number, ink = 40): void {
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (x % 6 < 2) img.pixels[y * img.width + x] = ink;
}

function fill(img: Pgm, x0: number, y0: number, x1: number, y1: number, v: number): void {
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) img.pixels[y * img.width + x] = v;
}

describe('inkBox', () => {
  it('cuts a page to its text block plus the margin', () => {
    const img = page(800, 1100);
    text(img, 100, 80, 600, 300);
    const box = inkBox(img, 20)!;
    expect(box.left).toBeLessThanOrEqual(80);
    expect(box.top).toBeLessThanOrEqual(60);
    expect(box.left + box.width).toBeGreaterThanOrEqual(620);
    expect(box.top + box.height).toBeGreaterThanOrEqual(320);
    expect(box.width * box.height).toBeLessThan(0.25 * 800 * 1100);
  });

  it('finds the text on grey, grainy paper and is not widened by a speck of dust', () => {
    const img = page(800, 1100, 190, 20);
    text(img, 100, 80, 600, 300, 50);
    fill(img, 700, 1000, 704, 1004, 30); // dust, far from the text
    const box = inkBox(img, 20)!;
    expect(box.top + box.height).toBeLessThan(400);
    expect(box.left + box.width).toBeLessThan(700);
  });

  it('leaves out a scanner shadow along the border', () => {
    const img = page(800, 1100);
    text(img, 100, 80, 600, 300);
    fill(img, 770, 0, 800, 1100, 60); // right edge
    fill(img, 0, 1080, 800, 1100, 60); // bottom edge
    const box = inkBox(img, 20)!;
    expect(box.left + box.width).toBeLessThan(700);
    expect(box.top + box.height).toBeLessThan(400);
  });

  it('keeps text at both ends of the page (a heading and a footer) in one box', () => {
    const img = page(800, 1100);
    text(img, 100, 80, 600, 200);
    text(img, 100, 950, 400, 980);
    const box = inkBox(img, 20)!;
    expect(box.top).toBeLessThanOrEqual(80);
    expect(box.top + box.height).toBeGreaterThanOrEqual(980);
  });

  it('reads a page whole when its ink fills most of it', () => {
    const img = page(800, 1100);
    text(img, 40, 40, 760, 1060);
    expect(inkBox(img, 20)).toBeUndefined();
  });

  it('finds no ink on a blank page (paper grain is no ink)', () => {
    expect(inkBox(page(800, 1100, 240, 10), 20)).toBe(NO_INK);
  });

  it('finds no ink on blank paper with specks of dust all over it, and ink on one short word', () => {
    const img = page(800, 1100, 240, 10);
    for (let k = 0; k < 60; k++) fill(img, (k * 131) % 780, (k * 197) % 1080, ((k * 131) % 780) + 4, ((k * 197) % 1080) + 4, 30);
    expect(inkBox(img, 20)).toBe(NO_INK);
    text(img, 300, 500, 360, 516);
    expect(inkBox(img, 20)).not.toBe(NO_INK);
  });
});

describe('cropPgm and paperLevel', () => {
  it('copies the box', () => {
    const img = page(10, 10, 200);
    img.pixels[3 * 10 + 4] = 0;
    const out = cropPgm(img, { left: 4, top: 3, width: 3, height: 2 });
    expect([out.width, out.height]).toEqual([3, 2]);
    expect([...out.pixels]).toEqual([0, 200, 200, 200, 200, 200]);
  });

  it('takes the paper brightness from the page, not white', () => {
    const img = page(400, 400, 180);
    text(img, 50, 50, 300, 150);
    expect(paperLevel(img)).toBe(180);
  });
});
