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
import { paperLevel } from './crop';

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

/** `img` turned so that a tilt of `degrees` (as findSkew gives it) is undone; corners filled with paper. */
export function rotateBy(img: Pgm, degrees: number, paper = paperLevel(img)): Pgm {
  const { width: w, height: h, pixels } = img;
  const out = new Uint8Array(w * h).fill(paper);
  const a = (degrees * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const cx = w / 2;
  const cy = h / 2;
  for (let y = 0; y < h; y++) {
    const dy = y - cy;
    // Source of (x, y): the straight point turned by the tilt (direction (1, 0) goes to (cos, -sin): y grows
    // downwards, a climbing line's y shrinks), read between its four pixels.
    let sx = -cx * cos + dy * sin + cx;
    let sy = cx * sin + dy * cos + cy;
    for (let x = 0; x < w; x++, sx += cos, sy -= sin) {
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 + 1 >= w || y0 + 1 >= h) continue;
      const fx = sx - x0;
      const fy = sy - y0;
      const i = y0 * w + x0;
      const top = pixels[i]! + (pixels[i + 1]! - pixels[i]!) * fx;
      const bottom = pixels[i + w]! + (pixels[i + w + 1]! - pixels[i + w]!) * fx;
      out[y * w + x] = top + (bottom - top) * fy;
    }
  }
  return { ...img, pixels: out };
}

/** The page turned straight, or `img` itself when it is straight enough (or its tilt cannot be told). */
export function deskew(img: Pgm, dpi: number): { img: Pgm; degrees: number } {
  const paper = paperLevel(img);
  const degrees = findSkew(img, dpi, paper);
  if (Math.abs(degrees) < MIN_DEGREES) return { img, degrees: 0 };
  return { img: rotateBy(img, degrees, paper), degrees };
}
