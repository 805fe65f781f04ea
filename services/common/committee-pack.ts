/**
 * Makes the committee pack of one programme as a zip: reads the applications,
 * notes, events, section files and page texts through the ports, plans the
 * pack in the core (core/pack/committee-pack.ts), draws the PDFs
 * (adapters/pack-pdf.ts) and zips them (adapters/zip-writer.ts). Shared by the
 * `esor-intake pack` command and the dashboard's download, so both give the
 * same pack.
 *
 * Files are read through the BlobStore port and awaited one section at a
 * time: a pack of many applications never holds every section in memory at
 * once, only the PDFs already drawn.
 */
import { existsSync, readFileSync } from 'node:fs';
import { renderApplicantPdf, renderIndexPdf } from '../../adapters/pack-pdf';
import { StoredZipWriter } from '../../adapters/zip-writer';
import type { BlobStore } from '../../core/ports/blob-store';
import type { ApplicationView, Store } from '../../core/ports/store';
import { indexRows, planCommitteePack, type PackPlan, type PackProgramme, type PackSource } from '../../core/pack/committee-pack';
import type { StoredAnalysis } from '../../core/stored/stored-analysis';

/** Installed with fonts-dejavu-core (scripts/lib/ensure.sh, the Dockerfile); Helvetica when absent. */
export const PACK_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
export const PACK_BOLD_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';
const BATCH = 200;

export interface CommitteePackInput {
  store: Store;
  files: BlobStore;
  programme: PackProgramme & { timezone?: string };
  /** Section id -> the call's name of it. */
  sectionNames: Record<string, string>;
  /** Application ids staff chose; absent: every complete application of the programme. */
  selected?: readonly string[];
  now: Date;
  /** A TrueType font file; default DejaVu Sans when installed. */
  fontFile?: string;
}

export interface CommitteePack {
  plan: PackPlan;
  /** `<programme>-committee-pack-<date>/` then `00-index.pdf`, `index.csv` and one PDF per applicant. */
  zip: Buffer;
  /** The zip's suggested file name. */
  fileName: string;
}

/** The zip's file name (and its folder's name, without `.zip`): the programme id and the day it was made. */
export function packFileName(programmeId: string, now: Date): string {
  return `${programmeId}-committee-pack-${now.toISOString().slice(0, 10)}.zip`;
}

/**
 * Writes the pack as a zip through `write`, entry by entry, so no more than one applicant's PDFs are
 * held at a time; resolves once the last byte was handed to `write`.
 * @throws StoreError from the store; ZipError when the pack would exceed a plain zip's limits; what `write` throws.
 */
export async function writeCommitteePack(input: CommitteePackInput, write: (chunk: Buffer) => Promise<void>): Promise<{ plan: PackPlan; fileName: string }> {
  const sources = await loadSources(input);
  const plan = planCommitteePack({
    programme: { id: input.programme.id, title: input.programme.title },
    sources,
    sectionNames: input.sectionNames,
    ...(input.selected ? { selected: input.selected } : {}),
    now: input.now,
    ...(input.programme.timezone ? { timeZone: input.programme.timezone } : {}),
  });
  const fontPath = input.fontFile ?? PACK_FONT;
  const font = existsSync(fontPath) ? new Uint8Array(readFileSync(fontPath)) : undefined;
  const boldPath = input.fontFile ? undefined : PACK_BOLD_FONT;
  const boldFont = font && boldPath && existsSync(boldPath) ? new Uint8Array(readFileSync(boldPath)) : undefined;
  const opts = { now: input.now, ...(font ? { font } : {}), ...(boldFont ? { boldFont } : {}) };
  const fileName = packFileName(input.programme.id, input.now);
  const folder = fileName.replace(/\.zip$/, '');
  const zip = new StoredZipWriter(input.now);
  await write(zip.add(`${folder}/00-index.pdf`, await renderIndexPdf(plan, opts)));
  await write(zip.add(`${folder}/index.csv`, Buffer.from(indexCsv(plan), 'utf8')));
  for (const applicant of plan.applicants) {
    const pdfs: Array<Uint8Array | undefined> = [];
    for (const s of applicant.sections) pdfs.push(await readOrUndefined(input.files, s.path));
    await write(zip.add(`${folder}/${applicant.fileName}`, await renderApplicantPdf(applicant, plan, pdfs, opts)));
  }
  await write(zip.finish());
  return { plan, fileName };
}

/** The pack in memory (tests, small programmes). @throws as writeCommitteePack. */
export async function makeCommitteePack(input: CommitteePackInput): Promise<CommitteePack> {
  const chunks: Buffer[] = [];
  const { plan, fileName } = await writeCommitteePack(input, async (c) => void chunks.push(c));
  return { plan, fileName, zip: Buffer.concat(chunks) };
}

async function readOrUndefined(files: BlobStore, file: string): Promise<Uint8Array | undefined> {
  if (!isOurs(files, file)) return undefined;
  try {
    return new Uint8Array(await files.readFile(file));
  } catch {
    return undefined;
  }
}

/**
 * A reference read from the store is used only when the BlobStore issues such references (a forged
 * `/etc/passwd` never is). Written for both shapes of the port while it moves from file paths under
 * `root` to opaque references checked by `isRef`.
 */
function isOurs(files: BlobStore, ref: string): boolean {
  const port = files as Partial<{ isRef(r: string): boolean; root: string }>;
  if (typeof port.isRef === 'function') return port.isRef(ref);
  if (typeof port.root !== 'string') return false;
  const root = port.root.endsWith('/') ? port.root : `${port.root}/`;
  return ref.startsWith(root) && !ref.split('/').includes('..');
}

async function loadSources(input: CommitteePackInput): Promise<PackSource[]> {
  const { store } = input;
  const views: ApplicationView[] = [];
  if (input.selected) {
    for (const id of input.selected) {
      const v = await store.getApplication(id);
      if (v && v.programme === input.programme.id) views.push(v);
    }
  } else {
    for (let offset = 0; ; offset += BATCH) {
      const page = await store.listApplications({ programme: input.programme.id, status: 'complete', sort: 'received', order: 'asc', limit: BATCH, offset });
      for (const s of page) {
        const v = await store.getApplication(s.id);
        if (v) views.push(v);
      }
      if (page.length < BATCH) break;
    }
  }
  const sources: PackSource[] = [];
  for (const application of views) {
    const analysis = await Promise.resolve(input.files.readJson<StoredAnalysis>('analysis', application.latest.messageId)).catch(() => undefined);
    sources.push({
      application,
      notes: await store.listNotes(application.id),
      sectionFiles: await store.listSectionFiles(application.id, application.latest.revision),
      events: await store.listEvents(application.id, 1000),
      ...(analysis?.analysis?.pages ? { pages: analysis.analysis.pages } : {}),
    });
  }
  return sources;
}

/** The index as CSV for a spreadsheet; a cell starting with = + - @ is quoted with a ' so it is never a formula. */
export function indexCsv(plan: PackPlan): string {
  const cell = (v: string | number) => {
    let s = String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const rows = indexRows(plan);
  const lines = [['number', 'name', 'nationality', 'received', 'documents', 'file'].join(',')];
  rows.forEach((r, i) => lines.push([i + 1, r.name, r.nationality, r.received, r.sections, r.file].map(cell).join(',')));
  return `${lines.join('\r\n')}\r\n`;
}
