/**
 * Small greyscale rasters that stand in for scanned pages and photos. They
 * carry no text at all (pseudo-text is drawn as dark bars), so a page made of
 * one of them is "image-only" exactly as a real scan is.
 */
import { deflateSync } from 'node:zlib';
import type { Rng } from './random';

export class GrayRaster {
  readonly pixels: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background = 255,
  ) {
    this.pixels = new Uint8Array(width * height).fill(background);
  }

  fillRect(x: number, y: number, w: number, h: number, value: number): void {
    const x0 = Math.max(0, Math.round(x));
    const y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + w));
    const y1 = Math.min(this.height, Math.round(y + h));
    for (let yy = y0; yy < y1; yy++) this.pixels.fill(value, yy * this.width + x0, yy * this.width + x1);
  }

  strokeRect(x: number, y: number, w: number, h: number, value: number, thickness = 1): void {
    this.fillRect(x, y, w, thickness, value);
    this.fillRect(x, y + h - thickness, w, thickness, value);
    this.fillRect(x, y, thickness, h, value);
    this.fillRect(x + w - thickness, y, thickness, h, value);
  }

  fillEllipse(cx: number, cy: number, rx: number, ry: number, value: number): void {
    for (let y = Math.max(0, Math.floor(cy - ry)); y < Math.min(this.height, Math.ceil(cy + ry)); y++) {
      const dy = (y - cy) / ry;
      const half = rx * Math.sqrt(Math.max(0, 1 - dy * dy));
      this.fillRect(cx - half, y, half * 2, 1, value);
    }
  }

  strokeCircle(cx: number, cy: number, r: number, value: number, thickness = 2): void {
    for (let y = Math.max(0, Math.floor(cy - r)); y < Math.min(this.height, Math.ceil(cy + r)); y++) {
      for (let x = Math.max(0, Math.floor(cx - r)); x < Math.min(this.width, Math.ceil(cx + r)); x++) {
        const d = Math.hypot(x - cx, y - cy);
        if (d <= r && d >= r - thickness) this.pixels[y * this.width + x] = value;
      }
    }
  }

  drawLine(x0: number, y0: number, x1: number, y1: number, value: number): void {
    const steps = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0)));
    for (let i = 0; i <= steps; i++) {
      const x = Math.round(x0 + ((x1 - x0) * i) / steps);
      const y = Math.round(y0 + ((y1 - y0) * i) / steps);
      if (x >= 0 && y >= 0 && x < this.width && y < this.height) this.pixels[y * this.width + x] = value;
    }
  }

  /** A vertical gradient, as photos and tinted security paper have. */
  fillGradient(x: number, y: number, w: number, h: number, top: number, bottom: number): void {
    for (let i = 0; i < h; i++) this.fillRect(x, y + i, w, 1, Math.round(top + ((bottom - top) * i) / Math.max(1, h - 1)));
  }
}

/** Lines of word-shaped bars: what text looks like on a low-resolution scan. */
export function paintPseudoText(raster: GrayRaster, rng: Rng, box: { x: number; y: number; w: number; lines: number; lineHeight: number; ink?: number; centred?: boolean; barHeight?: number }): number {
  const ink = box.ink ?? 70;
  const barHeight = box.barHeight ?? Math.max(2, Math.round(box.lineHeight * 0.45));
  let y = box.y;
  for (let line = 0; line < box.lines; line++) {
    const width = line === box.lines - 1 ? box.w * rng.float(0.3, 0.8) : box.w * rng.float(0.85, 1);
    let x = box.centred ? box.x + (box.w - width) / 2 : box.x;
    const end = x + width;
    while (x < end - 4) {
      const word = Math.min(end - x, rng.int(6, 26));
      raster.fillRect(x, y, word, barHeight, ink + rng.int(-15, 15));
      x += word + rng.int(3, 5);
    }
    y += box.lineHeight;
  }
  return y;
}

/** A handwritten-looking scribble for signatures. */
export function paintScribble(raster: GrayRaster, rng: Rng, x: number, y: number, w: number, h: number): void {
  let px = x;
  let py = y + h / 2;
  const steps = rng.int(6, 11);
  for (let i = 0; i < steps; i++) {
    const nx = x + ((i + 1) * w) / steps;
    const ny = y + rng.float(0, h);
    raster.drawLine(px, py, nx, ny, 40);
    raster.drawLine(px, py + 1, nx, ny + 1, 40);
    px = nx;
    py = ny;
  }
}

/** A head-and-shoulders silhouette for passport and application photos. */
export function paintPortrait(raster: GrayRaster, rng: Rng, x: number, y: number, w: number, h: number): void {
  raster.fillGradient(x, y, w, h, rng.int(200, 230), rng.int(160, 190));
  const skin = rng.int(150, 185);
  raster.fillEllipse(x + w / 2, y + h * 0.98, w * 0.45, h * 0.3, rng.int(40, 90)); // shoulders
  raster.fillEllipse(x + w / 2, y + h * 0.42, w * 0.24, h * 0.26, skin); // face
  raster.fillEllipse(x + w / 2, y + h * 0.25, w * 0.26, h * 0.13, rng.int(30, 110)); // hair
  raster.fillRect(x + w * 0.4, y + h * 0.4, w * 0.05, h * 0.02, 60);
  raster.fillRect(x + w * 0.55, y + h * 0.4, w * 0.05, h * 0.02, 60);
  raster.strokeRect(x, y, w, h, 120, 1);
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function computeCrc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Raw 8-bit greyscale rows, deflated: the payload of a PDF /FlateDecode image. */
export function deflateRaster(raster: GrayRaster): Buffer {
  return deflateSync(raster.pixels, { level: 6 });
}

/** A PNG file (greyscale, 8 bit), for image attachments sent instead of a PDF. */
export function encodePng(raster: GrayRaster): Buffer {
  const rows = Buffer.alloc((raster.width + 1) * raster.height);
  for (let y = 0; y < raster.height; y++) {
    rows[y * (raster.width + 1)] = 0; // filter: none
    rows.set(raster.pixels.subarray(y * raster.width, (y + 1) * raster.width), y * (raster.width + 1) + 1);
  }
  const chunk = (type: string, data: Buffer): Buffer => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(computeCrc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(raster.width, 0);
  ihdr.writeUInt32BE(raster.height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // colour type: greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export type ScanLayout = 'certificate' | 'diploma' | 'letter' | 'passport' | 'membership-card' | 'photo';

/**
 * One scanned page as a raster of `width` pixels across. The layouts mimic
 * what each document looks like from afar: a framed certificate with a seal,
 * a passport data page in the upper third, a portrait on a plain sheet.
 */
export function paintScan(rng: Rng, layout: ScanLayout, pageWidthPt: number, pageHeightPt: number): GrayRaster {
  const scale = 0.55; // pixels per point: enough to look like a scan, small enough for < 200 KB PDFs
  const w = Math.round(pageWidthPt * scale);
  const h = Math.round(pageHeightPt * scale);
  const paper = rng.int(232, 250);
  const r = new GrayRaster(w, h, paper);
  // Scanner lid shadow along one edge.
  if (rng.chance(0.5)) r.fillGradient(0, 0, w, Math.round(h * 0.015), 120, paper);
  const m = Math.round(w * 0.1);
  switch (layout) {
    case 'certificate':
    case 'diploma': {
      r.strokeRect(m / 2, m / 2, w - m, h - m, 90, 3);
      if (layout === 'diploma') r.strokeRect(m / 2 + 6, m / 2 + 6, w - m - 12, h - m - 12, 140, 1);
      r.fillEllipse(w / 2, m * 1.6, m * 0.5, m * 0.5, 150); // coat of arms
      let y = paintPseudoText(r, rng, { x: m * 1.5, y: m * 2.6, w: w - m * 3, lines: 2, lineHeight: 16, ink: 40, centred: true, barHeight: 8 });
      y = paintPseudoText(r, rng, { x: m * 1.5, y: y + 14, w: w - m * 3, lines: rng.int(6, 10), lineHeight: 11, centred: layout === 'diploma' });
      r.strokeCircle(w * 0.3, Math.min(h - m * 2, y + 60), m * 0.7, 110, 3);
      paintScribble(r, rng, w * 0.58, Math.min(h - m * 2.2, y + 40), w * 0.25, 24);
      break;
    }
    case 'letter': {
      paintPseudoText(r, rng, { x: m, y: m, w: w * 0.4, lines: 3, lineHeight: 9, ink: 60 });
      let y = paintPseudoText(r, rng, { x: m, y: m * 3, w: w - 2 * m, lines: rng.int(12, 22), lineHeight: 9 });
      paintScribble(r, rng, m, y + 14, w * 0.25, 20);
      y += 44;
      paintPseudoText(r, rng, { x: m, y, w: w * 0.3, lines: 2, lineHeight: 9 });
      break;
    }
    case 'membership-card': {
      r.fillRect(m, m, w - 2 * m, 28, 90);
      let y = paintPseudoText(r, rng, { x: m, y: m + 46, w: w - 2 * m, lines: rng.int(8, 14), lineHeight: 10 });
      r.strokeRect(m, y + 12, w * 0.45, h * 0.14, 110, 2);
      y = paintPseudoText(r, rng, { x: m + 8, y: y + 22, w: w * 0.4, lines: 4, lineHeight: 10 });
      break;
    }
    case 'passport': {
      // The data page of a passport lies in the upper part of an A4 scan.
      const cw = w * 0.78;
      const ch = cw * 0.7;
      const cx = (w - cw) / 2;
      const cy = m;
      r.fillGradient(cx, cy, cw, ch, rng.int(205, 225), rng.int(185, 205));
      r.strokeRect(cx, cy, cw, ch, 100, 2);
      paintPortrait(r, rng, cx + cw * 0.05, cy + ch * 0.18, cw * 0.27, ch * 0.45);
      paintPseudoText(r, rng, { x: cx + cw * 0.05, y: cy + ch * 0.05, w: cw * 0.9, lines: 1, lineHeight: 8, ink: 50, centred: true });
      paintPseudoText(r, rng, { x: cx + cw * 0.37, y: cy + ch * 0.18, w: cw * 0.55, lines: 8, lineHeight: 9, ink: 60 });
      // MRZ: two rows of 44 even character cells.
      for (let row = 0; row < 2; row++) {
        const y = cy + ch * 0.8 + row * 10;
        for (let i = 0; i < 44; i++) if (rng.chance(0.8)) r.fillRect(cx + cw * 0.04 + i * ((cw * 0.92) / 44), y, (cw * 0.92) / 44 - 1.5, 6, 45);
      }
      if (rng.chance(0.5)) paintPseudoText(r, rng, { x: m, y: cy + ch + 30, w: w - 2 * m, lines: 2, lineHeight: 9, ink: 120 });
      break;
    }
    case 'photo': {
      paintPortrait(r, rng, w * 0.3, h * 0.2, w * 0.4, w * 0.52);
      break;
    }
  }
  return r;
}
