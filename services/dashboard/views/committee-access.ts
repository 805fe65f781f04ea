/** The admins' page of the committee members' own links to the pack. */
import { html, type SafeHtml } from '../html';
import { csrfField, layout, type Flash, type PageUser } from './common';

export interface CommitteeAccessModel {
  user: PageUser;
  programmes: Array<{ id: string; title: string; committee: string[] }>;
  /** When links were last revoked (the key's date), in the office's words. */
  keySince?: string;
  /** The link just made: shown once, it is the member's key to the pack. */
  made?: { member: string; programme: string; url: string; expires: string };
  flash?: Flash;
}

export function committeeAccessPage(m: CommitteeAccessModel): SafeHtml {
  const withCommittee = m.programmes.filter((p) => p.committee.length > 0);
  return layout(
    { title: 'Committee access', user: m.user, ...(m.flash ? { flash: m.flash } : {}) },
    html`<h1>Committee access</h1>
<p>Each member of a programme's evaluation committee can have a link of their own that downloads the committee pack
without a dashboard account, until it expires. Send it to that member only: whoever has the link has the pack. Every
download is in the event log under the member's place in the committee.</p>
${m.made
      ? html`<section aria-labelledby="made-h" class="made-link">
<h2 id="made-h">Link for ${m.made.member}</h2>
<p>${m.made.programme}; valid until ${m.made.expires}. Copy it now: it is not shown again.</p>
<p><input id="made-url" type="text" readonly value="${m.made.url}" aria-label="The link" size="80"></p>
</section>`
      : ''}
${withCommittee.length === 0
      ? html`<p class="muted">No programme names an evaluation committee (rules/programmes/*.yaml, <code>committee</code>).</p>`
      : withCommittee.map(
          (p) => html`<section aria-labelledby="c-${p.id}">
<h2 id="c-${p.id}">${p.title}</h2>
<table>
<thead><tr><th scope="col">Member</th><th scope="col">Link</th></tr></thead>
<tbody>${p.committee.map(
            (name, i) => html`<tr><td>${name}</td><td><form method="post" action="/rules/committee/link" class="inline">${csrfField(m.user)}<input type="hidden" name="programme" value="${p.id}"><input type="hidden" name="member" value="${i}">
<label>Valid for <input type="number" name="days" value="14" min="1" max="60" size="3"> days</label> <button type="submit">Make a link for ${name}</button></form></td></tr>`,
          )}</tbody>
</table>
</section>`,
        )}
<section aria-labelledby="revoke-h">
<h2 id="revoke-h">Revoke</h2>
<p>${m.keySince ? `Links made since ${m.keySince} work until they expire.` : 'No link has been made yet.'} Revoking stops every link at once; make new ones afterwards.</p>
<form method="post" action="/rules/committee/revoke">${csrfField(m.user)}<button type="submit">Revoke every committee link</button></form>
</section>`,
  );
}
