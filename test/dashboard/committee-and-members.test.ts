/**
 * The dashboard's committee pack download and the ESR member list upload:
 * who may use them, what they return, and what the event log keeps (counts,
 * never a member or an applicant). Synthetic data only.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { readMemberList } from '../../adapters/member-list-blob';
import { writeCommitteePack } from '../../services/common/committee-pack';
import { Fixture, get, GR, login, post, type Session } from './dashboard-fixtures';

function multipart(fields: Record<string, string>, file: { name: string; text: string }): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----esorTestBoundary7MA4YWxkTrZu0gW';
  const parts = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="members.csv"\r\nContent-Type: text/csv\r\n\r\n${file.text}\r\n`);
  return { payload: Buffer.from(`${parts.join('')}--${boundary}--\r\n`), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('committee pack and ESR member list in the dashboard', () => {
  let fx: Fixture;
  let app: FastifyInstance;
  let admin: Session;
  let staff: Session;

  beforeAll(async () => {
    fx = await Fixture.create();
    await fx.seed();
    app = await fx.app({
      committeePack: async (programme, selected, write) => {
        if (programme !== GR) return undefined;
        const pack = await writeCommitteePack({ store: fx.store, files: fx.files, programme: { id: GR, title: 'Hybrid Imaging in Oncology' }, sectionNames: {}, ...(selected ? { selected } : {}), now: fx.now }, write);
        return { applications: pack.plan.applicants.length };
      },
    });
    admin = await login(app, 'alice');
    staff = await login(app, 'bob');
  });

  afterAll(async () => {
    await app.close();
    await fx.cleanup();
  });

  it('gives staff the pack of a programme as a zip, and records the download without names', async () => {
    expect((await get(app, undefined, `/programmes/${GR}/committee-pack.zip`)).statusCode).toBe(401);
    expect((await get(app, staff, '/programmes/no-such-programme/committee-pack.zip')).statusCode).toBe(404);
    expect((await get(app, staff, '/programmes/..%2Fetc/committee-pack.zip')).statusCode).toBe(404);
    const res = await get(app, staff, `/programmes/${GR}/committee-pack.zip`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${GR}-committee-pack-2021-03-20.zip"`);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'esor-pack-route-'));
    try {
      writeFileSync(path.join(dir, 'p.zip'), res.rawPayload);
      const names = execFileSync('unzip', ['-Z1', path.join(dir, 'p.zip')]).toString().trim().split('\n');
      // The seed has one complete application of this programme (ten sections).
      expect(names).toEqual([`${GR}-committee-pack-2021-03-20/00-index.pdf`, `${GR}-committee-pack-2021-03-20/index.csv`, expect.stringMatching(/\/01-[a-z-]+\.pdf$/)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const event = (await fx.store.listEvents(GR, 5)).find((e) => e.action === 'committee_pack.downloaded');
    expect(event).toMatchObject({ actor: 'bob', detail: { applications: 1, selected: 0 } });
  });

  it('lets only admins see and replace the ESR member list', async () => {
    expect((await get(app, staff, '/rules/esr-members')).statusCode).toBe(403);
    const page = await get(app, admin, '/rules/esr-members');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('No list has been uploaded');

    const csv = 'Membership number;Name;E-mail;Paid years\n100234;Jane Doe;jane.doe@example.org;2020;2021\n100999;Old Member;old@example.org;2019\n;No Number;x@example.org;2021\n';
    const refused = multipart({ _csrf: staff.csrf }, { name: 'file', text: csv });
    expect((await app.inject({ method: 'POST', url: '/rules/esr-members', cookies: { esor_session: staff.cookie }, ...refused })).statusCode).toBe(403);
    const noCsrf = multipart({}, { name: 'file', text: csv });
    expect((await app.inject({ method: 'POST', url: '/rules/esr-members', cookies: { esor_session: admin.cookie }, ...noCsrf })).statusCode).toBe(403);

    const upload = multipart({ _csrf: admin.csrf }, { name: 'file', text: csv });
    const res = await app.inject({ method: 'POST', url: '/rules/esr-members', cookies: { esor_session: admin.cookie }, ...upload });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Member list uploaded: 2 members; 1 row was left out');
    expect(res.body).toContain('Line 4: no membership number');
    const list = await readMemberList(fx.files);
    expect(list).toMatchObject({ uploadedBy: 'alice', members: [{ number: '100234', paidYears: [2020, 2021] }, { number: '100999', paidYears: [2019] }] });
    expect((await get(app, admin, '/rules/esr-members')).body).toMatch(/data-members="2">2 members, uploaded 20 March 2021, 11:00 by alice/);

    // A file with no member never replaces the list in force.
    const empty = multipart({ _csrf: admin.csrf }, { name: 'file', text: 'nothing useful here\n' });
    const bad = await app.inject({ method: 'POST', url: '/rules/esr-members', cookies: { esor_session: admin.cookie }, ...empty });
    expect(bad.statusCode).toBe(422);
    expect((await readMemberList(fx.files))?.members).toHaveLength(2);

    const garbled = await app.inject({ method: 'POST', url: '/rules/esr-members', cookies: { esor_session: admin.cookie }, payload: Buffer.from('no parts at all'), headers: { 'content-type': 'multipart/form-data; boundary=xyz' } });
    expect(garbled.statusCode).toBe(400);

    const event = (await fx.store.listEvents('esr-members', 5)).find((e) => e.action === 'esr_members.uploaded');
    expect(event).toMatchObject({ actor: 'alice', detail: { members: 2, rowsLeftOut: 1 } });
    expect(JSON.stringify(await fx.store.listEvents(undefined, 500))).not.toMatch(/jane|100234|Old Member/i);
  });

  it('links the pack of each programme from the overview, and the member list for admins only', async () => {
    const forStaff = (await get(app, staff, '/')).body;
    expect(forStaff).toContain(`href="/programmes/${GR}/committee-pack.zip"`);
    expect(forStaff).not.toContain('href="/rules/esr-members"');
    expect((await get(app, admin, '/')).body).toContain('href="/rules/esr-members"');
  });

  it('offers the pack of exactly the applications a list filtered to one programme shows', async () => {
    const list = (await get(app, staff, `/applications?programme=${GR}`)).body;
    const m = /href="(\/programmes\/[^"]+\/committee-pack\.zip\?[^"]+)"[^>]*data-pack-selected="(\d+)"/.exec(list)!;
    expect(m).not.toBeNull();
    const ids = new URLSearchParams(m[1]!.replace(/&amp;/g, '&').split('?')[1]).getAll('application');
    expect(ids.length).toBe(Number(m[2]));
    expect(ids.length).toBeGreaterThan(1);
    expect((await get(app, staff, '/applications')).body).not.toContain('data-pack-selected');
    const res = await get(app, staff, m[1]!.replace(/&amp;/g, '&'));
    expect(res.statusCode).toBe(200);
    const event = (await fx.store.listEvents(GR, 10)).find((e) => e.action === 'committee_pack.downloaded' && (e.detail.selected as number) > 0);
    expect(event).toMatchObject({ actor: 'bob', detail: { selected: ids.length, applications: ids.length } });
  });

  it('gives each committee member a link of their own: it downloads the pack without an account, until it expires or is revoked', async () => {
    fx.rulesStatus = { ...fx.rulesStatus, programmes: fx.rulesStatus.programmes.map((p) => ({ ...p, committee: ['C. Balleyguier', 'F. Bidault', 'J. Lumbroso'] })) };
    expect((await get(app, staff, '/rules/committee')).statusCode).toBe(403);
    const page = await get(app, admin, '/rules/committee');
    expect(page.body).toContain('Make a link for F. Bidault');
    const made = await post(app, admin, '/rules/committee/link', { programme: GR, member: '1', days: '14' });
    expect(made.statusCode).toBe(200);
    expect(made.body).toContain('Link for F. Bidault');
    const url = /value="(http:\/\/[^"]+\/committee-pack\/[^"]+)"/.exec(made.body)![1]!;
    const path = new URL(url).pathname;

    const res = await app.inject({ method: 'GET', url: path });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.rawPayload.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
    const event = (await fx.store.listEvents(GR, 10)).find((e) => e.action === 'committee_pack.downloaded' && e.actor.startsWith('committee:'));
    expect(event).toMatchObject({ actor: `committee:${GR}:2` });

    // Tampered, for another member, or expired: nothing.
    const [payload, sig] = path.split('/').pop()!.split('.');
    const other = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), m: 0 })).toString('base64url');
    for (const bad of [`/committee-pack/${other}.${sig}`, `/committee-pack/${payload}.${'A'.repeat(43)}`, '/committee-pack/garbage', `${path}x`]) {
      expect({ bad, status: (await app.inject({ method: 'GET', url: bad })).statusCode }).toEqual({ bad, status: 404 });
    }
    const later = fx.now;
    fx.now = new Date(later.getTime() + 15 * 86_400_000);
    expect((await app.inject({ method: 'GET', url: path })).statusCode).toBe(404);
    fx.now = later;
    expect((await app.inject({ method: 'GET', url: path })).statusCode).toBe(200);

    // Revoked: every link stops at once.
    expect((await post(app, admin, '/rules/committee/revoke')).statusCode).toBe(303);
    expect((await app.inject({ method: 'GET', url: path })).statusCode).toBe(404);
    expect(JSON.stringify(await fx.store.listEvents(undefined, 500))).not.toMatch(/Bidault|Balleyguier/);
  });

  it('posts with a form the dashboard rendered keep working beside the upload parser', async () => {
    const res = await post(app, admin, '/logout');
    expect(res.statusCode).toBe(303);
  });
});
