import { html, type SafeHtml } from '../html';
import { layout, type Flash } from './common';

export function loginPage(opts: { csrf: string; next: string; flash?: Flash; username?: string }): SafeHtml {
  return layout(
    { title: 'Sign in', ...(opts.flash ? { flash: opts.flash } : {}) },
    html`<h1>Sign in</h1>
<form class="login" method="post" action="/login">
  <input type="hidden" name="_csrf" value="${opts.csrf}">
  <input type="hidden" name="next" value="${opts.next}">
  <p><label for="username">Username</label><br>
  <input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="64" value="${opts.username ?? ''}"></p>
  <p><label for="password">Password</label><br>
  <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024"></p>
  <p><button type="submit">Sign in</button></p>
</form>
<p class="hint">Accounts are created by an administrator with <code>esor-intake users add</code>.</p>`,
  );
}
