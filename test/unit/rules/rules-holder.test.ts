/**
 * The rules holder on a real temporary rules folder, edited on disk as an
 * admin (or an editor) would: changes are picked up and recorded, invalid
 * edits are refused with file:line and the previous rules stay in force.
 */
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { openSqliteStore } from '../../../adapters/store/sqlite-store';
import type { Store } from '../../../core/ports/store';
import { openRulesHolder, type RulesHolder } from '../../../services/common/rules-holder';

const RULES = path.resolve(__dirname, '../../../rules');
const GR = 'gustave-roussy-hybrid-imaging-2022';

function captureLogger(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function frenchMin(holder: RulesHolder): string | undefined {
  const p = holder.current().rules.programmes.find((x) => x.id === GR)!;
  const r = p.rules.find((x) => x.kind === 'language_level' && x.language === 'fr');
  return r && r.kind === 'language_level' ? r.min : undefined;
}

describe('openRulesHolder', () => {
  let dir: string;
  let rulesDir: string;
  let programmeFile: string;
  let store: Store;
  let holder: RulesHolder | undefined;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'esor-holder-'));
    rulesDir = path.join(dir, 'rules');
    cpSync(RULES, rulesDir, { recursive: true });
    programmeFile = path.join(rulesDir, 'programmes', `${GR}.yaml`);
    store = openSqliteStore(path.join(dir, 'store.sqlite'));
  });
  afterEach(async () => {
    holder?.close();
    holder = undefined;
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies a valid edit, records it, refuses an invalid one with file:line keeping the old rules, then takes the fix', async () => {
    const { logger, lines } = captureLogger();
    holder = await openRulesHolder(rulesDir, { logger, store, now: () => new Date('2021-03-01T10:00:00Z'), pollMs: 500 });
    const first = holder.hash();
    expect(first).toMatch(/^[0-9a-f]{16}$/);
    expect(frenchMin(holder)).toBe('B2');
    expect(holder.lastError()).toBeUndefined();
    expect(holder.files().every((f) => f.ok && /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
    const loaded = (await store.listEvents('rules')).find((e) => e.action === 'rules.loaded')!;
    expect(loaded).toMatchObject({ actor: 'filesystem', detail: { hash: first } });
    expect((loaded.detail.files as unknown[]).length).toBe(holder.files().length);

    // 1. A valid edit: French raised to C1.
    const original = readFileSync(programmeFile, 'utf8');
    writeFileSync(programmeFile, original.replace(/language: fr\n(\s+)language_name: French\n(\s+)min: B2/, 'language: fr\n$1language_name: French\n$2min: C1'));
    await waitFor('the valid edit', () => holder!.hash() !== first);
    const second = holder.hash();
    expect(frenchMin(holder)).toBe('C1');
    await waitFor('the event', () => lines.some((l) => l.msg === 'rules changed'));
    const changed = (await store.listEvents('rules')).filter((e) => e.action === 'rules.changed');
    expect(changed).toHaveLength(1);
    expect(changed[0]!.actor).toBe('filesystem');
    expect(changed[0]!.detail).toMatchObject({ hash: second, previousHash: first });
    const files = changed[0]!.detail.files as Array<{ file: string; sha256: string }>;
    expect(files).toHaveLength(1);
    expect(files[0]!.file).toMatch(new RegExp(`programmes/${GR}\\.yaml$`));
    expect(files[0]!.sha256).toBe(holder.files().find((f) => f.file === files[0]!.file)!.sha256);

    // 2. An invalid edit: an unknown CEFR level. Refused, C1 stays in force.
    const valid = readFileSync(programmeFile, 'utf8');
    const badLine = valid.split('\n').findIndex((l) => l.includes('min: C1')) + 1;
    writeFileSync(programmeFile, valid.replace('min: C1', 'min: Z9'));
    await waitFor('the refusal', () => holder!.lastError() !== undefined);
    const error = holder.lastError()!;
    expect(error).toMatch(new RegExp(`programmes/${GR}\\.yaml:${badLine}: rules\\[\\d+\\]\\.min: `));
    expect(holder.hash()).toBe(second);
    expect(frenchMin(holder)).toBe('C1');
    const bad = holder.files().find((f) => f.file.endsWith(`${GR}.yaml`))!;
    expect(bad).toMatchObject({ ok: false });
    expect(bad.error).toContain(`:${badLine}:`);
    expect(holder.files().filter((f) => !f.ok)).toHaveLength(1);
    const refusal = lines.find((l) => l.msg === 'rule files refused; the previous rules stay in force')!;
    expect(refusal).toMatchObject({ level: 50, hash: second });
    expect(JSON.stringify(refusal.problems)).toContain(`:${badLine}:`);
    expect((await store.listEvents('rules')).filter((e) => e.action === 'rules.changed')).toHaveLength(1);
    expect(await holder.reload()).toEqual({ ok: false, error, hash: second });

    // 3. The fix, saved as editors do (write elsewhere, rename over): back to B2, recorded.
    const tmp = path.join(rulesDir, 'programmes', '.edit.tmp');
    writeFileSync(tmp, original);
    renameSync(tmp, programmeFile);
    await waitFor('the fix', () => holder!.lastError() === undefined && holder!.hash() !== second);
    expect(frenchMin(holder)).toBe('B2');
    // The same files as at the start: the same hash as at the start.
    expect(holder.hash()).toBe(first);
    await waitFor('the second event', () => lines.filter((l) => l.msg === 'rules changed').length === 2);
    const events = (await store.listEvents('rules')).filter((e) => e.action === 'rules.changed');
    expect(events.map((e) => e.detail.previousHash)).toEqual(expect.arrayContaining([first, second]));
    expect(holder.files().every((f) => f.ok)).toBe(true);
    // Nothing personal and no rule text in the log lines: only hashes, files, problems.
    expect(JSON.stringify(lines)).not.toMatch(/@/);
  });

  it('reload() by a named actor; an unchanged folder records nothing; a new programme file is picked up', async () => {
    const { logger } = captureLogger();
    holder = await openRulesHolder(rulesDir, { logger, store, now: () => new Date('2021-03-01T10:00:00Z'), watch: false, pollMs: 0 });
    expect(await holder.reload()).toEqual({ ok: true, hash: holder.hash() });
    const before = holder.hash();
    const second = readFileSync(programmeFile, 'utf8').replace(`id: ${GR}`, 'id: second-programme-2022').replace('Hybrid Imaging in Oncology', 'Something Else');
    writeFileSync(path.join(rulesDir, 'programmes', 'second.yaml'), second);
    const outcome = await holder.reload({ actor: 'admin:alice' });
    expect(outcome.ok).toBe(true);
    expect(outcome.hash).not.toBe(before);
    expect(holder.current().rules.programmes.map((p) => p.id)).toContain('second-programme-2022');
    const events = (await store.listEvents('rules')).filter((e) => e.action === 'rules.changed');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: 'admin:alice', detail: { previousHash: before, hash: outcome.hash } });
    expect((events[0]!.detail.files as Array<{ file: string }>).map((f) => path.basename(f.file))).toEqual(['second.yaml']);
  });

  it('notices an edit by the mtime poll alone (fs.watch can miss renames)', async () => {
    const { logger } = captureLogger();
    holder = await openRulesHolder(rulesDir, { logger, store, now: () => new Date(), watch: false, pollMs: 100, debounceMs: 20 });
    const first = holder.hash();
    const tmp = path.join(dir, 'elsewhere.yaml');
    writeFileSync(tmp, readFileSync(programmeFile, 'utf8').replace('places: 1', 'places: 2'));
    renameSync(tmp, programmeFile);
    await waitFor('the poll', () => holder!.hash() !== first);
    expect(holder.current().rules.programmes.find((p) => p.id === GR)!.places).toBe(2);
  });

  it('refuses to start on an invalid folder (nothing to keep in force)', async () => {
    writeFileSync(path.join(rulesDir, 'common.yaml'), 'kind: common\nsections: 3\n');
    const { logger } = captureLogger();
    await expect(openRulesHolder(rulesDir, { logger, now: () => new Date() })).rejects.toMatchObject({ code: 'RULES_INVALID' });
  });
});
