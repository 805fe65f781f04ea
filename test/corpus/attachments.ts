/**
 * Non-PDF and broken attachments: a Word document, photos of the documents,
 * and the ways a PDF arrives unreadable (cut short, garbage, password
 * protected, empty, an HTML error page saved as .pdf).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GrayRaster, computeCrc32 } from './raster';
import type { Rng } from './random';

export const QPDF_PATH = '/usr/bin/qpdf';

export function hasQpdf(): boolean {
  return existsSync(QPDF_PATH);
}

// ---------------------------------------------------------------------------
// ZIP (stored, no compression) for a minimal .docx

function writeZip(files: Array<{ name: string; data: Buffer }>, date: Date): Buffer {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  // MS-DOS time/date fields, so the archive is byte-identical for the same input.
  const dosTime = (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2);
  const dosDate = ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate();
  for (const file of files) {
    const name = Buffer.from(file.name, 'utf8');
    const crc = computeCrc32(file.data);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(0, 6);
    header.writeUInt16LE(0, 8); // stored
    header.writeUInt16LE(dosTime, 10);
    header.writeUInt16LE(dosDate, 12);
    header.writeUInt32LE(crc, 14);
    header.writeUInt32LE(file.data.length, 18);
    header.writeUInt32LE(file.data.length, 22);
    header.writeUInt16LE(name.length, 26);
    header.writeUInt16LE(0, 28);
    local.push(header, name, file.data);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0, 8);
    entry.writeUInt16LE(0, 10);
    entry.writeUInt16LE(dosTime, 12);
    entry.writeUInt16LE(dosDate, 14);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(file.data.length, 20);
    entry.writeUInt32LE(file.data.length, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, name);
    offset += 30 + name.length + file.data.length;
  }
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, ...central, end]);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A minimal but valid Word document holding the given paragraphs. */
export function buildDocx(paragraphs: string[], date: Date): Buffer {
  const body = paragraphs.map((p) => `<w:p><w:r><w:t xml:space="preserve">${escapeXml(p)}</w:t></w:r></w:p>`).join('');
  return writeZip(
    [
      {
        name: '[Content_Types].xml',
        data: Buffer.from(
          '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        ),
      },
      {
        name: '_rels/.rels',
        data: Buffer.from(
          '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        ),
      },
      {
        name: 'word/document.xml',
        data: Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`),
      },
    ],
    date,
  );
}

// ---------------------------------------------------------------------------
// JPEG: baseline, greyscale, DC coefficients only (every 8x8 block is flat).
// Enough for a valid "phone photo" of a page, with no encoder dependency.

const DC_CODES: Array<[number, number]> = [
  [0b00, 2], [0b010, 3], [0b011, 3], [0b100, 3], [0b101, 3], [0b110, 3],
  [0b1110, 4], [0b11110, 5], [0b111110, 6], [0b1111110, 7], [0b11111110, 8], [0b111111110, 9],
];

class BitWriter {
  private readonly bytes: number[] = [];
  private acc = 0;
  private count = 0;

  write(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((value >> i) & 1);
      this.count++;
      if (this.count === 8) this.flushByte();
    }
  }

  private flushByte(): void {
    this.bytes.push(this.acc);
    if (this.acc === 0xff) this.bytes.push(0x00); // byte stuffing
    this.acc = 0;
    this.count = 0;
  }

  finish(): Buffer {
    while (this.count !== 0) this.write(1, 1);
    return Buffer.from(this.bytes);
  }
}

function segment(marker: number, payload: number[] | Buffer): Buffer {
  const body = Buffer.from(payload);
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xff00 | marker, 0);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

export function encodeFlatJpeg(raster: GrayRaster, comment: string): Buffer {
  const bw = Math.floor(raster.width / 8);
  const bh = Math.floor(raster.height / 8);
  const bits = new BitWriter();
  let previous = 0;
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      let sum = 0;
      for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) sum += raster.pixels[(by * 8 + y) * raster.width + bx * 8 + x];
      const dc = Math.round(sum / 8) - 1024; // 8 * (mean - 128), quantiser 1
      const diff = dc - previous;
      previous = dc;
      const magnitude = Math.abs(diff);
      const category = magnitude === 0 ? 0 : Math.floor(Math.log2(magnitude)) + 1;
      const [code, length] = DC_CODES[category];
      bits.write(code, length);
      if (category > 0) bits.write(diff > 0 ? diff : diff + (1 << category) - 1, category);
      bits.write(0, 1); // AC: end of block (the only AC code, '0')
    }
  }
  const dcBits = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
  const acBits = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 72, 0, 72, 0, 0]),
    segment(0xfe, Buffer.from(comment, 'latin1')),
    segment(0xdb, [0x00, ...new Array(64).fill(1)]),
    segment(0xc0, [8, bh * 8 >> 8, (bh * 8) & 0xff, bw * 8 >> 8, (bw * 8) & 0xff, 1, 1, 0x11, 0]),
    segment(0xc4, [0x00, ...dcBits, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x10, ...acBits, 0x00]),
    segment(0xda, [1, 1, 0x00, 0, 63, 0]),
    bits.finish(),
    Buffer.from([0xff, 0xd9]),
  ]);
}

// ---------------------------------------------------------------------------
// Unreadable PDFs

/** Cut a PDF so early that no page survives: header plus a few hundred bytes. */
export function truncatePdf(bytes: Uint8Array, rng: Rng): Buffer {
  const keep = Math.min(bytes.length - 1, rng.int(200, 900));
  return Buffer.from(bytes.subarray(0, keep));
}

/** Random bytes, sometimes behind a believable %PDF header. */
export function writeGarbagePdf(rng: Rng): Buffer {
  const size = rng.int(2000, 20000);
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = rng.int(0, 255);
  if (rng.chance(0.6)) out.write('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 0, 'latin1');
  return out;
}

/** What a failed download from a file-sharing site saves as "application.pdf". */
export function writeHtmlPretendingPdf(rng: Rng): Buffer {
  return Buffer.from(
    `<!DOCTYPE html>\n<html><head><title>Access denied</title></head><body><h1>403 Forbidden</h1><p>The link you followed has expired or you do not have permission to view this file.</p><p>Request ID ${rng.hex(16)}</p></body></html>\n`,
  );
}

/**
 * Encrypt with a user password via qpdf. `--static-id`/`--static-aes-iv` keep
 * the output deterministic (they exist for exactly this kind of test use).
 * @throws Error when qpdf fails
 */
export function encryptPdf(bytes: Uint8Array, password: string): Buffer {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'esor-corpus-qpdf-'));
  try {
    const input = path.join(dir, 'in.pdf');
    const output = path.join(dir, 'out.pdf');
    writeFileSync(input, bytes);
    execFileSync(QPDF_PATH, ['--static-id', '--static-aes-iv', '--encrypt', password, `${password}-owner`, '128', '--use-aes=y', '--', input, output], { stdio: 'pipe' });
    return readFileSync(output);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
