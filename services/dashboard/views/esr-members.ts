/** The admins' page of the ESR member list: what is in force, and the upload form. */
import type { EsrMemberList, MemberListProblem } from '../../../core/membership/member-list';
import { html, type SafeHtml } from '../html';
import { csrfField, layout, type Flash, type PageUser } from './common';

export interface EsrMembersModel {
  user: PageUser;
  list?: EsrMemberList;
  /** The office's "3 March 2021, 10:14" of the upload. */
  uploadedAt?: string;
  flash?: Flash;
  /** Rows of the last upload that were left out (or why nothing was read). */
  problems?: MemberListProblem[];
}

const PROBLEMS_SHOWN = 50;

function yearCounts(list: EsrMemberList): Array<[number, number]> {
  const counts = new Map<number, number>();
  for (const m of list.members) for (const y of m.paidYears) counts.set(y, (counts.get(y) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[0] - a[0]).slice(0, 6);
}

export function esrMembersPage(m: EsrMembersModel): SafeHtml {
  const list = m.list;
  return layout(
    { title: 'ESR member list', user: m.user, ...(m.flash ? { flash: m.flash } : {}) },
    html`<h1>ESR member list</h1>
<section aria-labelledby="current-h">
<h2 id="current-h">List in force</h2>
${list
      ? html`<p data-members="${list.members.length}">${list.members.length} member${list.members.length === 1 ? '' : 's'}, uploaded ${m.uploadedAt ?? list.uploadedAt} by ${list.uploadedBy}.</p>
<table>
<caption>Members with the fee paid, by year</caption>
<thead><tr><th scope="col">Year</th><th scope="col">Members</th></tr></thead>
<tbody>${yearCounts(list).map(([y, n]) => html`<tr><td>${y}</td><td>${n}</td></tr>`)}</tbody>
</table>`
      : html`<p>No list has been uploaded: applications are not checked against one, and nothing is said about it.</p>`}
<p class="muted">Each application decided after an upload is checked: an ESR membership number on the receipt or in the CV that is
not on the list, or is on it without the fee of the year the programme asks, asks a person to review it (shown beside the
ESR membership proof). To check an application decided before, re-run its triage.</p>
</section>
${m.problems?.length
      ? html`<section aria-labelledby="problems-h">
<h2 id="problems-h">Rows left out of the last upload (${m.problems.length})</h2>
<ul>${m.problems.slice(0, PROBLEMS_SHOWN).map((p) => html`<li>${p.line > 0 ? `Line ${p.line}: ` : ''}${p.message}</li>`)}</ul>
${m.problems.length > PROBLEMS_SHOWN ? html`<p class="muted">and ${m.problems.length - PROBLEMS_SHOWN} more.</p>` : ''}
</section>`
      : ''}
<section aria-labelledby="upload-h">
<h2 id="upload-h">Upload a new list</h2>
<p>A CSV file from the ESR membership database with the columns membership number, name, e-mail and paid years
(for example <code>100234;Jane Doe;jane.doe@example.org;2020;2021</code>). Commas, semicolons or tabs; a header row is
optional; paid years may be written 2020;2021 or 2019-2021. The new list replaces the one in force.</p>
<form method="post" action="/rules/esr-members" enctype="multipart/form-data">
${csrfField(m.user)}
<label for="members-file">Member list (CSV)</label>
<input id="members-file" name="file" type="file" accept=".csv,.txt,text/csv" required>
<button type="submit">Upload</button>
</form>
</section>`,
  );
}
