/**
 * The dashboard's routes through inject(), on a real SQLite store and file
 * store seeded with synthetic applications; only page rendering, re-deciding,
 * the reply queue and the dry run are stubbed (at the deps boundary).
 */
import type { FastifyInstance } from 'fastify';
import { Fixture, get, GR, login, PEOPLE, post, postLogin, setCookie, type Seeded, type Session } from './dashboard-fixtures';

let f: Fixture;
let seeded: Seeded;
let app: FastifyInstance;
let alice: Session;
let bob: Session;

beforeEach(async () => {
  f = await Fixture.create();
  seeded = await f.seed();
  app = await f.app();
  alice = await login(app, 'alice');
  bob = await login(app, 'bob');
});
afterEach(async () => {
  await app.close();
  await f.cleanup();
});

function location(res: { headers: Record<string, unknown> }): string {
  return String(res.headers.location);
}

describe('sign in and out', () => {
  it('signs in with the right password, sets a 12-hour session and lands on the page asked for', async () => {
    const res = await postLogin(app, 'alice', 'alice-admin-password-1', { next: '/applications?status=complete' });
    expect(res.statusCode).toBe(303);
    expect(location(res)).toBe('/applications?status=complete');
    const cookie = setCookie(res, 'esor_session')!;
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie.maxAge).toBe(12 * 3600);
    const page = await get(app, { cookie: cookie.value, csrf: '' }, '/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('alice (admin)');
  });

  it('refuses a wrong password or an unknown user with the same message, and keeps no session', async () => {
    for (const [user, pw] of [
      ['alice', 'wrong-password-123'],
      ['nobody', 'alice-admin-password-1'],
    ]) {
      const res = await postLogin(app, user!, pw!);
      expect(res.statusCode).toBe(401);
      expect(res.body).toContain('Wrong username or password.');
      expect(setCookie(res, 'esor_session')).toBeUndefined();
    }
  });

  it('never sends the user to another site after signing in', async () => {
    for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
      const res = await postLogin(app, 'bob', 'bob-staff-password-22', { next });
      expect(location(res)).toBe('/');
    }
  });

  it('the session expires after 12 hours', async () => {
    f.now = new Date(f.now.getTime() + 12 * 3600 * 1000 + 1000);
    const res = await get(app, alice, '/');
    expect(res.statusCode).toBe(303);
    expect(location(res)).toMatch(/^\/login\?next=/);
  });

  it('signs out (POST with the CSRF token): the session is gone from the store', async () => {
    const res = await post(app, alice, '/logout');
    expect(res.statusCode).toBe(303);
    expect(location(res)).toBe('/login?done=logged-out');
    expect(setCookie(res, 'esor_session')!.value).toBe('');
    expect((await get(app, alice, '/')).statusCode).toBe(303);
    const form = await app.inject({ method: 'GET', url: '/login?done=logged-out' });
    expect(form.body).toContain('You are signed out.');
  });

  it('a signed-in user who opens /login goes to the overview', async () => {
    const res = await get(app, alice, '/login');
    expect(res.statusCode).toBe(303);
    expect(location(res)).toBe('/');
  });
});

describe('overview', () => {
  it('counts by status per programme, the days to the deadline and the queue of what needs a person', async () => {
    const res = await get(app, bob, '/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const body = res.body;
    expect(body).toContain('Hybrid Imaging in Oncology');
    expect(body).toContain('31 Mar 2021: 11 days left');
    // Programme row: 1 complete, 0 incomplete (maria's latest is needs_review), 1 ineligible, 1 needs review.
    expect(body).toContain(`data-count="${GR}:complete">1<`);
    expect(body).toContain(`data-count="${GR}:incomplete">0<`);
    expect(body).toContain(`data-count="${GR}:ineligible">1<`);
    expect(body).toContain(`data-count="${GR}:needs_review">1<`);
    expect(body).toContain(`data-count="${GR}:total">3<`);
    expect(body).toContain('data-count="unknown:not_application">1<');
    expect(body).toContain('data-count="all:total">4<');
    // The queue: needs review first, then held replies, then ineligible not reviewed.
    const needs = body.indexOf('Needs review, not yet reviewed (1)');
    const held = body.indexOf('Replies held for approval (2)');
    const inel = body.indexOf('Ineligible, not yet reviewed (1)');
    expect(needs).toBeGreaterThan(0);
    expect(held).toBeGreaterThan(needs);
    expect(inel).toBeGreaterThan(held);
    expect(body.slice(needs, held)).toContain(PEOPLE.maria.name);
    expect(body.slice(held, inel)).toContain(PEOPLE.jean.name);
    expect(body.slice(inel)).toContain(PEOPLE.jean.name);
    expect(body).toMatch(/<div id="live"[^>]*data-since="\d+"/);
  });

  it('says when a deadline has passed', async () => {
    f.now = new Date('2021-04-02T08:00:00.000Z');
    alice = await login(app, 'alice');
    expect((await get(app, alice, '/')).body).toContain('31 Mar 2021: closed 2 days ago');
  });

  it('a reviewed application leaves the queue', async () => {
    await f.store.markReviewed(seeded.jean.applicationId, 'alice', f.now.toISOString());
    expect((await get(app, bob, '/')).body).toContain('Ineligible, not yet reviewed (0)');
  });
});

describe('application list', () => {
  const names = (body: string) => Object.entries(PEOPLE).filter(([, p]) => body.includes(p.name)).map(([k]) => k).sort();

  it('lists every application by default', async () => {
    const res = await get(app, bob, '/applications');
    expect(res.statusCode).toBe(200);
    expect(names(res.body)).toEqual(['anna', 'jean', 'maria', 'robot']);
    expect(res.body).toContain('Showing 1–4 of 4.');
  });

  it.each([
    ['status=ineligible', ['jean']],
    ['status=needs_review', ['maria']],
    [`programme=${GR}`, ['anna', 'jean', 'maria']],
    ['programme=unknown', ['robot']],
    ['flag=board_certification_too_old', ['jean']],
    ['q=VANTONGEREN', ['maria']],
    ['q=jb.zyrkowski%40example', ['jean']],
    ['from=2021-03-13&to=2021-03-14', ['jean']],
    ['from=2021-03-15', ['maria', 'robot']],
    ['status=bogus&flag=../../x&from=2021-02-31', ['anna', 'jean', 'maria', 'robot']],
  ])('filters by %s', async (qs, expected) => {
    const res = await get(app, bob, `/applications?${qs}`);
    expect(res.statusCode).toBe(200);
    expect(names(res.body)).toEqual(expected);
  });

  it('filters unreviewed ones', async () => {
    await f.store.markReviewed(seeded.anna.applicationId, 'bob', f.now.toISOString());
    const res = await get(app, bob, '/applications?unreviewed=1');
    expect(names(res.body)).toEqual(['jean', 'maria', 'robot']);
    expect((await get(app, bob, '/applications')).body).toContain('✓ bob');
  });

  it('sorts by name and by received date, both ways', async () => {
    const order = (body: string) =>
      Object.entries(PEOPLE)
        .map(([k, p]) => [k, body.indexOf(p.name)] as const)
        .filter(([, i]) => i >= 0)
        .sort((a, b) => a[1] - b[1])
        .map(([k]) => k);
    expect(order((await get(app, bob, '/applications?sort=name&order=asc')).body)).toEqual(['anna', 'jean', 'robot', 'maria']);
    expect(order((await get(app, bob, '/applications?sort=received&order=asc')).body)).toEqual(['anna', 'jean', 'maria', 'robot']);
    expect(order((await get(app, bob, '/applications?sort=received&order=desc')).body)).toEqual(['robot', 'maria', 'jean', 'anna']);
  });

  it('pages by 25, with links that keep the filters', async () => {
    for (let i = 0; i < 27; i++) {
      await f.addMessage({
        seed: `bulk-${i}`,
        uid: 100 + i,
        person: { name: `Bulk Applicant ${String(i).padStart(2, '0')}`, email: `bulk${i}@example.org` },
        status: 'incomplete',
        programme: GR,
        sections: ['motivation'],
        receivedAt: `2021-03-1${i % 10}T12:00:00.000Z`,
        pages: 1,
        subject: 's',
        body: 'b',
      });
    }
    const first = await get(app, bob, '/applications?status=incomplete&sort=name&order=asc');
    expect(first.body).toContain('Showing 1–25 of 27.');
    expect(first.body).toContain('Page 1 of 2');
    expect(first.body).toContain('href="/applications?status=incomplete&amp;sort=name&amp;order=asc&amp;page=2" rel="next"');
    expect(first.body).toContain('Bulk Applicant 24');
    expect(first.body).not.toContain('Bulk Applicant 25');
    const second = await get(app, bob, '/applications?status=incomplete&sort=name&order=asc&page=2');
    expect(second.body).toContain('Showing 26–27 of 27.');
    expect(second.body).toContain('Bulk Applicant 25');
    expect(second.body).toContain('Bulk Applicant 26');
    expect(second.body).not.toContain('Bulk Applicant 24');
    expect(second.body).toContain('rel="prev"');
  });
});

describe('one application', () => {
  it('shows the applicant, mail, verdict with evidence, checklist, page strip, files, facts, revisions, replies and events', async () => {
    const res = await get(app, bob, `/applications/${seeded.jean.applicationId}`);
    expect(res.statusCode).toBe(200);
    const b = res.body;
    expect(b).toContain(`<h1>${PEOPLE.jean.name}</h1>`);
    expect(b).toContain(PEOPLE.jean.email);
    // The mail.
    expect(b).toContain('<dt>Subject</dt><dd>Application</dd>');
    expect(b).toContain('Hello, attached.');
    expect(b).toContain('&lt;jean@mail.example&gt;');
    // The verdict and the flag's evidence: pages, snippet, rule.
    expect(b).toContain('<td>Board certification too old</td>');
    expect(b).toContain('The board certification is more than 5 years old.');
    expect(b).toContain('<dt>Pages</dt><dd>4</dd>');
    expect(b).toContain('<q>Board certified on 12 May 2009</q>');
    // The rule's id is the machine's: not shown.
    expect(b).not.toContain('board-certification-recent');
    // The ten documents.
    expect(b.match(/<tr class="present">/g)).toHaveLength(10);
    // The strip: one lazy thumbnail per page, coloured by section.
    const thumbs = b.match(/<li class="thumb [^"]+" data-section="[^"]+"[^>]*><a href="[^"]+"[^>]*><img src="[^"]+" loading="lazy"/g)!;
    expect(thumbs).toHaveLength(10);
    expect(b).toMatch(new RegExp(`<li class="thumb sec-board-certificate" data-section="board_certificate"[^>]*><a href="/applications/${seeded.jean.applicationId}\\?page=4#viewer" data-view-page="4">`));
    expect(b).toContain(`<img src="/applications/${seeded.jean.applicationId}/pages/4.png?w=240" loading="lazy"`);
    // The viewer: page 1 large, without script too.
    expect(b).toContain(`<img class="viewer-img" src="/applications/${seeded.jean.applicationId}/pages/1.png?w=800" width="800" alt="Page 1: Letter of motivation, page 1 of 1">`);
    expect(b).toContain('alt="Page 4: Board certificate"');
    // Files.
    expect(b).toContain(`href="/applications/${seeded.jean.applicationId}/pdf?download=1"`);
    expect(b).toContain(`href="/applications/${seeded.jean.applicationId}/sections/passport.pdf"`);
    // Facts.
    expect(b).toContain('<th scope="row">Languages</th><td>English: C1, French: B2</td>');
    // The held reply with its three forms.
    expect(b).toContain(`action="/applications/${seeded.jean.applicationId}/replies/${seeded.jean.heldReplyId}/approve"`);
    expect(b).toContain(`action="/applications/${seeded.jean.applicationId}/replies/${seeded.jean.heldReplyId}/edit"`);
    expect(b).toContain(`action="/applications/${seeded.jean.applicationId}/replies/${seeded.jean.heldReplyId}/discard"`);
    // Events.
    expect(b).toContain('<td>Triaged</td>');
    // Every form carries the session's CSRF token.
    const forms = b.match(/<form [^>]*method="post"/g)!.length;
    expect(b.match(new RegExp(`name="_csrf" value="${bob.csrf}"`, 'g'))!.length).toBe(forms);
  });

  it('shows the revisions with what changed, and an older revision on request', async () => {
    const res = await get(app, bob, `/applications/${seeded.maria.applicationId}`);
    expect(res.body).toContain('first submission');
    expect(res.body).toContain('<li>status Incomplete → Needs review</li>');
    expect(res.body).toContain('<li>+ Unsure where a document is</li>');
    expect(res.body).toContain('<li>− Document missing</li>');
    const old = await get(app, bob, `/applications/${seeded.maria.applicationId}?rev=1`);
    expect(old.statusCode).toBe(200);
    expect(old.body).toContain('You are looking at submission 1');
    expect(old.body).toContain('Verdict (submission 1)');
    expect(old.body).toContain(`/pages/1.png?w=240&amp;rev=1`);
    expect((await get(app, bob, `/applications/${seeded.maria.applicationId}?rev=9`)).statusCode).toBe(404);
  });

  it('escapes what applicants wrote', async () => {
    const evil = await f.addMessage({
      seed: 'evil',
      uid: 50,
      person: { name: '<script>alert(1)</script>', email: 'evil@example.org' },
      status: 'incomplete',
      programme: GR,
      sections: ['motivation'],
      receivedAt: '2021-03-17T08:00:00.000Z',
      pages: 1,
      subject: '"><img src=x onerror=alert(2)>',
      body: '</pre><script>alert(3)</script>',
    });
    const res = await get(app, bob, `/applications/${evil.applicationId}`);
    expect(res.body).not.toMatch(/<script>alert/);
    expect(res.body).not.toContain('<img src=x');
    expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect((await get(app, bob, '/applications')).body).not.toMatch(/<script>alert/);
  });

  it('answers 404 for an unknown application', async () => {
    expect((await get(app, bob, '/applications/00000000-0000-0000-0000-000000000000')).statusCode).toBe(404);
  });
});

describe('files', () => {
  it('serves the whole PDF inline or as a download, with a safe file name', async () => {
    const inline = await get(app, bob, `/applications/${seeded.anna.applicationId}/pdf`);
    expect(inline.statusCode).toBe(200);
    expect(inline.headers['content-type']).toBe('application/pdf');
    expect(inline.headers['content-disposition']).toMatch(/^inline; filename="application-[a-z0-9]{8}-r1\.pdf"$/);
    expect(inline.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(inline.headers['cache-control']).toBe('no-store');
    const download = await get(app, bob, `/applications/${seeded.anna.applicationId}/pdf?download=1`);
    expect(download.headers['content-disposition']).toMatch(/^attachment; /);
  });

  it("serves one section's PDF", async () => {
    const res = await get(app, bob, `/applications/${seeded.anna.applicationId}/sections/passport.pdf?download=1`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="application-[a-z0-9]{8}-r1-passport-p10-10\.pdf"$/);
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await get(app, bob, `/applications/${seeded.anna.applicationId}/sections/passport-p10.pdf`)).statusCode).toBe(200);
    expect((await get(app, bob, `/applications/${seeded.anna.applicationId}/sections/passport-p3.pdf`)).statusCode).toBe(404);
    expect((await get(app, bob, `/applications/${seeded.robot.applicationId}/sections/passport.pdf`)).statusCode).toBe(404);
  });

  it('renders a page through deps.renderPage with the stored path and hash', async () => {
    const res = await get(app, bob, `/applications/${seeded.anna.applicationId}/pages/3.png?w=120`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.rawPayload.toString('latin1')).toContain('page 3 width 120');
    expect(f.renderCalls).toEqual([{ pdfPath: seeded.anna.pdfPath, pdfSha256: seeded.anna.pdfSha256, page: 3, width: 120 }]);
    expect((await get(app, bob, `/applications/${seeded.anna.applicationId}/pages/13.png`)).statusCode).toBe(404);
    expect((await get(app, bob, `/applications/${seeded.anna.applicationId}/pages/3.png?w=5000`)).statusCode).toBe(400);
  });

  it('answers 503 when rendering times out and 502 when it fails', async () => {
    await app.close();
    let code = 'RENDER_TIMEOUT';
    app = await f.app({ renderPage: async () => Promise.reject(Object.assign(new Error('slow'), { code })) });
    bob = await login(app, 'bob');
    expect((await get(app, bob, `/applications/${seeded.anna.applicationId}/pages/1.png`)).statusCode).toBe(503);
    code = 'RENDER_FAILED';
    expect((await get(app, bob, `/applications/${seeded.anna.applicationId}/pages/1.png`)).statusCode).toBe(502);
  });
});

describe('actions', () => {
  const replyUrl = (s: Seeded['jean'], action: string) => `/applications/${s.applicationId}/replies/${s.heldReplyId}/${action}`;

  it('approves a held reply and queues it for sending', async () => {
    const res = await post(app, bob, replyUrl(seeded.jean, 'approve'));
    expect(res.statusCode).toBe(303);
    expect(location(res)).toBe(`/applications/${seeded.jean.applicationId}?done=reply-approved#replies`);
    const reply = await f.store.getReply(seeded.jean.heldReplyId);
    expect(reply).toMatchObject({ state: 'pending', decidedBy: 'bob' });
    expect(f.replyRequests).toEqual([{ messageId: seeded.jean.messageIds[0], hold: false, key: `approve-${seeded.jean.heldReplyId}`, replyId: seeded.jean.heldReplyId }]);
    const events = await f.store.listEvents(seeded.jean.heldReplyId);
    expect(events[0]).toMatchObject({ actor: 'bob', action: 'reply.approved' });
    const page = await get(app, bob, location(res));
    expect(page.body).toContain('Reply approved: it is queued for sending.');
    // Approving again: no longer held.
    const again = await post(app, bob, replyUrl(seeded.jean, 'approve'));
    expect(location(again)).toContain('error=reply-not-held');
    expect(f.replyRequests).toHaveLength(1);
  });

  it('edits and approves a held reply', async () => {
    const res = await post(app, bob, replyUrl(seeded.maria, 'edit'), { subject: 'Re: your corrected application', body: 'Dear applicant,\r\nall good.\r\n' });
    expect(location(res)).toContain('done=reply-edited');
    expect(await f.store.getReply(seeded.maria.heldReplyId)).toMatchObject({ state: 'pending', subject: 'Re: your corrected application', body: 'Dear applicant,\nall good.' });
    expect(f.replyRequests).toEqual([{ messageId: seeded.maria.messageIds[1], hold: false, key: `approve-${seeded.maria.heldReplyId}`, replyId: seeded.maria.heldReplyId }]);
    const empty = await post(app, bob, replyUrl(seeded.jean, 'edit'), { subject: '', body: 'x' });
    expect(location(empty)).toContain('error=reply-empty');
    expect((await f.store.getReply(seeded.jean.heldReplyId))!.state).toBe('held');
  });

  it('discards a held reply; a sent one cannot be discarded', async () => {
    const res = await post(app, bob, replyUrl(seeded.jean, 'discard'));
    expect(location(res)).toContain('done=reply-discarded');
    expect(await f.store.getReply(seeded.jean.heldReplyId)).toMatchObject({ state: 'discarded', decidedBy: 'bob' });
    expect(f.replyRequests).toEqual([]);
    const sent = await post(app, bob, `/applications/${seeded.anna.applicationId}/replies/${seeded.anna.sentReplyId}/discard`);
    expect(location(sent)).toContain('error=reply-already-sent');
  });

  it("refuses a reply of another application", async () => {
    const res = await post(app, bob, `/applications/${seeded.anna.applicationId}/replies/${seeded.jean.heldReplyId}/approve`);
    expect(res.statusCode).toBe(404);
    expect((await f.store.getReply(seeded.jean.heldReplyId))!.state).toBe('held');
  });

  it('overrides the status with a reason, then asks for the reply to be recomputed and held', async () => {
    const res = await post(app, bob, `/applications/${seeded.jean.applicationId}/status`, { status: 'complete', reason: 'Certificate renewed in 2019, see page 5.' });
    expect(res.statusCode).toBe(303);
    expect(location(res)).toBe(`/applications/${seeded.jean.applicationId}?done=status-overridden#verdict`);
    const view = await f.store.getApplication(seeded.jean.applicationId);
    expect(view!.status).toBe('complete');
    expect(view!.latest.amended).toMatchObject({ by: 'bob', action: 'status.overridden', reason: 'Certificate renewed in 2019, see page 5.' });
    // The rest of the result is kept.
    expect(view!.latest.flags.map((fl) => fl.code)).toEqual(['board_certification_too_old']);
    const event = (await f.store.listEvents(seeded.jean.applicationId)).find((e) => e.action === 'status.overridden')!;
    expect(event.actor).toBe('bob');
    expect(f.replyRequests).toEqual([{ messageId: seeded.jean.messageIds[0], hold: true, key: `amend-${event.id}` }]);
    const page = await get(app, bob, location(res));
    expect(page.body).toContain('Status overridden by bob');
  });

  it('refuses an override without a reason, to an unknown status, or to the same status', async () => {
    const url = `/applications/${seeded.jean.applicationId}/status`;
    expect(location(await post(app, bob, url, { status: 'complete', reason: '  ' }))).toContain('error=reason-required');
    expect(location(await post(app, bob, url, { status: 'great', reason: 'x' }))).toContain('error=status-invalid');
    expect(location(await post(app, bob, url, { status: 'ineligible', reason: 'x' }))).toContain('error=status-unchanged');
    expect((await f.store.getApplication(seeded.jean.applicationId))!.status).toBe('ineligible');
    expect(f.replyRequests).toEqual([]);
  });

  it('overrides section boundaries: redecide gets the ranges, the result is amended, the reply held', async () => {
    const fields: Record<string, string> = { rev: '2' };
    const ids = ['motivation', 'cv', 'recommendation', 'board_certificate', 'medical_degree', 'language_certificates', 'publications', 'references', 'esr_membership', 'passport'];
    ids.forEach((id, i) => {
      fields[`first_${id}`] = String(i + 1);
      fields[`last_${id}`] = String(i + 1);
    });
    fields.first_passport = '';
    fields.last_passport = '';
    fields.first_esr_membership = '9';
    fields.last_esr_membership = '10';
    const res = await post(app, bob, `/applications/${seeded.maria.applicationId}/sections`, fields);
    expect(location(res)).toContain('done=sections-overridden');
    expect(f.redecideCalls).toHaveLength(1);
    expect(f.redecideCalls[0]!.applicationId).toBe(seeded.maria.applicationId);
    expect(f.redecideCalls[0]!.revision).toBe(2);
    expect(f.redecideCalls[0]!.opts!.sections).toHaveLength(9);
    expect(f.redecideCalls[0]!.opts!.sections).toContainEqual({ id: 'esr_membership', pages: [9, 10] });
    const view = await f.store.getApplication(seeded.maria.applicationId);
    expect(view!.latest).toMatchObject({ status: 'complete', rulesHash: 'rules-hash-redecided' });
    expect(view!.latest.amended).toMatchObject({ by: 'bob', action: 'sections.overridden' });
    expect(f.replyRequests).toEqual([expect.objectContaining({ messageId: seeded.maria.messageIds[1], hold: true })]);
    expect(f.replyRequests[0]!.key).toMatch(/^amend-\d+$/);
  });

  it('refuses overlapping, reversed, half-filled or out-of-range section pages without re-deciding', async () => {
    const url = `/applications/${seeded.maria.applicationId}/sections`;
    const attempts: Array<Record<string, string>> = [
      { first_cv: '2', last_cv: '4', first_motivation: '3', last_motivation: '3' },
      { first_cv: '4', last_cv: '2' },
      { first_cv: '2', last_cv: '' },
      { first_cv: '2', last_cv: '11' },
      { first_cv: '-1', last_cv: '2' },
    ];
    for (const fields of attempts) {
      expect(location(await post(app, bob, url, fields))).toContain('error=sections-invalid');
    }
    expect(f.redecideCalls).toEqual([]);
  });

  it('re-runs triage with the rules in force', async () => {
    const res = await post(app, bob, `/applications/${seeded.jean.applicationId}/retriage`, { rev: '1' });
    expect(location(res)).toContain('done=retriaged');
    expect(f.redecideCalls).toEqual([{ applicationId: seeded.jean.applicationId, revision: 1 }]);
    const view = await f.store.getApplication(seeded.jean.applicationId);
    expect(view!.latest).toMatchObject({ status: 'complete', rulesHash: 'rules-hash-redecided' });
    expect(view!.latest.amended).toMatchObject({ by: 'bob', action: 'application.retriaged' });
    expect(f.replyRequests).toEqual([expect.objectContaining({ messageId: seeded.jean.messageIds[0], hold: true })]);
  });

  it('changes nothing when re-deciding fails', async () => {
    f.redecideFails = true;
    const res = await post(app, bob, `/applications/${seeded.jean.applicationId}/retriage`);
    expect(location(res)).toContain('error=redecide-failed');
    expect((await f.store.getApplication(seeded.jean.applicationId))!.latest.amended).toBeUndefined();
    expect(f.replyRequests).toEqual([]);
  });

  it('says so when the reply cannot be queued (the change itself is saved)', async () => {
    await app.close();
    app = await f.app({ requestReply: async () => Promise.reject(new Error('redis down')) });
    bob = await login(app, 'bob');
    const res = await post(app, bob, `/applications/${seeded.jean.applicationId}/replies/${seeded.jean.heldReplyId}/approve`);
    expect(location(res)).toContain('error=reply-request-failed');
    expect((await f.store.getReply(seeded.jean.heldReplyId))!.state).toBe('pending');
  });

  it('marks reviewed', async () => {
    const res = await post(app, bob, `/applications/${seeded.maria.applicationId}/reviewed`);
    expect(location(res)).toContain('done=reviewed');
    expect(await f.store.getApplication(seeded.maria.applicationId)).toMatchObject({ reviewedBy: 'bob' });
    expect((await get(app, bob, `/applications/${seeded.maria.applicationId}`)).body).toContain('by bob,');
  });

  it('adds a note', async () => {
    const res = await post(app, bob, `/applications/${seeded.maria.applicationId}/notes`, { text: 'Called the applicant.\r\nWill resend.' });
    expect(location(res)).toBe(`/applications/${seeded.maria.applicationId}?done=note-added#notes`);
    expect(await f.store.listNotes(seeded.maria.applicationId)).toEqual([expect.objectContaining({ author: 'bob', text: 'Called the applicant.\nWill resend.' })]);
    expect((await get(app, bob, location(res))).body).toContain('Called the applicant.\nWill resend.');
    expect(location(await post(app, bob, `/applications/${seeded.maria.applicationId}/notes`, { text: '   ' }))).toContain('error=note-empty');
  });
});

describe('export', () => {
  it('exports the applications of one programme as CSV', async () => {
    const res = await get(app, bob, `/export.csv?programme=${GR}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="esor-applications-${GR}-2021-03-20.csv"`);
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toMatch(/^application_id,programme,/);
    expect(lines).toHaveLength(4);
    expect(res.body).toContain(PEOPLE.jean.name);
    expect(res.body).not.toContain(PEOPLE.robot.name);
  });

  it('exports everything, or what the list filters select', async () => {
    expect((await get(app, bob, '/export.csv')).body.trim().split('\r\n')).toHaveLength(5);
    const one = await get(app, bob, '/export.csv?status=ineligible');
    expect(one.body.trim().split('\r\n')).toHaveLength(2);
  });
});

describe('live updates', () => {
  it('reports applications triaged since the last event seen, and the counts', async () => {
    const first = await get(app, bob, '/live.json?since=0');
    expect(first.statusCode).toBe(200);
    const before = first.json() as { latest: number; triaged: number; counts: Record<string, Record<string, number>> };
    expect(before.triaged).toBe(0);
    expect(before.counts.all!.total).toBe(4);
    expect(before.counts[GR]!.ineligible).toBe(1);
    await f.addMessage({ seed: 'new', uid: 77, person: { name: 'New Person', email: 'new@example.org' }, status: 'complete', programme: GR, sections: ['motivation'], receivedAt: '2021-03-19T08:00:00.000Z', pages: 1, subject: 's', body: 'b' });
    const after = (await get(app, bob, `/live.json?since=${before.latest}`)).json() as typeof before;
    expect(after.triaged).toBe(1);
    expect(after.latest).toBeGreaterThan(before.latest);
    expect(after.counts[GR]!.complete).toBe(2);
    expect((await get(app, bob, `/live.json?since=${after.latest}`)).json()).toMatchObject({ triaged: 0 });
  });
});

describe('rules (admin)', () => {
  it('lists every rule file with its status and errors (file:line), the hash in force and the last refused edit', async () => {
    const res = await get(app, alice, '/rules');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('rules-hash-in-force-0123456789');
    expect(res.body).toContain('<code>rules/common.yaml</code>');
    expect(res.body).toContain('✓ valid');
    expect(res.body).toContain('✗ invalid');
    expect(res.body).toContain('rules/programmes/gr.yaml:12: rules[0].max_years: expected a number');
    expect(res.body).toContain('Last edit refused');
  });

  it('runs a dry run of a rules folder and shows what would change', async () => {
    const form = await get(app, alice, '/rules/dry-run');
    expect(form.statusCode).toBe(200);
    const res = await post(app, alice, '/rules/dry-run', { dir: f.dir });
    expect(location(res)).toBe('/rules/dry-run?done=dry-run-started');
    expect(f.dryRunCalls).toEqual([f.dir]);
    await new Promise((r) => setImmediate(r));
    const page = await get(app, alice, '/rules/dry-run');
    expect(page.body).toContain('<strong>1</strong> of 2 applications would change');
    expect(page.body).toContain('Document missing (Passport) ×1');
    expect(page.body).toContain('send (complete) → send (incomplete)');
    expect(location(await post(app, alice, '/rules/dry-run', { dir: 'relative/rules' }))).toContain('error=dir-invalid');
    expect(location(await post(app, alice, '/rules/dry-run', { dir: '/no/such/folder' }))).toContain('error=dir-invalid');
  });

  it('shows the progress of a running dry run, refreshing itself', async () => {
    await app.close();
    let finish!: (v: unknown) => void;
    app = await f.app({
      dryRun: (_dir, onProgress) => {
        onProgress(3, 10);
        return new Promise((resolve) => (finish = resolve));
      },
    });
    alice = await login(app, 'alice');
    await post(app, alice, '/rules/dry-run', { dir: f.dir });
    const page = await get(app, alice, '/rules/dry-run');
    expect(page.body).toContain('<meta http-equiv="refresh" content="2">');
    expect(page.body).toContain('<progress id="progress" max="10" value="3">');
    expect(location(await post(app, alice, '/rules/dry-run', { dir: f.dir }))).toContain('error=dry-run-busy');
    finish({ applications: [], totals: { applications: 0, changed: 0 } });
    await new Promise((r) => setImmediate(r));
    expect((await get(app, alice, '/rules/dry-run')).body).toContain('No application would change.');
  });
});

describe('static files', () => {
  it('serves the stylesheet and the script without a session', async () => {
    const css = await app.inject({ method: 'GET', url: '/static/dashboard.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const js = await app.inject({ method: 'GET', url: '/static/dashboard.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await app.inject({ method: 'GET', url: '/static/other.js' })).statusCode).toBe(404);
  });
});
