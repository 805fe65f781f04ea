/**
 * Issue 12, point 5: two applications of one person (two addresses) merged
 * from the application page, recorded in the event log on both sides, shown
 * on both pages and in the list, and undone. CSRF as every form.
 */
import type { FastifyInstance } from 'fastify';
import { MERGE_EVENTS, mergedWith } from '../../core/merge-links';
import { Fixture, get, GR, login, PEOPLE, post, type Seeded, type Session } from './dashboard-fixtures';

let f: Fixture;
let seeded: Seeded;
let app: FastifyInstance;
let bob: Session;
let second: string;

beforeEach(async () => {
  f = await Fixture.create();
  seeded = await f.seed();
  // The same person writes again from a second address: a second application.
  second = (
    await f.addMessage({
      seed: 'maria-other-address',
      uid: 9,
      person: { name: PEOPLE.maria.name, email: 'm.vantongeren@hospital.example.org' },
      status: 'incomplete',
      programme: GR,
      sections: ['cv'],
      receivedAt: '2021-03-17T08:00:00.000Z',
      pages: 2,
      subject: 'Missing letter',
      body: 'Here is the letter.',
    })
  ).applicationId;
  app = await f.app();
  bob = await login(app, 'bob');
});
afterEach(async () => {
  await app.close();
  await f.cleanup();
});

const where = (res: { headers: Record<string, unknown> }) => String(res.headers.location);

describe('merging two applications of one person', () => {
  it('offers the application under the same name, merges both ways, shows it on both pages and in the list, and undoes it', async () => {
    const first = seeded.maria.applicationId;
    expect(second).not.toBe(first);
    const page = await get(app, bob, `/applications/${first}`);
    expect(page.body).toContain('Same person');
    expect(page.body).toContain(`name="other" value="${second}"`);
    expect(page.body).toContain('m.vantongeren@hospital.example.org');

    const merged = await post(app, bob, `/applications/${first}/merge`, { other: second });
    expect(where(merged)).toContain('done=merged');
    // A second press changes nothing.
    await post(app, bob, `/applications/${first}/merge`, { other: `https://dashboard.example/applications/${second}` });
    const events = [...(await f.store.listEvents(first, 100)), ...(await f.store.listEvents(second, 100))].filter((e) => e.action === MERGE_EVENTS.merged);
    expect(events.map((e) => [e.actor, e.subject, e.detail])).toEqual(
      expect.arrayContaining([
        ['bob', first, { with: second }],
        ['bob', second, { with: first }],
      ]),
    );
    expect(events).toHaveLength(2);
    for (const [id, other] of [
      [first, second],
      [second, first],
    ] as const) {
      const p = await get(app, bob, `/applications/${id}`);
      expect(p.body).toMatch(new RegExp(`Merged with <a href="/applications/${other}">`));
      expect(p.body).toContain('Merged with another application of this person');
    }
    const list = await get(app, bob, '/applications');
    expect(list.body.match(/Merged with 1 other/g)).toHaveLength(2);

    const undone = await post(app, bob, `/applications/${second}/unmerge`, { other: first });
    expect(where(undone)).toContain('done=unmerged');
    expect(mergedWith(first, await f.store.listEvents(first, 100))).toEqual([]);
    expect(mergedWith(second, await f.store.listEvents(second, 100))).toEqual([]);
    expect((await get(app, bob, `/applications/${first}`)).body).toContain('Not merged with another application.');
    expect((await get(app, bob, '/applications')).body).not.toContain('Merged with 1 other');
  });

  it('refuses an unknown or the same application, and a post without the CSRF token', async () => {
    const first = seeded.maria.applicationId;
    expect(where(await post(app, bob, `/applications/${first}/merge`, { other: first }))).toContain('error=merge-unknown');
    expect(where(await post(app, bob, `/applications/${first}/merge`, { other: 'no-such-application' }))).toContain('error=merge-unknown');
    expect((await post(app, bob, `/applications/${first}/merge`, { other: second }, 'not-the-token')).statusCode).toBe(403);
    expect(mergedWith(first, await f.store.listEvents(first, 100))).toEqual([]);
  });
});

describe('mergedWith', () => {
  it('replays merges and undos in event order', () => {
    const e = (id: number, action: string, other: string) => ({ id, action, subject: 'a', detail: { with: other } });
    expect(mergedWith('a', [e(3, MERGE_EVENTS.merged, 'b'), e(1, MERGE_EVENTS.merged, 'c'), e(2, MERGE_EVENTS.unmerged, 'c'), e(4, MERGE_EVENTS.unmerged, 'x')])).toEqual(['b']);
    expect(mergedWith('a', [e(1, MERGE_EVENTS.merged, 'b'), e(2, MERGE_EVENTS.unmerged, 'b'), e(5, MERGE_EVENTS.merged, 'b')])).toEqual(['b']);
    expect(mergedWith('z', [e(1, MERGE_EVENTS.merged, 'b')])).toEqual([]);
  });
});
