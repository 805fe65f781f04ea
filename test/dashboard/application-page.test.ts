/**
 * The application page in the order staff work (issue 12, point 2): the
 * verdict and what to decide first, then documents with the page viewer,
 * facts, mail, replies, notes, history; the corrections folded.
 */
import type { FastifyInstance } from 'fastify';
import { Fixture, get, login, type Seeded, type Session } from './dashboard-fixtures';

let f: Fixture;
let seeded: Seeded;
let app: FastifyInstance;
let bob: Session;

beforeEach(async () => {
  f = await Fixture.create();
  seeded = await f.seed();
  app = await f.app();
  bob = await login(app, 'bob');
});
afterEach(async () => {
  await app.close();
  await f.cleanup();
});

describe('the application page', () => {
  it('puts the verdict and what to decide (the held reply, Mark reviewed) before the documents, then facts, mail, replies, notes, history', async () => {
    const b = (await get(app, bob, `/applications/${seeded.jean.applicationId}`)).body;
    const at = (s: string) => {
      const i = b.indexOf(s);
      expect({ s, found: i >= 0 }).toEqual({ s, found: true });
      return i;
    };
    const order = [
      at('<h2 id="verdict-h">'),
      at('<h3>To decide</h3>'),
      at(`action="/applications/${seeded.jean.applicationId}/replies/${seeded.jean.heldReplyId}/approve"`),
      at('>Mark reviewed</button>'),
      at('<table class="flags">'),
      at('<details id="actions" class="corrections">'),
      at('<h2 id="documents-h">'),
      at('<figure id="viewer"'),
      at('<ol class="strip">'),
      at('<h2 id="facts-h">'),
      at('<h2 id="mail-h">'),
      at('<h2 id="replies-h">'),
      at('<h2 id="notes-h">'),
      at('<h2 id="history-h">'),
      at('<table class="events">'),
    ];
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    // Folded: the boundary form sits inside the closed <details>.
    const details = b.slice(at('<details id="actions"'), b.indexOf('</details>', at('<details id="actions"')));
    expect(details).toContain('Fix the section boundaries');
  });

  it('opens the corrections when a correction was refused, so the form and its error are in view', async () => {
    const b = (await get(app, bob, `/applications/${seeded.jean.applicationId}?error=sections-invalid`)).body;
    expect(b).toContain('<details id="actions" class="corrections" open>');
  });

  it('shows the page asked for in the viewer, with links through its document and to the documents around it', async () => {
    const id = seeded.anna.applicationId;
    const b = (await get(app, bob, `/applications/${id}?page=4`)).body;
    expect(b).toContain(`<img class="viewer-img" src="/applications/${id}/pages/4.png?w=800" width="800" alt="Page 4: Board certificate, page 1 of 1">`);
    expect(b).toContain(`<a href="/applications/${id}?page=3#viewer" data-view-page="3" data-rel="prev-doc">`);
    expect(b).toContain(`<a href="/applications/${id}?page=5#viewer" data-view-page="5" data-rel="next-doc">`);
    expect(b).toContain('<span class="viewer-off" data-rel="prev">');
    // A page past the end shows the last; nonsense shows the first.
    expect((await get(app, bob, `/applications/${id}?page=999`)).body).toContain(`src="/applications/${id}/pages/12.png?w=800"`);
    expect((await get(app, bob, `/applications/${id}?page=-1`)).body).toContain(`src="/applications/${id}/pages/1.png?w=800"`);
  });
});
