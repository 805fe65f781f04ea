/** What the analyse stage keeps of a mail's PDFs for the triage stage, the dashboard and dry runs. */
import type { DocumentAnalysis, PdfInput } from '../triage/triage-application';

export interface StoredAnalysis {
  pdfs: PdfInput[];
  analysis: DocumentAnalysis;
  sectionFiles: Array<{ section: string; pages: [number, number]; path: string; sha256: string }>;
}
