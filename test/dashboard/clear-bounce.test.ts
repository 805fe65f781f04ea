/** Staff clear a bounce mark from the application page (issue 9: marks expire, and staff can clear one). */
import type { FastifyInstance } from 'fastify';
import { csrfOf, Fixture, get, login, post, type Seeded, type Session } from './dashboard-fixtures';

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

describe('clearing a bounce mark', () => {
  it('clears the mark of the applicant address, logs who did, and says so; without a mark it says there is none', async () => {
    const id = seeded.anna.applicationId;
    const email = (await f.store.getApplication(id))!.applicantEmail!;
    await f.store.markAddressBounced(email, '2021-03-19T10:00:00Z');
    const page = await get(app, bob, `/applications/${id}`);
    expect(page.body).toContain(`action="/applications/${id}/bounce/clear"`);
    const res = await post(app, { ...bob, csrf: csrfOf(page.body) }, `/applications/${id}/bounce/clear`);
    expect(res.statusCode).toBe(303);
    expect(String(res.headers.location)).toContain('done=bounce-cleared');
    expect(await f.store.isAddressBounced(email)).toBe(false);
    expect((await f.store.listEvents('bounces'))[0]).toMatchObject({ actor: 'bob', action: 'bounce.cleared' });
    const again = await post(app, bob, `/applications/${id}/bounce/clear`);
    expect(String(again.headers.location)).toContain('error=no-bounce');
  });

  it('refuses a request without the CSRF token', async () => {
    const id = seeded.anna.applicationId;
    const email = (await f.store.getApplication(id))!.applicantEmail!;
    await f.store.markAddressBounced(email, '2021-03-19T10:00:00Z');
    const res = await post(app, bob, `/applications/${id}/bounce/clear`, {}, null);
    expect(res.statusCode).toBe(403);
    expect(await f.store.isAddressBounced(email)).toBe(true);
  });
});
