/**
 * Cuts the application into one PDF per section with pdf-lib. Pages are
 * numbered across all the mail's readable PDFs, as in the triage result.
 */
import { PDFDocument } from 'pdf-lib';
import type { SectionSpan } from '../core/types';

/**
 * One PDF per span, in span order. A PDF pdf-lib cannot load (encrypted,
 * damaged) yields no sections for its pages rather than an error.
 */
export async function splitSections(pdfs: Uint8Array[], spans: readonly SectionSpan[]): Promise<Array<{ span: SectionSpan; data: Uint8Array }>> {
  const pages: Array<{ doc: PDFDocument; index: number }> = [];
  for (const data of pdfs) {
    let doc: PDFDocument;
    try {
      doc = await PDFDocument.load(data, { updateMetadata: false, throwOnInvalidObject: false });
    } catch {
      continue;
    }
    for (let i = 0; i < doc.getPageCount(); i++) pages.push({ doc, index: i });
  }
  const out: Array<{ span: SectionSpan; data: Uint8Array }> = [];
  for (const span of spans) {
    const wanted = pages.slice(span.pages[0] - 1, span.pages[1]);
    if (wanted.length !== span.pages[1] - span.pages[0] + 1) continue;
    const target = await PDFDocument.create();
    // One copyPages call per source document: shared fonts are copied once, not per page.
    let i = 0;
    while (i < wanted.length) {
      const doc = wanted[i]!.doc;
      const run: number[] = [];
      while (i < wanted.length && wanted[i]!.doc === doc) run.push(wanted[i++]!.index);
      for (const page of await target.copyPages(doc, run)) target.addPage(page);
    }
    out.push({ span, data: await target.save() });
  }
  return out;
}
