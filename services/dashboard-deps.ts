/**
 * The dashboard's dependencies, wired to the running service: the store and
 * files, the page renderer, the rules in force (hot reloaded), re-deciding an
 * application with those rules (and with section ranges fixed by staff), and
 * the reply queue. The dashboard itself (services/dashboard/) only sees the
 * DashboardDeps interface.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import type { BlobStore } from '../core/ports/blob-store';
import { createPageRenderer } from '../adapters/page-renderer';
import { splitSections } from '../adapters/pdf-splitter';
import { loadRules } from '../adapters/rules-loader';
import type { Store } from '../core/ports/store';
import { segmentationFromSpans, type StaffSpan } from '../core/analyse/segmentation-from-spans';
import { applicationsCsv } from '../core/export/applications-csv';
import { compileTriageRules } from '../core/triage/triage-application';
import type { SectionSpan } from '../core/types';
import type { StoredAnalysis } from '../core/stored/stored-analysis';
import { decideStored } from '../core/stored/decide-stored';
import { readMemberList } from '../adapters/member-list-blob';
import type { QueueSet } from '../workers/queues';
import type { StoredMail } from '../core/stored/stored-mail';
import { writeCommitteePack } from './common/committee-pack';
import type { Config } from './common/config';
import { withErasureTarget } from './common/erasure';
import { retentionSettingsOf } from './common/erasure-runs';
import type { DashboardDeps } from './dashboard/deps';
import { diffRules, historyOf } from './rules-diff';
import type { RulesHolder } from './common/rules-holder';

export class RedecideError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'FILES_MISSING',
    message: string,
  ) {
    super(message);
    this.name = 'RedecideError';
  }
}

export interface DashboardWiring {
  config: Config;
  store: Store;
  files: BlobStore;
  rules: RulesHolder;
  queues: QueueSet;
  logger: Logger;
  now: () => Date;
}

export function dashboardDeps(w: DashboardWiring): DashboardDeps {
  const renderer = createPageRenderer({ cacheDir: path.join(w.config.dataDir, 'thumbnails') });
  const programmes = () =>
    w.rules.current().rules.programmes.map((p) => ({ id: p.id, title: p.title, deadline: p.deadline, committee: [...p.committee], ...(p.selection_date ? { selectionDate: p.selection_date } : {}) }));
  return {
    store: w.store,
    files: w.files,
    // A reference may name bytes in PostgreSQL: the renderer loads them only when the page is not cached.
    renderPage: (pdfRef, sha256, page, width) => renderer.render(() => w.files.readFile(pdfRef), sha256, page, width),
    staffTemplates: () => (w.rules.current().rules.replies.staff_templates ?? []).map((t) => ({ name: t.name, body: t.body })),
    rules: () => ({
      programmes: programmes(),
      hash: w.rules.hash(),
      files: w.rules.files(),
      ...(w.rules.lastError() ? { lastError: w.rules.lastError()! } : {}),
    }),
    async redecide(applicationId, revision, opts = {}) {
      const view = await w.store.getApplication(applicationId);
      const rev = view?.revisions.find((r) => r.revision === revision);
      if (!view || !rev) throw new RedecideError('NOT_FOUND', 'no such application revision');
      const [mail, stored] = await Promise.all([
        w.files.readJson<StoredMail>('mail', rev.messageId),
        w.files.readJson<StoredAnalysis>('analysis', rev.messageId),
      ]).catch(() => {
        throw new RedecideError('FILES_MISSING', 'the stored mail or page texts of this revision are missing');
      });
      // Rules and hash read together: a reload between the two would pair one set's verdict with another's hash.
      const rules = w.rules.current();
      const rulesHash = w.rules.hash();
      let analysis: 'fresh' | StoredAnalysis['analysis'] = 'fresh';
      if (opts.sections) {
        // Staff fixed the ranges: keep the pages' reading, replace where the documents begin and end.
        const base = stored.analysis;
        // A SpanError (overlap, out of range) goes back to the page as it is.
        analysis = { ...base, segmentation: segmentationFromSpans(base.pages.map((p) => p.num), opts.sections as StaffSpan[], rules.sectionModels) };
      }
      const history = mail.from?.email ? await historyOf(w.store, view, mail.from.email, revision) : undefined;
      const esrMembers = await readMemberList(w.files);
      return { result: decideStored(mail, stored, rules, history, { analysis, ...(esrMembers ? { esrMembers } : {}) }), rulesHash };
    },
    async cutSections(applicationId, revision, sections) {
      const view = await w.store.getApplication(applicationId);
      const rev = view?.revisions.find((r) => r.revision === revision);
      if (!rev) throw new RedecideError('NOT_FOUND', 'no such application revision');
      const mail = await w.files.readJson<StoredMail>('mail', rev.messageId);
      const pdfs = await Promise.all(mail.pdfs.map((p) => w.files.readFile(p.path)));
      const spans = sections.map((s) => ({ id: s.id as SectionSpan['id'], pages: s.pages, confidence: 1 }));
      for (const { span, data } of await splitSections(pdfs, spans)) {
        const file = await w.files.writeSection(rev.messageId, `${span.id}-${span.pages[0]}-${span.pages[1]}`, data);
        await w.store.saveSectionFile({ applicationId, revision, section: span.id, pages: span.pages, ...file });
      }
    },
    requestReply: (messageId, opts) => w.queues.enqueue('reply', messageId, { key: opts.key, hold: opts.hold, ...(opts.replyId ? { replyId: opts.replyId } : {}), ...(opts.staffMessage ? { staffMessage: opts.staffMessage } : {}) }),
    async dryRun(dir, onProgress) {
      const candidateRules = compileTriageRules(loadRules(path.resolve(dir)));
      return diffRules({ store: w.store, files: w.files, currentRules: w.rules.current(), candidateRules, onProgress });
    },
    async committeePack(programmeId, selected, write) {
      const rules = w.rules.current().rules;
      const p = rules.programmes.find((x) => x.id === programmeId);
      if (!p) return undefined;
      const pack = await writeCommitteePack(
        {
          store: w.store,
          files: w.files,
          programme: { id: p.id, title: p.title, timezone: p.timezone },
          sectionNames: Object.fromEntries(rules.common.sections.map((s) => [s.id, s.name])),
          ...(selected?.length ? { selected } : {}),
          now: w.now(),
        },
        write,
      );
      return { applications: pack.plan.applicants.length };
    },
    retentionSettings: () => retentionSettingsOf(w.rules.current().rules.programmes),
    withErasure: (dryRun, run) => withErasureTarget(w.config, dryRun, run),
    exportCsv: (apps) => applicationsCsv(apps, { programmeTitles: Object.fromEntries(programmes().map((p) => [p.id, p.title])) }),
    now: w.now,
    logger: w.logger,
    secureCookies: w.config.dashboard.secureCookies,
  };
}
