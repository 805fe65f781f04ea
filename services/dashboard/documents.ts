/**
 * The mail and PDF files of one revision, found through the store and the
 * stored mail record, never through a URL: a request names an application,
 * a revision, a page number or a section id, and the file reference comes
 * from here (routes/files.ts serves it only when the BlobStore says it is one
 * of its own: `files.isRef`).
 */
import type { BlobStore } from '../../core/ports/blob-store';
import type { ApplicationView, RevisionView, Store } from '../../core/ports/store';
import type { StoredAnalysis } from '../../core/stored/stored-analysis';
import type { StoredMail } from '../../core/stored/stored-mail';

export interface PdfDocument {
  /** Index in the mail's PDFs. */
  index: number;
  filename: string;
  /** The BlobStore reference of the PDF (core/ports/blob-ref.ts), as the stored mail gives it. */
  path: string;
  sha256: string;
  /** The application page number (1-based, across all the mail's PDFs) of this PDF's first page; absent when unknown (unreadable). */
  firstPage?: number;
  pageCount?: number;
}

export interface RevisionDocuments {
  mail?: StoredMail;
  pdfs: PdfDocument[];
  /** Pages of the application (all readable PDFs), when known. */
  totalPages?: number;
}

/**
 * The revision's mail and PDFs. Page numbers run on across the mail's PDFs, as
 * the analyse stage numbered them; its stored analysis tells where each PDF
 * starts. Missing files give an empty answer rather than an error.
 */
export async function loadRevisionDocuments(files: BlobStore, revision: RevisionView): Promise<RevisionDocuments> {
  const mail = await files.readJson<StoredMail>('mail', revision.messageId).catch(() => undefined);
  if (!mail) return { pdfs: [] };
  const analysis = await files.readJson<StoredAnalysis>('analysis', revision.messageId).catch(() => undefined);
  const offset = mail.tooLarge ? 1 : 0;
  const pdfs: PdfDocument[] = (mail.pdfs ?? []).map((p, index) => {
    const doc: PdfDocument = { index, filename: p.filename, path: p.path, sha256: p.sha256 };
    const analysed = analysis?.pdfs?.[index + offset];
    if (analysed && 'pages' in analysed && analysed.pages.length > 0) {
      doc.firstPage = analysed.pages[0]!.num;
      doc.pageCount = analysed.pages.length;
    } else if (!analysis && index === 0) {
      doc.firstPage = 1;
      if (revision.result.pdf?.pages) doc.pageCount = revision.result.pdf.pages;
    }
    return doc;
  });
  const counted = pdfs.filter((d) => d.pageCount !== undefined);
  const totalPages = counted.length > 0 ? Math.max(...counted.map((d) => d.firstPage! + d.pageCount! - 1)) : revision.result.pdf?.pages;
  return { mail, pdfs, ...(totalPages ? { totalPages } : {}) };
}

/** The PDF and its own page number holding application page `n`. */
export function locatePage(docs: RevisionDocuments, n: number): { doc: PdfDocument; page: number } | undefined {
  for (const doc of docs.pdfs) {
    if (doc.firstPage === undefined) continue;
    const last = doc.pageCount !== undefined ? doc.firstPage + doc.pageCount - 1 : Infinity;
    if (n >= doc.firstPage && n <= last) return { doc, page: n - doc.firstPage + 1 };
  }
  return undefined;
}

/** The revision a request asks for (`?rev=`), else the latest. */
export function pickRevision(app: ApplicationView, rev: number | undefined): RevisionView | undefined {
  if (rev === undefined) return app.latest;
  return app.revisions.find((r) => r.revision === rev);
}

/** The event retention's first step records (adapters/store/sqlite-erasure.ts `removeSectionFiles`). */
const DOCUMENTS_ERASED = 'application.documents_erased';

/**
 * When retention deleted the passports and certificates of `revision`, with the mail as received and the
 * PDF that held them (the latest `application.documents_erased` event of the application, ISO instant):
 * the page then says so instead of asking for previews of a PDF that is gone, and the file routes answer
 * in words. Undefined when they were not deleted, or for a submission received after the run (its files
 * are its own).
 */
export async function documentsErasedAt(store: Pick<Store, 'listEvents'>, applicationId: string, revision: RevisionView): Promise<string | undefined> {
  const event = (await store.listEvents(applicationId, 1000)).find((e) => e.action === DOCUMENTS_ERASED);
  if (!event || Date.parse(revision.receivedAt) > Date.parse(event.at)) return undefined;
  return event.at;
}
