/**
 * Lays out documents (lists of blocks) into pages and writes them with
 * pdf-lib. Layout is separate from drawing so that page counts are known
 * before anything is drawn: footers say "Page 2 of 3" and a table of contents
 * can print real page numbers.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import {
  PDFDocument,
  PDFFont,
  PDFPage,
  StandardFonts,
  concatTransformationMatrix,
  drawObject,
  grayscale,
  popGraphicsState,
  pushGraphicsState,
} from 'pdf-lib';
import type { PageLabel } from '../../core/types';
import type { Rng } from './random';
import { GrayRaster, deflateRaster, paintScan, type ScanLayout } from './raster';

export const DEJAVU_DIR = '/usr/share/fonts/truetype/dejavu';

export type Align = 'left' | 'center' | 'right';
export type FontFamily = 'helvetica' | 'times' | 'dejavu';
export type FontRole = 'regular' | 'bold' | 'italic' | 'mono';
export type PageSizeName = 'A4' | 'Letter' | 'A4-landscape';
export type FooterKind = 'none' | 'page-of' | 'page' | 'name' | 'name-page' | 'slash';

const PAGE_SIZES: Record<PageSizeName, [number, number]> = {
  A4: [595.28, 841.89],
  Letter: [612, 792],
  'A4-landscape': [841.89, 595.28],
};

export interface DocStyle {
  pageSize: PageSizeName;
  family: FontFamily;
  fontSize: number;
  margin: number;
  titleAlign: Align;
  lineSpacing: number;
  footer: FooterKind;
  /** Text for 'name' footers and running headers (e.g. the applicant's name). */
  runningText?: string;
  header?: string;
  /** A decorative border, as on certificates. */
  frame?: boolean;
}

export type Block =
  | { t: 'title'; text: string; size?: number; align?: Align; gap?: number }
  | { t: 'heading'; text: string; align?: Align; rule?: boolean; size?: number }
  | { t: 'para'; text: string; align?: Align; font?: FontRole; size?: number; indent?: number; gap?: number }
  | { t: 'lines'; lines: string[]; align?: Align; font?: FontRole; size?: number; gap?: number }
  | { t: 'field'; label: string; value: string; layout: 'inline' | 'tab' | 'stacked'; tab?: number; labelFont?: FontRole; gap?: number }
  | { t: 'list'; items: string[]; marker: 'decimal' | 'bracket' | 'paren' | 'bullet' | 'dash' | 'none'; itemGap?: number; size?: number }
  | { t: 'table'; rows: string[][]; widths: number[]; header?: boolean; grid?: boolean; size?: number }
  | { t: 'space'; lines?: number }
  | { t: 'rule'; gap?: number }
  | { t: 'break' }
  | { t: 'mono'; lines: string[]; size?: number }
  | { t: 'signature'; align?: Align }
  | { t: 'seal'; x?: number }
  | { t: 'image'; raster: GrayRaster; width: number; height: number; align?: Align };

export type Part =
  | { kind: 'text'; blocks: Block[]; style?: Partial<DocStyle> }
  | { kind: 'scan'; layout: ScanLayout; pageSize?: PageSizeName; vector?: boolean }
  | { kind: 'blank'; pageSize?: PageSizeName }
  /** Built once every other document has been laid out (a table of contents). */
  | { kind: 'deferred'; build: (starts: ReadonlyArray<{ label: PageLabel; firstPage: number }>) => Block[] };

export interface PdfDocumentSpec {
  label: PageLabel;
  /** What the document is, for debugging and the truth file ("esor-cv", "ielts"...). */
  kind: string;
  style: DocStyle;
  parts: Part[];
}

export interface PdfMeta {
  title?: string;
  author?: string;
  producer: string;
  creator?: string;
  created: Date;
}

export type PageStamp = 'none' | 'n-of-total' | 'name';

export interface RenderedPdf {
  bytes: Uint8Array;
  pageLabels: PageLabel[];
  imageOnly: boolean[];
  kinds: string[];
}

type Op =
  | { op: 'text'; text: string; x: number; y: number; size: number; font: FontRole; gray?: number }
  | { op: 'line'; x1: number; y1: number; x2: number; y2: number; width: number; gray: number }
  | { op: 'rect'; x: number; y: number; w: number; h: number; fill?: number; stroke?: number; width?: number }
  | { op: 'circle'; x: number; y: number; r: number; stroke: number; width: number }
  | { op: 'raster'; raster: GrayRaster; x: number; y: number; w: number; h: number };

interface LaidPage {
  width: number;
  height: number;
  ops: Op[];
  imageOnly: boolean;
  family: FontFamily;
}

interface FontSet {
  regular: PDFFont;
  bold: PDFFont;
  italic: PDFFont;
  mono: PDFFont;
}

/** Characters the standard 14 fonts can encode (WinAnsi); anything else needs DejaVu. */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

export function isWinAnsiText(text: string): boolean {
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (c === 10 || (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff)) continue;
    if (!WIN_ANSI_EXTRA.has(ch)) return false;
  }
  return true;
}

const dejavuCache = new Map<string, { regular: Uint8Array; bold: Uint8Array }>();

/** @throws Error naming the Debian package when the DejaVu fonts are not installed. */
export function loadDejaVuFonts(dir: string = DEJAVU_DIR): { regular: Uint8Array; bold: Uint8Array } {
  const cached = dejavuCache.get(dir);
  if (cached) return cached;
  const regular = path.join(dir, 'DejaVuSans.ttf');
  const bold = path.join(dir, 'DejaVuSans-Bold.ttf');
  if (!existsSync(regular) || !existsSync(bold)) {
    throw new Error(`DejaVu fonts not found (${regular}, ${bold}); the corpus needs them for Greek, Polish and Romanian text: apt-get install fonts-dejavu-core`);
  }
  const fonts = { regular: readFileSync(regular), bold: readFileSync(bold) };
  dejavuCache.set(dir, fonts);
  return fonts;
}

/**
 * fontkit parses a 700 KB TrueType file on every embedFont call; sharing the
 * parsed font between PDFs (pdf-lib only reads from it) makes DejaVu
 * documents as cheap as the standard fonts.
 */
type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];
const parsedFonts = new Map<Uint8Array, ReturnType<Fontkit['create']>>();
const cachingFontkit: Fontkit = {
  create(buffer: Uint8Array, postscriptName?: string) {
    let font = parsedFonts.get(buffer);
    if (!font) {
      font = fontkit.create(buffer, postscriptName);
      parsedFonts.set(buffer, font);
    }
    return font;
  },
};

/**
 * OpenType shaping (ligatures, kerning, mark positioning) dominated generation
 * time; the corpus text is precomposed Latin and Greek, which needs none of it.
 */
const NO_SHAPING = Object.fromEntries(
  ['rvrn', 'ltra', 'ltrm', 'frac', 'numr', 'dnom', 'ccmp', 'locl', 'rlig', 'mark', 'mkmk', 'calt', 'clig', 'liga', 'rclt', 'curs', 'kern'].map((f) => [f, false]),
);

class FontRegistry {
  private readonly sets = new Map<FontFamily, FontSet>();
  constructor(private readonly pdf: PDFDocument) {}

  async get(family: FontFamily): Promise<FontSet> {
    const cached = this.sets.get(family);
    if (cached) return cached;
    const mono = await this.pdf.embedFont(StandardFonts.Courier);
    let set: FontSet;
    if (family === 'dejavu') {
      const bytes = loadDejaVuFonts();
      this.pdf.registerFontkit(cachingFontkit);
      const regular = await this.pdf.embedFont(bytes.regular, { subset: true, features: NO_SHAPING });
      const bold = await this.pdf.embedFont(bytes.bold, { subset: true, features: NO_SHAPING });
      set = { regular, bold, italic: regular, mono };
    } else if (family === 'times') {
      set = {
        regular: await this.pdf.embedFont(StandardFonts.TimesRoman),
        bold: await this.pdf.embedFont(StandardFonts.TimesRomanBold),
        italic: await this.pdf.embedFont(StandardFonts.TimesRomanItalic),
        mono,
      };
    } else {
      set = {
        regular: await this.pdf.embedFont(StandardFonts.Helvetica),
        bold: await this.pdf.embedFont(StandardFonts.HelveticaBold),
        italic: await this.pdf.embedFont(StandardFonts.HelveticaOblique),
        mono,
      };
    }
    this.sets.set(family, set);
    return set;
  }
}

function collectBlockText(block: Block): string[] {
  switch (block.t) {
    case 'title':
    case 'heading':
    case 'para':
      return [block.text];
    case 'lines':
    case 'mono':
      return block.lines;
    case 'field':
      return [block.label, block.value];
    case 'list':
      return block.items;
    case 'table':
      return block.rows.flat();
    default:
      return [];
  }
}

/** The family a document can actually be drawn in: DejaVu whenever WinAnsi cannot encode it. */
function resolveFamily(style: DocStyle, blocks: Block[]): FontFamily {
  if (style.family === 'dejavu') return 'dejavu';
  const texts = blocks.flatMap(collectBlockText);
  if (style.runningText) texts.push(style.runningText);
  if (style.header) texts.push(style.header);
  return texts.every(isWinAnsiText) ? style.family : 'dejavu';
}

const widthCache = new WeakMap<PDFFont, Map<string, number>>();

/** Width at size 1, cached per font: fontkit lays text out glyph by glyph, which is slow. */
function measureText(font: PDFFont, text: string): number {
  let cache = widthCache.get(font);
  if (!cache) {
    cache = new Map();
    widthCache.set(font, cache);
  }
  let width = cache.get(text);
  if (width === undefined) {
    width = font.widthOfTextAtSize(text, 1);
    cache.set(text, width);
  }
  return width;
}

/** Greedy word wrap; words are measured once (kerning across spaces is negligible here). */
function wrapText(text: string, font: PDFFont, size: number, width: number): string[] {
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  const space = measureText(font, ' ') * size;
  const lines: string[] = [];
  let current = '';
  let currentWidth = 0;
  for (const word of words) {
    const w = measureText(font, word) * size;
    if (!current) {
      current = word;
      currentWidth = w;
    } else if (currentWidth + space + w <= width) {
      current += ` ${word}`;
      currentWidth += space + w;
    } else {
      lines.push(current);
      current = word;
      currentWidth = w;
    }
  }
  if (current) lines.push(current);
  return lines.length ? lines : [''];
}

/** Flows blocks down pages, starting a new page when the current one is full. */
class TextFlow {
  readonly pages: LaidPage[] = [];
  private page!: LaidPage;
  private y = 0;
  private readonly width: number;
  private readonly height: number;
  private readonly left: number;
  private readonly contentWidth: number;

  constructor(
    private readonly style: DocStyle,
    private readonly fonts: FontSet,
    private readonly family: FontFamily,
    private readonly rng: Rng,
  ) {
    [this.width, this.height] = PAGE_SIZES[style.pageSize];
    this.left = style.margin;
    this.contentWidth = this.width - 2 * style.margin;
    this.startPage();
  }

  private get lineHeight(): number {
    return this.style.fontSize * this.style.lineSpacing;
  }

  private get bottom(): number {
    return this.style.margin * 0.9;
  }

  private startPage(): void {
    this.page = { width: this.width, height: this.height, ops: [], imageOnly: false, family: this.family };
    this.pages.push(this.page);
    this.y = this.height - this.style.margin;
    if (this.style.frame) {
      const inset = this.style.margin * 0.45;
      this.page.ops.push({ op: 'rect', x: inset, y: inset, w: this.width - 2 * inset, h: this.height - 2 * inset, stroke: 0.35, width: 2.5 });
      this.page.ops.push({ op: 'rect', x: inset + 5, y: inset + 5, w: this.width - 2 * inset - 10, h: this.height - 2 * inset - 10, stroke: 0.55, width: 0.7 });
    }
  }

  private get atTop(): boolean {
    return this.y >= this.height - this.style.margin - 0.5;
  }

  private ensure(height: number): void {
    if (this.y - height < this.bottom && !this.atTop) this.startPage();
  }

  private font(role: FontRole): PDFFont {
    return this.fonts[role];
  }

  private textLine(text: string, role: FontRole, size: number, align: Align, indent = 0, width = this.contentWidth - indent): void {
    const font = this.font(role);
    const w = font.widthOfTextAtSize(text, size);
    const x = align === 'center' ? this.left + indent + (width - w) / 2 : align === 'right' ? this.left + indent + width - w : this.left + indent;
    this.page.ops.push({ op: 'text', text, x, y: this.y - size * 0.82, size, font: role });
  }

  private wrappedLines(text: string, role: FontRole, size: number, align: Align, indent = 0): void {
    const lines = wrapText(text, this.font(role), size, this.contentWidth - indent);
    const advance = size * this.style.lineSpacing;
    for (const line of lines) {
      this.ensure(advance);
      this.textLine(line, role, size, align, indent);
      this.y -= advance;
    }
  }

  add(block: Block): void {
    const base = this.style.fontSize;
    switch (block.t) {
      case 'title': {
        const size = block.size ?? base * 1.6;
        this.ensure(size * 3);
        this.wrappedLines(block.text, 'bold', size, block.align ?? this.style.titleAlign);
        this.y -= (block.gap ?? 0.7) * this.lineHeight;
        break;
      }
      case 'heading': {
        const size = block.size ?? base + 1;
        if (!this.atTop) this.y -= this.lineHeight * 0.5;
        this.ensure(size * this.style.lineSpacing + this.lineHeight * 2); // keep with the next lines
        this.wrappedLines(block.text, 'bold', size, block.align ?? 'left');
        if (block.rule) {
          this.page.ops.push({ op: 'line', x1: this.left, y1: this.y + 2, x2: this.left + this.contentWidth, y2: this.y + 2, width: 0.6, gray: 0.3 });
          this.y -= 4;
        }
        this.y -= this.lineHeight * 0.2;
        break;
      }
      case 'para':
        this.wrappedLines(block.text, block.font ?? 'regular', block.size ?? base, block.align ?? 'left', block.indent ?? 0);
        this.y -= (block.gap ?? 0.6) * this.lineHeight;
        break;
      case 'lines':
        for (const line of block.lines) this.wrappedLines(line, block.font ?? 'regular', block.size ?? base, block.align ?? 'left');
        this.y -= (block.gap ?? 0.6) * this.lineHeight;
        break;
      case 'field':
        this.addField(block);
        break;
      case 'list':
        this.addList(block);
        break;
      case 'table':
        this.addTable(block);
        break;
      case 'space':
        // Never opens a page by itself: the next block does if it needs to.
        this.y = Math.max(this.bottom, this.y - (block.lines ?? 1) * this.lineHeight);
        break;
      case 'rule':
        this.ensure(8);
        this.page.ops.push({ op: 'line', x1: this.left, y1: this.y - 3, x2: this.left + this.contentWidth, y2: this.y - 3, width: 0.8, gray: 0.35 });
        this.y -= (block.gap ?? 0.8) * this.lineHeight;
        break;
      case 'break':
        if (!this.atTop) this.startPage();
        break;
      case 'mono': {
        const size = block.size ?? 10.5;
        this.ensure(block.lines.length * size * 1.4 + 4);
        for (const line of block.lines) {
          this.textLine(line, 'mono', size, 'left');
          this.y -= size * 1.4;
        }
        this.y -= this.lineHeight * 0.5;
        break;
      }
      case 'signature': {
        // A signature stays under the text it signs, in the bottom margin if need be,
        // rather than alone on a page of its own.
        if (this.y - 40 < this.bottom) this.y = Math.max(this.y, this.bottom + 10);
        const w = 110;
        const x0 = block.align === 'right' ? this.left + this.contentWidth - w : block.align === 'center' ? this.left + (this.contentWidth - w) / 2 : this.left;
        let px = x0;
        let py = this.y - 20;
        const steps = this.rng.int(6, 10);
        for (let i = 1; i <= steps; i++) {
          const nx = x0 + (i * w) / steps;
          const ny = this.y - this.rng.float(6, 32);
          this.page.ops.push({ op: 'line', x1: px, y1: py, x2: nx, y2: ny, width: 1.1, gray: 0.15 });
          px = nx;
          py = ny;
        }
        this.y -= 38;
        break;
      }
      case 'seal': {
        const x = this.left + (block.x ?? 0.72) * this.contentWidth;
        this.page.ops.push({ op: 'circle', x, y: this.y - 10, r: 34, stroke: 0.45, width: 1.8 });
        this.page.ops.push({ op: 'circle', x, y: this.y - 10, r: 27, stroke: 0.55, width: 0.8 });
        break;
      }
      case 'image': {
        this.ensure(block.height + 6);
        const x = block.align === 'right' ? this.left + this.contentWidth - block.width : block.align === 'center' ? this.left + (this.contentWidth - block.width) / 2 : this.left;
        this.page.ops.push({ op: 'raster', raster: block.raster, x, y: this.y - block.height, w: block.width, h: block.height });
        this.y -= block.height + 6;
        break;
      }
    }
  }

  private addField(block: Extract<Block, { t: 'field' }>): void {
    const size = this.style.fontSize;
    const labelRole = block.labelFont ?? 'bold';
    const advance = size * this.style.lineSpacing;
    const labelWidth = this.font(labelRole).widthOfTextAtSize(block.label, size);
    if (block.layout === 'stacked') {
      this.ensure(advance * 2);
      this.textLine(block.label, labelRole, size, 'left');
      this.y -= advance;
      this.wrappedLines(block.value, 'regular', size, 'left', 0);
    } else {
      const offset = block.layout === 'tab' ? Math.max(block.tab ?? 150, labelWidth + 8) : labelWidth + size * 0.4;
      const valueLines = block.value ? wrapText(block.value, this.font('regular'), size, this.contentWidth - offset) : [''];
      this.ensure(advance * Math.min(2, valueLines.length));
      this.textLine(block.label, labelRole, size, 'left');
      valueLines.forEach((line, i) => {
        if (i > 0) this.ensure(advance);
        if (line) this.textLine(line, 'regular', size, 'left', offset, this.contentWidth - offset);
        this.y -= advance;
      });
    }
    this.y -= (block.gap ?? 0.25) * this.lineHeight;
  }

  private addList(block: Extract<Block, { t: 'list' }>): void {
    const size = block.size ?? this.style.fontSize;
    const advance = size * this.style.lineSpacing;
    const indent = block.marker === 'none' ? 0 : size * 1.8;
    block.items.forEach((item, i) => {
      const marker = { decimal: `${i + 1}.`, bracket: `[${i + 1}]`, paren: `${i + 1})`, bullet: '•', dash: '–', none: '' }[block.marker];
      const lines = wrapText(item, this.font('regular'), size, this.contentWidth - indent);
      this.ensure(advance * Math.min(3, lines.length));
      if (marker) this.textLine(marker, 'regular', size, 'left');
      lines.forEach((line, j) => {
        if (j > 0) this.ensure(advance);
        this.textLine(line, 'regular', size, 'left', indent, this.contentWidth - indent);
        this.y -= advance;
      });
      this.y -= (block.itemGap ?? 0.5) * this.lineHeight;
    });
  }

  private addTable(block: Extract<Block, { t: 'table' }>): void {
    const size = block.size ?? this.style.fontSize - 0.5;
    const advance = size * this.style.lineSpacing;
    const total = block.widths.reduce((a, b) => a + b, 0);
    const widths = block.widths.map((w) => (w / total) * this.contentWidth);
    block.rows.forEach((row, r) => {
      const role: FontRole = block.header && r === 0 ? 'bold' : 'regular';
      const cells = row.map((cell, c) => wrapText(cell, this.font(role), size, widths[c] - 6));
      const height = Math.max(...cells.map((c) => c.length)) * advance + 4;
      this.ensure(height);
      const top = this.y;
      let x = 0;
      cells.forEach((lines, c) => {
        lines.forEach((line, j) => {
          this.page.ops.push({ op: 'text', text: line, x: this.left + x + 3, y: top - 2 - j * advance - size * 0.82, size, font: role });
        });
        x += widths[c];
      });
      if (block.grid) {
        this.page.ops.push({ op: 'rect', x: this.left, y: top - height, w: this.contentWidth, h: height, stroke: 0.5, width: 0.5 });
        let gx = this.left;
        for (const w of widths.slice(0, -1)) {
          gx += w;
          this.page.ops.push({ op: 'line', x1: gx, y1: top, x2: gx, y2: top - height, width: 0.5, gray: 0.5 });
        }
      }
      this.y -= height;
    });
    this.y -= this.lineHeight * 0.6;
  }
}

function footerText(kind: FooterKind, index: number, total: number, running?: string): string | null {
  switch (kind) {
    case 'page-of':
      return `Page ${index} of ${total}`;
    case 'page':
      return String(index);
    case 'slash':
      return `${index}/${total}`;
    case 'name':
      return running ?? null;
    case 'name-page':
      return running ? `${running} – ${index}` : String(index);
    default:
      return null;
  }
}

function layoutText(blocks: Block[], style: DocStyle, fonts: FontSet, family: FontFamily, rng: Rng): LaidPage[] {
  const flow = new TextFlow(style, fonts, family, rng);
  for (const block of blocks) flow.add(block);
  const pages = flow.pages;
  const size = Math.max(7, style.fontSize - 2);
  pages.forEach((page, i) => {
    const footer = footerText(style.footer, i + 1, pages.length, style.runningText);
    if (footer) {
      const w = fonts.regular.widthOfTextAtSize(footer, size);
      const x = style.footer === 'name' ? style.margin : style.footer === 'page' ? (page.width - w) / 2 : page.width - style.margin - w;
      page.ops.push({ op: 'text', text: footer, x, y: style.margin * 0.45, size, font: 'regular', gray: 0.35 });
    }
    if (style.header) page.ops.push({ op: 'text', text: style.header, x: style.margin, y: page.height - style.margin * 0.5, size, font: 'italic', gray: 0.4 });
  });
  return pages;
}

/** A scan drawn as vector shapes instead of a raster (some scanners' "PDF/A compact" output). */
function vectorScanOps(rng: Rng, width: number, height: number): Op[] {
  const ops: Op[] = [{ op: 'rect', x: 0, y: 0, w: width, h: height, fill: rng.float(0.9, 0.97) }];
  const m = width * 0.1;
  ops.push({ op: 'rect', x: m / 2, y: m / 2, w: width - m, h: height - m, stroke: 0.4, width: 2 });
  let y = height - m * 2;
  const lines = rng.int(14, 26);
  for (let i = 0; i < lines && y > m * 2; i++) {
    let x = m;
    const end = width - m - rng.float(0, width * 0.3);
    while (x < end) {
      const w = rng.float(12, 50);
      ops.push({ op: 'rect', x, y, w, h: 4, fill: rng.float(0.25, 0.45) });
      x += w + rng.float(4, 7);
    }
    y -= rng.float(14, 20);
  }
  ops.push({ op: 'circle', x: width * 0.3, y: m * 2.5, r: 36, stroke: 0.45, width: 2 });
  return ops;
}

function embedRaster(pdf: PDFDocument, page: PDFPage, raster: GrayRaster, x: number, y: number, w: number, h: number): void {
  // pdf-lib's embedPng re-encodes through pako; a raw DeviceGray image deflated by
  // node's zlib is an order of magnitude faster and still a normal image XObject.
  const stream = pdf.context.stream(deflateRaster(raster), {
    Type: 'XObject',
    Subtype: 'Image',
    Width: raster.width,
    Height: raster.height,
    ColorSpace: 'DeviceGray',
    BitsPerComponent: 8,
    Filter: 'FlateDecode',
  });
  const ref = pdf.context.register(stream);
  const name = page.node.newXObject('Im', ref);
  page.pushOperators(pushGraphicsState(), concatTransformationMatrix(w, 0, 0, h, x, y), drawObject(name), popGraphicsState());
}

function drawPage(pdf: PDFDocument, laid: LaidPage, fonts: FontSet | null): PDFPage {
  const page = pdf.addPage([laid.width, laid.height]);
  for (const op of laid.ops) {
    switch (op.op) {
      case 'text':
        if (!fonts) throw new Error('text on a page without fonts');
        page.drawText(op.text, { x: op.x, y: op.y, size: op.size, font: fonts[op.font], color: grayscale(op.gray ?? 0) });
        break;
      case 'line':
        page.drawLine({ start: { x: op.x1, y: op.y1 }, end: { x: op.x2, y: op.y2 }, thickness: op.width, color: grayscale(op.gray) });
        break;
      case 'rect':
        page.drawRectangle({
          x: op.x,
          y: op.y,
          width: op.w,
          height: op.h,
          color: op.fill !== undefined ? grayscale(op.fill) : undefined,
          borderColor: op.stroke !== undefined ? grayscale(op.stroke) : undefined,
          borderWidth: op.stroke !== undefined ? (op.width ?? 1) : 0,
        });
        break;
      case 'circle':
        page.drawCircle({ x: op.x, y: op.y, size: op.r, borderColor: grayscale(op.stroke), borderWidth: op.width });
        break;
      case 'raster':
        embedRaster(pdf, page, op.raster, op.x, op.y, op.w, op.h);
        break;
    }
  }
  return page;
}

/**
 * Renders documents into one PDF. Each document starts on a new page.
 * Returns the bytes and, per page, its label and whether it has a text layer.
 */
export async function writePdf(docs: PdfDocumentSpec[], meta: PdfMeta, rng: Rng, stamp: PageStamp = 'none'): Promise<RenderedPdf> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  const registry = new FontRegistry(pdf);
  const laidDocs: Array<{ spec: PdfDocumentSpec; pages: LaidPage[] }> = [];
  const deferred: Array<{ index: number; part: Extract<Part, { kind: 'deferred' }> }> = [];

  for (const [index, spec] of docs.entries()) {
    const pages: LaidPage[] = [];
    for (const part of spec.parts) {
      if (part.kind === 'text') {
        const style = { ...spec.style, ...part.style };
        const family = resolveFamily(style, part.blocks);
        pages.push(...layoutText(part.blocks, style, await registry.get(family), family, rng));
      } else if (part.kind === 'scan') {
        const [w, h] = PAGE_SIZES[part.pageSize ?? spec.style.pageSize];
        const ops: Op[] = part.vector
          ? vectorScanOps(rng, w, h)
          : [{ op: 'raster', raster: paintScan(rng, part.layout, w, h), x: 0, y: 0, w, h }];
        pages.push({ width: w, height: h, ops, imageOnly: true, family: spec.style.family });
      } else if (part.kind === 'blank') {
        const [w, h] = PAGE_SIZES[part.pageSize ?? spec.style.pageSize];
        pages.push({ width: w, height: h, ops: [], imageOnly: true, family: spec.style.family });
      } else {
        deferred.push({ index, part });
      }
    }
    laidDocs.push({ spec, pages });
  }

  // Deferred documents (a table of contents) count as one page when numbering.
  if (deferred.length) {
    const starts: Array<{ label: PageLabel; firstPage: number }> = [];
    let page = 1;
    for (const [i, { spec, pages }] of laidDocs.entries()) {
      const count = deferred.some((d) => d.index === i) && pages.length === 0 ? 1 : pages.length;
      starts.push({ label: spec.label, firstPage: page });
      page += count;
    }
    for (const { index, part } of deferred) {
      const spec = laidDocs[index].spec;
      const blocks = part.build(starts);
      const family = resolveFamily(spec.style, blocks);
      laidDocs[index].pages.push(...layoutText(blocks, spec.style, await registry.get(family), family, rng));
    }
  }

  const allPages = laidDocs.flatMap(({ spec, pages }) => pages.map((p) => ({ spec, page: p })));
  const total = allPages.length;
  for (const [i, { page }] of allPages.entries()) {
    const fonts = page.imageOnly ? null : await registry.get(page.family);
    const drawn = drawPage(pdf, page, fonts);
    // Stamps imitate a PDF tool numbering the merged file; scans stay untouched
    // so that they keep having no text layer.
    if (stamp !== 'none' && fonts) {
      const text = stamp === 'n-of-total' ? `${i + 1} / ${total}` : (meta.author ?? '');
      if (text && (page.family === 'dejavu' || isWinAnsiText(text))) {
        const w = fonts.regular.widthOfTextAtSize(text, 7.5);
        drawn.drawText(text, { x: page.width - 28 - w, y: 14, size: 7.5, font: fonts.regular, color: grayscale(0.45) });
      }
    }
  }

  if (meta.title) pdf.setTitle(meta.title);
  if (meta.author) pdf.setAuthor(meta.author);
  pdf.setProducer(meta.producer);
  if (meta.creator) pdf.setCreator(meta.creator);
  pdf.setCreationDate(meta.created);
  pdf.setModificationDate(meta.created);

  const bytes = await pdf.save({ useObjectStreams: rng.chance(0.7) });
  return {
    bytes,
    pageLabels: allPages.map(({ spec }) => spec.label),
    imageOnly: allPages.map(({ page }) => page.imageOnly),
    kinds: allPages.map(({ spec }) => spec.kind),
  };
}

/** A valid PDF with no pages at all (one "unreadable" variant). */
export async function writeEmptyPdf(meta: PdfMeta): Promise<Uint8Array> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.setProducer(meta.producer);
  pdf.setCreationDate(meta.created);
  return pdf.save();
}
