/**
 * The text layer of a PDF with pdf-parse (pdf.js). Runs inside the PDF
 * sandbox child (adapters/pdf-sandbox/child.ts), never in the service's own
 * process: a decompression bomb or a pathological content stream must cost a
 * child that can be killed, not the worker's heap or event loop.
 */
import { InvalidPDFException, PDFParse, PasswordException } from 'pdf-parse';
import type { PageText } from '../../core/types';
import { type FormDocument, readWidgets, withFormValues } from './form-fields';

/** A PDF that can never be read: encrypted with a password, corrupt, empty, absurdly large or over budget. */
export class PdfUnreadableError extends Error {
  readonly code = 'PDF_UNREADABLE';
  constructor(
    /** A short reason an applicant understands, e.g. "it is protected by a password". */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`PDF unreadable: ${reason}`, options);
    this.name = 'PdfUnreadableError';
  }
}

/** Beyond this many pages a file is not an application; reading it would only cost time. */
export const MAX_PAGES = 1000;

/**
 * A page's text is cut here (an application page holds a few thousand characters): the text crosses
 * to the caller's process, which must not receive hundreds of MB from one crafted content stream.
 */
export const MAX_PAGE_TEXT = 256 * 1024;
/** More text than this in all is no application (1,000 full pages are ≈5 M characters). */
export const MAX_TOTAL_TEXT = 32 * 1024 * 1024;

const PDF_MAGIC = Buffer.from('%PDF-');

/** Cheap checks that need no PDF parser (and so no child process). */
export function precheckPdf(data: Uint8Array): void {
  if (data.length === 0) throw new PdfUnreadableError('the file is empty');
  if (Buffer.from(data.subarray(0, 1024)).indexOf(PDF_MAGIC) < 0) throw new PdfUnreadableError('it is not a PDF file');
}

export async function readTextLayer(data: Uint8Array, firstPageNumber: number): Promise<PageText[]> {
  precheckPdf(data);
  // pdf.js takes ownership of the buffer it is given; keep the caller's bytes intact.
  const parser = new PDFParse({ data: new Uint8Array(data), verbosity: 0 });
  try {
    const info = await parser.getInfo();
    if (info.total === 0) throw new PdfUnreadableError('it has no pages');
    if (info.total > MAX_PAGES) throw new PdfUnreadableError(`it has ${info.total} pages, more than ${MAX_PAGES}`);
    // A filled form's answers are widget values, not page text: only a document with an AcroForm has them.
    // Read before the text, so that the widget reader's memory is gone before the text's is taken.
    const widgets = (info.info as { IsAcroFormPresent?: unknown } | undefined)?.IsAcroFormPresent === true ? await readWidgets(data) : undefined;
    const result = await parser.getText();
    const form = widgets && widgets.size > 0 ? await formDocument(parser) : undefined;
    let total = 0;
    const pages: PageText[] = [];
    for (const p of result.pages) {
      // Image-only by the page's own text: a scan with filled fields still goes to OCR, which reads the rendered
      // page, fields with appearance streams included (pdftoppm draws them); the values alone would keep it from OCR.
      const imageOnly = !/\S/.test(p.text.slice(0, MAX_PAGE_TEXT));
      const onPage = widgets?.get(p.num);
      let text = form && onPage ? await formValuesOf(form, p.num, p.text, onPage) : p.text;
      if (text.length > MAX_PAGE_TEXT) text = text.slice(0, MAX_PAGE_TEXT);
      total += text.length;
      if (total > MAX_TOTAL_TEXT) throw new PdfUnreadableError('it holds far more text than an application');
      pages.push({ num: firstPageNumber + p.num - 1, text, imageOnly });
    }
    return pages;
  } catch (err) {
    throw toUnreadable(err);
  } finally {
    await parser.destroy().catch(() => undefined);
  }
}

/** The pdf.js document pdf-parse opened (its `load()`, cached after getInfo), or undefined if this pdf-parse has none. */
async function formDocument(parser: PDFParse): Promise<FormDocument | undefined> {
  const load = (parser as unknown as { load?: () => Promise<FormDocument> }).load;
  return typeof load === 'function' ? load.call(parser) : undefined;
}

/** A page's text with its form's values; the text alone when the page's widgets cannot be read. */
async function formValuesOf(doc: FormDocument, num: number, text: string, widgets: readonly unknown[]): Promise<string> {
  const page = await doc.getPage(num);
  try {
    return await withFormValues(page, text, widgets);
  } catch {
    return text; // a broken widget costs its values, never the page's text
  } finally {
    page.cleanup();
  }
}

function toUnreadable(err: unknown): PdfUnreadableError {
  if (err instanceof PdfUnreadableError) return err;
  if (err instanceof PasswordException) return new PdfUnreadableError('it is protected by a password', { cause: err });
  if (err instanceof InvalidPDFException) return new PdfUnreadableError('the file is damaged or incomplete', { cause: err });
  return new PdfUnreadableError('the file is damaged or incomplete', { cause: err });
}
