/**
 * The application page's "Write to the applicant" box (issue 12, point 3) and
 * the messages staff wrote, shown under Replies. The form carries a fresh
 * random key: pressing the button twice (or resending the form) asks for the
 * same message, sent once. A message whose sending failed says why in the
 * office's words and has a Try again button (its attempt number in the form,
 * so a second press asks for nothing more).
 */
import type { StaffTemplate } from '../../../core/reply/staff-message';
import type { SendFailure } from '../../../core/reply/staff-message-send';
import { html, type SafeHtml } from '../html';
import type { OfficeWords } from '../words';
import { csrfField, type PageUser } from './common';

/** One message as the page shows it: what the event log and the BlobStore hold. */
export interface StaffMessageView {
  key: string;
  applicationId: string;
  by: string;
  at: string;
  to?: string;
  subject?: string;
  body?: string;
  /** failed: the sending failed and staff may try again; not sent: decided (the address bounced). */
  state: 'sending' | 'sent' | 'not sent' | 'failed';
  reason?: string;
  sentAt?: string;
  /** Why the last attempt failed (core/reply/staff-message-send.ts SEND_FAILURES) and which attempt it was. */
  failure?: { reason: string; attempt: number };
  /** How often staff asked again. */
  retries?: number;
  /** An attempt was cut off with its outcome unknown, and the message was sent again. */
  interrupted?: boolean;
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

const STATE_WORDS: Record<StaffMessageView['state'], string> = { sending: 'Sending', sent: 'Sent', 'not sent': 'Not sent', failed: 'Not sent' };

/** A failure in the office's words, each with what to do next. */
const FAILURE_WORDS: Record<SendFailure, string> = {
  refused: 'the mail server refused it',
  unreachable: 'the mail server could not be reached for hours',
  settings: "the mail server did not accept the office's login (an admin should check the mail settings)",
  bounced: "the applicant's address bounced one of our mails lately (clear the bounce mark first)",
  failed: 'something went wrong while sending it',
};

function failureWords(reason: string): string {
  return FAILURE_WORDS[reason as SendFailure] ?? FAILURE_WORDS.failed;
}

/** `user` gives the Try again buttons their CSRF token; without it (a read-only rendering) there are none. */
export function staffMessagesList(messages: StaffMessageView[], w: OfficeWords, user?: PageUser): SafeHtml {
  return html`${messages.map(
    (s) => html`<article class="reply staff-message" id="message-${s.key}">
<h3><span class="badge">${STATE_WORDS[s.state]}</span> Message from ${s.by}</h3>
<dl class="mail-head">${s.to ? html`<dt>To</dt><dd>${s.to}</dd>` : ''}${s.subject ? html`<dt>Subject</dt><dd>${s.subject}</dd>` : ''}<dt>Written</dt><dd>${w.timeTag(s.at)}</dd>
${s.sentAt ? html`<dt>Sent</dt><dd>${w.timeTag(s.sentAt)}</dd>` : ''}${s.reason ? html`<dt>Why not sent</dt><dd>${s.reason}</dd>` : ''}${s.retries ? html`<dt>Tried again</dt><dd>${s.retries === 1 ? 'once' : `${s.retries} times`}</dd>` : ''}</dl>
${s.interrupted ? html`<p class="muted">An attempt to send it was cut off before its outcome was known, so it was sent again; the applicant may see it twice (as one message, with the same Message-ID).</p>` : ''}
${s.failure ? html`<p class="message-failed"><strong>Not sent: ${failureWords(s.failure.reason)} — try again.</strong></p>
${user ? html`<form method="post" action="/applications/${s.applicationId}/message/${s.key}/retry" class="inline">${csrfField(user)}<input type="hidden" name="attempt" value="${String(s.failure.attempt)}"><button type="submit">Try again</button></form>` : ''}` : ''}
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
