import type { ApplicationSummary, ReplyRecord } from '../../../core/ports/store';
import { STATUSES, type Status } from '../../../core/types';
import { html, type SafeHtml } from '../html';
import { committeeSection } from './committee-links';
import { layout, statusBadge, STATUS_LABELS, timeTag, type Flash, type PageUser } from './common';

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
  held: { items: Array<{ reply: ReplyRecord; app?: ApplicationSummary }>; total: number };
  ineligible: { items: ApplicationSummary[]; total: number };
  liveSince: number;
}

function deadlineText(row: ProgrammeRow): string {
  if (!row.deadline || row.daysToDeadline === undefined) return '–';
  const d = row.daysToDeadline;
  if (d > 0) return `${row.deadline}: ${d} day${d === 1 ? '' : 's'} left`;
  if (d === 0) return `${row.deadline}: closes today`;
  return `${row.deadline}: closed ${-d} day${d === -1 ? '' : 's'} ago`;
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

function appTable(items: ApplicationSummary[], caption: string): SafeHtml {
  if (items.length === 0) return html`<p class="muted">None.</p>`;
  return html`<table>
<caption class="visually-hidden">${caption}</caption>
<thead><tr><th scope="col">Applicant</th><th scope="col">Programme</th><th scope="col">Status</th><th scope="col">Flags</th><th scope="col">Received</th></tr></thead>
<tbody>${items.map((a) => html`<tr><td>${applicantCell(a)}</td><td>${a.programme ?? 'unknown'}</td><td>${statusBadge(a.status)}</td><td>${a.flags.join(', ') || '–'}</td><td>${timeTag(a.receivedAt)}</td></tr>`)}</tbody>
</table>`;
}

function more(total: number, shown: number, href: string): SafeHtml | '' {
  return total > shown ? html`<p><a href="${href}">All ${total}</a></p>` : '';
}

export function overviewPage(m: OverviewModel): SafeHtml {
  return layout(
    { title: 'Overview', user: m.user, nav: 'overview', liveSince: m.liveSince, ...(m.flash ? { flash: m.flash } : {}) },
    html`<h1>Overview</h1>
<section aria-labelledby="counts-h">
<h2 id="counts-h">Applications by status</h2>
<table class="counts">
<thead><tr><th scope="col">Programme</th><th scope="col">Deadline</th>${STATUSES.map((s) => html`<th scope="col">${STATUS_LABELS[s]}</th>`)}<th scope="col">All</th></tr></thead>
<tbody>${m.rows.map(
      (r) => html`<tr${r.key === '' ? html` class="total"` : ''}><th scope="row">${r.title}${r.key && r.key !== 'unknown' ? html`<br><span class="muted">${r.key}</span>` : ''}</th><td>${deadlineText(r)}</td>${STATUSES.map((s) => html`<td>${countLink(r, s)}</td>`)}<td>${countLink(r, '')}</td></tr>`,
    )}</tbody>
</table>
</section>

${committeeSection(m.rows, m.user)}
<section aria-labelledby="queue-h">
<h2 id="queue-h">Needs a person</h2>
<h3>Needs review, not yet reviewed (${m.needsReview.total})</h3>
${appTable(m.needsReview.items, 'Applications that need review')}
${more(m.needsReview.total, m.needsReview.items.length, '/applications?status=needs_review&unreviewed=1&sort=received&order=asc')}
<h3>Replies held for approval (${m.held.total})</h3>
${m.held.items.length === 0
      ? html`<p class="muted">None.</p>`
      : html`<table>
<thead><tr><th scope="col">Applicant</th><th scope="col">Programme</th><th scope="col">Reply for status</th><th scope="col">Subject</th><th scope="col">Held since</th></tr></thead>
<tbody>${m.held.items.map(
          ({ reply, app }) => html`<tr><td><a href="/applications/${reply.applicationId}#replies">${app?.applicantName ?? reply.to}</a></td><td>${app?.programme ?? 'unknown'}</td><td>${statusBadge(reply.status)} (revision ${reply.revision})</td><td>${reply.subject}</td><td>${timeTag(reply.createdAt)}</td></tr>`,
        )}</tbody>
</table>`}
<h3>Ineligible, not yet reviewed (${m.ineligible.total})</h3>
${appTable(m.ineligible.items, 'Ineligible applications not yet reviewed')}
${more(m.ineligible.total, m.ineligible.items.length, '/applications?status=ineligible&unreviewed=1&sort=received&order=asc')}
</section>`,
  );
}
