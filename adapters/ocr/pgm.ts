/**
 * The grey page images pdftoppm writes (binary PGM, "P5"), turned in memory:
 * a quarter turn of an A4 page at 300 dpi is a copy of 8.7 M bytes (tens of
 * milliseconds), far cheaper than letting tesseract find the orientation on
 * every read (`--psm 1` runs OSD again: ≈0.35 s a page).
 */

export interface Pgm {
  width: number;
  height: number;
  maxval: number;
  /** One byte a pixel (maxval ≤ 255, what pdftoppm -gray writes). */
  pixels: Uint8Array;
}

/** A binary 8-bit PGM; undefined for anything else (then the page is read unturned). */
export function parsePgm(buf: Uint8Array): Pgm | undefined {
  // Header: "P5", width, height, maxval, separated by whitespace (comments after '#'), then one whitespace byte.
  let pos = 0;
  const token = (): string | undefined => {
    for (;;) {
      while (pos < buf.length && isSpace(buf[pos]!)) pos++;
      if (buf[pos] !== 0x23) break;
      while (pos < buf.length && buf[pos] !== 0x0a) pos++;
    }
    const start = pos;
    while (pos < buf.length && !isSpace(buf[pos]!) && pos - start < 12) pos++;
    return pos > start ? String.fromCharCode(...buf.subarray(start, pos)) : undefined;
  };
  if (token() !== 'P5') return undefined;
  const width = Number(token());
  const height = Number(token());
  const maxval = Number(token());
  pos++; // the single whitespace byte before the pixels
  if (!(width > 0 && height > 0 && maxval > 0 && maxval < 256) || !Number.isInteger(width) || !Number.isInteger(height)) return undefined;
  if (buf.length - pos < width * height) return undefined;
  return { width, height, maxval, pixels: buf.subarray(pos, pos + width * height) };
}

export function formatPgm(img: Pgm): Buffer {
  const header = Buffer.from(`P5\n${img.width} ${img.height}\n${img.maxval}\n`, 'latin1');
  return Buffer.concat([header, img.pixels]);
}

/** `img` turned clockwise by `degrees` (0, 90, 180 or 270). */
export function rotatePgm(img: Pgm, degrees: number): Pgm {
  const { width: w, height: h, pixels: src } = img;
  if (degrees === 0) return img;
  const out = new Uint8Array(w * h);
  if (degrees === 180) {
    for (let i = 0, n = w * h; i < n; i++) out[n - 1 - i] = src[i]!;
    return { ...img, pixels: out };
  }
  if (degrees !== 90 && degrees !== 270) throw new Error(`rotation by ${degrees} degrees`);
  // The turned image is h wide and w high. Clockwise: source (x, y) lands at (h-1-y, x); counter-clockwise at (y, w-1-x).
  const cw = degrees === 90;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const dst = cw ? x * h + (h - 1 - y) : (w - 1 - x) * h + y;
      out[dst] = src[row + x]!;
    }
  }
  return { width: h, height: w, maxval: img.maxval, pixels: out };
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}
