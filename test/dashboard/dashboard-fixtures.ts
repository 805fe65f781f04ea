/**
 * Shared by the dashboard tests: a real SQLite store and file store in a temp
 * folder, seeded with a few synthetic applications (PDFs built with pdf-lib,
 * stored mail and analysis JSON as the pipeline writes them), staff accounts,
 * a captured pino log, and deps stubbed only at the rendering, re-deciding,
 * reply-queue and dry-run boundaries.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { BlobStore } from '../../core/ports/blob-store';
import { createFileStore } from '../../adapters/file-store';
import { openSqliteStore } from '../../adapters/store/sqlite-store';
import type { Store } from '../../core/ports/store';
import { applicationsCsv } from '../../core/export/applications-csv';
import type { Flag, SectionSpan, Status, TriageResult } from '../../core/types';
import { createLogger } from '../../services/common/logger';
import type { DashboardDeps, RulesStatus } from '../../services/dashboard/deps';
import { buildDashboard } from '../../services/dashboard/server';
import type { StoredMail } from '../../core/stored/stored-mail';
import { testPasswordHash } from '../support/test-password-hash';

export const GR = 'gustave-roussy-hybrid-imaging-2022';
export const PASSWORDS = { alice: 'alice-admin-password-1', bob: 'bob-staff-password-22' } as const;

/** Personal data of the seeded applicants: none of it may reach the log. */
export const PEOPLE = {
  anna: { name: 'Annabella Quixote-Rossi', email: 'annabella.qr@example.it' },
  jean: { name: 'Jean-Baptiste Zyrkowski', email: 'jb.zyrkowski@example.fr' },
  maria: { name: 'Mariela Vantongeren', email: 'mariela.v@example.es' },
  robot: { name: 'Mailer Daemon', email: 'mailer-daemon@example.org' },
} as const;

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * PDFs made by pdf-lib, once per process for each key (a seed makes five PDFs and some forty section
 * extracts: ≈0.5 s of pdf-lib per test otherwise); each caller gets its own copy of the bytes.
 */
const madePdfs = new Map<string, Promise<Uint8Array>>();
async function madeOnce(key: string, make: () => Promise<Uint8Array>): Promise<Uint8Array> {
  let made = madePdfs.get(key);
  if (!made) madePdfs.set(key, (made = make()));
  return new Uint8Array(await made);
}

/** A PDF of `pages` pages, each saying its number. */
export async function buildPdf(pages: number): Promise<Uint8Array> {
  return madeOnce(`pdf:${pages}`, async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    for (let n = 1; n <= pages; n++) doc.addPage([595, 842]).drawText(`Synthetic page ${n}`, { x: 50, y: 780, size: 18, font });
    return doc.save();
  });
}

/** Pages `first`..`last` of buildPdf(`pages`). */
async function extractPages(pages: number, first: number, last: number): Promise<Uint8Array> {
  return madeOnce(`pdf:${pages}:${first}-${last}`, async () => {
    const src = await PDFDocument.load(await buildPdf(pages));
    const out = await PDFDocument.create();
    const copied = await out.copyPages(src, Array.from({ length: last - first + 1 }, (_, i) => first - 1 + i));
    for (const p of copied) out.addPage(p);
    return out.save();
  });
}

/** The ten sections spread over `pages` pages: two pages each for the first `pages - 10` sections. */
const TEN_SECTIONS: SectionSpan['id'][] = ['motivation', 'cv', 'recommendation', 'board_certificate', 'medical_degree', 'language_certificates', 'publications', 'references', 'esr_membership', 'passport'];

function spans(ids: SectionSpan['id'][]): SectionSpan[] {
  return ids.map((id, i) => ({ id, pages: [i + 1, i + 1] as [number, number], confidence: 0.9 }));
}

export interface SeededApp {
  applicationId: string;
  messageIds: string[];
  pdfPath: string;
  pdfSha256: string;
}

export interface Seeded {
  anna: SeededApp & { sentReplyId: string };
  jean: SeededApp & { heldReplyId: string };
  maria: SeededApp & { heldReplyId: string };
  robot: SeededApp;
}

interface MessageSeed {
  seed: string;
  uid: number;
  person: { name: string; email: string };
  status: Status;
  programme: string | null;
  sections: SectionSpan['id'][];
  flags?: Flag[];
  receivedAt: string;
  pages: number;
  subject: string;
  body: string;
}

export class Fixture {
  now = new Date('2021-03-20T10:00:00.000Z');
  readonly logLines: string[] = [];
  readonly renderCalls: Array<{ pdfPath: string; pdfSha256: string; page: number; width: number }> = [];
  readonly redecideCalls: Array<{ applicationId: string; revision: number; opts?: { sections?: Array<{ id: string; pages: [number, number] }> } }> = [];
  readonly replyRequests: Array<{ messageId: string; hold: boolean; key: string }> = [];
  readonly dryRunCalls: string[] = [];
  rulesStatus: RulesStatus = {
    programmes: [{ id: GR, title: 'Hybrid Imaging in Oncology', deadline: '2021-03-31' }],
    hash: 'rules-hash-in-force-0123456789',
    files: [
      { file: 'rules/common.yaml', sha256: sha256('common'), ok: true },
      { file: 'rules/programmes/gr.yaml', sha256: sha256('gr'), ok: false, error: 'rules/programmes/gr.yaml:12: rules[0].max_years: expected a number' },
    ],
    lastError: 'rules/programmes/gr.yaml:12: rules[0].max_years: expected a number',
  };
  redecideFails = false;

  private constructor(
    readonly dir: string,
    readonly store: Store,
    readonly files: BlobStore,
  ) {}

  static async create(): Promise<Fixture> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'esor-dashboard-'));
    let f: Fixture | undefined;
    const start = new Date('2021-03-20T10:00:00.000Z');
    const store = openSqliteStore(path.join(dir, 'store.sqlite'), { now: () => f?.now ?? start });
    f = new Fixture(dir, store, createFileStore(path.join(dir, 'data')));
    // A low-cost hash (the cost is read from the hash): sign-ins verify in milliseconds, not 300 ms each.
    for (const [username, role] of [['alice', 'admin'], ['bob', 'staff']] as const) {
      await store.createUser({ username, role, passwordHash: testPasswordHash(PASSWORDS[username]), at: f.now.toISOString() });
    }
    return f;
  }

  readonly logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write: (chunk: Buffer, _enc, cb) => {
        this.logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        cb();
      },
    }),
  });

  deps(overrides: Partial<DashboardDeps> = {}): DashboardDeps {
    return {
      store: this.store,
      files: this.files,
      renderPage: async (pdfPath, pdfSha256, page, width) => {
        this.renderCalls.push({ pdfPath, pdfSha256, page, width });
        const pdf = await PDFDocument.load(await this.files.readFile(pdfPath));
        if (page > pdf.getPageCount()) throw Object.assign(new Error('no such page'), { code: 'PAGE_OUT_OF_RANGE' });
        return Buffer.from(`\x89PNG\r\n\x1a\npage ${page} width ${width}`, 'latin1');
      },
      rules: () => this.rulesStatus,
      redecide: async (applicationId, revision, opts) => {
        this.redecideCalls.push({ applicationId, revision, ...(opts ? { opts } : {}) });
        if (this.redecideFails) throw new Error('analysis missing');
        const app = await this.store.getApplication(applicationId);
        const stored = app!.revisions.find((r) => r.revision === revision)!.result;
        const sections: SectionSpan[] = opts?.sections ? opts.sections.map((s) => ({ id: s.id as SectionSpan['id'], pages: s.pages, confidence: 1 })) : stored.sections;
        return { result: { ...stored, status: 'complete', flags: [], missing: [], sections }, rulesHash: 'rules-hash-redecided' };
      },
      requestReply: async (messageId, opts) => {
        this.replyRequests.push({ messageId, ...opts });
      },
      dryRun: async (dir, onProgress) => {
        this.dryRunCalls.push(dir);
        onProgress(1, 2);
        onProgress(2, 2);
        return {
          applications: [
            {
              applicationId: 'app-changed-1',
              programme: GR,
              revision: 1,
              before: { status: 'complete', flags: [], reply: { action: 'send', template: 'complete' } },
              after: { status: 'incomplete', flags: ['missing_section:passport'], reply: { action: 'send', template: 'incomplete' } },
              changed: true,
              replyChanged: true,
            },
          ],
          skipped: [],
          totals: { applications: 2, changed: 1, skipped: 0, repliesChanged: 1, statusBefore: { complete: 2 }, statusAfter: { complete: 1, incomplete: 1 }, flagsAdded: { 'missing_section:passport': 1 }, flagsRemoved: {} },
        };
      },
      exportCsv: (apps) => applicationsCsv(apps, { bom: false }),
      now: () => this.now,
      logger: this.logger,
      secureCookies: false,
      ...overrides,
    };
  }

  async app(overrides: Partial<DashboardDeps> = {}): Promise<FastifyInstance> {
    return buildDashboard(this.deps(overrides));
  }

  /** Stores one message as the ingest, analyse and triage stages would; returns its ids. */
  async addMessage(m: MessageSeed): Promise<SeededApp & { revision: number }> {
    const pdf = await buildPdf(m.pages);
    const blob = await this.files.putBlob('pdf', pdf, '.pdf');
    const messageId = sha256(`raw mail ${m.seed}`);
    await this.store.recordMessage({
      id: messageId,
      account: 'office',
      mailbox: 'INBOX',
      uidValidity: '1',
      uid: m.uid,
      size: 2000,
      receivedAt: m.receivedAt,
      rawPath: `blob:raw/${messageId}.eml`,
    });
    const mail: StoredMail = {
      subject: m.subject,
      text: m.body,
      from: { email: m.person.email, name: m.person.name },
      headerMessageId: `<${m.seed}@mail.example>`,
      references: [],
      receivedAt: m.receivedAt,
      noReplySender: false,
      otherAttachments: [],
      pdfs: [{ filename: 'application.pdf', path: blob.path, sha256: blob.sha256, size: pdf.length }],
    };
    await this.files.writeJson('mail', messageId, mail);
    await this.files.writeJson('analysis', messageId, {
      pdfs: [{ filename: 'application.pdf', pages: Array.from({ length: m.pages }, (_, i) => ({ num: i + 1, text: `page ${i + 1}`, imageOnly: false })) }],
      analysis: {},
      sectionFiles: [],
    });
    const sections = spans(m.sections);
    const result: TriageResult = {
      status: m.status,
      programme: m.programme,
      applicant: { email: m.person.email, name: m.person.name },
      receivedAt: m.receivedAt,
      pdf: { filename: 'application.pdf', pages: m.pages },
      sections,
      missing: TEN_SECTIONS.filter((id) => !m.sections.includes(id)) as TriageResult['missing'],
      flags: m.flags ?? [],
      facts: { countryOfResidence: 'IT', publicationCount: 6, languageLevels: { en: 'C1', fr: 'B2' } },
    };
    const saved = await this.store.saveTriage({ messageId, result, rulesHash: 'rules-hash-v1-abcdef', applicantKey: m.person.email, decidedAt: m.receivedAt });
    for (const s of sections) {
      const file = await this.files.writeSection(messageId, `${s.id}-${s.pages[0]}-${s.pages[1]}`, await extractPages(m.pages, s.pages[0], s.pages[1]));
      await this.store.saveSectionFile({ applicationId: saved.applicationId, revision: saved.revision, section: s.id, pages: s.pages, ...file });
    }
    await this.store.appendEvent({ actor: 'worker:triage', action: 'application.triaged', subject: saved.applicationId, detail: { messageId, revision: saved.revision, status: m.status }, at: m.receivedAt });
    return { applicationId: saved.applicationId, messageIds: [messageId], pdfPath: blob.path, pdfSha256: blob.sha256, revision: saved.revision };
  }

  async seed(): Promise<Seeded> {
    const anna = await this.addMessage({
      seed: 'anna',
      uid: 1,
      person: PEOPLE.anna,
      status: 'complete',
      programme: GR,
      sections: TEN_SECTIONS,
      receivedAt: '2021-03-12T09:14:00.000Z',
      pages: 12,
      subject: 'Fellowship application Hybrid Imaging',
      body: `Dear office,\nplease find my application attached.\n${PEOPLE.anna.name}`,
    });
    const annaReply = await this.store.reserveReply({ applicationId: anna.applicationId, revision: 1, status: 'complete', to: PEOPLE.anna.email, subject: 'Re: Fellowship application', body: 'Your application is complete.', held: false });
    await this.store.markReplySent(annaReply.reply.id, '<sent-1@esor.local>', '2021-03-12T09:16:00.000Z');

    const jean = await this.addMessage({
      seed: 'jean',
      uid: 2,
      person: PEOPLE.jean,
      status: 'ineligible',
      programme: GR,
      sections: TEN_SECTIONS,
      flags: [
        {
          code: 'board_certification_too_old',
          severity: 'ineligible',
          message: 'The board certification is more than 5 years old.',
          section: 'board_certificate',
          evidence: { pages: [4], snippet: 'Board certified on 12 May 2009', rule: 'board-certification-recent' },
        },
      ],
      receivedAt: '2021-03-13T11:00:00.000Z',
      pages: 10,
      subject: 'Application',
      body: 'Hello, attached.',
    });
    const jeanReply = await this.store.reserveReply({ applicationId: jean.applicationId, revision: 1, status: 'ineligible', to: PEOPLE.jean.email, subject: 'Re: Application', body: 'We are sorry: not eligible.', held: true });

    const maria1 = await this.addMessage({
      seed: 'maria-1',
      uid: 3,
      person: PEOPLE.maria,
      status: 'incomplete',
      programme: GR,
      sections: TEN_SECTIONS.slice(0, 9),
      flags: [{ code: 'missing_section', severity: 'incomplete', message: 'The passport is missing.', section: 'passport' }],
      receivedAt: '2021-03-14T08:00:00.000Z',
      pages: 9,
      subject: 'Fellowship',
      body: 'My application.',
    });
    const maria2 = await this.addMessage({
      seed: 'maria-2',
      uid: 4,
      person: PEOPLE.maria,
      status: 'needs_review',
      programme: GR,
      sections: TEN_SECTIONS,
      flags: [
        { code: 'low_confidence', severity: 'review', message: 'Pages 5-6 could not be told apart.', evidence: { pages: [5, 6] } },
        { code: 'resubmission', severity: 'info', message: 'A resubmission.' },
      ],
      receivedAt: '2021-03-15T08:00:00.000Z',
      pages: 10,
      subject: 'Fellowship (corrected)',
      body: 'Now with passport.',
    });
    const mariaReply = await this.store.reserveReply({ applicationId: maria2.applicationId, revision: 2, status: 'needs_review', to: PEOPLE.maria.email, subject: 'Re: Fellowship (corrected)', body: 'A person will look at it.', held: true });

    const robot = await this.addMessage({
      seed: 'robot',
      uid: 5,
      person: PEOPLE.robot,
      status: 'not_application',
      programme: null,
      sections: [],
      receivedAt: '2021-03-16T08:00:00.000Z',
      pages: 1,
      subject: 'Out of office',
      body: 'I am away.',
    });
    return {
      anna: { ...anna, sentReplyId: annaReply.reply.id },
      jean: { ...jean, heldReplyId: jeanReply.reply.id },
      maria: { ...maria2, messageIds: [...maria1.messageIds, ...maria2.messageIds], heldReplyId: mariaReply.reply.id },
      robot,
    };
  }

  async cleanup(): Promise<void> {
    await this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- HTTP helpers

export interface Session {
  cookie: string;
  csrf: string;
}

/** The value of a hidden `_csrf` field in a page. */
export function csrfOf(htmlText: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(htmlText);
  if (!m) throw new Error('no _csrf field in the page');
  return m[1]!;
}

export function setCookie(res: LightMyRequestResponse, name: string): { value: string; [k: string]: unknown } | undefined {
  return (res.cookies as Array<{ name: string; value: string }>).find((c) => c.name === name);
}

/** Posts the login form as a browser would: GET the form (cookie + token), then POST it. */
export async function postLogin(app: FastifyInstance, username: string, password: string, extra: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  const form = await app.inject({ method: 'GET', url: '/login' });
  const token = csrfOf(form.body);
  const cookie = setCookie(form, 'esor_login_csrf')!.value;
  return app.inject({
    method: 'POST',
    url: '/login',
    cookies: { esor_login_csrf: cookie },
    payload: new URLSearchParams({ _csrf: token, username, password, ...extra }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

export async function login(app: FastifyInstance, username: keyof typeof PASSWORDS): Promise<Session> {
  const res = await postLogin(app, username, PASSWORDS[username]);
  if (res.statusCode !== 303) throw new Error(`login failed: ${res.statusCode}`);
  const cookie = setCookie(res, 'esor_session')!.value;
  const page = await app.inject({ method: 'GET', url: '/', cookies: { esor_session: cookie } });
  return { cookie, csrf: csrfOf(page.body) };
}

export function get(app: FastifyInstance, s: Session | undefined, url: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url, ...(s ? { cookies: { esor_session: s.cookie } } : {}) });
}

export function post(app: FastifyInstance, s: Session | undefined, url: string, fields: Record<string, string> = {}, csrf: string | null = s?.csrf ?? null): Promise<LightMyRequestResponse> {
  const body = new URLSearchParams(fields);
  if (csrf !== null) body.set('_csrf', csrf);
  return app.inject({
    method: 'POST',
    url,
    payload: body.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    ...(s ? { cookies: { esor_session: s.cookie } } : {}),
  });
}
