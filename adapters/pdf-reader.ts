/**
 * Reads the text of each page of a PDF with pdf-parse (pdf.js). The only
 * place that touches PDF bytes for text; the core sees PageText only.
 *
 * pdf.js runs in a sandbox child process (adapters/pdf-sandbox/) under a wall
 * time and memory budget: a decompression bomb or a content stream that takes
 * minutes costs that child, and the PDF gets a reason ("the PDF took too long
 * to read"), never the worker's heap or event loop.
 */
import type { PageText } from '../core/types';
import type { OcrEngine } from './ocr';
import { DEFAULT_PDF_READ_LIMITS, readTextLayerSandboxed, type PdfReadLimits } from './pdf-sandbox/pool';
import { respaceLetterSpacedPages } from './spaced-text';

export { MAX_PAGES, MAX_PAGE_TEXT, PdfUnreadableError } from './pdf-sandbox/text-layer';
export { DEFAULT_PDF_READ_LIMITS, TOO_BIG_REASON, TOO_SLOW_REASON, closePdfSandbox, type PdfReadLimits } from './pdf-sandbox/pool';

let configured: PdfReadLimits = { ...DEFAULT_PDF_READ_LIMITS };

/**
 * Sets the budgets used when a caller passes none (config `limits.pdfReadMs` / `limits.pdfReadMemoryMb`),
 * so the callers' signatures stay as they are.
 */
export function configurePdfReading(limits: Partial<PdfReadLimits>): void {
  configured = { ...configured, ...limits };
}

/**
 * Per-page text of a PDF, 1-based page numbers starting at `firstPageNumber`. Letter-spaced pages
 * are read again by pdftotext (./spaced-text.ts). With an OCR engine, pages without a text layer
 * (scans) are read by OCR.
 * @throws PdfUnreadableError when the file is encrypted, corrupt, empty, too long, or over its time or memory budget.
 */
export async function readPdfPages(
  data: Uint8Array,
  firstPageNumber = 1,
  opts: { ocr?: OcrEngine; limits?: Partial<PdfReadLimits> } = {},
): Promise<PageText[]> {
  const read = await readTextLayerSandboxed(data, firstPageNumber, { ...configured, ...opts.limits });
  const pages = await respaceLetterSpacedPages(data, read, firstPageNumber);
  return opts.ocr ? opts.ocr.readScannedPages(data, pages) : pages;
}
