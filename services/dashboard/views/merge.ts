/** The application page's "Same person" box: applications merged with this one (undo), and merging another. */
import type { ApplicationSummary } from '../../../core/ports/store';
import { html, type SafeHtml } from '../html';
import type { OfficeWords } from '../words';
import type { MergeModel } from '../merges';
import { csrfField, statusBadge, type PageUser } from './common';

function who(a: ApplicationSummary, w: OfficeWords): SafeHtml {
  return html`<a href="/applications/${a.id}">${a.applicantName ?? a.applicantEmail ?? 'Unknown sender'}</a> (${a.applicantEmail ?? 'no address'}), ${w.programme(a.programme)}, ${statusBadge(a.status)}, received ${w.timeTag(a.receivedAt)}`;
}

export function samePersonBox(applicationId: string, m: MergeModel, user: PageUser, w: OfficeWords): SafeHtml {
  const base = `/applications/${applicationId}`;
  return html`<section id="same-person" aria-labelledby="same-person-h">
<h2 id="same-person-h">Same person</h2>
${m.merged.length
    ? html`<ul class="merged">${m.merged.map(
        (a) => html`<li>Merged with ${who(a, w)}
<form method="post" action="${base}/unmerge" class="inline" data-confirm="Undo this merge?">${csrfField(user)}<input type="hidden" name="other" value="${a.id}"><button type="submit">Undo merge</button></form></li>`,
      )}</ul>`
    : html`<p class="muted">Not merged with another application.</p>`}
<details><summary>Merge with another application of this person</summary>
<form method="post" action="${base}/merge">${csrfField(user)}
${m.candidates.length
    ? html`<fieldset><legend>Applications under the same name</legend>${m.candidates.map(
        (a, i) => html`<p><label><input type="radio" name="other" value="${a.id}"${i === 0 ? html` checked` : ''}> ${a.applicantName ?? a.applicantEmail ?? 'Unknown sender'} (${a.applicantEmail ?? 'no address'}), ${w.programme(a.programme)}, ${statusBadge(a.status)}</label></p>`,
      )}</fieldset>`
    : html`<p><label for="merge-other">Link of the other application</label><br><input id="merge-other" name="other" required size="70" placeholder="paste the other application's link"></p>`}
<p>Both stay as they are; each page links to the other, and the merge can be undone.</p>
<p><button type="submit">Merge</button></p>
</form></details>
</section>`;
}
