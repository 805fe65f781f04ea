/** The admins' accounts page: every account with its role, state and two-factor sign-in, and the forms that change them. */
import type { UserRecord } from '../../../core/ports/store';
import { html, type SafeHtml } from '../html';
import { csrfField, layout, type Flash, type PageUser } from './common';

export interface AccountsModel {
  user: PageUser;
  accounts: Array<Pick<UserRecord, 'username' | 'role' | 'disabledAt' | 'totpSecret'> & { created: string; disabledSince?: string }>;
  /** A password just made by the dashboard: shown once, never stored in clear. */
  shownOnce?: { username: string; password: string; created: boolean };
  flash?: Flash;
  /** What the add form had, after a refusal. */
  form?: { username?: string; role?: string };
}

function accountRow(m: AccountsModel, a: AccountsModel['accounts'][number]): SafeHtml {
  const base = `/rules/accounts/${encodeURIComponent(a.username)}`;
  const self = a.username === m.user.username;
  const otherRole = a.role === 'admin' ? 'staff' : 'admin';
  return html`<tr data-account="${a.username}">
<th scope="row">${a.username}${self ? html` <span class="muted">(you)</span>` : ''}</th>
<td>${a.role === 'admin' ? 'Admin' : 'Staff'}</td>
<td>${a.disabledAt !== undefined ? html`<span class="badge status-ineligible">Disabled</span> <span class="muted">since ${a.disabledSince ?? ''}</span>` : 'Active'}</td>
<td>${a.totpSecret !== undefined ? 'On' : 'Off'}</td>
<td>${a.created}</td>
<td class="account-actions">
<form method="post" action="${base}/role" class="inline">${csrfField(m.user)}<input type="hidden" name="role" value="${otherRole}"><button type="submit">Make ${otherRole}</button></form>
${self
      ? ''
      : a.disabledAt !== undefined
        ? html`<form method="post" action="${base}/enable" class="inline">${csrfField(m.user)}<button type="submit">Enable</button></form>`
        : html`<form method="post" action="${base}/disable" class="inline">${csrfField(m.user)}<button type="submit">Disable</button></form>`}
<details><summary>Reset password</summary>
<form method="post" action="${base}/password">${csrfField(m.user)}
<p><label>New password (at least 10 characters; leave empty to make one) <input type="password" name="password" autocomplete="new-password" maxlength="1024"></label></p>
<p><button type="submit">Reset the password of ${a.username}</button></p>
<p class="hint">Ends every session of ${a.username}.</p>
</form></details>
${a.totpSecret !== undefined ? html`<form method="post" action="${base}/totp-reset" class="inline">${csrfField(m.user)}<button type="submit">Turn off two-factor</button></form>` : ''}
</td>
</tr>`;
}

export function accountsPage(m: AccountsModel): SafeHtml {
  return layout(
    { title: 'Accounts', user: m.user, ...(m.flash ? { flash: m.flash } : {}) },
    html`<h1>Accounts</h1>
<p>Staff review applications; admins also manage the rules and these accounts. At least one active admin always remains.
Every change here is in the event log (never a password).</p>
${m.shownOnce
      ? html`<section aria-labelledby="once-h" class="made-link">
<h2 id="once-h">${m.shownOnce.created ? 'Account created' : 'Password reset'}: ${m.shownOnce.username}</h2>
<p>The password is shown this once: give it to ${m.shownOnce.username} by a safe way (in person, by phone). It is not stored in clear anywhere.</p>
<p><input id="once-password" type="text" readonly value="${m.shownOnce.password}" aria-label="The password" size="24"></p>
</section>`
      : ''}
<table class="accounts">
<thead><tr><th scope="col">Username</th><th scope="col">Role</th><th scope="col">State</th><th scope="col">Two-factor</th><th scope="col">Created</th><th scope="col">Change</th></tr></thead>
<tbody>${m.accounts.map((a) => accountRow(m, a))}</tbody>
</table>
<section aria-labelledby="add-h">
<h2 id="add-h">Add an account</h2>
<form method="post" action="/rules/accounts/add">${csrfField(m.user)}
<p><label for="new-username">Username</label><br><input id="new-username" name="username" required maxlength="64" pattern="[a-z0-9._\\-]{1,64}" autocapitalize="none" spellcheck="false" value="${m.form?.username ?? ''}">
<span class="hint">lowercase letters, digits, '.', '_' or '-'</span></p>
<p><label for="new-role">Role</label><br><select id="new-role" name="role">
<option value="staff"${m.form?.role === 'admin' ? '' : html` selected`}>Staff</option>
<option value="admin"${m.form?.role === 'admin' ? html` selected` : ''}>Admin</option>
</select></p>
<p><label for="new-password">Initial password</label><br><input id="new-password" name="password" type="password" autocomplete="new-password" maxlength="1024">
<span class="hint">at least 10 characters; leave empty and the dashboard makes one, shown once</span></p>
<p><button type="submit">Add the account</button></p>
</form>
</section>`,
  );
}
