/**
 * The application's files: the whole PDF, one section's PDF, one page as a
 * PNG. A request names only ids and numbers; the file references come from
 * the store and the stored mail, and only a reference the BlobStore itself
 * issues is served (a forged path in stored JSON never is). Once retention
 * deleted an application's passports and certificates with the mail and PDF
 * holding them, each of these says so on a page (404) instead of failing on
 * the missing file.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApplicationView, RevisionView } from '../../../core/ports/store';
import { safeError } from '../../common/logger';
import { isId, parsePositiveInt, sendMessage, staffOf, stringField, type RouteModule } from '../context';
import { documentsErasedAt, loadRevisionDocuments, locatePage, pickRevision } from '../documents';
import { erasedDay } from '../views/application';

/** Widths the thumbnails and the page view ask for; the renderer caches each. */
export const PAGE_WIDTHS = [120, 240, 480, 800] as const;
const SECTION_FILE = /^([a-z][a-z_]{0,39})(?:-p(\d{1,5}))?\.pdf$/;
const PAGE_FILE = /^(\d{1,5})\.png$/;

function notFound(reply: FastifyReply): FastifyReply {
  return reply.code(404).type('text/plain; charset=utf-8').send('Not found.\n');
}

/** `inline` or `attachment` with an ASCII file name made of ids, never the applicant's own file name. */
export function contentDisposition(download: boolean, name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120);
  return `${download ? 'attachment' : 'inline'}; filename="${safe}"`;
}

export const fileRoutes: RouteModule = (app, { deps, words }) => {
  const config = { kind: 'file' as const };

  /** The answer for a file retention deleted: when and what, in words, as the application page says it. */
  function deleted(request: FastifyRequest, reply: FastifyReply, at: string, what: string): FastifyReply {
    return sendMessage(
      reply,
      404,
      'Deleted under the retention period',
      `${what} was deleted under the retention period on ${erasedDay(at, words())}. Retention deletes the passport and certificates of an application with the e-mail as received and the PDF that contained them; its other documents are kept on the application's page.`,
      staffOf(request),
    );
  }

  async function revisionOf(request: FastifyRequest<{ Params: { id: string } }>): Promise<{ application: ApplicationView; revision: RevisionView } | undefined> {
    const { id } = request.params;
    if (!isId(id)) return undefined;
    const application = await deps.store.getApplication(id);
    if (!application) return undefined;
    const revParam = stringField(request.query, 'rev');
    const revision = pickRevision(application, revParam === undefined ? undefined : (parsePositiveInt(revParam) ?? -1));
    return revision ? { application, revision } : undefined;
  }

  async function sendPdf(request: FastifyRequest, reply: FastifyReply, file: string, name: string): Promise<FastifyReply> {
    if (!deps.files.isRef(file)) {
      request.log.warn({ route: request.routeOptions.url }, 'dashboard: a stored file reference is not one of the file store; not served');
      return notFound(reply);
    }
    const data = await deps.files.readFile(file).catch(() => undefined);
    if (!data) return notFound(reply);
    const download = stringField(request.query, 'download') === '1';
    return reply.type('application/pdf').header('content-disposition', contentDisposition(download, name)).send(data);
  }

  app.get<{ Params: { id: string } }>('/applications/:id/pdf', { config }, async (request, reply) => {
    staffOf(request);
    const found = await revisionOf(request);
    if (!found) return notFound(reply);
    const erasedAt = await documentsErasedAt(deps.store, found.application.id, found.revision);
    if (erasedAt) return deleted(request, reply, erasedAt, 'The PDF of this application');
    const docs = await loadRevisionDocuments(deps.files, found.revision);
    const docParam = stringField(request.query, 'doc');
    const index = docParam === undefined ? 0 : /^\d{1,3}$/.test(docParam) ? Number(docParam) : -1;
    const doc = docs.pdfs[index];
    if (!doc) return notFound(reply);
    const suffix = docs.pdfs.length > 1 ? `-${index + 1}` : '';
    return sendPdf(request, reply, doc.path, `application-${found.application.id.slice(0, 8)}-r${found.revision.revision}${suffix}.pdf`);
  });

  app.get<{ Params: { id: string; file: string } }>('/applications/:id/sections/:file', { config }, async (request, reply) => {
    staffOf(request);
    const m = SECTION_FILE.exec(request.params.file);
    if (!m) return notFound(reply);
    const found = await revisionOf(request);
    if (!found) return notFound(reply);
    const section = m[1]!;
    const first = m[2] === undefined ? undefined : Number(m[2]);
    const files = await deps.store.listSectionFiles(found.application.id, found.revision.revision);
    const file = files.find((f) => f.section === section && (first === undefined || f.pages[0] === first));
    if (!file) {
      // A passport's or certificate's PDF retention deleted (its row went with it); the others are kept.
      const erasedAt = await documentsErasedAt(deps.store, found.application.id, found.revision);
      return erasedAt ? deleted(request, reply, erasedAt, 'This document') : notFound(reply);
    }
    return sendPdf(request, reply, file.path, `application-${found.application.id.slice(0, 8)}-r${found.revision.revision}-${section}-p${file.pages[0]}-${file.pages[1]}.pdf`);
  });

  app.get<{ Params: { id: string; file: string } }>('/applications/:id/pages/:file', { config }, async (request, reply) => {
    staffOf(request);
    const m = PAGE_FILE.exec(request.params.file);
    const n = m ? Number(m[1]) : 0;
    if (n < 1) return notFound(reply);
    const wParam = stringField(request.query, 'w') ?? '120';
    const width = PAGE_WIDTHS.find((w) => String(w) === wParam);
    if (!width) return reply.code(400).type('text/plain; charset=utf-8').send(`w must be one of ${PAGE_WIDTHS.join(', ')}.\n`);
    const found = await revisionOf(request);
    if (!found) return notFound(reply);
    const erasedAt = await documentsErasedAt(deps.store, found.application.id, found.revision);
    if (erasedAt) return deleted(request, reply, erasedAt, 'This page');
    const docs = await loadRevisionDocuments(deps.files, found.revision);
    const at = locatePage(docs, n);
    if (!at || !deps.files.isRef(at.doc.path)) return notFound(reply);
    try {
      const png = await deps.renderPage(at.doc.path, at.doc.sha256, at.page, width);
      return reply.type('image/png').send(png);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code === 'PAGE_OUT_OF_RANGE') return notFound(reply);
      request.log.warn({ err: safeError(err), route: request.routeOptions.url }, 'dashboard: page not rendered');
      if (code === 'RENDER_TIMEOUT') return reply.code(503).header('retry-after', '5').type('text/plain; charset=utf-8').send('The page took too long to render; try again.\n');
      return reply.code(502).type('text/plain; charset=utf-8').send('The page could not be rendered.\n');
    }
  });
};
