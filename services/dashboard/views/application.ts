import type { ApplicationView, EventRecord, NoteRecord, ReplyRecord, RevisionView, SectionFile } from '../../../core/ports/store';
import { SENSITIVE_SECTIONS } from '../../../core/retention/plan-retention';
import { toZonedDate } from '../../../core/time';
import { SECTION_IDS, STATUSES, type Facts, type Flag, type SectionSpan } from '../../../core/types';
import type { RevisionDocuments } from '../documents';
import { html, type SafeHtml } from '../html';
import type { OfficeWords } from '../words';
import { FACT_LABELS } from '../words';
import type { MergeModel } from '../merges';
import { samePersonBox } from './merge';
import { composeBox, staffMessagesList, type ComposeModel, type StaffMessageView } from './staff-message';
import { csrfField, layout, pageRange, sectionClass, severityBadge, statusBadge, STATUS_LABELS, type Flash, type PageUser } from './common';

export interface ApplicationModel {
  user: PageUser;
  flash?: Flash;
  app: ApplicationView;
  /** The revision shown (the latest unless `?rev=` chose another). */
  revision: RevisionView;
  docs: RevisionDocuments;
  sectionFiles: SectionFile[];
  replies: ReplyRecord[];
  notes: NoteRecord[];
  events: EventRecord[];
  /** The "Write to the applicant" box, and the messages staff wrote (shown under Replies). */
  compose?: ComposeModel;
  messages?: StaffMessageView[];
  /** Applications of the same person merged with this one, and candidates (services/dashboard/merges.ts). */
  merge?: MergeModel;
  words: OfficeWords;
  /** The page the viewer shows (`?page=`), 1 when not asked. */
  viewPage?: number;
  /**
   * When retention deleted this submission's passports and certificates with the mail and PDF holding them
   * (services/dashboard/documents.ts `documentsErasedAt`): no previews or PDF links, a sentence instead.
   */
  documentsErasedAt?: string;
}

/** Thumbnails shown at most; a longer PDF is opened whole. */
export const MAX_THUMBNAILS = 200;
const MAX_BODY_CHARS = 20_000;

function revQuery(m: ApplicationModel, sep: '?' | '&' = '?'): string {
  return m.revision.revision === m.app.latest.revision ? '' : `${sep}rev=${m.revision.revision}`;
}

/** The section holding page n (the first span that covers it). */
export function sectionOfPage(sections: readonly SectionSpan[], n: number): SectionSpan | undefined {
  return sections.find((s) => n >= s.pages[0] && n <= s.pages[1]);
}

/** The URL part naming a section file: `<section>.pdf`, or `<section>-p<first>.pdf` when the section has several files. */
export function sectionFileName(files: readonly SectionFile[], f: SectionFile): string {
  const several = files.filter((g) => g.section === f.section).length > 1;
  return several ? `${f.section}-p${f.pages[0]}.pdf` : `${f.section}.pdf`;
}

function evidenceCell(flag: Flag, w: OfficeWords): SafeHtml {
  const rows = flag.evidence ? w.evidenceRows(flag.evidence) : [];
  if (rows.length === 0) return html`<span class="muted">–</span>`;
  return html`<dl class="evidence">${rows.map(([k, v]) => html`<dt>${k}</dt><dd>${k === 'Text' ? html`<q>${v}</q>` : v}</dd>`)}</dl>`;
}

function flagsTable(flags: Flag[], w: OfficeWords): SafeHtml {
  if (flags.length === 0) return html`<p>No flags.</p>`;
  return html`<table class="flags">
<thead><tr><th scope="col">Flag</th><th scope="col">Severity</th><th scope="col">What the rules say</th><th scope="col">Document</th><th scope="col">Evidence</th></tr></thead>
<tbody>${flags.map(
    (f) => html`<tr data-flag="${f.code}"><td>${w.flagName(f.code)}</td><td>${severityBadge(f.severity)}</td><td>${f.message}</td><td>${f.section ? w.section(f.section) : '–'}</td><td>${evidenceCell(f, w)}</td></tr>`,
  )}</tbody>
</table>`;
}

/** What the confidence percentage means, under the table that shows it. */
function confidenceGlossary(w: OfficeWords): SafeHtml {
  const below = w.lowConfidencePercent();
  return html`<p class="glossary"><strong>Confidence</strong>: how sure the machine is that these pages are this document (100 % = sure)${below !== undefined ? `; below ${below} % a person checks` : ''}.</p>`;
}

function checklist(r: RevisionView, w: OfficeWords, erasedAt?: string): SafeHtml {
  // Found stays true of the verdict; the office also reads that the document itself is gone.
  const erased: readonly string[] = erasedAt ? SENSITIVE_SECTIONS : [];
  return html`<table class="checklist">
<thead><tr><th scope="col">#</th><th scope="col">Document</th><th scope="col">Found</th><th scope="col">Pages</th><th scope="col">Confidence</th><th scope="col">Flags</th></tr></thead>
<tbody>${SECTION_IDS.map((id, i) => {
    const spans = r.sections.filter((s) => s.id === id);
    const missing = r.missing.includes(id) || spans.length === 0;
    const flags = [...new Set(r.flags.filter((f) => f.section === id).map((f) => w.flagName(f.code)))];
    return html`<tr class="${missing ? 'missing' : 'present'}"><td>${i + 1}</td><td><span class="swatch ${sectionClass(id)}" aria-hidden="true"></span> ${w.section(id)}</td>
<td>${missing ? html`<span class="badge no">✗ missing</span>` : html`<span class="badge yes">✓ found</span>`}${!missing && erased.includes(id) ? html` <span class="muted">(deleted ${erasedDay(erasedAt!, w)})</span>` : ''}</td>
<td>${spans.length ? spans.map((s) => pageRange(s.pages)).join(', ') : '–'}</td>
<td>${spans.length ? spans.map((s) => `${Math.round(s.confidence * 100)} %`).join(', ') : '–'}</td>
<td>${flags.join(', ') || '–'}</td></tr>`;
  })}</tbody>
</table>
${confidenceGlossary(w)}`;
}

/** Where a page sits in its document: "Board certificate, page 2 of 3". */
function placeOf(m: ApplicationModel, n: number): { span: SectionSpan | undefined; label: string; where: string } {
  const span = sectionOfPage(m.revision.sections, n);
  const label = span ? m.words.sectionShort(span.id) : 'Not assigned to a document';
  const where = span ? `${label}, page ${n - span.pages[0] + 1} of ${span.pages[1] - span.pages[0] + 1}` : label;
  return { span, label, where };
}

/**
 * The page viewer: one large page with links to the previous and next page of the same document and to
 * the documents before and after. Plain links (`?page=n#viewer`) work without script; dashboard.js turns
 * them, and the strip's thumbnails, into in-place page turns (the data-* attributes carry what it needs).
 */
function viewer(m: ApplicationModel, total: number): SafeHtml {
  const shown = Math.min(total, MAX_THUMBNAILS);
  const n = Math.min(Math.max(m.viewPage ?? 1, 1), shown);
  const { span, where } = placeOf(m, n);
  const base = `/applications/${m.app.id}`;
  const rq = revQuery(m, '&');
  const pageLink = (to: number | undefined, text: string, rel: string) =>
    to === undefined
      ? html`<span class="viewer-off" data-rel="${rel}">${text}</span>`
      : html`<a href="${base}?page=${to}${rq}#viewer" data-view-page="${to}" data-rel="${rel}">${text}</a>`;
  const first = span ? span.pages[0] : n;
  const last = span ? Math.min(span.pages[1], shown) : n;
  const spans = [...m.revision.sections].sort((x, y) => x.pages[0] - y.pages[0]);
  const nextDoc = spans.find((x) => x.pages[0] > last && x.pages[0] <= shown);
  const prevDoc = [...spans].reverse().find((x) => x.pages[1] < first);
  return html`<figure id="viewer" class="viewer ${span ? sectionClass(span.id) : 'sec-unknown'}" data-base="${base}" data-rev="${rq}" data-page="${n}" data-total="${shown}">
<nav class="viewer-nav" aria-label="Turn pages">
${pageLink(prevDoc?.pages[0], '⇤ Previous document', 'prev-doc')}
${pageLink(n > first ? n - 1 : undefined, '← Previous page', 'prev')}
<strong class="viewer-where" aria-live="polite">${where}</strong> <span class="muted viewer-pdf">(PDF page ${n} of ${total})</span>
${pageLink(n < last ? n + 1 : undefined, 'Next page →', 'next')}
${pageLink(nextDoc?.pages[0], 'Next document ⇥', 'next-doc')}
</nav>
<a class="viewer-full" href="${base}/pages/${n}.png?w=800${rq}" target="_blank" rel="noopener"><img class="viewer-img" src="${base}/pages/${n}.png?w=800${rq}" width="800" alt="Page ${n}: ${where}"></a>
<figcaption class="muted">Click a page in the strip to show it here, the page itself to open it full size; the arrow keys turn pages when the viewer has the focus.</figcaption>
</figure>`;
}

/** The day retention deleted the documents, in the office's time zone: `20 Mar 2021`. */
export function erasedDay(at: string, w: OfficeWords): string {
  return w.day(toZonedDate(new Date(at), w.timeZone));
}

/** What went, in the office's words: `Passport, Board certificate, Medical degree and Language certificates`. */
function erasedDocuments(w: OfficeWords): string {
  const names = SENSITIVE_SECTIONS.map((id) => w.sectionShort(id));
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]!}`;
}

/** Said where the pages were: the PDF is gone, so no thumbnail or viewer asks for it. */
function erasedNote(m: ApplicationModel, at: string): SafeHtml {
  const kept = m.sectionFiles.length > 0;
  return html`<p class="flash erased-note" role="note">The documents were deleted under the retention period on ${erasedDay(at, m.words)}: ${erasedDocuments(m.words)}, with the e-mail as received and the PDF that contained them. Their pages can no longer be shown${kept ? '; the PDFs of the other documents are kept, under Files' : ''}.</p>`;
}

function thumbnails(m: ApplicationModel): SafeHtml {
  if (m.documentsErasedAt) return erasedNote(m, m.documentsErasedAt);
  const total = m.docs.totalPages;
  if (!total) return html`<p class="muted">No readable PDF pages to show.</p>`;
  const shown = Math.min(total, MAX_THUMBNAILS);
  const base = `/applications/${m.app.id}`;
  const rq = revQuery(m, '&');
  const used = [...new Set(m.revision.sections.map((s) => s.id))];
  return html`<div class="pages-layout">
${viewer(m, total)}
<div class="pages-strip">
<ul class="legend" aria-label="Colours of the documents">${used.map(
    (id) => html`<li><span class="swatch ${sectionClass(id)}" aria-hidden="true"></span> ${m.words.sectionShort(id)}</li>`,
  )}</ul>
<ol class="strip">${Array.from({ length: shown }, (_, i) => {
    const n = i + 1;
    const { span, label, where } = placeOf(m, n);
    const id = span?.id ?? 'unassigned';
    return html`<li class="thumb ${span ? sectionClass(span.id) : 'sec-unknown'}" data-section="${id}" data-first="${span ? span.pages[0] : n}" data-last="${span ? span.pages[1] : n}" data-where="${where}"><a href="${base}?page=${n}${rq}#viewer" data-view-page="${n}"><img src="${base}/pages/${n}.png?w=240${rq}" loading="lazy" width="240" height="340" alt="Page ${n}: ${label}"></a><span class="thumb-label">${n} · ${label}</span></li>`;
  })}</ol>
</div>
</div>
${total > shown ? html`<p class="muted">Showing the first ${shown} of ${total} pages; open the PDF for the rest.</p>` : ''}`;
}

function filesList(m: ApplicationModel): SafeHtml {
  const id = m.app.id;
  const rq = revQuery(m);
  const rqa = revQuery(m, '&');
  const erasedAt = m.documentsErasedAt;
  return html`<ul class="files">
${erasedAt ? html`<li class="muted">Whole PDF: deleted under the retention period on ${erasedDay(erasedAt, m.words)}.</li>` : ''}
${(erasedAt ? [] : m.docs.pdfs).map((d) => {
    const docQ = m.docs.pdfs.length > 1 ? `doc=${d.index}` : '';
    const q = [docQ, rq.slice(1)].filter(Boolean).join('&');
    return html`<li>Whole PDF${m.docs.pdfs.length > 1 ? ` ${d.index + 1}` : ''} (${d.filename}${d.pageCount ? `, ${d.pageCount} pages` : ''}):
<a href="/applications/${id}/pdf${q ? `?${q}` : ''}" target="_blank" rel="noopener">open</a> ·
<a href="/applications/${id}/pdf?${q ? `${q}&` : ''}download=1">download</a></li>`;
  })}
${m.docs.pdfs.length === 0 && !erasedAt ? html`<li class="muted">No PDF stored for this revision.</li>` : ''}
</ul>
${m.sectionFiles.length
    ? html`<table class="section-files">
<thead><tr><th scope="col">Document</th><th scope="col">Pages</th><th scope="col">PDF</th></tr></thead>
<tbody>${m.sectionFiles.map((f) => {
        const name = sectionFileName(m.sectionFiles, f);
        return html`<tr><td><span class="swatch ${sectionClass(f.section)}" aria-hidden="true"></span> ${m.words.section(f.section)}</td><td>${pageRange(f.pages)}</td>
<td><a href="/applications/${id}/sections/${name}${rq}" target="_blank" rel="noopener">open</a> · <a href="/applications/${id}/sections/${name}?download=1${rqa}">download</a></td></tr>`;
      })}</tbody>
</table>`
    : html`<p class="muted">No section PDFs for this revision.</p>`}`;
}

function factText(key: string, v: unknown, w: OfficeWords): string {
  if (key === 'languageLevels' && typeof v === 'object') {
    return Object.entries(v as Record<string, string>).map(([lang, level]) => `${w.language(lang)}: ${level}`).join(', ');
  }
  if (key === 'countryOfResidence' || key === 'countryOfWork') return w.country(String(v));
  if (key === 'boardCertificationPeriod' && typeof v === 'object') return `between ${w.value('period', v)}`;
  return w.value(key, v);
}

function factsTable(facts: Facts, w: OfficeWords): SafeHtml {
  const rows: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(facts)) {
    if (v === undefined || v === null) continue;
    rows.push([FACT_LABELS[k] ?? w.evidenceRows({ [k]: v })[0]?.[0] ?? k, factText(k, v, w)]);
  }
  if (rows.length === 0) return html`<p class="muted">No facts were read.</p>`;
  return html`<table class="facts"><tbody>${rows.map(([k, v]) => html`<tr><th scope="row">${k}</th><td>${v}</td></tr>`)}</tbody></table>`;
}

function mailSection(m: ApplicationModel): SafeHtml {
  const mail = m.docs.mail;
  if (!mail) return html`<p class="muted">The stored mail is not available.</p>`;
  const person = (p?: { email: string; name?: string }) => (p ? (p.name ? `${p.name} <${p.email}>` : p.email) : '–');
  const body = mail.text ?? '';
  return html`<dl class="mail-head">
<dt>Subject</dt><dd>${mail.subject || '(no subject)'}</dd>
<dt>From</dt><dd>${person(mail.from)}</dd>
${mail.replyTo ? html`<dt>Reply-To</dt><dd>${person(mail.replyTo)}</dd>` : ''}
<dt>Received</dt><dd>${m.words.timeTag(mail.receivedAt)}</dd>
${mail.headerMessageId ? html`<dt>Message-ID</dt><dd><code>${mail.headerMessageId}</code></dd>` : ''}
<dt>Attachments</dt><dd>${[...mail.pdfs.map((p) => `${p.filename} (PDF, ${Math.max(1, Math.round(p.size / 1024))} KB)`), ...mail.otherAttachments.map((a) => `${a.filename} (${a.contentType})`)].join('; ') || 'none'}</dd>
${mail.machine ? html`<dt>Automatic mail</dt><dd>${mail.machine.reason}</dd>` : ''}
${mail.noReplySender ? html`<dt>Sender</dt><dd>a no-reply address: never answered</dd>` : ''}
${mail.tooLarge ? html`<dt>Too large</dt><dd>${mail.tooLarge}</dd>` : ''}
</dl>
<pre class="mail-body">${body.length > MAX_BODY_CHARS ? `${body.slice(0, MAX_BODY_CHARS)}\n[… ${body.length - MAX_BODY_CHARS} more characters]` : body || '(no text)'}</pre>`;
}

function revisionsTable(m: ApplicationModel): SafeHtml {
  const w = m.words;
  const revs = m.app.revisions;
  return html`<table class="revisions">
<thead><tr><th scope="col">Submission</th><th scope="col">Received</th><th scope="col">Decided</th><th scope="col">Status</th><th scope="col">What changed</th></tr></thead>
<tbody>${revs.map((r, i) => {
    const prev = revs[i - 1];
    const codes = r.flags.map((f) => f.code);
    const prevCodes = prev ? prev.flags.map((f) => f.code) : [];
    const added = [...new Set(codes.filter((c) => !prevCodes.includes(c)))];
    const removed = [...new Set(prevCodes.filter((c) => !codes.includes(c)))];
    const current = r.revision === m.revision.revision;
    return html`<tr${current ? html` class="current"` : ''}>
<td>${current ? html`<strong>${r.revision} (shown)</strong>` : html`<a href="/applications/${m.app.id}?rev=${r.revision}">${r.revision}</a>`}</td>
<td>${w.timeTag(r.receivedAt)}</td><td>${w.timeTag(r.decidedAt)}</td>
<td>${statusBadge(r.status)}${r.amended ? html`<br><span class="muted">${w.eventName(r.amended.action)} by ${r.amended.by}, ${w.timeTag(r.amended.at)}${r.amended.reason ? html`: ${r.amended.reason}` : ''}</span>` : ''}</td>
<td>${prev
      ? html`<ul class="changes">${prev.status !== r.status ? html`<li>status ${STATUS_LABELS[prev.status]} → ${STATUS_LABELS[r.status]}</li>` : ''}${added.map((c) => html`<li>+ ${w.flagName(c)}</li>`)}${removed.map((c) => html`<li>− ${w.flagName(c)}</li>`)}${prev.status === r.status && !added.length && !removed.length ? html`<li>same status and flags</li>` : ''}</ul>`
      : 'first submission'}</td>
</tr>`;
  })}</tbody>
</table>`;
}

function replyForms(m: ApplicationModel, r: ReplyRecord): SafeHtml {
  if (r.state !== 'held') return html``;
  const base = `/applications/${m.app.id}/replies/${r.id}`;
  return html`<div class="reply-actions">
<form method="post" action="${base}/approve">${csrfField(m.user)}<button type="submit">Approve and send</button></form>
<form method="post" action="${base}/discard" data-confirm="Discard this reply? It will not be sent.">${csrfField(m.user)}<button type="submit" class="danger">Discard</button></form>
<details><summary>Edit, then approve</summary>
<form method="post" action="${base}/edit" class="edit-reply">${csrfField(m.user)}
<p><label for="subj-${r.id}">Subject</label><br><input id="subj-${r.id}" name="subject" value="${r.subject}" required maxlength="500" size="70"></p>
<p><label for="body-${r.id}">Body</label><br><textarea id="body-${r.id}" name="body" rows="16" cols="80" required maxlength="50000">${r.body}</textarea></p>
<p><button type="submit">Save and send</button></p>
</form></details>
</div>`;
}

/** A reply's state as staff say it. */
export const REPLY_STATES: Record<string, string> = { held: 'Held for approval', approved: 'Approved, sending', sending: 'Sending', sent: 'Sent', discarded: 'Discarded', failed: 'Failed' };

function repliesSection(m: ApplicationModel): SafeHtml {
  const w = m.words;
  if (m.replies.length === 0) return html`<p class="muted">No reply yet.</p>`;
  return html`${m.replies.map(
    (r) => html`<article class="reply reply-${r.state}" id="reply-${r.id}">
<h3><span class="badge reply-state-${r.state}">${REPLY_STATES[r.state] ?? r.state}</span> Reply for ${STATUS_LABELS[r.status]} (submission ${r.revision})</h3>
<dl class="mail-head"><dt>To</dt><dd>${r.to}</dd><dt>Subject</dt><dd>${r.subject}</dd><dt>Created</dt><dd>${w.timeTag(r.createdAt)}</dd>
${r.sentAt ? html`<dt>Sent</dt><dd>${w.timeTag(r.sentAt)}</dd>` : ''}
${r.decidedBy ? html`<dt>${r.state === 'discarded' ? 'Discarded by' : 'Approved by'}</dt><dd>${r.decidedBy}</dd>` : ''}
${r.error ? html`<dt>Last error</dt><dd>${r.error} (${r.attempts} attempts)</dd>` : ''}</dl>
<details${r.state === 'held' ? html` open` : ''}><summary>Text</summary><pre class="mail-body">${r.body}</pre></details>
${replyForms(m, r)}
</article>`,
  )}`;
}

function overrideForms(m: ApplicationModel): SafeHtml {
  const id = m.app.id;
  const r = m.revision;
  const rev = html`<input type="hidden" name="rev" value="${r.revision}">`;
  return html`<div class="action-forms">
<form method="post" action="/applications/${id}/status" class="box">${csrfField(m.user)}${rev}
<h3>Override the status</h3>
<p><label for="o-status">New status</label>
<select id="o-status" name="status" required>${STATUSES.map((s) => html`<option value="${s}"${s === r.status ? html` selected` : ''}>${STATUS_LABELS[s]}</option>`)}</select></p>
<p><label for="o-reason">Why</label><br><textarea id="o-reason" name="reason" rows="3" cols="50" required maxlength="2000"></textarea></p>
<p><button type="submit">Override status</button> <span class="muted">The reply is recomputed and held for approval.</span></p>
</form>

<form method="post" action="/applications/${id}/sections" class="box">${csrfField(m.user)}${rev}
<h3>Fix the section boundaries</h3>
<p class="muted">First and last page of each document${m.docs.totalPages ? ` (the PDF has ${m.docs.totalPages} pages)` : ''}; leave both empty for a missing document. Pages no range covers count as other pages.</p>
<table>
<thead><tr><th scope="col">Document</th><th scope="col">First page</th><th scope="col">Last page</th></tr></thead>
<tbody>${SECTION_IDS.map((s) => {
    const span = r.sections.find((x) => x.id === s);
    return html`<tr><th scope="row"><span class="swatch ${sectionClass(s)}" aria-hidden="true"></span> <label for="first-${s}">${m.words.section(s)}</label></th>
<td><input id="first-${s}" name="first_${s}" inputmode="numeric" pattern="[0-9]*" size="4" value="${span ? String(span.pages[0]) : ''}"></td>
<td><input name="last_${s}" inputmode="numeric" pattern="[0-9]*" size="4" aria-label="Last page of ${m.words.section(s)}" value="${span ? String(span.pages[1]) : ''}"></td></tr>`;
  })}</tbody>
</table>
<p><button type="submit">Re-decide with these pages</button></p>
</form>

<form method="post" action="/applications/${id}/retriage" class="box">${csrfField(m.user)}${rev}
<h3>Re-run triage</h3>
<p>Decide submission ${r.revision} again with the rules in force now. The reply is recomputed and held for approval.</p>
<p><button type="submit">Re-run triage</button></p>
</form>
</div>`;
}

/** Detail keys of events that only name records (ids, hashes): not shown. */
const EVENT_DETAIL_HIDDEN = new Set(['messageId', 'replyId', 'rulesHash', 'hash', 'previousHash', 'applicationId', 'sha256', 'key', 'with']);

function eventDetail(e: EventRecord, w: OfficeWords): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(e.detail)) {
    if (EVENT_DETAIL_HIDDEN.has(k) || v === undefined || v === null || (Array.isArray(v) && v.length === 0)) continue;
    if (k === 'revision') parts.push(`submission ${String(v)}`);
    else parts.push(`${w.evidenceRows({ [k]: v })[0]?.[0] ?? k}: ${w.value(k, v)}`);
  }
  return parts.join('; ') || '–';
}

function eventsTable(events: EventRecord[], w: OfficeWords): SafeHtml {
  if (events.length === 0) return html`<p class="muted">No events.</p>`;
  return html`<table class="events">
<thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Detail</th></tr></thead>
<tbody>${events.map(
    (e) => html`<tr data-action="${e.action}"><td>${w.timeTag(e.at)}</td><td>${w.actor(e.actor)}</td><td>${w.eventName(e.action)}</td><td>${eventDetail(e, w)}</td></tr>`,
  )}</tbody>
</table>`;
}

/** What waits for a person on this application: held replies, flags asking for a person, the review mark. */
function toDecide(m: ApplicationModel): SafeHtml {
  const a = m.app;
  const w = m.words;
  const held = m.replies.filter((r) => r.state === 'held');
  const personFlags = [...new Set(m.revision.flags.filter((f) => f.severity === 'review' || f.uncertain).map((f) => w.flagName(f.code)))];
  return html`<div class="decide box">
<h3>To decide</h3>
<ul class="decide-list">
${held.map(
    (r) => html`<li>A reply for ${STATUS_LABELS[r.status]} waits for approval (<a href="#reply-${r.id}">read it</a>)
<form method="post" action="/applications/${a.id}/replies/${r.id}/approve" class="inline">${csrfField(m.user)}<button type="submit">Approve and send</button></form></li>`,
  )}
${personFlags.length ? html`<li>Check: ${personFlags.join('; ')}.</li>` : ''}
${!held.length && !personFlags.length ? html`<li class="muted">Nothing waits for approval, and no flag asks for a person.</li>` : ''}
</ul>
<div class="reviewed"><strong>Reviewed:</strong> <span class="reviewed-by">${a.reviewedBy ? html`by ${a.reviewedBy}, ${w.timeTag(a.reviewedAt)}` : 'not yet'}</span>
<form method="post" action="/applications/${a.id}/reviewed" class="inline">${csrfField(m.user)}<button type="submit">Mark reviewed</button></form></div>
</div>`;
}

export function applicationPage(m: ApplicationModel): SafeHtml {
  const a = m.app;
  const r = m.revision;
  const w = m.words;
  const title = a.applicantName ?? a.applicantEmail ?? 'Unknown applicant';
  return layout(
    { title, user: m.user, nav: 'applications', ...(m.flash ? { flash: m.flash } : {}) },
    html`<p><a href="/applications">← Applications</a></p>
<h1>${title}</h1>
<dl class="summary">
<dt>E-mail</dt><dd>${a.applicantEmail ?? '–'}</dd>
<dt>Programme</dt><dd>${w.programme(a.programme)}</dd>
<dt>Submissions</dt><dd>${a.revisionCount}</dd>
</dl>
<nav class="toc" aria-label="On this page"><a href="#verdict">Verdict</a> · <a href="#documents">Documents</a> · <a href="#facts">Facts</a> · <a href="#mail">E-mail</a> · <a href="#replies">Replies</a> · <a href="#notes">Notes</a> · <a href="#history">History</a></nav>

${r.revision !== a.latest.revision ? html`<p class="flash flash-error" role="note">You are looking at submission ${r.revision}; the latest is <a href="/applications/${a.id}">submission ${a.latest.revision}</a>.</p>` : ''}

<section id="verdict" aria-labelledby="verdict-h">
<h2 id="verdict-h">Verdict (submission ${r.revision}): ${statusBadge(r.status)}</h2>
<p class="muted decided">Decided ${w.timeTag(r.decidedAt)}${r.amended ? html`; ${w.eventName(r.amended.action)} by ${r.amended.by}${r.amended.reason ? html` (${r.amended.reason})` : ''}` : ''}.</p>
${toDecide(m)}
${flagsTable(r.flags, w)}
<details id="actions" class="corrections"${m.flash?.kind === 'error' ? html` open` : ''}>
<summary>Correct the verdict: override the status, fix the document pages, re-run triage</summary>
${overrideForms(m)}
</details>
</section>

<section id="documents" aria-labelledby="documents-h">
<h2 id="documents-h">Documents</h2>
${checklist(r, w, m.documentsErasedAt)}
<h3 id="pages">Pages</h3>
${thumbnails(m)}
<h3 id="files">Files</h3>
${filesList(m)}
</section>

<section id="facts" aria-labelledby="facts-h">
<h2 id="facts-h">Facts read</h2>
${factsTable(r.facts, w)}
</section>

${m.merge ? samePersonBox(a.id, m.merge, m.user, w) : ''}

<section id="mail" aria-labelledby="mail-h">
<h2 id="mail-h">The e-mail</h2>
${mailSection(m)}
</section>

<section id="replies" aria-labelledby="replies-h">
<h2 id="replies-h">Replies</h2>
${repliesSection(m)}
${m.messages?.length ? staffMessagesList(m.messages, w, m.user) : ''}
${m.compose ? composeBox(m.compose) : ''}
${a.applicantEmail ? html`<form method="post" action="/applications/${a.id}/bounce/clear" class="inline">${csrfField(m.user)}<button type="submit">Clear bounce mark</button></form>` : ''}
</section>

<section id="notes" aria-labelledby="notes-h">
<h2 id="notes-h">Notes</h2>
${m.notes.length ? html`<ul class="notes">${m.notes.map((n) => html`<li><p class="note-text">${n.text}</p><p class="muted">${n.author}, ${w.timeTag(n.at)}</p></li>`)}</ul>` : html`<p class="muted">No notes yet.</p>`}
<form method="post" action="/applications/${a.id}/notes">${csrfField(m.user)}
<p><label for="note">Add a note</label><br><textarea id="note" name="text" rows="3" cols="60" required maxlength="5000"></textarea></p>
<p><button type="submit">Add note</button></p>
</form>
</section>

${m.user.role === 'admin'
      ? html`<section id="erasure" aria-labelledby="erasure-h">
<h2 id="erasure-h">Erasure on request</h2>
<p>When the applicant asks for their data to be erased (GDPR): <a href="/rules/erasure/${a.id}">Erase this applicant's data</a> (shows what would go, then asks to confirm).</p>
</section>

`
      : ''}<section id="history" aria-labelledby="history-h">
<h2 id="history-h">History</h2>
<h3 id="revisions">Submissions</h3>
${revisionsTable(m)}
<h3 id="events">Event log</h3>
${eventsTable(m.events, w)}
</section>`,
  );
}
