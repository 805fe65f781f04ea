/**
 * Issue 12 points 6 and 7 in real headless Chromium (Debian's, via
 * playwright-core): staff download a programme's committee pack from the
 * overview, admins upload the ESR member list with the page's file input.
 * The dashboard runs on a loopback port over the dashboard tests' store
 * (synthetic applications). Screenshots and the pack's first cover page land
 * in test-output/screenshots/.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { readMemberList } from '../../adapters/member-list-blob';
import { writeCommitteePack } from '../../services/common/committee-pack';
import { Fixture, GR, PASSWORDS } from '../dashboard/dashboard-fixtures';
import { internalWordsIn } from '../dashboard/internal-words';
import { launchChromium, listenOnLoopback, screenshot, SCREENSHOTS, textOf, urlMatches, visible } from './browser';

let fx: Fixture;
let app: FastifyInstance;
let browser: Browser;
let base: string;
let tmp: string;
const browserErrors: string[] = [];

async function signedIn(username: keyof typeof PASSWORDS): Promise<Page> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (err) => browserErrors.push(`page error on ${page.url()}: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/status of (401|403|404)/.test(msg.text())) browserErrors.push(`console error on ${page.url()}: ${msg.text()}`);
  });
  await page.goto(`${base}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORDS[username]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await urlMatches(page, /^\/$/, 'the overview after signing in');
  return page;
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'esor-browser-committee-'));
  fx = await Fixture.create();
  await fx.seed();
  app = await fx.app({
    committeePack: async (programme, selected, write) => {
      if (programme !== GR) return undefined;
      const pack = await writeCommitteePack({
        store: fx.store,
        files: fx.files,
        programme: { id: GR, title: 'Hybrid Imaging in Oncology', timezone: 'Europe/Paris' },
        sectionNames: { motivation: 'Letter of motivation', cv: 'ESOR Curriculum Vitae', passport: 'Copy of passport' },
        ...(selected ? { selected } : {}),
        now: fx.now,
      }, write);
      return { applications: pack.plan.applicants.length };
    },
  });
  base = await listenOnLoopback(app);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await fx?.cleanup();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('committee pack and ESR member list in Chromium', () => {
  it('staff download the committee pack from the overview: a zip whose PDFs open with one bookmark per section', async () => {
    const page = await signedIn('bob');
    const link = await visible(page.getByRole('link', { name: 'Committee pack: Hybrid Imaging in Oncology' }), 'the committee pack link on the overview');
    await screenshot(page, 'issue12-committee-pack-link.png', { at: '#committee-h' });
    expect(await page.locator('body').innerText()).not.toContain('ESR member list');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe(`${GR}-committee-pack-2021-03-20.zip`);
    const zip = path.join(tmp, 'pack.zip');
    await download.saveAs(zip);
    execFileSync('unzip', ['-q', zip, '-d', path.join(tmp, 'pack')]);
    const folder = path.join(tmp, 'pack', `${GR}-committee-pack-2021-03-20`);
    const pdfs = readdirSync(folder).filter((f) => /^\d\d-.*\.pdf$/.test(f) && !f.startsWith('00-'));
    expect(pdfs).toHaveLength(1);
    const outline = JSON.parse(execFileSync('qpdf', ['--json', '--json-key=outlines', path.join(folder, pdfs[0]!)]).toString()) as { outlines: Array<{ title: string }> };
    expect(outline.outlines).toHaveLength(10);
    expect(outline.outlines[0]!.title).toBe('Letter of motivation (page 1)');
    // The cover sheet as the committee sees it, kept beside the screenshots.
    execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', '-singlefile', path.join(folder, pdfs[0]!), path.join(SCREENSHOTS, 'issue12-committee-pack-cover')]);
    execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', '-singlefile', path.join(folder, '00-index.pdf'), path.join(SCREENSHOTS, 'issue12-committee-pack-index')]);
    await page.context().close();
  });

  it('admins upload the ESR member list with the file input and see what is in force', async () => {
    const page = await signedIn('alice');
    await page.getByRole('link', { name: 'ESR member list' }).click();
    await urlMatches(page, /^\/rules\/esr-members$/, 'the ESR member list page');
    await visible(page.getByText('No list has been uploaded'), 'the empty state');
    const csv = path.join(tmp, 'esr-members.csv');
    writeFileSync(csv, 'Membership number;Name;E-mail;Paid years\n100234;Jane Doe;jane.doe@example.org;2020;2021\n100999;Old Member;old@example.org;2019\n100555;Ann Other;ann@example.org;2021\n;No Number;x@example.org;2021\n');
    await page.getByLabel('Member list (CSV)').setInputFiles(csv);
    await page.getByRole('button', { name: 'Upload' }).click();
    await visible(page.getByText('Member list uploaded: 3 members; 1 row was left out'), 'the upload message');
    expect(await textOf(page.locator('section[aria-labelledby="problems-h"]'))).toContain('Line 5: no membership number');
    await screenshot(page, 'issue12-esr-member-list.png');
    expect(internalWordsIn(await page.locator('body').innerText(), [GR])).toEqual([]);
    expect((await readMemberList(fx.files))?.members.map((m) => m.number)).toEqual(['100234', '100999', '100555']);
    await page.context().close();
  });

  it('admins make a committee member a link of their own, which downloads the pack without signing in', async () => {
    fx.rulesStatus = { ...fx.rulesStatus, programmes: fx.rulesStatus.programmes.map((p) => ({ ...p, committee: ['C. Balleyguier', 'F. Bidault', 'J. Lumbroso'] })) };
    const page = await signedIn('alice');
    await page.getByRole('link', { name: "Committee members' links" }).click();
    await urlMatches(page, /^\/rules\/committee$/, 'the committee access page');
    await page.getByRole('button', { name: 'Make a link for J. Lumbroso' }).click();
    await visible(page.getByRole('heading', { name: 'Link for J. Lumbroso' }), 'the link just made');
    const url = await page.getByLabel('The link').inputValue();
    expect(url).toMatch(new RegExp(`^${base}/committee-pack/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}$`));
    await screenshot(page, 'issue12-committee-member-link.png');
    expect(internalWordsIn(await page.locator('body').innerText(), [GR])).toEqual([]);
    await page.context().close();

    // The member: no account, no session.
    const member = await browser.newContext({ acceptDownloads: true });
    const memberPage = await member.newPage();
    const [download] = await Promise.all([memberPage.waitForEvent('download'), memberPage.goto(url).catch(() => undefined)]);
    expect(download.suggestedFilename()).toBe(`${GR}-committee-pack-2021-03-20.zip`);
    const zip = path.join(tmp, 'member.zip');
    await download.saveAs(zip);
    expect(execFileSync('unzip', ['-tq', zip]).toString()).toMatch(/No errors detected/);
    await member.close();
  });

  it('saw no script error or CSP refusal', () => {
    expect(browserErrors).toEqual([]);
  });
});
