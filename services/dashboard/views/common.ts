/** Pieces every page uses: the layout, status badges, section names and colours, flash messages (dates and the rule files' words: words.ts). */
import { SECTION_IDS, STATUSES, type Status } from '../../../core/types';
import { html, type HtmlValue, type SafeHtml } from '../html';

export interface PageUser {
  username: string;
  role: 'staff' | 'admin';
  csrfToken: string;
}

export const STATUS_LABELS: Record<Status, string> = {
  complete: 'Complete',
  incomplete: 'Incomplete',
  ineligible: 'Ineligible',
  needs_review: 'Needs review',
  not_application: 'Not an application',
};

/** Short names of the ten required documents (the rule files hold the long ones). */
export const SECTION_LABELS: Record<string, string> = {
  motivation: 'Letter of motivation',
  cv: 'CV (ESOR template)',
  recommendation: 'Letter of recommendation',
  board_certificate: 'Board certificate',
  medical_degree: 'Medical degree',
  language_certificates: 'Language certificates',
  publications: 'Publications',
  references: 'References',
  esr_membership: 'ESR membership',
  passport: 'Passport',
  other: 'Other pages',
};

export function sectionLabel(id: string): string {
  return SECTION_LABELS[id] ?? id;
}

/** The CSS class carrying a section's colour (dashboard.css defines one per id). */
export function sectionClass(id: string): string {
  return (SECTION_IDS as readonly string[]).includes(id) || id === 'other' ? `sec-${id.replace(/_/g, '-')}` : 'sec-unknown';
}

export function isStatus(value: unknown): value is Status {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}

/** A badge that says the status in words; the colour only repeats it. */
export function statusBadge(status: Status): SafeHtml {
  return html`<span class="badge status-${status.replace(/_/g, '-')}">${STATUS_LABELS[status]}</span>`;
}

export function severityBadge(severity: string): SafeHtml {
  return html`<span class="badge severity-${severity}">${severity}</span>`;
}

export function pageRange(pages: readonly [number, number] | undefined): string {
  if (!pages) return '–';
  return pages[0] === pages[1] ? `p. ${pages[0]}` : `pp. ${pages[0]}–${pages[1]}`;
}

export function csrfField(user: PageUser): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${user.csrfToken}">`;
}

export interface Flash {
  kind: 'ok' | 'error';
  text: string;
}

/** Messages shown after a Post/Redirect/Get: the query names one by code, so no text is reflected. */
export const FLASH_MESSAGES: Record<string, Flash> = {
  'reply-approved': { kind: 'ok', text: 'Reply approved: it is queued for sending.' },
  'reply-edited': { kind: 'ok', text: 'Reply edited and approved: it is queued for sending.' },
  'reply-discarded': { kind: 'ok', text: 'Reply discarded: it will not be sent.' },
  'status-overridden': { kind: 'ok', text: 'Status overridden. The reply is being recomputed and will be held for approval.' },
  'sections-overridden': { kind: 'ok', text: 'Section boundaries overridden and the application re-decided. The reply will be held for approval.' },
  retriaged: { kind: 'ok', text: 'Triage re-run with the rules in force. The reply will be held for approval.' },
  reviewed: { kind: 'ok', text: 'Marked as reviewed.' },
  'note-added': { kind: 'ok', text: 'Note added.' },
  merged: { kind: 'ok', text: 'Merged: each application now links to the other.' },
  unmerged: { kind: 'ok', text: 'Merge undone.' },
  'message-queued': { kind: 'ok', text: 'Your message is on its way to the applicant; it shows under Replies.' },
  'message-retried': { kind: 'ok', text: 'The message is being sent again; it shows under Replies.' },
  'bounce-cleared': { kind: 'ok', text: 'Bounce mark cleared: replies to this address go out again.' },
  'no-bounce': { kind: 'error', text: 'This address has no bounce mark.' },
  'logged-out': { kind: 'ok', text: 'You are signed out.' },
  'dry-run-started': { kind: 'ok', text: 'Dry run started.' },
  'reply-not-held': { kind: 'error', text: 'That reply is no longer held (someone else may have acted on it).' },
  'reply-already-sent': { kind: 'error', text: 'That reply was already sent and cannot be discarded.' },
  'reply-empty': { kind: 'error', text: 'An edited reply needs a subject and a body.' },
  'reason-required': { kind: 'error', text: 'Say why the status is overridden.' },
  'status-invalid': { kind: 'error', text: 'Choose one of the statuses.' },
  'status-unchanged': { kind: 'error', text: 'That is already the status: nothing changed.' },
  'sections-invalid': { kind: 'error', text: 'Section pages must be whole numbers within the PDF, first ≤ last, without overlaps; leave both empty for a missing section.' },
  'note-empty': { kind: 'error', text: 'A note needs some text (at most 5,000 characters).' },
  'merge-unknown': { kind: 'error', text: 'There is no such other application; nothing was merged.' },
  'message-empty': { kind: 'error', text: 'A message needs a subject and some text; nothing was sent.' },
  'message-form-old': { kind: 'error', text: 'That form was not one this page made; open the application again and write once more. Nothing was sent.' },
  'message-no-address': { kind: 'error', text: 'The e-mail gives no address to write to; nothing was sent.' },
  'message-retry-old': { kind: 'error', text: 'That message is no longer waiting to be tried again (someone may have done it already); see its state under Replies.' },
  'message-request-failed': { kind: 'error', text: 'The message was saved, but could not be queued; it is queued again within a minute of the queue being back, and goes once. Tell an admin if it still shows as Sending.' },
  'revision-unknown': { kind: 'error', text: 'That revision does not exist.' },
  'redecide-failed': { kind: 'error', text: 'Triage could not be re-run (the stored analysis may be missing); nothing was changed.' },
  'reply-request-failed': { kind: 'error', text: 'The change was saved, but the reply could not be queued; try again or tell an admin.' },
  'dry-run-busy': { kind: 'error', text: 'A dry run is already running.' },
  'dry-run-unavailable': { kind: 'error', text: 'Dry runs are not available in this process.' },
  'dir-invalid': { kind: 'error', text: 'Give an absolute directory path on the server.' },
};

export function flashFrom(query: unknown): Flash | undefined {
  const q = query as { done?: unknown; error?: unknown } | undefined;
  for (const key of ['error', 'done'] as const) {
    const code = q?.[key];
    if (typeof code === 'string' && Object.hasOwn(FLASH_MESSAGES, code)) return FLASH_MESSAGES[code];
  }
  return undefined;
}

export interface LayoutOptions {
  title: string;
  user?: PageUser;
  flash?: Flash;
  /** Which nav entry is current. */
  nav?: 'overview' | 'applications' | 'rules';
  /** The last event id the page reflects: the script listens (routes/live.ts) for newer ones. */
  liveSince?: number;
  /** Reload the page every n seconds (a running dry run), without script. */
  refreshSeconds?: number;
}

export function layout(opts: LayoutOptions, body: HtmlValue): SafeHtml {
  const { user } = opts;
  const current = (name: LayoutOptions['nav']) => (opts.nav === name ? html` aria-current="page"` : '');
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
${opts.refreshSeconds ? html`<meta http-equiv="refresh" content="${opts.refreshSeconds}">` : ''}
<title>${opts.title} · ESOR intake</title>
<link rel="stylesheet" href="/static/dashboard.css">
<script src="/static/dashboard.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <span class="brand">ESOR intake</span>
  ${user
    ? html`<nav aria-label="Main">
    <a href="/"${current('overview')}>Overview</a>
    <a href="/applications"${current('applications')}>Applications</a>
    ${user.role === 'admin' ? html`<a href="/rules"${current('rules')}>Rules</a>` : ''}
    ${user.role === 'admin' ? html`<a href="/rules/accounts">Accounts</a>` : ''} <a href="/account/totp">Two-factor</a>
  </nav>
  <form class="logout" method="post" action="/logout">${csrfField(user)}<span class="who">${user.username} (${user.role})</span> <button type="submit">Sign out</button></form>`
    : ''}
</header>
${opts.liveSince !== undefined ? html`<div id="live" class="live" role="status" aria-live="polite" data-since="${opts.liveSince}" hidden></div>` : ''}
<main id="main">
${opts.flash ? html`<p class="flash flash-${opts.flash.kind}" role="${opts.flash.kind === 'error' ? 'alert' : 'status'}">${opts.flash.text}</p>` : ''}
${body}
</main>
</body>
</html>
`;
}

/** A small page for 403/404/429/500 answers. */
export function messagePage(title: string, text: string, user?: PageUser): SafeHtml {
  return layout({ title, ...(user ? { user } : {}) }, html`<h1>${title}</h1><p>${text}</p><p><a href="/">Back to the overview</a></p>`);
}
