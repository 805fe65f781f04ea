import type { ApplicationSummary } from '../../../core/ports/store';
import { STATUSES } from '../../../core/types';
import { listQueryString, PAGE_SIZE, SORTS, UNKNOWN_PROGRAMME, type ListQuery, type Sort } from '../filters';
import { html, type SafeHtml } from '../html';
import { selectedPackLink } from './committee-links';
import type { OfficeWords } from '../words';
import { layout, statusBadge, STATUS_LABELS, type Flash, type PageUser } from './common';

export interface ListModel {
  user: PageUser;
  flash?: Flash;
  query: ListQuery;
  items: ApplicationSummary[];
  /** Rows merged with other applications of the same person: how many (services/dashboard/merges.ts). */
  merged?: Map<string, number>;
  total: number;
  programmes: Array<{ id: string; title: string }>;
  liveSince: number;
  words: OfficeWords;
}

const SORT_LABELS: Record<Sort, string> = { received: 'Received', decided: 'Decided', name: 'Name', status: 'Status', programme: 'Programme' };

function option(value: string, label: string, selected: string): SafeHtml {
  return html`<option value="${value}"${value === selected ? html` selected` : ''}>${label}</option>`;
}

function sortHeader(q: ListQuery, sort: Sort, label: string): SafeHtml {
  const active = q.sort === sort;
  const order = active && q.order === 'desc' ? 'asc' : 'desc';
  const aria = active ? (q.order === 'asc' ? 'ascending' : 'descending') : undefined;
  return html`<th scope="col"${aria ? html` aria-sort="${aria}"` : ''}><a href="/applications${listQueryString(q, { sort, order, page: 1 })}">${label}${active ? (q.order === 'asc' ? ' ▲' : ' ▼') : ''}</a></th>`;
}

export function listPage(m: ListModel): SafeHtml {
  const q = m.query;
  const w = m.words;
  const pages = Math.max(1, Math.ceil(m.total / PAGE_SIZE));
  const first = m.total === 0 ? 0 : (q.page - 1) * PAGE_SIZE + 1;
  const last = Math.min(m.total, q.page * PAGE_SIZE);
  const exportQs = listQueryString(q, { page: 1 });
  return layout(
    { title: 'Applications', user: m.user, nav: 'applications', liveSince: m.liveSince, ...(m.flash ? { flash: m.flash } : {}) },
    html`<h1>Applications</h1>
<form class="filters" method="get" action="/applications" role="search">
  <p><label for="f-programme">Programme</label>
  <select id="f-programme" name="programme">${option('', 'All programmes', q.programme)}${m.programmes.map((p) => option(p.id, p.title, q.programme))}${option(UNKNOWN_PROGRAMME, 'Programme not known', q.programme)}</select></p>
  <p><label for="f-status">Status</label>
  <select id="f-status" name="status">${option('', 'Any status', q.status)}${STATUSES.map((s) => option(s, STATUS_LABELS[s], q.status))}</select></p>
  <p><label for="f-flag">Flag</label>
  <select id="f-flag" name="flag">${option('', 'Any flag', q.flag)}${w.flagChoices().map((f) => option(f.code, f.name, q.flag))}</select></p>
  <p><label for="f-from">Received from</label> <input id="f-from" name="from" type="date" value="${q.from}"></p>
  <p><label for="f-to">to</label> <input id="f-to" name="to" type="date" value="${q.to}"></p>
  <p><label for="f-q">Name or e-mail</label> <input id="f-q" name="q" type="search" value="${q.q}" maxlength="100"></p>
  <p><input id="f-unreviewed" name="unreviewed" type="checkbox" value="1"${q.unreviewed ? html` checked` : ''}> <label for="f-unreviewed">Not yet reviewed</label></p>
  <p><label for="f-sort">Sort by</label>
  <select id="f-sort" name="sort">${SORTS.map((s) => option(s, SORT_LABELS[s], q.sort))}</select>
  <select name="order" aria-label="Order">${option('desc', 'newest / Z first', q.order)}${option('asc', 'oldest / A first', q.order)}</select></p>
  <p><button type="submit">Apply</button> <a href="/applications">Clear</a></p>
</form>
<p>${m.total === 0 ? 'No application matches.' : `Showing ${first}–${last} of ${m.total}.`} <a href="/export.csv${exportQs}">Export these as CSV</a>${selectedPackLink(q.programme, m.programmes, m.items)}</p>
${m.items.length === 0
      ? ''
      : html`<table class="list">
<thead><tr>${sortHeader(q, 'name', 'Applicant')}${sortHeader(q, 'programme', 'Programme')}${sortHeader(q, 'status', 'Status')}<th scope="col">Flags</th>${sortHeader(q, 'received', 'Received')}<th scope="col">Submissions</th><th scope="col">Reviewed</th></tr></thead>
<tbody>${m.items.map(
          (a) => html`<tr>
<td><a href="/applications/${a.id}">${a.applicantName ?? a.applicantEmail ?? 'unknown applicant'}</a>${a.applicantName && a.applicantEmail ? html`<br><span class="muted">${a.applicantEmail}</span>` : ''}${m.merged?.get(a.id) ? html`<br><a class="badge merged" href="/applications/${a.id}#same-person">Merged with ${m.merged.get(a.id)} other</a>` : ''}</td>
<td class="programme">${w.programme(a.programme)}</td>
<td>${statusBadge(a.status)}</td>
<td class="flag-names">${a.flags.length ? [...new Set(a.flags)].map((f, i) => html`${i ? ', ' : ''}<a href="/applications${listQueryString(q, { flag: f, page: 1 })}">${w.flagName(f)}</a>`) : '–'}</td>
<td class="when">${w.timeTag(a.receivedAt)}</td>
<td class="num">${a.revisionCount}</td>
<td>${a.reviewedBy ? html`✓ ${a.reviewedBy}` : html`<span class="muted">no</span>`}</td>
</tr>`,
        )}</tbody>
</table>`}
${pages > 1
      ? html`<nav class="pager" aria-label="Pages">
${q.page > 1 ? html`<a href="/applications${listQueryString(q, { page: q.page - 1 })}" rel="prev">← Previous</a>` : ''}
<span>Page ${q.page} of ${pages}</span>
${q.page < pages ? html`<a href="/applications${listQueryString(q, { page: q.page + 1 })}" rel="next">Next →</a>` : ''}
</nav>`
      : ''}`,
  );
}
