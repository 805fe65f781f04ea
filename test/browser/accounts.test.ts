/**
 * Issue 12 point 4 in real headless Chromium: an admin adds an account on the accounts page (the
 * password made and shown once); that user signs in with it, turns on two-factor sign-in by the QR
 * page (the code computed here from the secret the page shows), signs out, and signs in again with
 * password and code. Screenshots in test-output/screenshots/.
 */
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { totpCodeAt } from '../../services/dashboard/totp';
import { Fixture, PASSWORDS } from '../dashboard/dashboard-fixtures';
import { launchChromium, listenOnLoopback, screenshot, textOf, urlMatches, visible } from './browser';

let fx: Fixture;
let app: FastifyInstance;
let browser: Browser;
let base: string;
const browserErrors: string[] = [];

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (err) => browserErrors.push(`page error on ${page.url()}: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/status of (401|403|404)/.test(msg.text())) browserErrors.push(`console error on ${page.url()}: ${msg.text()}`);
  });
  return page;
}

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

beforeAll(async () => {
  fx = await Fixture.create();
  app = await fx.app();
  base = await listenOnLoopback(app);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await fx?.cleanup();
});

describe('accounts and two-factor sign-in in Chromium', () => {
  it('an admin adds an account; its user turns on two-factor and signs in with password and code', async () => {
    const admin = await newPage();
    await signIn(admin, 'alice', PASSWORDS.alice);
    await urlMatches(admin, /^\/$/, 'the overview after signing in');
    await admin.getByRole('link', { name: 'Accounts' }).click();
    await urlMatches(admin, /^\/rules\/accounts$/, 'the accounts page');
    await admin.getByLabel('Username').fill('carla');
    await admin.getByLabel('Role').selectOption('staff');
    await admin.getByRole('button', { name: 'Add the account' }).click();
    await visible(admin.getByRole('heading', { name: 'Account created: carla' }), 'the password shown once');
    const password = await admin.getByLabel('The password').inputValue();
    expect(password).toMatch(/^[A-Za-z0-9]{16}$/);
    await screenshot(admin, 'issue12-accounts.png');
    await admin.context().close();

    const carla = await newPage();
    await signIn(carla, 'carla', password);
    await urlMatches(carla, /^\/$/, 'the overview for carla');
    await carla.getByRole('link', { name: 'Two-factor' }).click();
    await urlMatches(carla, /^\/account\/totp$/, 'the two-factor page');
    await visible(carla.getByRole('img', { name: 'QR code for the authenticator app' }), 'the QR code');
    const secret = (await textOf(carla.locator('code.totp-secret'))).replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await screenshot(carla, 'issue12-totp-enrolment.png');
    await carla.getByLabel('Code from the app').fill(totpCodeAt(secret, fx.now));
    await carla.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
    await visible(carla.getByText('Two-factor sign-in is on.'), 'the confirmation');
    await carla.getByRole('button', { name: 'Sign out' }).click();
    await urlMatches(carla, /^\/login\?done=logged-out$/, 'the sign-in form after signing out');

    // The next step's code: the enrolment's own code is spent.
    fx.now = new Date(fx.now.getTime() + 30_000);
    await signIn(carla, 'carla', password);
    await visible(carla.getByRole('heading', { name: 'Sign-in code' }), 'the code form after the password');
    await screenshot(carla, 'issue12-totp-sign-in.png');
    await carla.getByLabel('Code').fill(totpCodeAt(secret, fx.now));
    await carla.getByRole('button', { name: 'Sign in' }).click();
    await urlMatches(carla, /^\/$/, 'the overview after the code');
    expect(await textOf(carla.locator('.who'))).toContain('carla (staff)');
    await carla.context().close();
  });

  it('saw no script error or CSP refusal', () => {
    expect(browserErrors).toEqual([]);
  });
});
