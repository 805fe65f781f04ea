/**
 * Issue 12 point 8 in real headless Chromium (Debian's, via playwright-core):
 * an admin reads each programme's retention period and today's dry run on
 * /rules/retention (passports and certificates first, then whole
 * applications), deletes it with Delete now, and erases one applicant from
 * their application page; staff get neither page. The deletions go through
 * the commands' own runs and opening (withErasureTarget) on the dashboard
 * tests' SQLite store, laid out as the service's data folder by two links.
 * With the PostgreSQL store the page says plainly that it cannot. No page
 * shows a flag code, a programme id or an ISO time. After Delete now, an
 * application whose passports and certificates went says so on its page and
 * asks for no preview of the deleted PDF. Screenshots in
 * test-output/screenshots/.
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Locator, Page } from 'playwright-core';
import type { RetentionSetting } from '../../core/retention/plan-retention';
import { withErasureTarget } from '../../services/common/erasure';
import { Fixture, get, GR, login, PASSWORDS, PEOPLE, post, type Seeded } from '../dashboard/dashboard-fixtures';
import { internalWordsIn, textOfHtml } from '../dashboard/internal-words';
import { launchChromium, listenOnLoopback, screenshot, UI_TIMEOUT, urlMatches, visible } from './browser';

/** A second programme whose whole period has ended (the Fixture's now is 20 Mar 2021). */
const OT = 'esor-breast-imaging-vienna-2020';
const SETTINGS: RetentionSetting[] = [
  // Passports and certificates due from 11 Mar 2021, the whole application from 1 Mar 2022.
  { programme: GR, selectionDate: '2021-03-01', documentsDaysAfterSelection: 10, daysAfterSelection: 365 },
  // Everything due from 1 Mar 2021.
  { programme: OT, selectionDate: '2020-12-01', documentsDaysAfterSelection: 30, daysAfterSelection: 90 },
];
const OTTO = { name: 'Ottokar Synthetic-Brenner', email: 'ottokar.sb@example.at' };

let fx: Fixture;
let seeded: Seeded;
let ottoId: string;
let app: FastifyInstance;
let browser: Browser;
let base: string;
let dataDir: string;
const browserErrors: string[] = [];

async function signedIn(username: keyof typeof PASSWORDS): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
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

/** What a reader sees in a table or row: cells apart, runs of white space made one space. */
async function seen(locator: Locator): Promise<string> {
  return (await locator.innerText({ timeout: UI_TIMEOUT })).replace(/\s+/g, ' ').trim();
}

async function pageWords(page: Page): Promise<string[]> {
  return internalWordsIn(await page.locator('body').innerText(), [GR, OT]);
}

beforeAll(async () => {
  fx = await Fixture.create();
  seeded = await fx.seed();
  const otto = await fx.addMessage({
    seed: 'otto',
    uid: 6,
    person: OTTO,
    status: 'complete',
    programme: OT,
    sections: ['motivation', 'cv', 'recommendation', 'board_certificate', 'medical_degree', 'language_certificates', 'publications', 'references', 'esr_membership', 'passport'],
    receivedAt: '2020-10-02T08:30:00.000Z',
    pages: 10,
    subject: 'Application Breast Imaging',
    body: 'Attached.',
  });
  ottoId = otto.applicationId;
  fx.rulesStatus = {
    ...fx.rulesStatus,
    programmes: [
      { id: GR, title: 'Hybrid Imaging in Oncology', deadline: '2021-03-31', selectionDate: '2021-03-01' },
      { id: OT, title: 'Breast Imaging in Vienna', deadline: '2020-10-15', selectionDate: '2020-12-01' },
    ],
  };
  // The service's data folder layout (esor-intake.sqlite, files/) over the fixture's store and files.
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'esor-browser-retention-'));
  symlinkSync(path.join(fx.dir, 'store.sqlite'), path.join(dataDir, 'esor-intake.sqlite'));
  symlinkSync(path.join(fx.dir, 'data'), path.join(dataDir, 'files'));
  app = await fx.app({
    retentionSettings: () => SETTINGS,
    withErasure: (dryRun, run) => withErasureTarget({ dataDir, databaseUrl: undefined }, dryRun, run),
  });
  base = await listenOnLoopback(app);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await fx?.cleanup();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('retention and erasure in Chromium', () => {
  it("an admin sees each programme's period and today's dry run, documents first, then whole applications", async () => {
    const page = await signedIn('alice');
    await page.getByRole('link', { name: 'Rules', exact: true }).click();
    await page.getByRole('link', { name: 'Retention' }).click();
    await urlMatches(page, /^\/rules\/retention$/, 'the retention page');
    const periods = await seen(page.locator('table.retention-periods'));
    expect(periods).toContain('Hybrid Imaging in Oncology 1 Mar 2021 10 days after selection, deleted from 11 Mar 2021 365 days after selection, erased from 1 Mar 2022');
    expect(periods).toContain('Breast Imaging in Vienna 1 Dec 2020');
    await visible(page.getByRole('heading', { name: 'What would go today, 20 Mar 2021' }), 'the dry run heading');
    await visible(page.getByRole('heading', { name: 'Step 1: passports and certificates, 3 application(s) to delete' }), 'step 1 with its count');
    await visible(page.getByRole('heading', { name: 'Step 2: whole applications, 1 application(s) to delete' }), 'step 2 with its count');
    // Each application concerned by name, linked, with its received date.
    const anna = page.getByRole('link', { name: PEOPLE.anna.name });
    expect(await anna.getAttribute('href')).toBe(`/applications/${seeded.anna.applicationId}`);
    expect(await seen(page.locator(`tr[data-application="${seeded.anna.applicationId}"]`))).toMatch(
      /^Annabella Quixote-Rossi 12 Mar 2021, \d\d:14 Hybrid Imaging in Oncology 11 Mar 2021 Board certificate \(p\. 4\), Medical degree \(p\. 5\), Language certificates \(p\. 6\), Passport \(p\. 10\); the mail as received and the attached PDF \(2 file\(s\)\); the text read from the pages$/,
    );
    expect(await seen(page.locator(`tr[data-application="${ottoId}"]`))).toContain('Breast Imaging in Vienna 1 Mar 2021 everything: 1 submission(s)');
    // Mariela sent twice: each document named once, the pages of both submissions beside it.
    expect(await seen(page.locator(`tr[data-application="${seeded.maria.applicationId}"]`))).toContain('Board certificate (p. 4), Medical degree (p. 5), Language certificates (p. 6), Passport (p. 10); the mail as received and the attached PDF (4 file(s))');
    expect(await seen(page.locator('#dry-run-h + p'))).toContain('1 application(s) of programmes without a retention period (or of no known programme) are kept');
    expect(await pageWords(page)).toEqual([]);
    await screenshot(page, 'issue12-retention-dry-run.png', { at: '#dry-run-h' });
    expect(await fx.store.getApplication(ottoId)).toBeDefined();
    await page.context().close();
  });

  it('Delete now deletes nothing without the ticked box, on a list the page did not show, or without the form token', async () => {
    const s = await login(app, 'alice');
    const form = (await get(app, s, '/rules/retention')).body;
    const plan = /name="plan" value="([0-9a-f]+)"/.exec(form)![1]!;
    const unticked = await post(app, s, '/rules/retention/delete', { plan });
    expect(unticked.statusCode).toBe(400);
    expect(textOfHtml(unticked.body)).toContain('Tick the box to confirm');
    const stale = await post(app, s, '/rules/retention/delete', { plan: '0'.repeat(32), confirm: 'yes' });
    expect(stale.statusCode).toBe(409);
    expect(textOfHtml(stale.body)).toContain('The list changed since the page showed it');
    const forged = await post(app, s, '/rules/retention/delete', { plan, confirm: 'yes' }, 'not-the-token');
    expect(forged.statusCode).toBe(403);
    const wrongWord = await post(app, s, `/rules/erasure/${seeded.anna.applicationId}`, { confirm: 'yes' });
    expect(wrongWord.statusCode).toBe(400);
    expect(textOfHtml(wrongWord.body)).toContain('Type erase to confirm; nothing was erased.');
    for (const id of [ottoId, seeded.anna.applicationId]) expect(await fx.store.getApplication(id)).toBeDefined();
    expect((await fx.store.listSectionFiles(seeded.anna.applicationId, 1)).some((f) => f.section === 'passport')).toBe(true);
  });

  it("an admin erases one applicant from the application page: the dry run, the typed confirmation, what was erased", async () => {
    const page = await signedIn('alice');
    await page.goto(`${base}/applications/${seeded.jean.applicationId}`);
    await page.getByRole('link', { name: "Erase this applicant's data" }).click();
    await urlMatches(page, new RegExp(`^/rules/erasure/${seeded.jean.applicationId}$`), 'the erasure page');
    await visible(page.getByRole('heading', { name: 'What would be erased (a dry run: nothing is deleted yet)' }), 'the dry run of the erasure');
    expect(await seen(page.locator(`tr[data-application="${seeded.jean.applicationId}"]`))).toContain(`${PEOPLE.jean.name} 13 Mar 2021`);
    expect(await fx.store.getApplication(seeded.jean.applicationId)).toBeDefined();
    await screenshot(page, 'issue12-erasure-dry-run.png');
    await page.getByLabel('To confirm, type erase').fill('erase');
    await page.getByRole('button', { name: 'Erase 1 application(s) for good' }).click();
    await visible(page.getByRole('heading', { name: 'What was erased' }), 'the erasure result');
    const body = await page.locator('body').innerText();
    expect(body).toContain("1 application(s) of this applicant's address erased");
    expect(body).not.toContain(PEOPLE.jean.name);
    expect(body).not.toContain(PEOPLE.jean.email);
    expect(await seen(page.locator('table.events tbody tr'))).toMatch(/^20 Mar 2021, \d\d:00 alice Application erased Why: the applicant's request; mails: 1; submissions: 1; document PDFs: 10; notes: 0; replies: 1$/);
    expect(await pageWords(page)).toEqual([]);
    await screenshot(page, 'issue12-erasure.png');

    expect(await fx.store.getApplication(seeded.jean.applicationId)).toBeUndefined();
    const erased = (await fx.store.listEvents(seeded.jean.applicationId, 50)).filter((e) => e.action === 'application.erased');
    expect(erased).toHaveLength(1);
    expect(erased[0]!.detail).toMatchObject({ reason: 'request' });
    expect(JSON.stringify(erased)).not.toMatch(/Zyrkowski|jb\.zyrkowski/);
    // Maria, Anna and Otto are untouched.
    for (const id of [seeded.maria.applicationId, seeded.anna.applicationId, ottoId]) expect(await fx.store.getApplication(id)).toBeDefined();
    await page.context().close();
  });

  it('Delete now, confirmed, deletes what the dry run listed and shows what was done and what the event log recorded', async () => {
    const page = await signedIn('alice');
    await page.goto(`${base}/rules/retention`);
    await page.getByLabel('I have checked the list: delete it now, for good').check();
    await page.getByRole('button', { name: 'Delete now' }).click();
    await visible(page.getByRole('heading', { name: 'Done' }), 'the result of Delete now');
    // Jean was erased on request meanwhile: two applications are left in step 1.
    expect(await seen(page.locator('#done-h + p'))).toBe('Deleted what was due on 20 Mar 2021: 2 application(s) lost their passports and certificates; 1 erased whole.');
    await visible(page.getByRole('heading', { name: 'Step 1: passports and certificates, 2 application(s) deleted' }), 'step 1 done');
    expect(await seen(page.locator(`#done-documents-h ~ table tr[data-application="${seeded.anna.applicationId}"]`))).toContain(PEOPLE.anna.name);
    // Erased whole: no longer named, no longer linked.
    const otto = await seen(page.locator(`tr[data-application="${ottoId}"]`));
    expect(otto).toMatch(/^Erased 2 Oct 2020/);
    expect(await page.locator('body').innerText()).not.toContain(OTTO.name);
    const recorded = page.locator('table.events tbody tr');
    expect(await recorded.count()).toBe(3);
    expect(await seen(page.locator('table.events tbody tr[data-action="application.erased"]'))).toMatch(/^20 Mar 2021, \d\d:00 alice Application erased Why: retention period ended; mails: 1; submissions: 1; document PDFs: 10; notes: 0; replies: 0$/);
    expect(await seen(page.locator('table.events tbody tr[data-action="application.documents_erased"]').first())).toMatch(/^20 Mar 2021, \d\d:00 alice Application documents erased Why: retention period ended; Documents: Passport, Board certificate, Medical degree, Language certificates; document PDFs: 4$/);
    await visible(page.getByText('Nothing is due today.'), 'the dry run after the deletion');
    expect(await pageWords(page)).toEqual([]);
    await screenshot(page, 'issue12-retention-done.png', { at: '#done-h' });

    // What the store says: Otto erased whole, Anna's passport and certificates gone, her other documents kept.
    expect(await fx.store.getApplication(ottoId)).toBeUndefined();
    const annaFiles = await fx.store.listSectionFiles(seeded.anna.applicationId, 1);
    expect(annaFiles.map((f) => f.section).sort()).toEqual(['cv', 'esr_membership', 'motivation', 'publications', 'recommendation', 'references']);
    const events = [...(await fx.store.listEvents(ottoId, 50)), ...(await fx.store.listEvents(seeded.anna.applicationId, 50))].filter((e) => e.action.endsWith('erased'));
    expect(events.map((e) => [e.action, e.actor])).toEqual(expect.arrayContaining([['application.erased', 'alice'], ['application.documents_erased', 'alice']]));
    for (const text of [OTTO.name, OTTO.email, PEOPLE.anna.name, PEOPLE.anna.email]) expect(JSON.stringify(events)).not.toContain(text);
    await page.context().close();
  });

  it("after Delete now, the application page says its documents were deleted under the retention period, and asks for no preview of the PDF that is gone", async () => {
    const id = seeded.anna.applicationId;
    const page = await signedIn('bob');
    const failed: string[] = [];
    const asked: string[] = [];
    page.on('response', (res) => {
      if (res.status() >= 500) failed.push(`${res.status()} ${res.url()}`);
    });
    page.on('request', (req) => asked.push(new URL(req.url()).pathname));
    await page.goto(`${base}/applications/${id}`);
    await visible(page.getByRole('heading', { name: 'History' }), 'the whole application page');
    await page.locator('#documents').scrollIntoViewIfNeeded();
    await page.waitForLoadState('networkidle');
    const note = await seen(page.locator('#documents .erased-note'));
    expect(note).toBe(
      'The documents were deleted under the retention period on 20 Mar 2021: Passport, Board certificate, Medical degree and Language certificates, with the e-mail as received and the PDF that contained them. Their pages can no longer be shown; the PDFs of the other documents are kept, under Files.',
    );
    // The checklist still says what the verdict found, and which of those documents went.
    expect(await seen(page.locator('table.checklist tbody tr').nth(9))).toBe('10 Passport ✓ found (deleted 20 Mar 2021) p. 10 90 % –');
    expect(await seen(page.locator('table.checklist tbody tr').nth(1))).toBe('2 CV (ESOR template) ✓ found p. 2 90 % –');
    // No thumbnail strip, no viewer, no link to the whole PDF: nothing asks for the deleted file.
    expect(await page.locator('#viewer, ol.strip, a[href*="/pdf"]').count()).toBe(0);
    expect(asked.filter((p) => p.startsWith(`/applications/${id}/`))).toEqual([]);
    expect(await seen(page.locator('ul.files'))).toBe('Whole PDF: deleted under the retention period on 20 Mar 2021.');
    // The other documents' PDFs are kept and open.
    const sections = await seen(page.locator('table.section-files tbody'));
    expect(sections).toContain('CV');
    expect(sections).not.toMatch(/Passport|Board certificate/);
    const cv = await page.request.get(`${base}${await page.locator('table.section-files a[href$="/sections/cv.pdf"]').getAttribute('href')}`);
    expect([cv.status(), cv.headers()['content-type']]).toEqual([200, 'application/pdf']);
    expect(await pageWords(page)).toEqual([]);
    await screenshot(page, 'issue12-retention-application-after.png', { at: '#documents-h' });

    // The deleted files' addresses (a bookmark, an old tab) answer in words, not with a server error.
    for (const [url, what] of [
      [`/applications/${id}/pdf?download=1`, 'The PDF of this application'],
      [`/applications/${id}/sections/passport.pdf`, 'This document'],
      [`/applications/${id}/pages/1.png?w=800`, 'This page'],
    ] as const) {
      const res = await page.goto(`${base}${url}`);
      expect([url, res?.status()]).toEqual([url, 404]);
      expect(await seen(page.locator('main'))).toContain(`${what} was deleted under the retention period on 20 Mar 2021.`);
    }
    expect(failed).toEqual([]);
    await page.context().close();
  });

  it('staff (not admins) get neither page nor the erasure link', async () => {
    const page = await signedIn('bob');
    for (const url of ['/rules/retention', `/rules/erasure/${seeded.robot.applicationId}`]) {
      const res = await page.goto(`${base}${url}`);
      expect(res?.status()).toBe(403);
      expect(await page.locator('body').innerText()).toContain('This page is for admins.');
    }
    // The robot's mail is of no programme: retention kept its PDF, so its page shows whole.
    await page.goto(`${base}/applications/${seeded.robot.applicationId}`);
    await visible(page.getByRole('heading', { name: 'History' }), 'the application page');
    expect(await page.getByRole('link', { name: "Erase this applicant's data" }).count()).toBe(0);
    await page.context().close();
    // Nor can staff post to them (the admin check answers before anything runs).
    const s = await login(app, 'bob');
    const refused = await app.inject({ method: 'POST', url: '/rules/retention/delete', cookies: { esor_session: s.cookie }, payload: `_csrf=${s.csrf}&confirm=yes`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(refused.statusCode).toBe(403);
  });

  it('with the PostgreSQL store, the pages say plainly that retention and erasure cannot run', async () => {
    const pg = await fx.app({ retentionSettings: () => SETTINGS, withErasure: (dryRun, run) => withErasureTarget({ dataDir, databaseUrl: 'postgres://esor@127.0.0.1:5432/esor' }, dryRun, run) });
    try {
      const s = await login(pg, 'alice');
      const page = await get(pg, s, '/rules/retention');
      expect(page.statusCode).toBe(200);
      const text = textOfHtml(page.body).replace(/\s+/g, ' ');
      expect(text).toContain('Retention and erasure do not work yet when applications are kept in PostgreSQL, as they are here.');
      expect(text).toContain('Hybrid Imaging in Oncology');
      expect(text).not.toContain('Delete now');
      const erase = await get(pg, s, `/rules/erasure/${seeded.anna.applicationId}`);
      expect(textOfHtml(erase.body).replace(/\s+/g, ' ')).toContain('do not work yet when applications are kept in PostgreSQL');
      expect(internalWordsIn(textOfHtml(page.body), [GR, OT])).toEqual([]);
    } finally {
      await pg.close();
    }
  });

  it('saw no script error or CSP refusal', () => {
    expect(browserErrors).toEqual([]);
  });
});
