import { STATUSES } from '../../../core/types';
import type { RulesStatus } from '../deps';
import { html, type SafeHtml } from '../html';
import type { OfficeWords } from '../words';
import { csrfField, layout, statusBadge, STATUS_LABELS, type Flash, type PageUser } from './common';

export interface DryRunJob {
  id: number;
  dir: string;
  by: string;
  startedAt: string;
  finishedAt?: string;
  state: 'running' | 'done' | 'failed';
  done: number;
  total: number;
  result?: unknown;
  error?: string;
}

export function rulesPage(m: { user: PageUser; flash?: Flash; rules: RulesStatus; dryRunAvailable: boolean; words: OfficeWords }): SafeHtml {
  const r = m.rules;
  return layout(
    { title: 'Rules', user: m.user, nav: 'rules', ...(m.flash ? { flash: m.flash } : {}) },
    html`<h1>Rules</h1>
<p>Rules in force: <code>${r.hash}</code></p>
${r.lastError
      ? html`<section class="box error-box" aria-labelledby="refused-h"><h2 id="refused-h">Last edit refused</h2>
<p>The previous rules stay in force until the files are valid again.</p>
<pre class="problems">${r.lastError}</pre></section>`
      : html`<p class="flash flash-ok">No refused edit: the files on disk are the rules in force.</p>`}
<h2>Files</h2>
<table class="rule-files">
<thead><tr><th scope="col">File</th><th scope="col">Valid</th><th scope="col">SHA-256</th><th scope="col">Problems (file:line: path: what)</th></tr></thead>
<tbody>${r.files.map(
      (f) => html`<tr><td><code>${f.file}</code></td><td>${f.ok ? html`<span class="badge yes">✓ valid</span>` : html`<span class="badge no">✗ invalid</span>`}</td><td><code title="${f.sha256}">${f.sha256.slice(0, 12)}</code></td><td>${f.error ? html`<pre class="problems">${f.error}</pre>` : '–'}</td></tr>`,
    )}</tbody>
</table>
<h2>Programmes</h2>
<table>
<thead><tr><th scope="col">Title</th><th scope="col">Deadline</th></tr></thead>
<tbody>${r.programmes.map((p) => html`<tr><td>${p.title}</td><td>${p.deadline ? m.words.day(p.deadline) : '–'}</td></tr>`)}</tbody>
</table>
<p>${m.dryRunAvailable ? html`<a href="/rules/dry-run">Dry run of edited rules</a>: see what a change would do before it goes live.` : 'Dry runs are not available in this process.'}</p>
<p><a href="/rules/retention">Retention</a>: how long each programme keeps applications, what would go today, and Delete now.</p>`,
  );
}

interface DiffLike {
  applications: Array<{
    applicationId: string;
    programme: string | null;
    revision: number;
    before: { status: string; flags: string[]; reply: { action: string; template?: string } };
    after: { status: string; flags: string[]; reply: { action: string; template?: string } };
    changed: boolean;
    replyChanged: boolean;
  }>;
  skipped?: Array<{ applicationId: string; reason: string }>;
  totals: { applications: number; changed: number; skipped?: number; repliesChanged?: number; statusBefore?: Record<string, number>; statusAfter?: Record<string, number>; flagsAdded?: Record<string, number>; flagsRemoved?: Record<string, number> };
}

function isDiffLike(v: unknown): v is DiffLike {
  const d = v as DiffLike | null;
  return !!d && typeof d === 'object' && Array.isArray(d.applications) && !!d.totals && typeof d.totals.applications === 'number';
}

const replyText = (r: { action: string; template?: string }) => (r.template ? `${r.action} (${r.template})` : r.action);
const statusCell = (s: string): SafeHtml | string => ((STATUSES as readonly string[]).includes(s) ? statusBadge(s as (typeof STATUSES)[number]) : s);

/** `missing_section:passport` (a dry run's flag keys) in words. */
function flagKey(key: string, w: OfficeWords): string {
  const [code, section] = key.split(':');
  return section ? `${w.flagName(code!)} (${w.section(section)})` : w.flagName(code!);
}

function diffResult(d: DiffLike, w: OfficeWords): SafeHtml {
  const t = d.totals;
  const changed = d.applications.filter((a) => a.changed || a.replyChanged);
  const counts = (rec?: Record<string, number>) => Object.entries(rec ?? {}).filter(([, n]) => n > 0);
  return html`<p><strong>${t.changed}</strong> of ${t.applications} applications would change${t.repliesChanged !== undefined ? `, ${t.repliesChanged} of them in their reply` : ''}${t.skipped ? `; ${t.skipped} could not be re-triaged` : ''}.</p>
${t.statusBefore && t.statusAfter
    ? html`<table><thead><tr><th scope="col">Status</th><th scope="col">Now</th><th scope="col">With the edit</th></tr></thead>
<tbody>${STATUSES.map((s) => html`<tr><th scope="row">${STATUS_LABELS[s]}</th><td>${t.statusBefore![s] ?? 0}</td><td>${t.statusAfter![s] ?? 0}</td></tr>`)}</tbody></table>`
    : ''}
${counts(t.flagsAdded).length || counts(t.flagsRemoved).length
    ? html`<p>Flags added: ${counts(t.flagsAdded).map(([k, n]) => `${flagKey(k, w)} ×${n}`).join(', ') || 'none'}. Flags removed: ${counts(t.flagsRemoved).map(([k, n]) => `${flagKey(k, w)} ×${n}`).join(', ') || 'none'}.</p>`
    : ''}
${changed.length
    ? html`<table class="diff">
<thead><tr><th scope="col">Application</th><th scope="col">Programme</th><th scope="col">Status now → with the edit</th><th scope="col">Flags added</th><th scope="col">Flags removed</th><th scope="col">Reply now → with the edit</th></tr></thead>
<tbody>${changed.map((a) => {
        const added = a.after.flags.filter((f) => !a.before.flags.includes(f));
        const removed = a.before.flags.filter((f) => !a.after.flags.includes(f));
        return html`<tr><td><a href="/applications/${a.applicationId}">${a.applicationId.slice(0, 8)}</a> (submission ${a.revision})</td><td>${w.programme(a.programme)}</td>
<td>${statusCell(a.before.status)} → ${statusCell(a.after.status)}</td><td>${added.map((k) => flagKey(k, w)).join(', ') || '–'}</td><td>${removed.map((k) => flagKey(k, w)).join(', ') || '–'}</td>
<td>${a.replyChanged ? `${replyText(a.before.reply)} → ${replyText(a.after.reply)}` : 'same'}</td></tr>`;
      })}</tbody></table>`
    : html`<p>No application would change.</p>`}
${d.skipped && d.skipped.length ? html`<h3>Not re-triaged</h3><ul>${d.skipped.map((s) => html`<li><a href="/applications/${s.applicationId}">${s.applicationId.slice(0, 8)}</a>: ${s.reason}</li>`)}</ul>` : ''}`;
}

export function dryRunPage(m: { user: PageUser; flash?: Flash; job?: DryRunJob; available: boolean; defaultDir: string; words: OfficeWords }): SafeHtml {
  const job = m.job;
  return layout(
    { title: 'Rules dry run', user: m.user, nav: 'rules', ...(m.flash ? { flash: m.flash } : {}), ...(job?.state === 'running' ? { refreshSeconds: 2 } : {}) },
    html`<p><a href="/rules">← Rules</a></p>
<h1>Dry run of edited rules</h1>
<p>Re-triages every stored application with the rule files of a folder on the server and shows what would change. Nothing is stored or sent.</p>
${m.available
      ? html`<form method="post" action="/rules/dry-run">${csrfField(m.user)}
<p><label for="dir">Rules folder (absolute path on the server)</label><br>
<input id="dir" name="dir" required size="70" maxlength="1000" value="${job?.dir ?? m.defaultDir}"></p>
<p><button type="submit"${job?.state === 'running' ? html` disabled` : ''}>Run</button></p>
</form>`
      : html`<p class="muted">Dry runs are not available in this process.</p>`}
${job
      ? html`<section aria-labelledby="job-h"><h2 id="job-h">${job.state === 'running' ? 'Running' : job.state === 'done' ? 'Result' : 'Failed'}</h2>
<p class="muted">Folder <code>${job.dir}</code>, started by ${job.by} ${m.words.timeTag(job.startedAt)}${job.finishedAt ? html`, finished ${m.words.timeTag(job.finishedAt)}` : ''}.</p>
${job.state === 'running' ? html`<p><label for="progress">Progress</label> <progress id="progress" max="${Math.max(job.total, 1)}" value="${job.done}">${job.done} of ${job.total}</progress> ${job.done} of ${job.total || '?'} applications</p>` : ''}
${job.state === 'failed' ? html`<pre class="problems">${job.error ?? 'failed'}</pre>` : ''}
${job.state === 'done' ? (isDiffLike(job.result) ? diffResult(job.result, m.words) : html`<pre>${JSON.stringify(job.result, null, 2)}</pre>`) : ''}
</section>`
      : ''}`,
  );
}
