/**
 * A scanned page turned straight before tesseract reads it.
 *
 * Why: a page fed askew by a degree or two reads fine as running text, but a
 * table's row then climbs across the lines tesseract builds, and its cells
 * come apart: on a 150 ppi IELTS Test Report Form tilted about 1°, the band
 * scores and the "CEFR Level" cell were read as "eos sss sea" or nothing; the
 * same page turned straight read "8.0 7.5 6.5 7.5 7.5 C1".
 *
 * The tilt is found the classic way (projection profiles, as in Postl 1986 and
 * leptonica's skew finder): the ink is projected on lines at each candidate
 * angle, and the angle whose projection is most uneven (text lines and the
 * gaps between them sharpest) wins. Ink is sampled on a coarse grid, so the
 * search costs a few milliseconds; the page is turned only when it is tilted
 * enough to matter.
 */
import type { Pgm } from './pgm';
import { BLOCK, type CropBox, cropPgm, inkBox, NO_INK, paperLevel } from './crop';

/** Widest tilt looked for, in degrees (a page fed more askew than this is rare; OSD handles quarter turns). */
const MAX_DEGREES = 5;
/** Tilts smaller than this are left: tesseract reads them as they are, and turning blurs. */
const MIN_DEGREES = 0.3;
/** Ink is sampled at about this resolution, in dots per inch. */
const SAMPLE_DPI = 100;
/** Fewest ink samples for a tilt to be told at all (a page with a word or two is left as it is). */
const MIN_SAMPLES = 2000;
const INK_SHARE = 0.6;

/** The page's tilt in degrees (positive: the text climbs to the right), 0 when none can be told. */
export function findSkew(img: Pgm, dpi: number, paper = paperLevel(img)): number {
  const step = Math.max(1, Math.round(dpi / SAMPLE_DPI));
  const threshold = paper * INK_SHARE;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let y = 0; y < img.height; y += step) {
    const row = y * img.width;
    for (let x = 0; x < img.width; x += step) {
      if (img.pixels[row + x]! < threshold) {
        xs.push(x / step);
        ys.push(y / step);
      }
    }
  }
  if (xs.length < MIN_SAMPLES) return 0;
  const rows = Math.ceil(img.height / step) + Math.ceil((img.width / step) * Math.tan((MAX_DEGREES * Math.PI) / 180)) + 2;
  const offset = rows - Math.ceil(img.height / step) - 1;
  const profile = new Float64Array(rows);
  const score = (degrees: number): number => {
    profile.fill(0);
    const t = Math.tan((degrees * Math.PI) / 180);
    for (let i = 0; i < xs.length; i++) profile[Math.round(ys[i]! + xs[i]! * t) + offset]! += 1;
    let sum = 0;
    for (let r = 1; r < rows; r++) sum += (profile[r]! - profile[r - 1]!) ** 2;
    return sum;
  };
  let best = 0;
  let bestScore = score(0);
  for (const [from, to, by] of [[-MAX_DEGREES, MAX_DEGREES, 0.5], [-0.5, 0.5, 0.1]] as const) {
    const centre = from === -MAX_DEGREES ? 0 : best;
    for (let d = centre + from; d <= centre + to + 1e-9; d += by) {
      const s = score(d);
      if (s > bestScore) [best, bestScore] = [Math.round(d * 10) / 10, s];
    }
  }
  return best;
}

/**
 * `img` turned so that a tilt of `degrees` (as findSkew gives it) is undone; corners filled with paper.
 * Only `window` of the turned page is computed (default the whole page).
 */
export function rotateBy(img: Pgm, degrees: number, paper = paperLevel(img), window: CropBox = wholePage(img)): Pgm {
  const { width: w, height: h, pixels } = img;
  const { left, top, width: ow, height: oh } = window;
  const out = new Uint8Array(ow * oh).fill(paper);
  const a = (degrees * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const cx = w / 2;
  const cy = h / 2;
  for (let y = 0; y < oh; y++) {
    const dy = top + y - cy;
    // Source of (x, y): the straight point turned by the tilt (direction (1, 0) goes to (cos, -sin): y grows
    // downwards, a climbing line's y shrinks), read between its four pixels.
    let sx = (left - cx) * cos + dy * sin + cx;
    let sy = -(left - cx) * sin + dy * cos + cy;
    for (let x = 0; x < ow; x++, sx += cos, sy -= sin) {
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 + 1 >= w || y0 + 1 >= h) continue;
      const fx = sx - x0;
      const fy = sy - y0;
      const i = y0 * w + x0;
      const top = pixels[i]! + (pixels[i + 1]! - pixels[i]!) * fx;
      const bottom = pixels[i + w]! + (pixels[i + w + 1]! - pixels[i + w]!) * fx;
      out[y * ow + x] = top + (bottom - top) * fy;
    }
  }
  return { width: ow, height: oh, maxval: img.maxval, pixels: out };
}

function wholePage(img: Pgm): CropBox {
  return { left: 0, top: 0, width: img.width, height: img.height };
}

/** Where `box` of a page tilted by `degrees` lies once rotateBy has turned the page: the bounds of its turned corners, within the page. */
export function turnedBox(img: Pgm, degrees: number, box: CropBox): CropBox {
  const a = (degrees * Math.PI) / 180;
  const [cos, sin, cx, cy] = [Math.cos(a), Math.sin(a), img.width / 2, img.height / 2];
  // rotateBy's map from the turned page to the tilted one, inverted (a rotation's inverse is its transpose).
  const corners = [[box.left, box.top], [box.left + box.width, box.top], [box.left, box.top + box.height], [box.left + box.width, box.top + box.height]];
  const xs = corners.map(([x, y]) => (x! - cx) * cos - (y! - cy) * sin + cx);
  const ys = corners.map(([x, y]) => (x! - cx) * sin + (y! - cy) * cos + cy);
  // On the ink grid of the whole page (crop.ts BLOCK): the window cut to its ink (straightInk) is then cut
  // where the whole page turned would be, and tesseract gets the same pixels.
  const left = Math.max(0, Math.floor(Math.min(...xs) / BLOCK) * BLOCK);
  const top = Math.max(0, Math.floor(Math.min(...ys) / BLOCK) * BLOCK);
  const right = Math.min(img.width, Math.ceil(Math.max(...xs)));
  const bottom = Math.min(img.height, Math.ceil(Math.max(...ys)));
  return { left, top, width: Math.max(1, right - left), height: Math.max(1, bottom - top) };
}

/** The page turned straight, or `img` itself when it is straight enough (or its tilt cannot be told). */
export function deskew(img: Pgm, dpi: number): { img: Pgm; degrees: number } {
  const paper = paperLevel(img);
  const degrees = findSkew(img, dpi, paper);
  if (Math.abs(degrees) < MIN_DEGREES) return { img, degrees: 0 };
  return { img: rotateBy(img, degrees, paper), degrees };
}

/**
 * The page as tesseract reads it: turned straight (deskew) and cut to its ink with `margin` pixels around
 * it (crop.ts inkBox); `img` itself when it needs neither, null when it has no ink at all (NO_INK).
 *
 * The same pixels as deskew's whole page cut to its ink, for less work: the ink box is found on the page
 * as scanned and only its turned bounds are turned (turning a whole 200 dpi page cost ≈60 ms, most of it
 * paper the crop then dropped), then that window, straight now, is cut to its ink. Its corners are paper,
 * and tesseract read a table's row differently with them (a scanned IELTS form lost its band scores).
 */
export function straightInk(img: Pgm, dpi: number, margin: number): Pgm | null {
  const box = inkBox(img, margin);
  if (box === NO_INK) return null;
  const paper = paperLevel(img);
  const degrees = findSkew(img, dpi, paper);
  if (Math.abs(degrees) < MIN_DEGREES) return box ? cropPgm(img, box) : img;
  const turned = rotateBy(img, degrees, paper, box ? turnedBox(img, degrees, box) : wholePage(img));
  // The whole page turned is cut only where that saves much, as an upright page is.
  const tight = inkBox(turned, margin, box ? 1 : undefined);
  return tight && tight !== NO_INK ? cropPgm(turned, tight) : turned;
}
