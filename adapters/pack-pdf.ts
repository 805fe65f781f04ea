/**
 * Draws the committee pack's PDFs from the plan (core/pack/committee-pack.ts):
 * one PDF per applicant (cover sheet, then the section PDFs, one bookmark per
 * section) and the index sheet.
 *
 * pdf-lib has no outline API, so the /Outlines tree is built by hand
 * (PDF 32000-1 § 12.3.3): one flat list of items, each with /Parent, /Prev,
 * /Next and a /Dest to the section's first page; titles as UTF-16 text
 * strings, so accented names and section names survive.
 *
 * The section PDFs were cut by qpdf (adapters/pdf-splitter.ts), which copies
 * only what the pages use, so pdf-lib here loads the cut files, never the
 * applicant's original. A section that still fails to load gets a page saying
 * so: the bookmark keeps its place and the committee sees what is missing.
 *
 * Text: DejaVu Sans when the caller passes its bytes (names in Greek or
 * Cyrillic letters), else Helvetica with letters outside its Latin set folded.
 */
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, PDFHexString, PDFName, PDFNumber, StandardFonts, rgb, type PDFFont, type PDFPage, type PDFRef } from 'pdf-lib';
import type { PackApplicant, PackPlan } from '../core/pack/committee-pack';
import { indexRows } from '../core/pack/committee-pack';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;
const BODY = 10.5;
const LEADING = 1.45;

export interface PackPdfOptions {
  /** A TrueType font's bytes (DejaVu Sans); without it the standard Helvetica. */
  font?: Uint8Array;
  /** Its bold face (DejaVu Sans Bold); without it headings use `font`. */
  boldFont?: Uint8Array;
  /** Stamped into the PDFs' metadata (the clock stays with the caller). */
  now: Date;
}

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
  /** Replaces what the font cannot draw. */
  clean(text: string): string;
}

async function embedFonts(pdf: PDFDocument, font: Uint8Array | undefined, boldFont?: Uint8Array): Promise<Fonts> {
  if (font) {
    pdf.registerFontkit(fontkit);
    const regular = await pdf.embedFont(font, { subset: true });
    const bold = boldFont ? await pdf.embedFont(boldFont, { subset: true }) : regular;
    // Both DejaVu faces cover the same letters; the regular face's set decides what is drawn.
    const drawable = new Set(regular.getCharacterSet());
    return { regular, bold, clean: (t) => [...t.normalize('NFC')].map((c) => (drawable.has(c.codePointAt(0)!) ? c : '?')).join('') };
  }
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const drawable = new Set(regular.getCharacterSet());
  const fold = (c: string) => {
    if (drawable.has(c.codePointAt(0)!)) return c;
    const base = c.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
    return [...base].every((b) => drawable.has(b.codePointAt(0)!)) && base ? base : '?';
  };
  return { regular, bold, clean: (t) => [...t.normalize('NFC')].map(fold).join('') };
}

/** Writes lines top to bottom, wrapping words and starting a new page when one is full. */
class Sheet {
  private page!: PDFPage;
  private y = 0;
  readonly firstPage: PDFPage;

  constructor(
    private readonly pdf: PDFDocument,
    private readonly fonts: Fonts,
  ) {
    this.newPage();
    this.firstPage = this.page;
  }

  private newPage(): void {
    this.page = this.pdf.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  private ensure(height: number): void {
    if (this.y - height < MARGIN) this.newPage();
  }

  space(points: number): void {
    this.y -= points;
  }

  /** One paragraph, wrapped to the width after `indent`. */
  text(value: string, opts: { size?: number; bold?: boolean; indent?: number; colour?: number } = {}): void {
    const size = opts.size ?? BODY;
    const font = opts.bold ? this.fonts.bold : this.fonts.regular;
    const indent = opts.indent ?? 0;
    const width = A4[0] - 2 * MARGIN - indent;
    for (const line of wrap(this.fonts.clean(value), font, size, width)) {
      this.ensure(size * LEADING);
      this.y -= size * LEADING;
      this.page.drawText(line, { x: MARGIN + indent, y: this.y, size, font, color: rgb(opts.colour ?? 0, opts.colour ?? 0, opts.colour ?? 0) });
    }
  }

  /** A label and its value on one line (the value wraps under itself). */
  field(label: string, value: string, labelWidth = 150): void {
    const size = BODY;
    const lines = wrap(this.fonts.clean(value), this.fonts.regular, size, A4[0] - 2 * MARGIN - labelWidth);
    this.ensure(size * LEADING * lines.length);
    this.y -= size * LEADING;
    this.page.drawText(this.fonts.clean(label), { x: MARGIN, y: this.y, size, font: this.fonts.bold });
    lines.forEach((line, i) => {
      if (i > 0) this.y -= size * LEADING;
      this.page.drawText(line, { x: MARGIN + labelWidth, y: this.y, size, font: this.fonts.regular });
    });
  }
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.split(/\r?\n/)) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(candidate, size) <= width) {
        line = candidate;
        continue;
      }
      if (line) out.push(line);
      // A word wider than the line (a long address) is cut where it must be.
      let rest = word;
      while (font.widthOfTextAtSize(rest, size) > width && rest.length > 1) {
        let n = rest.length - 1;
        while (n > 1 && font.widthOfTextAtSize(rest.slice(0, n), size) > width) n--;
        out.push(rest.slice(0, n));
        rest = rest.slice(n);
      }
      line = rest;
    }
    out.push(line);
  }
  return out;
}

function drawCover(sheet: Sheet, a: PackApplicant, plan: PackPlan): void {
  sheet.text(`${plan.programme.title}`, { size: 9, colour: 0.35 });
  sheet.text('Committee pack: cover sheet', { size: 9, colour: 0.35 });
  sheet.space(10);
  sheet.text(a.name, { size: 18, bold: true });
  sheet.space(8);
  for (const l of a.lines) sheet.field(l.label, l.value);
  sheet.space(12);
  sheet.text('Flags cleared by staff', { size: 12, bold: true });
  if (a.flagsCleared.length === 0) sheet.text('None: no flag needed clearing.', { indent: 12 });
  for (const f of a.flagsCleared) sheet.text(`• ${f}`, { indent: 12 });
  if (a.remarks.length) {
    sheet.space(8);
    sheet.text('Remarks on the application', { size: 12, bold: true });
    for (const r of a.remarks) sheet.text(`• ${r}`, { indent: 12 });
  }
  sheet.space(12);
  sheet.text('Notes from the office to the committee', { size: 12, bold: true });
  if (a.notes.length === 0) sheet.text('None.', { indent: 12 });
  for (const n of a.notes) {
    sheet.text(`${n.author}, ${n.at}:`, { indent: 12, colour: 0.35 });
    sheet.text(n.text, { indent: 24 });
  }
  sheet.space(12);
  sheet.text('Documents in this file', { size: 12, bold: true });
  if (a.sections.length === 0) sheet.text('No section files were stored for this application.', { indent: 12 });
  for (const s of a.sections) sheet.text(`• ${s.title}`, { indent: 12 });
  sheet.space(12);
  sheet.text(`Made ${plan.generatedAt}. Confidential: for the evaluation committee only.`, { size: 8, colour: 0.35 });
}

/**
 * Writes the document outline: one top-level item per entry, in order, each opening its page.
 * Exported for the test that checks the tree with pdf.js.
 */
export function addOutline(pdf: PDFDocument, items: ReadonlyArray<{ title: string; page: PDFRef }>): void {
  if (items.length === 0) return;
  const ctx = pdf.context;
  const rootRef = ctx.nextRef();
  const refs = items.map(() => ctx.nextRef());
  items.forEach((item, i) => {
    const dict = ctx.obj({});
    dict.set(PDFName.of('Title'), PDFHexString.fromText(item.title));
    dict.set(PDFName.of('Parent'), rootRef);
    if (i > 0) dict.set(PDFName.of('Prev'), refs[i - 1]!);
    if (i < refs.length - 1) dict.set(PDFName.of('Next'), refs[i + 1]!);
    dict.set(PDFName.of('Dest'), ctx.obj([item.page, PDFName.of('Fit')]));
    ctx.assign(refs[i]!, dict);
  });
  const root = ctx.obj({});
  root.set(PDFName.of('Type'), PDFName.of('Outlines'));
  root.set(PDFName.of('First'), refs[0]!);
  root.set(PDFName.of('Last'), refs[refs.length - 1]!);
  root.set(PDFName.of('Count'), PDFNumber.of(refs.length));
  ctx.assign(rootRef, root);
  pdf.catalog.set(PDFName.of('Outlines'), rootRef);
  // Readers open the bookmarks pane.
  pdf.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
}

function setInfo(pdf: PDFDocument, title: string, now: Date): void {
  pdf.setTitle(title, { showInWindowTitleBar: true });
  pdf.setProducer('esor-intake');
  pdf.setCreator('esor-intake committee pack');
  pdf.setCreationDate(now);
  pdf.setModificationDate(now);
}

/**
 * One applicant's PDF: the cover sheet, then each section's PDF (`sectionPdfs[i]` for
 * `a.sections[i]`, undefined when its file could not be read), one bookmark per section.
 */
export async function renderApplicantPdf(a: PackApplicant, plan: PackPlan, sectionPdfs: ReadonlyArray<Uint8Array | undefined>, opts: PackPdfOptions): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const fonts = await embedFonts(pdf, opts.font, opts.boldFont);
  setInfo(pdf, `${a.name}: ${plan.programme.title}`, opts.now);
  drawCover(new Sheet(pdf, fonts), a, plan);
  const outline: Array<{ title: string; page: PDFRef }> = [];
  for (const [i, section] of a.sections.entries()) {
    const first = await appendSection(pdf, fonts, section.title, sectionPdfs[i]);
    outline.push({ title: section.title, page: first.ref });
  }
  addOutline(pdf, outline);
  return pdf.save({ useObjectStreams: false });
}

/** Appends one section's pages; returns the first. A file that cannot be read gives a page saying so. */
async function appendSection(pdf: PDFDocument, fonts: Fonts, title: string, data: Uint8Array | undefined): Promise<PDFPage> {
  if (data) {
    try {
      const src = await PDFDocument.load(data, { ignoreEncryption: true, updateMetadata: false });
      const pages = await pdf.copyPages(src, src.getPageIndices());
      if (pages.length > 0) {
        for (const p of pages) pdf.addPage(p);
        return pages[0]!;
      }
    } catch {
      // falls through to the placeholder page
    }
  }
  const sheet = new Sheet(pdf, fonts);
  sheet.text(title, { size: 14, bold: true });
  sheet.space(8);
  sheet.text('The file of this section could not be read when the pack was made. The office has the application as received.');
  return sheet.firstPage;
}

/** The index sheet: one line per applicant, in the pack's order. */
export async function renderIndexPdf(plan: PackPlan, opts: PackPdfOptions): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const fonts = await embedFonts(pdf, opts.font, opts.boldFont);
  setInfo(pdf, `Index: ${plan.programme.title}`, opts.now);
  const sheet = new Sheet(pdf, fonts);
  sheet.text(plan.programme.title, { size: 16, bold: true });
  sheet.text(`Committee pack, made ${plan.generatedAt}: ${plan.applicants.length} application${plan.applicants.length === 1 ? '' : 's'}.`, { colour: 0.35 });
  sheet.space(10);
  const rows = indexRows(plan);
  if (rows.length === 0) sheet.text('No application is in this pack.');
  rows.forEach((r, i) => {
    sheet.text(`${i + 1}. ${r.name}, nationality ${r.nationality}; received ${r.received}; ${r.sections} document${r.sections === 1 ? '' : 's'} (file ${r.file})`);
  });
  sheet.space(12);
  sheet.text('Confidential: for the evaluation committee only.', { size: 8, colour: 0.35 });
  return pdf.save({ useObjectStreams: false });
}
