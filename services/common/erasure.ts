/**
 * Carries out (or, in a dry run, describes) the deletion of one application
 * or of its identity documents and certificates, for the retention and
 * erasure commands. The plan of what is due is the core's
 * (core/retention/plan-retention.ts); this file finds the files behind an
 * application through the ports and deletes them.
 *
 * Order: files first, then the rows that name them, with the event in the
 * rows' transaction. A run cut short leaves rows pointing at files already
 * gone (harmless; the next run finishes), never a file no row leads to.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createFileEraser } from '../../adapters/file-eraser';
import { createFileStore } from '../../adapters/file-store';
import { openSqliteEraser } from '../../adapters/store/sqlite-erasure';
import { openSqliteStore } from '../../adapters/store/sqlite-store';
import type { BlobStore } from '../../core/ports/blob-store';
import type { FileEraser, RecordEraser } from '../../core/ports/erasure';
import type { Store } from '../../core/ports/store';
import { isMessageKey, MESSAGE_EVENTS, STAFF_MESSAGE_KIND } from '../../core/reply/staff-message';
import { SENSITIVE_SECTIONS, type RetentionStep } from '../../core/retention/plan-retention';
import type { StoredMail } from '../../core/stored/stored-mail';
import type { Config } from './config';

export interface ErasureDeps {
  store: Store;
  files: BlobStore;
  records: RecordEraser;
  fileEraser: FileEraser;
}

/** What one step would delete: counts and section names for the listing, refs for the deletion. */
export interface ErasureWork {
  applicationId: string;
  programme: string | null;
  step: RetentionStep;
  /** Section files (section and pages) that go. */
  sections: Array<{ section: string; pages: [number, number]; ref: string }>;
  /** Raw mails and attached PDFs (they contain every document). */
  originals: string[];
  /** Per message: the JSON kinds that go. */
  json: Array<{ kind: string; messageId: string }>;
  /** PDFs whose cached page images go. */
  pdfSha256: string[];
  messageIds: string[];
  revisions: number;
  /** Originals left in place because another application of the same applicant uses the same file. */
  keptShared: number;
}

const SENSITIVE = new Set<string>(SENSITIVE_SECTIONS);

/** Finds what the step would delete (reads only). Undefined when the application is gone. */
export async function describeErasure(deps: Pick<ErasureDeps, 'store' | 'files'>, applicationId: string, step: RetentionStep): Promise<ErasureWork | undefined> {
  const view = await deps.store.getApplication(applicationId);
  if (!view) return undefined;
  const work: ErasureWork = { applicationId, programme: view.programme, step, sections: [], originals: [], json: [], pdfSha256: [], messageIds: [], revisions: view.revisions.length, keptShared: 0 };
  for (const rev of view.revisions) {
    work.messageIds.push(rev.messageId);
    for (const f of await deps.store.listSectionFiles(applicationId, rev.revision)) {
      if (step === 'application' || SENSITIVE.has(f.section)) work.sections.push({ section: f.section, pages: f.pages, ref: f.path });
    }
    const message = await deps.store.getMessage(rev.messageId);
    if (message?.rawPath && message.rawPath !== 'erased') work.originals.push(message.rawPath);
    const mail = await Promise.resolve(deps.files.readJson<StoredMail>('mail', rev.messageId)).catch(() => undefined);
    for (const pdf of mail?.pdfs ?? []) {
      work.originals.push(pdf.path);
      work.pdfSha256.push(pdf.sha256);
    }
    // The page texts hold every document's words (a passport's machine-readable zone): they go in the first step.
    work.json.push({ kind: 'analysis', messageId: rev.messageId });
    if (step === 'application') work.json.push({ kind: 'mail', messageId: rev.messageId });
  }
  // What staff wrote to the applicant is kept under each message's key, named only by the event log.
  if (step === 'application') {
    for (const e of await deps.store.listEvents(applicationId, 1000)) {
      if (e.action === MESSAGE_EVENTS.requested && isMessageKey(e.detail.key)) work.json.push({ kind: STAFF_MESSAGE_KIND, messageId: e.detail.key });
    }
  }
  work.originals = [...new Set(work.originals)];
  work.pdfSha256 = [...new Set(work.pdfSha256)];
  // Files are stored by their content: an applicant who sent the same PDF to two programmes has one
  // PDF file behind both applications. What another application still uses stays until it goes too.
  const shared = await filesOfOtherApplications(deps, view.applicantEmail, applicationId);
  work.keptShared = work.originals.filter((r) => shared.refs.has(r)).length;
  work.originals = work.originals.filter((r) => !shared.refs.has(r));
  work.pdfSha256 = work.pdfSha256.filter((sha) => !shared.shas.has(sha));
  return work;
}

async function filesOfOtherApplications(deps: Pick<ErasureDeps, 'store' | 'files'>, email: string | null, except: string): Promise<{ refs: Set<string>; shas: Set<string> }> {
  const refs = new Set<string>();
  const shas = new Set<string>();
  if (!email) return { refs, shas };
  for (const other of await deps.store.listApplicationsOf(email)) {
    if (other.id === except) continue;
    const view = await deps.store.getApplication(other.id);
    for (const rev of view?.revisions ?? []) {
      const message = await deps.store.getMessage(rev.messageId);
      if (message?.rawPath) refs.add(message.rawPath);
      const mail = await Promise.resolve(deps.files.readJson<StoredMail>('mail', rev.messageId)).catch(() => undefined);
      for (const pdf of mail?.pdfs ?? []) {
        refs.add(pdf.path);
        shas.add(pdf.sha256);
      }
    }
  }
  return { refs, shas };
}

export interface ErasureDone {
  filesDeleted: number;
  rowsRemoved: number;
}

/** Deletes what `work` lists, then the rows, recording the event. @throws what the ports throw (the next run picks up). */
export async function carryOutErasure(deps: ErasureDeps, work: ErasureWork, event: { actor: string; reason: 'retention' | 'request'; at: string }): Promise<ErasureDone> {
  let filesDeleted = 0;
  for (const s of work.sections) if (await deps.fileEraser.eraseRef(s.ref)) filesDeleted++;
  for (const ref of work.originals) if (await deps.fileEraser.eraseRef(ref)) filesDeleted++;
  for (const j of work.json) if (await deps.fileEraser.eraseJson(j.kind, j.messageId)) filesDeleted++;
  for (const sha of work.pdfSha256) filesDeleted += await deps.fileEraser.eraseThumbnails(sha);
  if (work.step === 'application') {
    for (const id of work.messageIds) filesDeleted += await deps.fileEraser.eraseSections(id);
    const counts = await deps.records.eraseApplication(work.applicationId, event);
    return { filesDeleted, rowsRemoved: counts.revisions + counts.sectionFiles + counts.notes + counts.replies + 1 };
  }
  const rows = await deps.records.removeSectionFiles(work.applicationId, [...SENSITIVE_SECTIONS], event);
  return { filesDeleted, rowsRemoved: rows };
}

/** One line for the listing: ids, the step, and what goes, never a name or an address. */
export function describeLine(work: ErasureWork): string {
  const what = work.step === 'application' ? 'the whole application' : 'identity documents and certificates';
  const sections = work.sections.map((s) => `${s.section} p${s.pages[0]}-${s.pages[1]}`).join(', ') || 'no section files';
  const kept = work.keptShared ? ` (${work.keptShared} kept: another application of the same applicant uses it)` : '';
  return `${work.applicationId} (${work.programme ?? 'programme unknown'}): ${what}; ${work.revisions} revision(s), ${work.originals.length} original file(s)${kept}, sections: ${sections}`;
}

/** The deleting handles beside the store and files, on the data folder the service uses. */
export function openErasers(dataDir: string): { records: RecordEraser; fileEraser: FileEraser } {
  return {
    records: openSqliteEraser(path.join(dataDir, 'esor-intake.sqlite')),
    fileEraser: createFileEraser(path.join(dataDir, 'files'), path.join(dataDir, 'thumbnails')),
  };
}

/** What the erase and retention commands work on: the store, its files and, unless a dry run, the erasers. */
export interface ErasureTarget {
  store: Store;
  files: BlobStore;
  erasers?: { records: RecordEraser; fileEraser: FileEraser };
}

/**
 * Why there is nothing to erase from. `POSTGRES`: the record eraser is SQLite's only
 * (adapters/store/sqlite-erasure.ts). `NO_STORE`: no store file in the data folder. The dashboard says it
 * in words by the code; the commands print the message.
 */
export class ErasureUnavailableError extends Error {
  constructor(
    readonly code: 'POSTGRES' | 'NO_STORE',
    message: string,
  ) {
    super(message);
    this.name = 'ErasureUnavailableError';
  }
}

/**
 * Opens the data folder's store, files and (unless `dryRun`) erasers for `run`, and closes them after.
 * @throws ErasureUnavailableError, with the message the commands print, where there is nothing to erase
 * from: deleting from a file the service no longer uses would report erasures that did not happen.
 */
export async function withErasureTarget<T>(config: Pick<Config, 'dataDir' | 'databaseUrl'>, dryRun: boolean, run: (target: ErasureTarget) => Promise<T>): Promise<T> {
  if (config.databaseUrl) throw new ErasureUnavailableError('POSTGRES', 'does not work on the PostgreSQL store yet (ESOR_DATABASE_URL is set): no PostgreSQL eraser');
  const dbFile = path.join(config.dataDir, 'esor-intake.sqlite');
  if (!existsSync(dbFile)) throw new ErasureUnavailableError('NO_STORE', `no store in ${config.dataDir} (has the service run? ESOR_DATA_DIR)`);
  const store = openSqliteStore(dbFile);
  const erasers = dryRun ? undefined : openErasers(config.dataDir);
  try {
    return await run({ store, files: createFileStore(path.join(config.dataDir, 'files')), ...(erasers ? { erasers } : {}) });
  } finally {
    await erasers?.records.close();
    await store.close();
  }
}
