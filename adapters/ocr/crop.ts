/**
 * A scanned page cut down to where its ink is, before tesseract reads it.
 *
 * Why: tesseract's cost grows with the pixels it analyses, not only with the
 * words on them. A typical certificate or passport scan carries its text in
 * the top third of an A4 page; the rest is paper, grain and dust, which
 * tesseract's layout analysis still walks through (a 200 dpi office scan:
 * ≈0.38 s read whole, about half that cut to its text). The crop is generous
 * (a margin around the ink) and only taken where it saves much: a page it
 * might cut wrongly costs a reading, a page it leaves whole costs time only.
 *
 * Ink is found on a coarse grid (BLOCK × BLOCK pixels) so that a speck of
 * dust or a grain of a grey scan does not count: a block is inky when several
 * of its pixels are clearly darker than the paper, and a row or column of
 * blocks counts only with at least two inky blocks in it (a lone speck never
 * widens the crop). Paper brightness is taken from the image itself (grey
 * paper, a dim photocopy), not assumed white.
 */
import type { Pgm } from './pgm';

/** Side of the grid's blocks, in pixels. */
export const BLOCK = 8;
/** Dark pixels a block needs to count as ink (of 64): a letter's stroke, not a grain. */
const MIN_DARK_IN_BLOCK = 4;
/** Inky blocks in one grid row that only writing gives (a short word at 100 dpi spans 6 blocks or more); dust does not line up so. */
const MIN_BLOCKS_IN_WORD = 5;
/** Inky blocks a grid row or column needs to count (a lone speck of dust does not). */
const MIN_BLOCKS_IN_LINE = 2;
/** A pixel is ink when darker than this share of the paper's brightness. */
const INK_SHARE = 0.6;
/** Border bands (shadows, dark edges) are looked for in this outer share of each side… */
const EDGE_SHARE = 0.06;
/** …and are rows or columns of blocks inky over more than this share of their length. */
const BAND_SHARE = 0.5;
/** The crop is taken only when it keeps at most this share of the page's pixels. */
const MAX_KEPT_SHARE = 0.8;

export interface CropBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * inkBox's answer for a page with no ink at all (blank paper, grain and dust): nothing to crop to and
 * nothing to read. A blank sheet scanned with the documents is no document: it is not read, and the
 * page says OCR found nothing on it (a blank sheet at the end was placed as the passport).
 */
export const NO_INK: CropBox = Object.freeze({ left: 0, top: 0, width: 0, height: 0 });

/**
 * The box around the ink of `img` plus `margin` pixels each side (clipped to the image);
 * undefined when the crop would keep more than `maxKeptShare` of the page; NO_INK when no ink is found.
 */
export function inkBox(img: Pgm, margin: number, maxKeptShare = MAX_KEPT_SHARE): CropBox | undefined {
  const { width: w, height: h, pixels } = img;
  if (w < BLOCK * 4 || h < BLOCK * 4) return undefined;
  const threshold = paperLevel(img) * INK_SHARE;
  const bw = Math.ceil(w / BLOCK);
  const bh = Math.ceil(h / BLOCK);
  const dark = new Uint16Array(bw * bh);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const brow = ((y / BLOCK) | 0) * bw;
    for (let x = 0; x < w; x++) {
      if (pixels[row + x]! < threshold) dark[brow + ((x / BLOCK) | 0)]!++;
    }
  }
  // A scanner's shadow or a page's dark edge is a band along the border, inky the whole length:
  // not text, and it would stretch the crop to the border. Such bands in the outer EDGE_SHARE are left out.
  const inky = (bx: number, by: number) => dark[by * bw + bx]! >= MIN_DARK_IN_BLOCK;
  const bandRow = new Uint8Array(bh);
  const bandCol = new Uint8Array(bw);
  for (let by = 0; by < bh; by++) {
    if (by >= bh * EDGE_SHARE && by < bh * (1 - EDGE_SHARE)) continue;
    let n = 0;
    for (let bx = 0; bx < bw; bx++) if (inky(bx, by)) n++;
    bandRow[by] = n > BAND_SHARE * bw ? 1 : 0;
  }
  for (let bx = 0; bx < bw; bx++) {
    if (bx >= bw * EDGE_SHARE && bx < bw * (1 - EDGE_SHARE)) continue;
    let n = 0;
    for (let by = 0; by < bh; by++) if (inky(bx, by)) n++;
    bandCol[bx] = n > BAND_SHARE * bh ? 1 : 0;
  }
  const rows = new Uint16Array(bh);
  const cols = new Uint16Array(bw);
  for (let by = 0; by < bh; by++) {
    if (bandRow[by]) continue;
    for (let bx = 0; bx < bw; bx++) {
      if (!bandCol[bx] && inky(bx, by)) {
        rows[by]!++;
        cols[bx]!++;
      }
    }
  }
  const first = (a: Uint16Array) => a.findIndex((n) => n >= MIN_BLOCKS_IN_LINE);
  const last = (a: Uint16Array) => {
    for (let i = a.length - 1; i >= 0; i--) if (a[i]! >= MIN_BLOCKS_IN_LINE) return i;
    return -1;
  };
  const [top, bottom, left, right] = [first(rows), last(rows), first(cols), last(cols)];
  // No row of blocks as inky as a short word: specks of dust spread over blank paper, not a line of text.
  // (A loop, not Math.max(...rows): a page millions of pixels tall would overflow the call's arguments.)
  if (top < 0 || left < 0 || rows.reduce((a, n) => Math.max(a, n), 0) < MIN_BLOCKS_IN_WORD) return NO_INK;
  const x0 = Math.max(0, left * BLOCK - margin);
  const y0 = Math.max(0, top * BLOCK - margin);
  const x1 = Math.min(w, (right + 1) * BLOCK + margin);
  const y1 = Math.min(h, (bottom + 1) * BLOCK + margin);
  if ((x1 - x0) * (y1 - y0) > maxKeptShare * w * h) return undefined;
  return { left: x0, top: y0, width: x1 - x0, height: y1 - y0 };
}

/** `img` cut to `box`. */
export function cropPgm(img: Pgm, box: CropBox): Pgm {
  const out = new Uint8Array(box.width * box.height);
  for (let y = 0; y < box.height; y++) {
    const from = (box.top + y) * img.width + box.left;
    out.set(img.pixels.subarray(from, from + box.width), y * box.width);
  }
  return { width: box.width, height: box.height, maxval: img.maxval, pixels: out };
}

/**
 * The paper's brightness: the 90th percentile of the pixels (most of a page is paper, and the
 * brightest tenth skips neither a dim photocopy nor grey paper; a few white dust specks do not move it).
 */
export function paperLevel(img: Pgm): number {
  const hist = new Uint32Array(256);
  // Every 7th pixel: a histogram's percentile does not need all four million.
  for (let i = 0; i < img.pixels.length; i += 7) hist[img.pixels[i]!]!++;
  const total = Math.ceil(img.pixels.length / 7);
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += hist[v]!;
    if (seen >= total * 0.9) return v;
  }
  return 255;
}
