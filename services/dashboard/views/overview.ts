import type { ApplicationSummary, ReplyRecord } from '../../../core/ports/store';
import { STATUSES, type Status } from '../../../core/types';
import { html, type SafeHtml } from '../html';
import { committeeSection } from './committee-links';
import type { OfficeWords } from '../words';
import { layout, statusBadge, STATUS_LABELS, type Flash, type PageUser } from './common';

export interface ProgrammeRow {
  /** The list filter value: a programme id, `unknown`, or '' for all. */
  key: string;
  title: string;
  deadline?: string;
  /** Calendar days from today (UTC) to the deadline; negative once it passed. */
  daysToDeadline?: number;
  counts: Record<Status, number>;
}

export interface OverviewModel {
  user: PageUser;
  flash?: Flash;
  rows: ProgrammeRow[];
  needsReview: { items: ApplicationSummary[]; total: number };
  /**
   * Not yet reviewed, complete or incomplete, but carrying a flag that asks for a person (an `incomplete`
   * verdict whose reply went out, with a document the machine was unsure of): the office must still look.
   */
  flagged: { items: ApplicationSummary[]; total: number };
  held: { items: Array<{ reply: ReplyRecord; app?: ApplicationSummary }>; total: number };
  ineligible: { items: ApplicationSummary[]; total: number };
  liveSince: number;
  words: OfficeWords;
}

/** A week of days is still counted; a deadline further back is said by its date alone. */
const COUNT_DAYS_BACK = 7;

function deadlineText(row: ProgrammeRow, w: OfficeWords): string {
  if (!row.deadline || row.daysToDeadline === undefined) return '–';
  const d = row.daysToDeadline;
  const day = w.day(row.deadline);
  if (d > 0) return `${day}: ${d} day${d === 1 ? '' : 's'} left`;
  if (d === 0) return `${day}: closes today`;
  if (-d <= COUNT_DAYS_BACK) return `${day}: closed ${-d} day${d === -1 ? '' : 's'} ago`;
  return `closed on ${day}`;
}

function countLink(row: ProgrammeRow, status: Status | ''): SafeHtml {
  const params = new URLSearchParams();
  if (row.key) params.set('programme', row.key);
  if (status) params.set('status', status);
  const n = status ? row.counts[status] : STATUSES.reduce((sum, s) => sum + row.counts[s], 0);
  const qs = params.toString();
  return html`<a href="/applications${qs ? `?${qs}` : ''}" data-count="${row.key || 'all'}:${status || 'total'}">${n}</a>`;
}

function applicantCell(a: ApplicationSummary): SafeHtml {
  return html`<a href="/applications/${a.id}">${a.applicantName ?? a.applicantEmail ?? 'unknown applicant'}</a>${a.applicantName && a.applicantEmail ? html` <span class="muted">${a.applicantEmail}</span>` : ''}`;
}

function appTable(items: ApplicationSummary[], caption: string, w: OfficeWords): SafeHtml {
  if (items.length === 0) return html`<p class="muted">None.</p>`;
  return html`<table>
<caption class="visually-hidden">${caption}</caption>
<thead><tr><th scope="col">Applicant</th><th scope="col">Programme</th><th scope="col">Status</th><th scope="col">Flags</th><th scope="col">Received</th></tr></thead>
<tbody>${items.map((a) => html`<tr><td>${applicantCell(a)}</td><td>${w.programme(a.programme)}</td><td>${statusBadge(a.status)}</td><td>${[...new Set(a.flags)].map((f) => w.flagName(f)).join(', ') || '–'}</td><td class="when">${w.timeTag(a.receivedAt)}</td></tr>`)}</tbody>
</table>`;
}

function more(total: number, shown: number, href: string): SafeHtml | '' {
  return total > shown ? html`<p><a href="${href}">All ${total}</a></p>` : '';
}

export function overviewPage(m: OverviewModel): SafeHtml {
  const w = m.words;
  return layout(
    { title: 'Overview', user: m.user, nav: 'overview', liveSince: m.liveSince, ...(m.flash ? { flash: m.flash } : {}) },
    html`<h1>Overview</h1>
<section aria-labelledby="counts-h">
<h2 id="counts-h">Applications by status</h2>
<table class="counts">
<thead><tr><th scope="col">Programme</th><th scope="col">Deadline</th>${STATUSES.map((s) => html`<th scope="col">${STATUS_LABELS[s]}</th>`)}<th scope="col">All</th></tr></thead>
<tbody>${m.rows.map(
      (r) => html`<tr${r.key === '' ? html` class="total"` : ''}><th scope="row">${r.title}</th><td class="when">${deadlineText(r, w)}</td>${STATUSES.map((s) => html`<td>${countLink(r, s)}</td>`)}<td>${countLink(r, '')}</td></tr>`,
    )}</tbody>
</table>
</section>

${committeeSection(m.rows, m.user)}
<section aria-labelledby="queue-h">
<h2 id="queue-h">Needs a person</h2>
<h3>Needs review, not yet reviewed (${m.needsReview.total})</h3>
${appTable(m.needsReview.items, 'Applications that need review', w)}
${more(m.needsReview.total, m.needsReview.items.length, '/applications?status=needs_review&unreviewed=1&order=asc')}
<h3>Complete or incomplete, but flagged for a person, not yet reviewed (${m.flagged.total})</h3>
${appTable(m.flagged.items, 'Complete or incomplete applications with a flag for a person', w)}
${m.flagged.total > m.flagged.items.length ? html`<p class="muted">The oldest ${m.flagged.items.length} of ${m.flagged.total}; the list filtered by a flag shows the rest.</p>` : ''}
<h3>Replies held for approval (${m.held.total})</h3>
${m.held.items.length === 0
      ? html`<p class="muted">None.</p>`
      : html`<table>
<thead><tr><th scope="col">Applicant</th><th scope="col">Programme</th><th scope="col">Reply for status</th><th scope="col">Subject</th><th scope="col">Held since</th></tr></thead>
<tbody>${m.held.items.map(
          ({ reply, app }) => html`<tr><td><a href="/applications/${reply.applicationId}#replies">${app?.applicantName ?? reply.to}</a></td><td>${w.programme(app?.programme)}</td><td>${statusBadge(reply.status)} (submission ${reply.revision})</td><td>${reply.subject}</td><td class="when">${w.timeTag(reply.createdAt)}</td></tr>`,
        )}</tbody>
</table>`}
<h3>Ineligible, not yet reviewed (${m.ineligible.total})</h3>
${appTable(m.ineligible.items, 'Ineligible applications not yet reviewed', w)}
${more(m.ineligible.total, m.ineligible.items.length, '/applications?status=ineligible&unreviewed=1&order=asc')}
</section>`,
  );
}
