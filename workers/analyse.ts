/**
 * Stage 2, analyse: reads each PDF's pages (pdf-parse), classifies and
 * segments them against the required order, and cuts one PDF per section
 * (pdf-lib). The result is kept for the triage stage and for dry runs.
 */
import { readPdfPages, PdfUnreadableError } from '../adapters/pdf-reader';
import { splitSections } from '../adapters/pdf-splitter';
import { analyseDocuments, type PdfInput } from '../core/triage/triage-application';
import { missingFile } from './errors';
import { advanceMessageState } from './message-state';
import type { Stage } from './stage-context';
import type { StoredAnalysis } from '../core/stored/stored-analysis';
import type { StoredMail } from '../core/stored/stored-mail';

export const analyse: Stage = {
  name: 'analyse',
  async run({ messageId }, ctx) {
    const mail = await ctx.files.readJson<StoredMail>('mail', messageId).catch(missingFile('the parsed mail is missing (ingest did not run)'));
    const pdfs: PdfInput[] = [];
    const bytes: Buffer[] = [];
    let next = 1;
    if (mail.tooLarge) pdfs.push({ filename: 'the attached PDF', unreadable: mail.tooLarge });
    for (const p of mail.pdfs) {
      const data = await ctx.files.readFile(p.path);
      try {
        const pages = await readPdfPages(data, next, ctx.ocr ? { ocr: ctx.ocr } : {});
        next += pages.length;
        pdfs.push({ filename: p.filename, pages });
        bytes.push(data);
      } catch (err) {
        // An unreadable PDF is a verdict (unreadable_pdf), not a failed job.
        const reason = err instanceof PdfUnreadableError ? err.reason : 'the file is damaged or incomplete';
        pdfs.push({ filename: p.filename, unreadable: reason });
      }
    }
    const analysis = analyseDocuments({ pdfs }, ctx.rules());
    const sectionFiles: StoredAnalysis['sectionFiles'] = [];
    if (analysis.segmentation) {
      for (const { span, data } of await splitSections(bytes, analysis.segmentation.spans)) {
        const name = `${span.id}-${span.pages[0]}-${span.pages[1]}`;
        sectionFiles.push({ section: span.id, pages: span.pages, ...(await ctx.files.writeSection(messageId, name, data)) });
      }
    }
    const stored: StoredAnalysis = { pdfs, analysis, sectionFiles };
    await ctx.files.writeJson('analysis', messageId, stored);
    await advanceMessageState(ctx, messageId, 'analysed');
    await ctx.enqueue('triage', messageId);
  },
};
