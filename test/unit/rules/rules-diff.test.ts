/**
 * The dry run of edited rules on a real SQLite store and a real file store,
 * seeded by running the real ingest, analyse and triage stages on the demo
 * applications; the candidate rules are an edited copy of rules/.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import type { BlobStore } from '../../../core/ports/blob-store';
import { createFileStore } from '../../../adapters/file-store';
import { loadRules } from '../../../adapters/rules-loader';
import { openSqliteStore } from '../../../adapters/store/sqlite-store';
import type { Store } from '../../../core/ports/store';
import { compileTriageRules, type TriageRules } from '../../../core/triage/triage-application';
import { diffRules, runRulesDiffCommand, RULES_DIFF_HELP } from '../../../services/rules-diff';
import { mailKey } from '../../../services/poller';
import { analyse } from '../../../workers/analyse';
import { decideStored } from '../../../core/stored/decide-stored';
import { ingest } from '../../../workers/ingest';
import type { StageContext } from '../../../workers/stage-context';
import type { StoredAnalysis } from '../../../core/stored/stored-analysis';
import type { StoredMail } from '../../../core/stored/stored-mail';
import { triage } from '../../../workers/triage';

const ROOT = path.resolve(__dirname, '../../..');
const DEMO = path.join(ROOT, 'demo', 'applications');
/** Flag keys name the section of section flags. */
const LOW_FRENCH = 'language_below_required:language_certificates';
const GR_FILE = path.join('programmes', 'gustave-roussy-hybrid-imaging-2022.yaml');

function compile(dir: string): TriageRules {
  return compileTriageRules(loadRules(dir));
}

/** A copy of rules/ with `edit` applied to one file's text. */
function editedRules(base: string, file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'esor-candidate-'));
  cpSync(base, dir, { recursive: true });
  const full = path.join(dir, file);
  const before = readFileSync(full, 'utf8');
  const after = edit(before);
  expect(after).not.toBe(before);
  writeFileSync(full, after);
  return dir;
}

function collect(): { stream: PassThrough & { isTTY?: boolean }; text: () => string } {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean };
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('rules diff', () => {
  let dir: string;
  let dataDir: string;
  let store: Store;
  let files: BlobStore;
  let rules: TriageRules;
  const messageIds: string[] = [];
  const tempDirs: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'esor-diff-'));
    dataDir = path.join(dir, 'data');
    store = openSqliteStore(path.join(dataDir, 'esor-intake.sqlite'));
    files = createFileStore(path.join(dataDir, 'files'));
    rules = compile(path.join(ROOT, 'rules'));
    let clock = Date.parse('2021-04-20T08:00:00Z');
    const ctx: StageContext = {
      store,
      files,
      rules: () => rules,
      rulesHash: () => 'seed-rules-hash0',
      enqueue: async () => undefined,
      sendMail: () => Promise.reject(new Error('no mail in this test')),
      saveSentCopy: async () => undefined,
      replyFrom: { email: 'office@esor.example' },
      replyRate: undefined as never,
      // Historical demo mail recorded with a made-up arrival time: judged by its Date header, as a replay is.
      receivedTime: 'header',
      logger: pino({ level: 'silent' }),
      now: () => new Date((clock += 60_000)),
    };
    const mails = readdirSync(DEMO).filter((n) => n.endsWith('.eml')).sort();
    for (const [i, name] of mails.entries()) {
      const raw = readFileSync(path.join(DEMO, name));
      const id = mailKey(raw);
      const { path: rawPath } = await files.putBlob('raw', raw, '.eml');
      await store.recordMessage({ id, account: 'test', mailbox: 'INBOX', uidValidity: '1', uid: i + 1, size: raw.length, receivedAt: '2021-03-01T00:00:00.000Z', rawPath });
      for (const stage of [ingest, analyse, triage]) await stage.run({ messageId: id }, ctx);
      messageIds.push(id);
    }
  }, 120_000);

  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  });

  it('decideStored reproduces what the triage stage stored, with or without re-analysing the pages', async () => {
    for (const id of messageIds) {
      const rev = (await store.getRevisionByMessage(id))!;
      const mail = await files.readJson<StoredMail>('mail', id);
      const stored = await files.readJson<StoredAnalysis>('analysis', id);
      const earlier = mail.from ? (await store.listApplicationsOf(mail.from.email)).filter((a) => a.id !== rev.applicationId) : [];
      const history = mail.from ? { earlier } : undefined;
      expect(decideStored(mail, stored, rules, history).status).toBe(rev.result.status);
      expect(decideStored(mail, stored, rules, history, { analysis: 'fresh' })).toEqual(rev.result);
    }
  });

  it('the same rules on both sides change nothing', async () => {
    const progress: Array<[number, number]> = [];
    const diff = await diffRules({ store, files, currentRules: rules, candidateRules: compile(path.join(ROOT, 'rules')), onProgress: (d, t) => progress.push([d, t]) });
    expect(diff.totals.applications).toBe(messageIds.length);
    expect(diff.totals.changed).toBe(0);
    expect(diff.applications.every((a) => !a.changed)).toBe(true);
    expect(diff.totals.statusBefore).toEqual(diff.totals.statusAfter);
    expect(progress[0]).toEqual([0, messageIds.length]);
    expect(progress[progress.length - 1]).toEqual([messageIds.length, messageIds.length]);
    // Against the stored verdicts, the rules that decided them agree with them.
    const stored = await diffRules({ store, files, currentRules: 'stored', candidateRules: rules });
    expect(stored.totals.changed).toBe(0);
  });

  it('French raised to C1: applications certified at B2 become ineligible, and their reply is held', async () => {
    const candidateDir = editedRules(path.join(ROOT, 'rules'), GR_FILE, (t) =>
      t.replace(/(language: fr\n\s+language_name: French\n\s+min:) B2/, '$1 C1'),
    );
    tempDirs.push(candidateDir);
    const diff = await diffRules({ store, files, currentRules: rules, candidateRules: compile(candidateDir) });
    const changed = diff.applications.filter((a) => a.changed);
    expect(changed.length).toBeGreaterThan(0);
    for (const a of changed) {
      expect(a.after.flags).toContain(LOW_FRENCH);
      expect(a.before.flags).not.toContain(LOW_FRENCH);
      expect(a.after.status).toBe('ineligible');
    }
    expect(diff.totals.flagsAdded).toEqual({ [LOW_FRENCH]: changed.length });
    expect(diff.totals.flagsRemoved).toEqual({});
    expect(diff.totals.statusAfter.ineligible - diff.totals.statusBefore.ineligible).toBe(
      changed.filter((a) => a.before.status !== 'ineligible').length,
    );
    const complete = changed.find((a) => a.before.status === 'complete');
    expect(complete).toBeDefined();
    expect(complete!.replyChanged).toBe(true);
    expect(complete!.before.reply).toMatchObject({ action: 'send', template: 'acknowledgement' });
    expect(complete!.after.reply).toMatchObject({ action: 'hold', template: 'ineligible' });
    expect(diff.totals.repliesChanged).toBeGreaterThan(0);
  });

  it('a flag severity changed in common.yaml (late submission only for review) shows in statuses and replies', async () => {
    const candidateDir = editedRules(path.join(ROOT, 'rules'), 'common.yaml', (t) =>
      t.replace(/(late_submission:\n\s+severity:) ineligible/, '$1 review'),
    );
    tempDirs.push(candidateDir);
    const diff = await diffRules({ store, files, currentRules: rules, candidateRules: compile(candidateDir) });
    const late = diff.applications.filter((a) => a.before.flags.includes('late_submission'));
    expect(late.length).toBeGreaterThan(0);
    for (const a of late) {
      expect(a.before.status).toBe('ineligible');
      expect(a.after.status).not.toBe('ineligible');
      // Same flags, another severity: the status and the reply change.
      expect(a.after.flags).toEqual(a.before.flags);
      expect(a.changed).toBe(true);
    }
    expect(diff.totals.statusAfter.ineligible).toBe(diff.totals.statusBefore.ineligible - late.length);
  });

  it('the command prints a summary and the changed applications without personal data, --json the full diff', async () => {
    const candidateDir = editedRules(path.join(ROOT, 'rules'), GR_FILE, (t) => t.replace(/(language: fr\n\s+language_name: French\n\s+min:) B2/, '$1 C1'));
    tempDirs.push(candidateDir);
    const env = { ESOR_DATA_DIR: dataDir, ESOR_RULES_DIR: path.join(ROOT, 'rules') };
    const out = collect();
    const err = collect();
    err.stream.isTTY = true;
    expect(await runRulesDiffCommand([candidateDir], { stdout: out.stream, stderr: err.stream }, { env, cwd: dir })).toBe(0);
    const text = out.text();
    expect(text).toMatch(/complete\s+\d+\s+\d+/);
    expect(text).toContain(`flags added:      ${LOW_FRENCH} ×`);
    expect(text).toMatch(/changed applications:\n {2}\S+ {2}gustave-roussy-hybrid-imaging-2022 {2}complete → ineligible/);
    expect(text).not.toMatch(/@|Lombardi|Greco|Weber|Russo|Fletcher/);
    expect(err.text()).toMatch(new RegExp(`\\r\\[#{30}\\] ${messageIds.length}/${messageIds.length}\\n$`));

    const plain = collect();
    const json = collect();
    expect(await runRulesDiffCommand([candidateDir, '--json'], { stdout: json.stream, stderr: plain.stream }, { env, cwd: dir })).toBe(0);
    const doc = JSON.parse(json.text()) as { applications: Array<{ changed: boolean }>; totals: { applications: number }; after: { hash: string } };
    expect(doc.totals.applications).toBe(messageIds.length);
    expect(doc.after.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(plain.text()).toMatch(/^rules diff: 0\/\d+ applications\n/);
    expect(plain.text()).not.toContain('\r');

    // Invalid candidate rules: the problems, exit 1.
    const broken = editedRules(path.join(ROOT, 'rules'), GR_FILE, (t) => t.replace('min: B2', 'min: Z9'));
    tempDirs.push(broken);
    const e = collect();
    expect(await runRulesDiffCommand([broken], { stdout: collect().stream, stderr: e.stream }, { env, cwd: dir })).toBe(1);
    expect(e.text()).toMatch(/gustave-roussy-hybrid-imaging-2022\.yaml:\d+: rules\[\d+\]\.min: /);

    const help = collect();
    expect(await runRulesDiffCommand(['--help'], { stdout: help.stream, stderr: collect().stream }, { env, cwd: dir })).toBe(0);
    expect(help.text()).toBe(`${RULES_DIFF_HELP}\n`);
  });
});
