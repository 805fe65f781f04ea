/**
 * Synthetic applications for the committee-pack tests: a real SQLite store and
 * file store in a temp folder, section PDFs built with pdf-lib, a passport
 * page with a machine-readable zone whose check digits pass. No real person.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { createFileStore } from '../../../adapters/file-store';
import { openSqliteStore } from '../../../adapters/store/sqlite-store';
import { computeCheckDigit } from '../../../core/facts/mrz';
import type { BlobStore } from '../../../core/ports/blob-store';
import type { Store } from '../../../core/ports/store';
import type { SectionId, Status, TriageResult, SectionSpan } from '../../../core/types';

export const GR = 'gustave-roussy-hybrid-imaging-2022';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A TD3 passport zone (two lines of 44) for `nationality`, every check digit right. */
export function passportMrz(surname: string, given: string, nationality: string): string {
  const pad = (s: string, n: number) => (s + '<'.repeat(n)).slice(0, n);
  const line1 = pad(`P<${nationality}${surname.toUpperCase()}<<${given.toUpperCase()}`, 44);
  const number = 'YA1234567';
  const birth = '850315';
  const expiry = '300101';
  const optional = pad('', 14);
  const n = `${number}${computeCheckDigit(number)}`;
  const b = `${birth}${computeCheckDigit(birth)}`;
  const e = `${expiry}${computeCheckDigit(expiry)}`;
  const o = `${optional}${computeCheckDigit(optional)}`;
  const composite = computeCheckDigit(`${n}${b}${e}${o}`);
  return `${line1}\n${n}${nationality}${b}F${e}${o}${composite}`;
}

async function pdfOf(pages: string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Courier);
  for (const text of pages) {
    const page = doc.addPage([595, 842]);
    text.split('\n').forEach((line, i) => page.drawText(line, { x: 40, y: 780 - i * 14, size: 10, font }));
  }
  return doc.save();
}

export const ALL: SectionId[] = ['motivation', 'cv', 'recommendation', 'board_certificate', 'medical_degree', 'language_certificates', 'publications', 'references', 'esr_membership', 'passport'];

export interface Seed {
  seed: string;
  name: string;
  email: string;
  status: Status;
  programme?: string;
  /** Sections, one page each, in this order. */
  sections?: SectionId[];
  nationality?: string;
  receivedAt?: string;
}

export class PackFixture {
  private uid = 0;
  constructor(
    readonly store: Store,
    readonly files: BlobStore,
    readonly dataDir: string,
  ) {}

  /** The store and files where `esor-intake` looks for them under ESOR_DATA_DIR. */
  static open(dataDir: string): PackFixture {
    return new PackFixture(openSqliteStore(path.join(dataDir, 'esor-intake.sqlite')), createFileStore(path.join(dataDir, 'files')), dataDir);
  }

  async add(s: Seed): Promise<{ applicationId: string; messageId: string; rawRef: string; pdfRef: string; pdfSha256: string }> {
    const sections = s.sections ?? ALL;
    const texts = sections.map((id) => (id === 'passport' && s.nationality ? `PASSPORT\n${passportMrz(s.name.split(' ').at(-1)!, s.name.split(' ')[0]!, s.nationality)}` : `Synthetic ${id} of ${s.seed}`));
    const messageId = sha256(`pack test ${s.seed}`);
    const receivedAt = s.receivedAt ?? '2021-03-12T09:14:00.000Z';
    // The mail as received and its PDF, as the ingest stage keeps them (what retention must delete first).
    const raw = await this.files.putBlob('raw', Buffer.from(`From: ${s.email}\r\nSubject: Application\r\n\r\n${s.seed}\r\n`), '.eml');
    const whole = await pdfOf(texts);
    const pdf = await this.files.putBlob('pdf', whole, '.pdf');
    await this.store.recordMessage({ id: messageId, account: 'office', mailbox: 'INBOX', uidValidity: '1', uid: ++this.uid, size: 2000, receivedAt, rawPath: raw.path });
    await this.files.writeJson('mail', messageId, {
      subject: 'Application', text: 'My application is attached.', from: { email: s.email, name: s.name }, headerMessageId: `<${s.seed}@example.org>`,
      references: [], receivedAt, noReplySender: false, otherAttachments: [], pdfs: [{ filename: 'application.pdf', path: pdf.path, sha256: pdf.sha256, size: whole.length }],
    });
    await this.files.writeJson('analysis', messageId, {
      pdfs: [],
      analysis: { pages: texts.map((text, i) => ({ num: i + 1, text, imageOnly: false })) },
      sectionFiles: [],
    });
    const spans: SectionSpan[] = sections.map((id, i) => ({ id, pages: [i + 1, i + 1], confidence: 0.9 }));
    const result: TriageResult = {
      status: s.status,
      programme: s.programme ?? GR,
      applicant: { email: s.email, name: s.name },
      receivedAt,
      pdf: { filename: 'application.pdf', pages: sections.length },
      sections: spans,
      missing: ALL.filter((id) => !sections.includes(id)),
      flags: [],
      facts: { countryOfResidence: 'IT', publicationCount: 6, languageLevels: { en: 'C1', fr: 'B2' }, boardCertificationDate: '2019-06-01', esrMembershipYear: 2021 },
    };
    const saved = await this.store.saveTriage({ messageId, result, rulesHash: 'rules-hash-pack', applicantKey: s.email, decidedAt: receivedAt });
    for (const [i, span] of spans.entries()) {
      const file = await this.files.writeSection(messageId, `${span.id}-${span.pages[0]}-${span.pages[1]}`, await pdfOf([texts[i]!]));
      await this.store.saveSectionFile({ applicationId: saved.applicationId, revision: saved.revision, section: span.id, pages: span.pages, ...file });
    }
    return { applicationId: saved.applicationId, messageId, rawRef: raw.path, pdfRef: pdf.path, pdfSha256: pdf.sha256 };
  }
}
