/**
 * The TOTP pages: the code asked after the password, and the enrolment page with the QR code. The QR
 * code is drawn as inline SVG through the html template (numbers only), so it needs no script, no
 * data: URL and no exception to the Content-Security-Policy.
 */
import { html, type SafeHtml } from '../html';
import { csrfField, layout, type Flash, type PageUser } from './common';

/** One SVG path of the dark modules, with a quiet zone of four modules around the code. */
export function qrSvg(qr: { size: number; dark(x: number, y: number): boolean }, label: string): SafeHtml {
  const quiet = 4;
  const side = qr.size + 2 * quiet;
  let d = '';
  for (let y = 0; y < qr.size; y++) {
    for (let x = 0; x < qr.size; x++) if (qr.dark(x, y)) d += `M${x + quiet} ${y + quiet}h1v1h-1z`;
  }
  return html`<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${side} ${side}" width="240" height="240" shape-rendering="crispEdges" role="img" aria-label="${label}"><rect width="${side}" height="${side}" fill="#fff"/><path fill="#000" d="${d}"/></svg>`;
}

/** The secret in groups of four, as people copy it by hand. */
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

export function totpSignInPage(m: { nonce: string; next: string; flash?: Flash }): SafeHtml {
  return layout(
    { title: 'Sign-in code', ...(m.flash ? { flash: m.flash } : {}) },
    html`<h1>Sign-in code</h1>
<p>Open your authenticator app and type the 6-digit code it shows for ESOR intake.</p>
<form class="login" method="post" action="/login/totp">
  <input type="hidden" name="_csrf" value="${m.nonce}">
  <input type="hidden" name="next" value="${m.next}">
  <p><label for="code">Code</label><br>
  <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" maxlength="7" required autofocus></p>
  <p><button type="submit">Sign in</button></p>
</form>
<p class="hint">Lost your phone? An admin can turn two-factor sign-in off for your account.</p>`,
  );
}

export interface TotpEnrolModel {
  user: PageUser;
  /** Set while enrolling: the secret to show, its QR code and the signed token the form posts back. */
  enrolment?: { secret: string; qr: SafeHtml; token: string };
  enrolled: boolean;
  flash?: Flash;
}

export function totpEnrolPage(m: TotpEnrolModel): SafeHtml {
  return layout(
    { title: 'Two-factor sign-in', user: m.user, ...(m.flash ? { flash: m.flash } : {}) },
    html`<h1>Two-factor sign-in</h1>
${m.enrolled
      ? html`<p>Two-factor sign-in is <strong>on</strong> for ${m.user.username}: after your password, the dashboard asks for the code of your authenticator app.</p>
<p class="hint">To move it to another phone, ask an admin to turn it off on the accounts page, then set it up again here.</p>`
      : m.enrolment
        ? html`<p>Two-factor sign-in is off for ${m.user.username}. To turn it on:</p>
<ol>
<li>Scan this code with an authenticator app (FreeOTP, Aegis, Google Authenticator, Microsoft Authenticator, 1Password ...).</li>
<li>Or type this key in the app: <code class="totp-secret">${groupSecret(m.enrolment.secret)}</code> (time-based, 6 digits, 30 seconds).</li>
<li>Type the code the app shows, to confirm.</li>
</ol>
<figure class="totp-qr">${m.enrolment.qr}</figure>
<form method="post" action="/account/totp">${csrfField(m.user)}
  <input type="hidden" name="enrolment" value="${m.enrolment.token}">
  <p><label for="code">Code from the app</label><br>
  <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" maxlength="7" required></p>
  <p><button type="submit">Turn on two-factor sign-in</button></p>
</form>`
        : ''}`,
  );
}
