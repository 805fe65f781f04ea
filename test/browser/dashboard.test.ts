/**
 * The staff dashboard in real headless Chromium (Debian's, via playwright-core)
 * against the real live pipeline: Redis, Dovecot with the office and the
 * applicants' mailboxes, the SMTP relay delivering replies into those
 * mailboxes, and the service running the poller, worker and dashboard roles.
 * Screenshots land in test-output/screenshots/.
 *
 * The tests run in order and share one signed-in admin page: each step
 * starts where the previous one left the data.
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ApplicationSummary } from '../../core/ports/store';
import { headerOf, senderOf, startHarness, waitFor, type Harness } from '../e2e/harness';
import { internalWordsIn } from '../dashboard/internal-words';
import { launchChromium, parseCsv, screenshot, textOf, UI_TIMEOUT, urlMatches, visible } from './browser';
import { testPasswordHash } from '../support/test-password-hash';

const ADMIN = { username: 'alice', password: 'alice-browser-secret', role: 'admin' as const };
const STAFF = { username: 'bob', password: 'bob-browser-secret', role: 'staff' as const };
// A deadline, not a speed check: the first files of a run share the machine with installs and other work,
// and a busy machine once took more than 30 s to triage the three demo mails.
const PIPELINE_TIMEOUT = 90_000;

let h: Harness;
let browser: Browser;
let admin: BrowserContext;
let page: Page;
let base: string;
/** Browser-side problems (uncaught errors, console errors such as CSP refusals), checked at the end. */
const browserErrors: string[] = [];

const raw: Record<'complete' | 'incomplete' | 'late', Buffer> = {} as never;
const apps: Record<keyof typeof raw, ApplicationSummary> = {} as never;

/** The bits of an <img> and of the window the page-side functions use (the project compiles without the DOM library). */
interface Img {
  complete: boolean;
  naturalWidth: number;
  naturalHeight: number;
  addEventListener(event: 'load' | 'error', listener: () => void): void;
}
type WithComputedStyle = { getComputedStyle(el: unknown): { borderTopColor: string } };

function watch(p: Page): Page {
  p.on('pageerror', (err) => browserErrors.push(`page error on ${p.url()}: ${err.message}`));
  p.on('console', (msg) => {
    if (msg.type() === 'error' && !/status of (401|403|404)/.test(msg.text())) browserErrors.push(`console error on ${p.url()}: ${msg.text()}`);
  });
  return p;
}

/** The messages in an applicant's Dovecot INBOX (none while the relay has not created the mailbox). */
async function inboxOf(address: string) {
  if (!h.stack.dovecot.hasUser(address)) return [];
  return h.stack.dovecot.listMessages(address, 'INBOX', { source: true });
}

/** Jobs of the reply queue not yet finished. */
async function replyJobsOutstanding(): Promise<number> {
  const counts = await h.service.queues.counts();
  return counts.filter((c) => /reply/.test(c.queue) && ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'].includes(c.state)).reduce((n, c) => n + c.count, 0);
}

async function signIn(p: Page, user: { username: string; password: string }): Promise<void> {
  await p.getByLabel('Username').fill(user.username);
  await p.getByLabel('Password').fill(user.password);
  await p.getByRole('button', { name: 'Sign in' }).click();
}

/** What Chromium shows of the page's main part must speak the office's words (issue 12). */
async function expectOfficeWords(p: Page, what: string): Promise<void> {
  const text = await p.locator('body').innerText();
  const ids = h.service.rules.current().rules.programmes.map((x) => x.id);
  expect({ what, found: internalWordsIn(text, ids) }).toEqual({ what, found: [] });
}

function nameOf(a: ApplicationSummary): string {
  return a.applicantName ?? a.applicantEmail ?? 'unknown applicant';
}

beforeAll(async () => {
  // Chromium first: without it the file fails at once, with a message saying what to install.
  browser = await launchChromium();
  h = await startHarness(['poller', 'worker', 'dashboard'], { config: { dashboard: { port: 0 } } });
  base = h.service.dashboard!.url;
  const at = new Date().toISOString();
  for (const u of [ADMIN, STAFF]) await h.service.store.createUser({ username: u.username, role: u.role, passwordHash: testPasswordHash(u.password), at });

  raw.complete = await h.deliver('01-complete.eml');
  raw.incomplete = await h.deliver('02-missing-documents.eml');
  raw.late = await h.deliver('03-late.eml');

  // Triaged: three verdicts, the two plain replies in the applicants' mailboxes, the ineligible one held.
  const list = await waitFor(
    'three applications triaged',
    async () => {
      const l = await h.service.store.listApplications();
      return l.length === 3 ? l : undefined;
    },
    PIPELINE_TIMEOUT,
  );
  const bySender = (mail: Buffer) => list.find((a) => a.applicantEmail === senderOf(mail))!;
  apps.complete = bySender(raw.complete);
  apps.incomplete = bySender(raw.incomplete);
  apps.late = bySender(raw.late);
  expect([apps.complete?.status, apps.incomplete?.status, apps.late?.status]).toEqual(['complete', 'incomplete', 'ineligible']);
  for (const mail of [raw.complete, raw.incomplete]) {
    await waitFor(`the reply to ${senderOf(mail)} in its mailbox`, async () => (await inboxOf(senderOf(mail))).length === 1, PIPELINE_TIMEOUT);
  }
  await waitFor('the ineligible reply held for approval', async () => (await h.service.store.listReplies({ state: 'held' })).length === 1, PIPELINE_TIMEOUT);

  admin = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  admin.setDefaultTimeout(UI_TIMEOUT);
  page = watch(await admin.newPage());
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await h?.stop();
}, 60_000);

describe('the dashboard in Chromium', () => {
  it('refuses a wrong password, then signs in to the overview with the counts per status', async () => {
    await page.goto(`${base}/`);
    await urlMatches(page, /^\/login\?next=%2F$/, 'the redirect of an anonymous visitor to the sign-in page');

    await signIn(page, { username: ADMIN.username, password: 'not-the-password' });
    const error = await visible(page.getByRole('alert'), 'the sign-in error');
    expect(await textOf(error)).toBe('Wrong username or password.');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.getByLabel('Username').inputValue()).toBe(ADMIN.username);
    await screenshot(page, '01-login.png');

    await signIn(page, ADMIN);
    await urlMatches(page, /^\/$/, 'the overview after signing in');
    await visible(page.getByRole('heading', { level: 1, name: 'Overview' }), 'the overview heading');
    const count = (key: string) => textOf(page.locator(`[data-count="all:${key}"]`));
    expect(await count('complete')).toBe('1');
    expect(await count('incomplete')).toBe('1');
    expect(await count('ineligible')).toBe('1');
    expect(await count('needs_review')).toBe('0');
    expect(await count('not_application')).toBe('0');
    expect(await count('total')).toBe('3');
    expect(await textOf(page.getByRole('heading', { name: /^Replies held for approval/ }))).toBe('Replies held for approval (1)');
    expect(await textOf(page.locator('header .who'))).toBe('alice (admin)');
    await expectOfficeWords(page, 'the overview');
    await screenshot(page, '02-overview.png');
  });

  it('opens an application from the list and shows its pages as thumbnails, coloured and labelled by section', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Applications' }).click();
    await urlMatches(page, /^\/applications$/, 'the list of applications');
    await visible(page.locator('table.list tbody tr'), 'the rows of the list');
    expect(await page.locator('table.list tbody tr').count()).toBe(3);
    await expectOfficeWords(page, 'the list');
    await screenshot(page, '02-list.png');
    await page.locator('table.list').getByRole('link', { name: nameOf(apps.complete), exact: true }).click();
    await urlMatches(page, new RegExp(`^/applications/${apps.complete.id}$`), 'the application page');
    await visible(page.getByRole('heading', { level: 1, name: nameOf(apps.complete) }), 'the applicant as the page heading');

    const view = (await h.service.store.getApplication(apps.complete.id))!;
    const sections = view.latest.sections;
    const thumbs = page.locator('ol.strip li.thumb');
    await visible(thumbs, 'the thumbnail strip');
    const n = await thumbs.count();
    expect(n).toBe(16); // 01-complete.eml carries one PDF of 16 pages
    const colours = new Map<string, Set<string>>();
    for (let i = 0; i < n; i++) {
      const page1 = i + 1;
      const thumb = thumbs.nth(i);
      const img = thumb.locator('img');
      // Lazy images load once in view.
      await img.scrollIntoViewIfNeeded();
      try {
        await img.evaluate(
          (el: Img, timeoutMs: number) =>
            new Promise<void>((resolve, reject) => {
              const done = () => (el.naturalWidth > 0 ? resolve() : reject(new Error('loaded but has no width (broken image)')));
              if (el.complete) return done();
              el.addEventListener('load', done);
              el.addEventListener('error', () => reject(new Error('the image request failed')));
              setTimeout(() => reject(new Error(`not loaded within ${timeoutMs} ms`)), timeoutMs);
            }),
          UI_TIMEOUT,
        );
      } catch (err) {
        throw new Error(`thumbnail of page ${page1} did not load: ${(err as Error).message}`);
      }
      const size = await img.evaluate((el: Img) => ({ w: el.naturalWidth, h: el.naturalHeight }));
      expect(size.w).toBe(240); // pdftoppm -scale-to-x 240: large enough to tell pages apart
      expect(size.h).toBeGreaterThan(0);

      const span = sections.find((s) => page1 >= s.pages[0] && page1 <= s.pages[1]);
      const section = span?.id ?? 'unassigned';
      expect(await thumb.getAttribute('data-section')).toBe(section);
      const label = await textOf(thumb.locator('.thumb-label'));
      expect(label).toMatch(new RegExp(`^${page1} · `));
      expect(await img.getAttribute('alt')).toBe(`Page ${page1}: ${label.replace(/^\d+ · /, '')}`);
      const colour = await thumb.evaluate((el) => (globalThis as unknown as WithComputedStyle).getComputedStyle(el).borderTopColor);
      if (!colours.has(section)) colours.set(section, new Set());
      colours.get(section)!.add(colour);
    }
    expect(await textOf(thumbs.nth(0).locator('.thumb-label'))).toBe('1 · Letter of motivation');
    expect(await textOf(thumbs.nth(sections.find((s) => s.id === 'cv')!.pages[0] - 1).locator('.thumb-label'))).toMatch(/ · CV \(ESOR template\)$/);
    // One colour per section, a different one for each.
    for (const [section, set] of colours) expect({ section, colours: set.size }).toEqual({ section, colours: 1 });
    const distinct = new Set([...colours.values()].map((s) => [...s][0]));
    expect(distinct.size).toBe(colours.size);
    expect(colours.size).toBeGreaterThanOrEqual(8);
    expect([...colours.get('motivation')!][0]).toBe('rgb(31, 119, 180)');

    // The larger rendering the viewer shows is a real PNG too.
    const big = await page.request.get(`${base}/applications/${apps.complete.id}/pages/1.png?w=800`);
    expect(big.status()).toBe(200);
    expect(big.headers()['content-type']).toBe('image/png');
    expect((await big.body()).subarray(1, 4).toString('latin1')).toBe('PNG');

    await screenshot(page, '03-application.png', { at: '#pages' });
    await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    await screenshot(page, '03-application-top-verdict-first.png', { at: 'body' });
  });

  it('pages through a document in the viewer: a thumbnail shows its page large, the links and arrow keys turn pages within the document', async () => {
    const view = (await h.service.store.getApplication(apps.complete.id))!;
    // The longest document, so there is a next page within it.
    const span = [...view.latest.sections].filter((s) => s.id !== 'other').sort((a, b) => b.pages[1] - b.pages[0] - (a.pages[1] - a.pages[0]))[0]!;
    expect(span.pages[1]).toBeGreaterThan(span.pages[0]);
    const viewer = page.locator('#viewer');
    const where = viewer.locator('.viewer-where');
    const first = span.pages[0];
    await page.locator(`ol.strip li.thumb a[data-view-page="${first}"]`).click();
    await waitFor('the viewer to show the clicked page', async () => (await viewer.getAttribute('data-page')) === String(first));
    const length = span.pages[1] - span.pages[0] + 1;
    expect(await textOf(where)).toMatch(new RegExp(`, page 1 of ${length}$`));
    expect(await viewer.locator('img.viewer-img').getAttribute('src')).toBe(`/applications/${apps.complete.id}/pages/${first}.png?w=800`);
    expect(new URL(page.url()).search).toBe(`?page=${first}`);
    expect(await viewer.locator('[data-rel="prev"]').evaluate((el) => (el as unknown as { tagName: string }).tagName)).toBe('SPAN');

    await viewer.locator('a[data-rel="next"]').click();
    await waitFor('the next page in the viewer', async () => (await viewer.getAttribute('data-page')) === String(first + 1));
    expect(await textOf(where)).toMatch(new RegExp(`, page 2 of ${length}$`));
    const img = viewer.locator('img.viewer-img');
    await img.evaluate(
      (el: Img, timeoutMs: number) =>
        new Promise<void>((resolve, reject) => {
          const done = () => (el.naturalWidth > 0 ? resolve() : reject(new Error('broken image')));
          if (el.complete) return done();
          el.addEventListener('load', done);
          el.addEventListener('error', () => reject(new Error('the image request failed')));
          setTimeout(() => reject(new Error(`not loaded within ${timeoutMs} ms`)), timeoutMs);
        }),
      UI_TIMEOUT,
    );
    expect(await img.evaluate((el: Img) => el.naturalWidth)).toBe(800);
    await viewer.focus();
    await page.keyboard.press('ArrowLeft');
    await waitFor('the arrow key to turn back a page', async () => (await viewer.getAttribute('data-page')) === String(first));
    await screenshot(page, '03-application-viewer.png', { at: '#viewer' });
    await screenshot(page, '03-application-full-page.png');

    // Without script the same links work: the server renders the page asked for.
    const plain = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 }, storageState: await admin.storageState() });
    try {
      const p = await plain.newPage();
      await p.goto(`${base}/applications/${apps.complete.id}?page=${first + 1}#viewer`);
      expect(await textOf(p.locator('#viewer .viewer-where'))).toMatch(new RegExp(`, page 2 of ${length}$`));
      await p.locator('#viewer a[data-rel="prev"]').click();
      await urlMatches(p, new RegExp(`^/applications/${apps.complete.id}\\?page=${first}$`), 'the previous page without script');
    } finally {
      await plain.close();
    }
  });

  it('approves the held reply of the ineligible application, which arrives in the applicant’s mailbox, threaded, once', async () => {
    const applicant = senderOf(raw.late);
    expect(await inboxOf(applicant)).toEqual([]);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
    await urlMatches(page, /^\/$/, 'the overview');
    const heldTable = page.locator('section[aria-labelledby="queue-h"] table').filter({ hasText: 'Reply for status' });
    await heldTable.getByRole('link', { name: nameOf(apps.late) }).click();
    await urlMatches(page, new RegExp(`^/applications/${apps.late.id}$`), 'the ineligible application');

    const held = page.locator('article.reply-held');
    await visible(held, 'the held reply');
    expect(await page.locator('article.reply').count()).toBe(1);
    expect(await textOf(held.locator('h3'))).toBe('Held for approval Reply for Ineligible (submission 1)');
    await expectOfficeWords(page, 'the ineligible application');
    await held.getByRole('button', { name: 'Approve and send' }).click();
    await urlMatches(page, /\?done=reply-approved$/, 'the page after approving');
    expect(await textOf(page.getByRole('main').locator('p.flash-ok'))).toBe('Reply approved: it is queued for sending.');

    const [reply] = await waitFor(`the approved reply in ${applicant}'s mailbox`, async () => {
      const list = await inboxOf(applicant);
      return list.length > 0 ? list : undefined;
    }, PIPELINE_TIMEOUT);
    const source = reply!.source!;
    expect(headerOf(source, 'In-Reply-To')).toBe(headerOf(raw.late, 'Message-ID'));
    expect(headerOf(source, 'References')).toContain(headerOf(raw.late, 'Message-ID')!);
    expect(headerOf(source, 'Auto-Submitted')).toBe('auto-replied');
    expect(reply!.subject).toMatch(/^Re: /);

    // Exactly once: the record is sent, no reply job is left, and the mailbox holds one message.
    const record = await waitFor('the reply recorded as sent', async () => {
      const [r] = await h.service.store.listReplies({ applicationId: apps.late.id });
      return r?.state === 'sent' ? r : undefined;
    });
    expect(record.decidedBy).toBe(ADMIN.username);
    expect(headerOf(source, 'Message-ID')).toBe(record.messageId);
    await waitFor('the reply queue to drain', async () => (await replyJobsOutstanding()) === 0);
    expect(await inboxOf(applicant)).toHaveLength(1);
    expect(await h.service.store.listReplies({ applicationId: apps.late.id })).toHaveLength(1);

    await page.reload();
    const sent = page.locator('article.reply-sent');
    await visible(sent, 'the reply shown as sent');
    expect(await textOf(sent.locator('dt:text-is("Approved by") + dd'))).toBe(ADMIN.username);
    expect(await textOf(sent.locator('dt:text-is("Sent") + dd'))).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}$/);
    expect(await page.locator('article.reply-held').count()).toBe(0);
    await screenshot(page, '04-reply-approved.png', { at: '#replies' });
  });

  it('writes to the incomplete applicant from a template: the message arrives in the thread, once, without Auto-Submitted', async () => {
    const applicant = senderOf(raw.incomplete);
    expect(await inboxOf(applicant)).toHaveLength(1); // the automatic reply
    await page.goto(`${base}/applications/${apps.incomplete.id}`);
    const box = page.locator('details#message');
    await box.locator('summary').click();
    await box.getByRole('link', { name: 'Please send the missing document(s)' }).click();
    await urlMatches(page, new RegExp(`^/applications/${apps.incomplete.id}\\?template=`), 'the page with the template filled');
    const body = page.locator('#message-body');
    expect(await body.inputValue()).toMatch(/^Dear .+,\n/);
    expect(await body.inputValue()).toContain('Your application is still missing:\n- ');
    expect(await page.locator('#message-subject').inputValue()).toMatch(/^Re: /);
    await body.fill(`${await body.inputValue()}\n\nP.S. Written by a person.`);
    await expectOfficeWords(page, 'the message box');
    await screenshot(page, 'issue12-message.png', { at: '#message' });
    await page.getByRole('button', { name: 'Send message' }).click();
    await urlMatches(page, /\?done=message-queued$/, 'the page after sending');

    const mine = await waitFor(`the message in ${applicant}'s mailbox`, async () => {
      const list = await inboxOf(applicant);
      return list.length > 1 ? list.find((m) => m.source!.toString('utf8').includes('Written by a person')) : undefined;
    }, PIPELINE_TIMEOUT);
    const source = mine!.source!;
    expect(headerOf(source, 'Auto-Submitted')).toBeUndefined();
    expect(headerOf(source, 'In-Reply-To')).toBe(headerOf(raw.incomplete, 'Message-ID'));
    expect(mine!.subject).toMatch(/^Re: /);
    await waitFor('the reply queue to drain', async () => (await replyJobsOutstanding()) === 0);
    expect(await inboxOf(applicant)).toHaveLength(2);
    await page.reload();
    await visible(page.locator('article.staff-message'), 'the message under Replies');
    await waitFor('the message shown as sent', async () => {
      await page.reload();
      return (await textOf(page.locator('article.staff-message h3'))).startsWith('Sent');
    });
    await screenshot(page, 'issue12-message-sent.png', { at: '#replies' });
  });

  it('merges two applications of one person from the application page, shows the link on both, and undoes it', async () => {
    await page.goto(`${base}/applications/${apps.late.id}`);
    const box = page.locator('section#same-person');
    expect(await textOf(box.locator('p.muted').first())).toBe('Not merged with another application.');
    await box.locator('details summary').click();
    const pasted = box.locator('#merge-other');
    if (await pasted.count()) await pasted.fill(`${base}/applications/${apps.complete.id}`);
    else await box.locator(`input[name="other"][value="${apps.complete.id}"]`).check();
    await box.getByRole('button', { name: 'Merge' }).click();
    await urlMatches(page, /\?done=merged$/, 'the page after merging');
    const link = page.locator('section#same-person ul.merged a').first();
    expect(await link.getAttribute('href')).toBe(`/applications/${apps.complete.id}`);
    await expectOfficeWords(page, 'the merged application');
    await screenshot(page, 'issue12-merge.png', { at: '#same-person' });
    await link.click();
    await urlMatches(page, new RegExp(`^/applications/${apps.complete.id}$`), 'the other application');
    expect(await page.locator('section#same-person ul.merged a').first().getAttribute('href')).toBe(`/applications/${apps.late.id}`);
    // The form asks to confirm (data-confirm): say yes.
    page.once('dialog', (d) => void d.accept());
    await page.locator('section#same-person').getByRole('button', { name: 'Undo merge' }).click();
    await urlMatches(page, /\?done=unmerged$/, 'the page after undoing');
    expect(await textOf(page.locator('section#same-person p.muted').first())).toBe('Not merged with another application.');
    const actions = (await h.service.store.listEvents(apps.late.id, 100)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['application.merged', 'application.unmerged']));
  });

  it('overrides a status with a reason: new status shown, who did it logged, a new reply held (not sent)', async () => {
    const applicant = senderOf(raw.complete);
    const reason = 'The board certificate is a scan of a draft; asked the applicant for the signed one.';
    await page.goto(`${base}/applications/${apps.complete.id}`);
    await page.locator('details#actions > summary').click();
    await visible(page.getByRole('heading', { name: 'Override the status' }), 'the override form, unfolded');
    await page.getByLabel('New status').selectOption('incomplete');
    await page.getByLabel('Why').fill(reason);
    await page.getByRole('button', { name: 'Override status' }).click();
    await urlMatches(page, /\?done=status-overridden$/, 'the page after overriding');
    expect(await textOf(page.getByRole('main').locator('p.flash-ok'))).toMatch(/^Status overridden\./);
    expect(await textOf(page.locator('#verdict-h .badge'))).toBe('Incomplete');
    expect(await textOf(page.locator('#verdict-h'))).toBe('Verdict (submission 1): Incomplete');
    expect(await textOf(page.locator('#verdict p.decided'))).toContain(`Status overridden by ${ADMIN.username} (${reason})`);
    const logged = page.locator('table.events tbody tr[data-action="status.overridden"]');
    expect(await logged.count()).toBe(1);
    expect(await textOf(logged.locator('td').nth(1))).toBe(ADMIN.username);

    // The reply stage recomputes the reply and holds it.
    const heldReply = await waitFor('the recomputed reply held for approval', async () =>
      (await h.service.store.listReplies({ applicationId: apps.complete.id })).find((r) => r.state === 'held'),
      PIPELINE_TIMEOUT,
    );
    expect(heldReply.status).toBe('incomplete');
    await waitFor('the reply queue to drain', async () => (await replyJobsOutstanding()) === 0);
    expect(await inboxOf(applicant)).toHaveLength(1); // only the first, automatic reply

    await page.reload();
    const held = page.locator('article.reply-held');
    await visible(held, 'the recomputed reply, held');
    expect(await textOf(held.locator('h3'))).toBe('Held for approval Reply for Incomplete (submission 1)');
    await expectOfficeWords(page, 'the overridden application');
    expect(await page.locator('article.reply-sent').count()).toBe(1);
    await screenshot(page, '05-status-overridden.png', { at: 'main' });
    await screenshot(page, '05-status-overridden-reply.png', { at: '#replies' });
    await screenshot(page, '05-status-overridden-events.png', { at: '#events' });
  });

  it('adds a note and marks the application reviewed', async () => {
    const note = 'Phoned the applicant: the signed certificate follows by post.';
    await page.getByLabel('Add a note').fill(note);
    await page.getByRole('button', { name: 'Add note' }).click();
    await urlMatches(page, /\?done=note-added$/, 'the page after adding a note');
    const notes = page.locator('ul.notes li');
    await visible(notes, 'the note');
    expect(await textOf(notes.locator('.note-text'))).toBe(note);
    expect(await textOf(notes.locator('.muted'))).toMatch(new RegExp(`^${ADMIN.username}, `));

    expect(await textOf(page.locator('.decide .reviewed-by'))).toBe('not yet');
    // What staff decide sits in the first screen, above the documents.
    await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    const button = (await page.getByRole('button', { name: 'Mark reviewed' }).boundingBox())!;
    expect(button.y + button.height).toBeLessThan(900);
    expect((await page.locator('#documents-h').boundingBox())!.y).toBeGreaterThan(button.y);
    await page.getByRole('button', { name: 'Mark reviewed' }).click();
    await urlMatches(page, /\?done=reviewed$/, 'the page after marking reviewed');
    expect(await textOf(page.locator('.decide .reviewed-by'))).toMatch(new RegExp(`^by ${ADMIN.username}, \\d{1,2} [A-Z][a-z]{2} \\d{4}, \\d{2}:\\d{2}$`));
    for (const action of ['note.added', 'application.reviewed']) {
      const row = page.locator(`table.events tbody tr[data-action="${action}"]`);
      expect({ action, rows: await row.count() }).toEqual({ action, rows: 1 });
      expect(await textOf(row.locator('td').nth(1))).toBe(ADMIN.username);
    }
  });

  it('exports the list as CSV through the browser', async () => {
    await page.goto(`${base}/applications`);
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: UI_TIMEOUT }), page.getByRole('link', { name: 'Export these as CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^esor-applications-all-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const [header, ...rows] = parseCsv(text.slice(1));
    expect(header!.slice(0, 6)).toEqual(['application_id', 'programme', 'programme_title', 'applicant_name', 'applicant_email', 'status']);
    expect(header).toContain('reviewed_by');
    expect(header).toContain('pages_motivation');
    expect(rows).toHaveLength(3);
    const col = (name: string) => header!.indexOf(name);
    const byId = new Map(rows.map((r) => [r[col('application_id')], r]));
    for (const r of rows) expect(r).toHaveLength(header!.length);
    const complete = byId.get(apps.complete.id)!;
    expect(complete[col('applicant_email')]).toBe(senderOf(raw.complete));
    expect(complete[col('status')]).toBe('incomplete'); // overridden above
    expect(complete[col('reviewed_by')]).toBe(ADMIN.username);
    expect(complete[col('pages_motivation')]).toMatch(/^1[-–]/);
    expect(byId.get(apps.late.id)![col('status')]).toBe('ineligible');
    expect(byId.get(apps.incomplete.id)![col('status')]).toBe('incomplete');
    expect(byId.get(apps.incomplete.id)![col('missing_sections')]).not.toBe('');
  });

  it('shows the rules page to an admin', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Rules' }).click();
    await urlMatches(page, /^\/rules$/, 'the rules page');
    await visible(page.getByRole('heading', { level: 1, name: 'Rules' }), 'the rules heading');
    expect(await textOf(page.locator('main'))).toContain(h.service.rules.hash());
    expect(await page.locator('table.rule-files .badge.yes').count()).toBeGreaterThan(0);
    await screenshot(page, '06-rules.png');
  });

  it('refuses /rules to a staff account (403), and signing out ends the session', async () => {
    const staff = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    staff.setDefaultTimeout(UI_TIMEOUT);
    try {
      const p = watch(await staff.newPage());
      await p.goto(`${base}/login`);
      await signIn(p, STAFF);
      await urlMatches(p, /^\/$/, 'the overview for staff');
      expect(await textOf(p.locator('header .who'))).toBe('bob (staff)');
      expect(await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Rules' }).count()).toBe(0);

      const res = await p.goto(`${base}/rules`);
      expect(res!.status()).toBe(403);
      await visible(p.getByRole('heading', { level: 1, name: 'Not allowed' }), 'the 403 page');
      expect(await textOf(p.getByRole('main'))).toContain('This page is for admins.');
      await screenshot(p, '07-staff-rules-403.png');

      await p.goto(`${base}/applications/${apps.late.id}`);
      await visible(p.getByRole('heading', { level: 1, name: nameOf(apps.late) }), 'the application for staff');
      await p.getByRole('button', { name: 'Sign out' }).click();
      await urlMatches(p, /^\/login\?done=logged-out$/, 'the sign-in page after signing out');
      expect(await textOf(p.getByRole('main').locator('p.flash-ok'))).toBe('You are signed out.');
      expect((await staff.cookies()).filter((c) => c.name === 'esor_session')).toEqual([]);

      // Back to the application page: not shown from a cache, the server sends the visitor to sign in.
      await p.goBack();
      await urlMatches(p, new RegExp(`^/login\\?next=${encodeURIComponent(`/applications/${apps.late.id}`)}$`), 'the sign-in page after going back');
      await visible(p.getByRole('heading', { level: 1, name: 'Sign in' }), 'the sign-in form after going back');
      await p.reload();
      await visible(p.getByRole('heading', { level: 1, name: 'Sign in' }), 'the sign-in form after reloading');
      const live = await p.request.get(`${base}/live.json`);
      expect(live.status()).toBe(401);
      // The admin's session is untouched.
      expect((await page.request.get(`${base}/live.json`)).status()).toBe(200);
    } finally {
      await staff.close();
    }
  });

  it('shows a new application live by server-sent events, and falls back to polling when the stream drops', async () => {
    await page.goto(`${base}/`);
    const live = page.locator('#live');
    await waitFor('the overview to open its event stream', async () => (await live.getAttribute('data-mode')) === 'stream');
    const total = page.locator('[data-count="all:total"]');
    expect(await textOf(total)).toBe('3');
    await h.deliver('06-docx-instead.eml');
    await waitFor('the live notice of the new application', async () => (await live.isVisible()) && (await textOf(live)) === '1 new application triaged — refresh', PIPELINE_TIMEOUT);
    await waitFor('the total to count the new application', async () => (await textOf(total)) === '4');
    expect(await live.getAttribute('data-mode')).toBe('stream');
    await screenshot(page, '08-live-update-by-server-sent-events.png');

    // A stream that cannot be held (here: refused on the way): the page polls /live.json instead.
    const other = await browser.newContext({ viewport: { width: 1280, height: 900 }, storageState: await admin.storageState() });
    other.setDefaultTimeout(UI_TIMEOUT);
    try {
      const p = await other.newPage();
      await p.route('**/live/events*', (route) => route.abort());
      const polled = p.waitForRequest((r) => new URL(r.url()).pathname === '/live.json', { timeout: 20_000 });
      await p.goto(`${base}/`);
      await waitFor('the overview to fall back to polling', async () => (await p.locator('#live').getAttribute('data-mode')) === 'poll');
      expect((await (await polled).response())!.status()).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('saw no script error and no refused resource in the browser', () => {
    expect(browserErrors).toEqual([]);
  });
});
