/**
 * The application page's "Write to the applicant" box (issue 12, point 3) and
 * the messages staff wrote, shown under Replies. The form carries a fresh
 * random key: pressing the button twice (or resending the form) asks for the
 * same message, sent once.
 */
import type { StaffTemplate } from '../../../core/reply/staff-message';
import { html, type SafeHtml } from '../html';
import type { OfficeWords } from '../words';
import { csrfField, type PageUser } from './common';

/** One message as the page shows it: what the event log and the BlobStore hold. */
export interface StaffMessageView {
  key: string;
  by: string;
  at: string;
  to?: string;
  subject?: string;
  body?: string;
  state: 'sending' | 'sent' | 'not sent';
  reason?: string;
  sentAt?: string;
}

export interface ComposeModel {
  user: PageUser;
  applicationId: string;
  /** Where it goes; undefined when the mail gives no address to answer. */
  to?: string;
  subject: string;
  key: string;
  templates: StaffTemplate[];
  /** The template chosen by `?template=`, filled for this applicant. */
  chosen?: { name: string; body: string };
}

const STATE_WORDS: Record<StaffMessageView['state'], string> = { sending: 'Sending', sent: 'Sent', 'not sent': 'Not sent' };

export function staffMessagesList(messages: StaffMessageView[], w: OfficeWords): SafeHtml {
  return html`${messages.map(
    (s) => html`<article class="reply staff-message" id="message-${s.key}">
<h3><span class="badge">${STATE_WORDS[s.state]}</span> Message from ${s.by}</h3>
<dl class="mail-head">${s.to ? html`<dt>To</dt><dd>${s.to}</dd>` : ''}${s.subject ? html`<dt>Subject</dt><dd>${s.subject}</dd>` : ''}<dt>Written</dt><dd>${w.timeTag(s.at)}</dd>
${s.sentAt ? html`<dt>Sent</dt><dd>${w.timeTag(s.sentAt)}</dd>` : ''}${s.reason ? html`<dt>Why not sent</dt><dd>${s.reason}</dd>` : ''}</dl>
${s.body ? html`<details><summary>Text</summary><pre class="mail-body">${s.body}</pre></details>` : ''}
</article>`,
  )}`;
}

export function composeBox(c: ComposeModel): SafeHtml {
  if (!c.to) return html`<p class="muted">The e-mail gives no address to write to.</p>`;
  const base = `/applications/${c.applicationId}`;
  return html`<details class="box compose" id="message"${c.chosen ? html` open` : ''}><summary>Write to the applicant</summary>
${c.templates.length ? html`<p>Start from: ${c.templates.map((t, i) => html`${i ? ' · ' : ''}<a href="${base}?template=${encodeURIComponent(t.name)}#message">${t.name}</a>`)}</p>` : ''}
<form method="post" action="${base}/message">${csrfField(c.user)}<input type="hidden" name="key" value="${c.key}">
<p>To ${c.to}, in the thread of the applicant's e-mail; sent as your message, not as an automatic reply.</p>
<p><label for="message-subject">Subject</label><br><input id="message-subject" name="subject" value="${c.subject}" required maxlength="500" size="70"></p>
<p><label for="message-body">Message</label><br><textarea id="message-body" name="body" rows="14" cols="80" required maxlength="50000">${c.chosen?.body ?? ''}</textarea></p>
<p><button type="submit">Send message</button></p>
</form></details>`;
}
