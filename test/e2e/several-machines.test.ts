/**
 * End to end, issue 11's Done-when: the roles on four "machines" that share only PostgreSQL and
 * Redis. The poller, two workers and the dashboard run as four `esor-intake` processes, each with a
 * data folder of its own; a burst of applications arrives; one worker is killed with SIGKILL while it
 * holds jobs (the stage hooks) and others are in flight. Then every mail has one verdict and one
 * reply, and the dashboard process, signed in as a user made by `esor-intake users add` against the
 * same database, lists every application and serves its PDF and a section PDF.
 *
 * The test process itself only observes (a service with no role, on the same database) and
 * delivers mail. Every wait is liveness on a busy machine, not speed.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPostgres, type PostgresServer } from '../../dev/local/postgres-server';
import { mailKey } from '../../services/poller';
import { checkNothingLostNothingTwice, startFaultHarness, waitFor, waitUntilFiled, type FaultHarness } from './fault-harness';
import { applicationMail, applicationPdf, uniqueTag, type TestMail } from './mails';

let pg: PostgresServer;
let h: FaultHarness;
const machines: Record<'poller' | 'workerA' | 'workerB' | 'dashboard', string> = { poller: '', workerA: '', workerB: '', dashboard: '' };

beforeAll(async () => {
  pg = await startPostgres();
  h = await startFaultHarness({ roles: [], databaseUrl: await pg.createDatabase() });
  for (const name of Object.keys(machines) as Array<keyof typeof machines>) machines[name] = mkdtempSync(path.join(os.tmpdir(), `esor-machine-${name}-`));
}, 120_000);
afterAll(async () => {
  await h?.stop();
  await pg?.stop({ removeDir: true });
  for (const dir of Object.values(machines)) if (dir) rmSync(dir, { recursive: true, force: true });
}, 90_000);

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

/** The cookie `name` set by a response, if any. */
function cookieOf(res: Response, name: string): string | undefined {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const eq = pair!.indexOf('=');
    if (pair!.slice(0, eq).trim() === name) return pair!.slice(eq + 1);
  }
  return undefined;
}

/** Signs in through the login form as a browser would (its CSRF cookie and field); returns the session cookie. */
async function signIn(base: string, username: string, password: string): Promise<string> {
  const form = await fetch(`${base}/login`);
  expect(form.status).toBe(200);
  const loginCookie = cookieOf(form, 'esor_login_csrf');
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  expect(loginCookie && token).toBeTruthy();
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `esor_login_csrf=${loginCookie}` },
    body: new URLSearchParams({ _csrf: token!, username, password }).toString(),
  });
  expect(res.status).toBe(303);
  const session = cookieOf(res, 'esor_session');
  expect(session).toBeTruthy();
  return session!;
}

it('poller, two workers and dashboard as four processes with four data folders: a worker killed mid-burst loses nothing, sends nothing twice, and the dashboard shows it all', async () => {
  const tag = uniqueTag();
  // Held by the hooks in the first worker: after the verdict is saved (before the section files), and
  // with the reply reserved but not yet sent; and one mail whose analysis is held before it queues triage.
  const held: TestMail[] = [];
  for (const at of ['analyse:mid', 'triage:mid', 'reply:mid']) held.push(await applicationMail(`machines-${tag}-held-${at.replace(':', '-')}`, { 'X-E2E-Hang': at }));
  const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => applicationMail(`machines-${tag}-burst-${i}`)));
  const mails = [...held, ...burst];

  await h.startPoller({ dataDir: machines.poller });
  const dashboard = await h.startDashboard({ dataDir: machines.dashboard });
  // Worker A alone first, so that it is the one that takes (and holds) the marked mails.
  const workerA = await h.startWorker({ dataDir: machines.workerA, hooks: true, concurrency: 4 });
  for (const m of held) await h.deliver(m);
  await Promise.all(['analyse', 'triage', 'reply'].map((s) => workerA.waitForLine(new RegExp(`^E2E-HANG ${s}:mid `), 180_000)));

  // Worker B joins, the burst arrives, and worker A dies while both share it.
  await h.startWorker({ dataDir: machines.workerB, concurrency: 4 });
  for (const m of burst) await h.deliver(m);
  await waitFor(
    'part of the burst recorded by the poller',
    async () => {
      let recorded = 0;
      for (const m of burst) if (await h.service.store.getMessage(mailKey(m.raw))) recorded++;
      return recorded >= 4;
    },
    120_000,
  );
  await workerA.kill9();

  await waitUntilFiled(h, mails, 300_000);
  await checkNothingLostNothingTwice(h, mails, () => ({ status: 'complete', replies: 1 }));

  // Nothing went through a shared disk: no mail or PDF in any process's data folder.
  for (const [name, dir] of Object.entries(machines)) {
    expect({ name, files: filesUnder(dir).filter((f) => /\.(eml|pdf|json)$/.test(f)) }).toEqual({ name, files: [] });
  }

  // A staff account made from the dashboard's machine by the command line, against the same database.
  const password = `e2e-${tag}-correct-horse`;
  const add = await h.runCommand(['users', 'add', 'e2e-staff', '--role', 'staff', '--password-stdin'], { dataDir: machines.dashboard, stdin: `${password}\n` });
  expect(add).toMatchObject({ code: 0 });
  const session = await signIn(dashboard.url, 'e2e-staff', password);
  const get = (url: string) => fetch(`${dashboard.url}${url}`, { headers: { cookie: `esor_session=${session}` } });

  const list = await get('/applications');
  expect(list.status).toBe(200);
  const listed = new Set([...(await list.text()).matchAll(/href="\/applications\/([A-Za-z0-9_-]+)"/g)].map((m) => m[1]!));
  const pdf = await applicationPdf();
  for (const mail of mails) {
    const revision = (await h.service.store.getRevisionByMessage(mailKey(mail.raw)))!;
    const id = revision.applicationId;
    expect({ mail: mail.from, listed: listed.has(id) }).toEqual({ mail: mail.from, listed: true });
    const whole = await get(`/applications/${id}/pdf`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('application/pdf');
    // The very PDF the applicant sent, read by the dashboard's process from PostgreSQL.
    expect(Buffer.from(await whole.arrayBuffer()).equals(pdf)).toBe(true);
    const sections = await h.service.store.listSectionFiles(id, revision.revision);
    expect(sections.map((s) => s.section)).toEqual(expect.arrayContaining(['motivation', 'cv', 'passport']));
    const first = sections.find((s) => s.section === 'cv')!;
    const section = await get(`/applications/${id}/sections/${first.section}-p${first.pages[0]}.pdf`);
    expect(section.status).toBe(200);
    expect(Buffer.from(await section.arrayBuffer()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  }
}, 600_000);
