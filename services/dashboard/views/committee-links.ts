/** The overview's links for the evaluation committee: each programme's pack, and (admins) the ESR member list. */
import { html, type SafeHtml } from '../html';
import type { PageUser } from './common';

export function committeeSection(programmes: ReadonlyArray<{ key: string; title: string }>, user: PageUser): SafeHtml {
  const real = programmes.filter((p) => p.key && p.key !== 'unknown');
  return html`<section aria-labelledby="committee-h">
<h2 id="committee-h">For the evaluation committee</h2>
<ul>${real.map((p) => html`<li><a href="/programmes/${p.key}/committee-pack.zip" download data-pack="${p.key}">Committee pack: ${p.title}</a> <span class="muted">(zip: an index and one PDF per complete application, cover sheet and bookmarks)</span></li>`)}</ul>
${user.role === 'admin'
    ? html`<p><a href="/rules/committee">Committee members' links</a> <span class="muted">(each member downloads the pack with a link of their own)</span></p>
<p><a href="/rules/esr-members">ESR member list</a> <span class="muted">(upload the list the membership receipts are checked against)</span></p>`
    : ''}
</section>
`;
}

/**
 * On a list filtered to one programme: the committee pack of exactly the applications shown (the
 * staff's selection by filters, whatever their status). Nothing when the list is of no one programme.
 */
export function selectedPackLink(programme: string | undefined, programmes: ReadonlyArray<{ id: string }>, items: ReadonlyArray<{ id: string; programme: string | null }>): SafeHtml | '' {
  if (!programme || !programmes.some((p) => p.id === programme)) return '';
  const ids = items.filter((a) => a.programme === programme).map((a) => a.id);
  if (ids.length === 0) return '';
  const qs = new URLSearchParams(ids.map((id): [string, string] => ['application', id])).toString();
  return html` <a href="/programmes/${programme}/committee-pack.zip?${qs}" download data-pack-selected="${ids.length}">Committee pack of these ${ids.length}</a>`;
}
