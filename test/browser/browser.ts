/**
 * Helpers of the browser tests: Debian's Chromium driven by playwright-core
 * (no browser is ever downloaded), screenshots as test artefacts, waits that
 * say what they wait for, and a small CSV reader.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { ROOT } from '../e2e/harness';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = path.join(ROOT, 'test-output', 'screenshots');
/** How long one element or navigation may take before the test says what it waited for. */
export const UI_TIMEOUT = 10_000;

/** Launches headless Chromium; fails (never skips) when the Debian package is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: the browser tests need Debian's chromium package (apt-get install chromium; npm test installs it). ` +
        'playwright-core never downloads a browser here.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}

/**
 * Saves a screenshot under test-output/screenshots/ and returns its path: the
 * viewport with the element `at` (a CSS selector) scrolled to the top, or
 * the whole page.
 */
export async function screenshot(page: Page, name: string, opts: { at?: string } = {}): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, name);
  if (opts.at) await page.locator(opts.at).evaluate((el) => (el as { scrollIntoView(o: object): void }).scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: file, fullPage: !opts.at });
  return file;
}

/** Waits until the locator is visible, failing with a message that names `what`. */
export async function visible(locator: Locator, what: string, timeout = UI_TIMEOUT): Promise<Locator> {
  try {
    await locator.first().waitFor({ state: 'visible', timeout });
  } catch (err) {
    throw new Error(`timed out after ${timeout} ms waiting for ${what} to be visible (${(err as Error).message.split('\n')[0]})`);
  }
  return locator;
}

/** Waits until the page's URL matches (path + search), failing with a message that names `what`. */
export async function urlMatches(page: Page, pattern: RegExp, what: string, timeout = UI_TIMEOUT): Promise<URL> {
  try {
    await page.waitForURL((url) => pattern.test(url.pathname + url.search), { timeout });
  } catch {
    throw new Error(`timed out after ${timeout} ms waiting for ${what}: the browser is at ${page.url()}, expected ${pattern}`);
  }
  return new URL(page.url());
}

/** Text of the locator with runs of white space made one space. */
export async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent({ timeout: UI_TIMEOUT })) ?? '').replace(/\s+/g, ' ').trim();
}

/** RFC 4180: rows of fields (quoted fields may hold commas, quotes doubled, line breaks). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      (row = []), (field = ''), i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) row.push(field), rows.push(row);
  return rows;
}

/** Starts `app` on a free loopback port and returns its base URL (tests never listen beyond 127.0.0.1). */
export async function listenOnLoopback(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}
