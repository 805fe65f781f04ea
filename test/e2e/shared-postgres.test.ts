/**
 * End to end, issue 11: the roles on three "machines" that share only PostgreSQL and Redis, each
 * with a data folder of its own. The poller (data folder A) stores the mail; a worker (B) reads it,
 * analyses and answers; the dashboard's dependencies (C) serve the PDF, a section and a page image.
 * No role finds a file in another's folder: every file goes by reference through PostgreSQL.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startLocalStack, type LocalStack } from '../../dev/local/local-stack';
import { startPostgres, type PostgresServer } from '../../dev/local/postgres-server';
import { openBlobStore } from '../../services/common/open-files';
import type { Config } from '../../services/common/config';
import { dashboardDeps } from '../../services/dashboard-deps';
import { loadRevisionDocuments } from '../../services/dashboard/documents';
import { mailKey } from '../../services/poller';
import { runService, type RunningService } from '../../services/service';
import { configFor, demoMail, OFFICE, waitFor } from './harness';

let stack: LocalStack;
let pg: PostgresServer;
const dirs: string[] = [];
const services: RunningService[] = [];

function machine(base: Config, dir: string): Config {
  return { ...base, dataDir: dir };
}

beforeAll(async () => {
  [stack, pg] = await Promise.all([startLocalStack({ office: OFFICE }), startPostgres()]);
}, 90_000);
afterAll(async () => {
  for (const s of services.reverse()) await s.stop().catch(() => undefined);
  await stack?.stop({ removeDir: true });
  await pg?.stop({ removeDir: true });
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}, 60_000);

it('a mail polled on one machine is analysed on another and shown from a third, files only in PostgreSQL', async () => {
  for (let i = 0; i < 3; i++) dirs.push(mkdtempSync(path.join(os.tmpdir(), `esor-machine-${'abc'[i]}-`)));
  const databaseUrl = await pg.createDatabase();
  const base = configFor(stack, dirs[0]!, { databaseUrl });
  const [a, b, c] = dirs.map((d) => machine(base, d)) as [Config, Config, Config];
  const logger = pino({ level: 'silent' });
  services.push(await runService(a, ['poller'], logger, { http: false }));
  const worker = await runService(b, ['worker'], logger, { http: false });
  services.push(worker);

  const raw = demoMail('01-complete.eml');
  await stack.dovecot.deliver(OFFICE.user, raw);
  const id = mailKey(raw);
  const verdict = await waitFor('the verdict', () => worker.store.getRevisionByMessage(id), 60_000);
  expect(verdict.result.status).toBe('complete');
  const message = (await worker.store.getMessage(id))!;
  expect(message.rawPath).toMatch(/^blob:raw\/[0-9a-f]{64}\.eml$/);

  // Machine C: the dashboard's view of it, through its own data folder (thumbnails only).
  const files = await openBlobStore(c);
  try {
    const deps = dashboardDeps({ config: c, store: worker.store, files, rules: worker.rules, queues: worker.queues, logger, now: () => new Date() });
    const view = (await worker.store.getApplication(verdict.applicationId))!;
    const docs = await loadRevisionDocuments(files, view.latest);
    expect(docs.pdfs.length).toBeGreaterThan(0);
    const pdf = await files.readFile(docs.pdfs[0]!.path);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const sections = await worker.store.listSectionFiles(verdict.applicationId, view.latest.revision);
    expect(sections.length).toBeGreaterThan(0);
    expect((await files.readFile(sections[0]!.path)).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const png = await deps.renderPage(docs.pdfs[0]!.path, docs.pdfs[0]!.sha256, 1, 120);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  } finally {
    await files.close();
  }

  // Nothing of the mail on any machine's disk: the file store's folder was never made.
  for (const d of dirs) expect({ d, files: existsSync(path.join(d, 'files')) ? readdirSync(path.join(d, 'files')) : [] }).toEqual({ d, files: [] });
}, 120_000);
