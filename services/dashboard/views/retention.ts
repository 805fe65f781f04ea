/**
 * The admins' pages of retention and erasure (routes/retention.ts): each
 * programme's retention period, what it says must go today (the dry run,
 * documents first, then whole applications) with Delete now, and one
 * applicant's erasure on request from the application page. What the steps
 * list comes from services/common/erasure-runs.ts, the commands' own runs.
 *
 * An application erased whole is no longer named once it is gone: its
 * received date and programme stand for it, as in the event log.
 */
import type { EventRecord } from '../../../core/ports/store';
import type { ErasureWork } from '../../common/erasure';
import { html, type SafeHtml } from '../html';
import type { OfficeWords } from '../words';
import { csrfField, layout, pageRange, type Flash, type PageUser } from './common';

/** Why nothing can be listed or deleted here, said plainly. */
export type ErasureUnavailable = 'POSTGRES' | 'NO_STORE' | 'NOT_WIRED';

export const UNAVAILABLE_WORDS: Record<ErasureUnavailable, string> = {
  POSTGRES:
    'Retention and erasure do not work yet when applications are kept in PostgreSQL, as they are here. Nothing can be listed or deleted from this page or from the command line until they do.',
  NO_STORE: 'There is no store in the data folder of this process yet (has the service run?), so there is nothing to list or delete.',
  NOT_WIRED: 'This dashboard process cannot delete applications.',
};

/** One application concerned by a step, as the page names it. */
export interface StepRow {
  applicationId: string;
  /** Absent once the application is erased whole: it is no longer named. */
  name?: string;
  receivedAt?: string;
  programme: string | null;
  /** YYYY-MM-DD, the first day the step was due (retention only). */
  dueSince?: string;
  work: ErasureWork;
  done?: { filesDeleted: number; rowsRemoved: number };
}

export interface ProgrammeRetention {
  title: string;
  selectionDate?: string;
  /** Days after the selection date; absent: the programme keeps its applications. */
  documentsDays?: number;
  days?: number;
  /** YYYY-MM-DD: the first day each step is due. */
  documentsFrom?: string;
  allFrom?: string;
}

export interface RetentionModel {
  user: PageUser;
  words: OfficeWords;
  flash?: Flash;
  programmes: ProgrammeRetention[];
  /** YYYY-MM-DD the plan is made for. */
  today: string;
  unavailable?: ErasureUnavailable;
  /** What is due today (the dry run); absent when unavailable. */
  due?: { rows: StepRow[]; unregulated: number; fingerprint: string };
  /** What Delete now just did, and the events it recorded. */
  done?: { rows: StepRow[]; events: EventRecord[] };
}

/** What a step deletes, in the office's words (never a file name or a reference). */
export function workWords(work: ErasureWork, w: OfficeWords): string {
  const parts: string[] = [];
  if (work.step === 'application') parts.push(`everything: ${work.revisions} submission(s) with the notes and replies`);
  // One entry per document: a resubmitted application has the same documents in each submission.
  const pages = new Map<string, Set<string>>();
  for (const s of work.sections) pages.set(s.section, (pages.get(s.section) ?? new Set()).add(pageRange(s.pages)));
  if (pages.size) parts.push([...pages].map(([section, ranges]) => `${w.section(section)} (${[...ranges].join(', ')})`).join(', '));
  else if (work.step === 'documents') parts.push('no separate document PDFs');
  if (work.originals.length) parts.push(`the mail as received and the attached PDF (${work.originals.length} file(s))`);
  parts.push('the text read from the pages');
  if (work.keptShared) parts.push(`${work.keptShared} file(s) kept while another application of the same applicant uses them`);
  return parts.join('; ');
}

function stepTable(rows: StepRow[], w: OfficeWords, opts: { dueColumn: boolean; doneColumn: boolean }): SafeHtml {
  return html`<table class="retention-step">
<thead><tr><th scope="col">Applicant</th><th scope="col">Received</th><th scope="col">Programme</th>${opts.dueColumn ? html`<th scope="col">Due since</th>` : ''}<th scope="col">${opts.doneColumn ? 'What went' : 'What goes'}</th>${opts.doneColumn ? html`<th scope="col">Deleted</th>` : ''}</tr></thead>
<tbody>${rows.map(
    (r) => html`<tr data-application="${r.applicationId}"><td>${r.name !== undefined ? html`<a href="/applications/${r.applicationId}">${r.name || 'Name not known'}</a>` : html`<span class="muted">Erased</span>`}</td>
<td>${w.timeTag(r.receivedAt)}</td><td>${w.programme(r.programme)}</td>${opts.dueColumn ? html`<td>${w.day(r.dueSince)}</td>` : ''}<td>${workWords(r.work, w)}</td>${opts.doneColumn ? html`<td>${r.done ? `${r.done.filesDeleted} file(s), ${r.done.rowsRemoved} record(s)` : '–'}</td>` : ''}</tr>`,
  )}</tbody>
</table>`;
}

/** The two steps, documents first, each with its count and its applications. */
function steps(rows: StepRow[], w: OfficeWords, done: boolean): SafeHtml {
  const documents = rows.filter((r) => r.work.step === 'documents');
  const whole = rows.filter((r) => r.work.step === 'application');
  const verb = done ? 'deleted' : 'to delete';
  return html`<h3 id="${done ? 'done' : 'due'}-documents-h">Step 1: passports and certificates, ${documents.length} application(s) ${verb}</h3>
<p class="muted">The passport, board certificate, medical degree and language certificates, with everything that contains them: the mail as received, the attached PDF, the text and images of its pages. The other documents stay until step 2.</p>
${documents.length ? stepTable(documents, w, { dueColumn: !done, doneColumn: done }) : html`<p>None.</p>`}
<h3 id="${done ? 'done' : 'due'}-whole-h">Step 2: whole applications, ${whole.length} application(s) ${verb}</h3>
<p class="muted">Everything kept of the application: its submissions, documents, notes and replies. The event log keeps that it was erased, by whom and when, with counts only.</p>
${whole.length ? stepTable(whole, w, { dueColumn: !done, doneColumn: done }) : html`<p>None.</p>`}`;
}

/** Events recorded by a deletion: who, when, what, with the counts they carry (never the erased data). */
export function erasureEvents(events: EventRecord[], w: OfficeWords): SafeHtml {
  if (!events.length) return html``;
  return html`<h3 id="recorded-h">Recorded in the event log</h3>
<table class="events">
<thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Detail</th></tr></thead>
<tbody>${events.map(
    (e) => html`<tr data-action="${e.action}"><td>${w.timeTag(e.at)}</td><td>${w.actor(e.actor)}</td><td>${w.eventName(e.action)}</td><td>${eventCounts(e, w)}</td></tr>`,
  )}</tbody>
</table>`;
}

const REASONS: Record<string, string> = { retention: 'retention period ended', request: "the applicant's request" };
const COUNT_WORDS: Record<string, string> = { messages: 'mails', revisions: 'submissions', sectionFiles: 'document PDFs', notes: 'notes', replies: 'replies' };

function eventCounts(e: EventRecord, w: OfficeWords): string {
  const d = e.detail as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof d.reason === 'string') parts.push(`Why: ${REASONS[d.reason] ?? d.reason}`);
  if (Array.isArray(d.sections)) parts.push(`Documents: ${d.sections.map((s) => w.section(String(s))).join(', ')}`);
  for (const [key, label] of Object.entries(COUNT_WORDS)) if (typeof d[key] === 'number') parts.push(`${label}: ${d[key]}`);
  return parts.join('; ');
}

export function retentionPage(m: RetentionModel): SafeHtml {
  const w = m.words;
  const due = m.due;
  return layout(
    { title: 'Retention', user: m.user, nav: 'rules', ...(m.flash ? { flash: m.flash } : {}) },
    html`<p><a href="/rules">← Rules</a></p>
<h1>Retention</h1>
<p>Each programme keeps its applications for a period after its selection date (set in the programme's rule file):
passports and certificates go first, the whole application later. The same deletion runs from the command line
(<code>esor-intake retention</code>, daily). To erase one applicant on request, open their application.</p>
<section aria-labelledby="periods-h">
<h2 id="periods-h">Retention periods</h2>
<table class="retention-periods">
<thead><tr><th scope="col">Programme</th><th scope="col">Selection date</th><th scope="col">Passports and certificates kept</th><th scope="col">Whole application kept</th></tr></thead>
<tbody>${m.programmes.map(
      (p) => html`<tr><td>${p.title}</td><td>${p.selectionDate ? w.day(p.selectionDate) : 'not set'}</td>
<td>${p.documentsDays === undefined ? 'no period set: kept' : html`${p.documentsDays} days after selection${p.documentsFrom ? html`, deleted from ${w.day(p.documentsFrom)}` : ' (no selection date yet: nothing is due)'}`}</td>
<td>${p.days === undefined ? 'no period set: kept' : html`${p.days} days after selection${p.allFrom ? html`, erased from ${w.day(p.allFrom)}` : ' (no selection date yet: nothing is due)'}`}</td></tr>`,
    )}</tbody>
</table>
</section>
${m.done
      ? html`<section aria-labelledby="done-h" class="box">
<h2 id="done-h">Done</h2>
<p role="status">${m.done.rows.length ? `Deleted what was due on ${w.day(m.today)}: ${m.done.rows.filter((r) => r.work.step === 'documents').length} application(s) lost their passports and certificates; ${m.done.rows.filter((r) => r.work.step === 'application').length} erased whole.` : 'Nothing was due: nothing was deleted.'}</p>
${steps(m.done.rows, w, true)}
${erasureEvents(m.done.events, w)}
</section>`
      : ''}
<section aria-labelledby="dry-run-h">
<h2 id="dry-run-h">What would go today, ${w.day(m.today)}</h2>
${m.unavailable
      ? html`<p class="flash flash-error" role="note">${UNAVAILABLE_WORDS[m.unavailable]}</p>`
      : due
        ? html`<p>A dry run: nothing has been deleted. ${due.rows.length ? `${due.rows.length} application(s) concerned.` : 'Nothing is due today.'}${due.unregulated ? ` ${due.unregulated} application(s) of programmes without a retention period (or of no known programme) are kept.` : ''}</p>
${due.rows.length ? steps(due.rows, w, false) : ''}
${due.rows.length
            ? html`<form method="post" action="/rules/retention/delete" class="danger-zone">${csrfField(m.user)}<input type="hidden" name="plan" value="${due.fingerprint}">
<p><label><input type="checkbox" name="confirm" value="yes" required> I have checked the list: delete it now, for good</label></p>
<p><button type="submit">Delete now</button></p>
</form>`
            : ''}`
        : ''}
</section>`,
  );
}

export interface ErasureModel {
  user: PageUser;
  words: OfficeWords;
  flash?: Flash;
  applicationId: string;
  /** The name on the application asked about (before the erasure only). */
  name?: string;
  unavailable?: ErasureUnavailable;
  /** True when the application has no sender address to erase by. */
  noAddress?: boolean;
  /** The dry run: what erasing this applicant would delete. */
  due?: { rows: StepRow[] };
  done?: { rows: StepRow[]; bounceForgotten: boolean; events: EventRecord[] };
}

/** The word an admin types to confirm an erasure. */
export const CONFIRM_WORD = 'erase';

export function erasurePage(m: ErasureModel): SafeHtml {
  const w = m.words;
  const title = m.done ? "Applicant's data erased" : "Erase this applicant's data";
  const rows = m.due?.rows ?? [];
  return layout(
    { title, user: m.user, nav: 'applications', ...(m.flash ? { flash: m.flash } : {}) },
    html`<p>${m.done ? html`<a href="/applications">← Applications</a>` : html`<a href="/applications/${m.applicationId}">← Back to the application</a>`}</p>
<h1>${title}</h1>
${m.done
      ? html`<section aria-labelledby="erased-h" class="box">
<h2 id="erased-h">What was erased</h2>
<p role="status">${m.done.rows.length} application(s) of this applicant's address erased: their mails, PDFs, documents, notes and replies${m.done.bounceForgotten ? ', and the mark that mail to the address bounced' : ''}. Nothing else of them is kept; the event log records the erasure with counts only.</p>
${stepTable(m.done.rows, w, { dueColumn: false, doneColumn: true })}
${erasureEvents(m.done.events, w)}
</section>`
      : html`<p>On the applicant's request (GDPR): every application sent from the same address as this one, in any programme and
any status, with everything kept of it. The event log keeps that it happened, by whom and when, with counts only. Applications
merged with this one from another address are not included: erase them from their own page.</p>
${m.unavailable
          ? html`<p class="flash flash-error" role="note">${UNAVAILABLE_WORDS[m.unavailable]}</p>`
          : m.noAddress
            ? html`<p class="flash flash-error" role="note">This application has no sender address, and erasure goes by the applicant's address: nothing can be erased from here.</p>`
            : html`<section aria-labelledby="would-h">
<h2 id="would-h">What would be erased (a dry run: nothing is deleted yet)</h2>
${rows.length ? stepTable(rows, w, { dueColumn: false, doneColumn: false }) : html`<p>Nothing is kept of this applicant any more.</p>`}
<p>Also the mark that mail to the address bounced, if there is one.</p>
${rows.length
                ? html`<form method="post" action="/rules/erasure/${m.applicationId}" class="danger-zone">${csrfField(m.user)}
<p><label for="confirm-erase">To confirm, type <strong>${CONFIRM_WORD}</strong></label> <input id="confirm-erase" name="confirm" autocomplete="off" required size="8"></p>
<p><button type="submit">Erase ${rows.length} application(s) for good</button></p>
</form>`
                : ''}
</section>`}`}`,
  );
}
