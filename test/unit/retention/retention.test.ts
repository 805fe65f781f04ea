/**
 * Retention and erasure (GDPR): the plan of what is due, the file eraser's
 * refusal of anything that is not the store's, and the two commands on a real
 * SQLite store and file store: documents first, then the whole application;
 * an applicant erased on request; dry runs that delete nothing; events that
 * carry ids and counts, never the erased data. Synthetic applicants only.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { relativeFileOfRef } from '../../../adapters/file-eraser';
import { planRetention, type RetentionSetting } from '../../../core/retention/plan-retention';
import { runEraseCommand } from '../../../services/commands/erase-command';
import { MESSAGE_EVENTS, STAFF_MESSAGE_KIND } from '../../../core/reply/staff-message';
import { runRetentionCommand } from '../../../services/commands/retention-command';
import { retentionDay } from '../../../services/common/erasure-runs';
import { GR, PackFixture } from '../pack/pack-fixtures';

const ROOT = path.join(__dirname, '../../..');

describe('planRetention', () => {
  const settings: RetentionSetting[] = [{ programme: 'p', selectionDate: '2021-06-30', documentsDaysAfterSelection: 90, daysAfterSelection: 365 }];
  const cands = [
    { applicationId: 'a', programme: 'p', documentsErased: false },
    { applicationId: 'b', programme: 'p', documentsErased: true },
    { applicationId: 'c', programme: 'other', documentsErased: false },
    { applicationId: 'd', programme: null, documentsErased: false },
  ];

  it('keeps everything before the first period ends', () => {
    expect(planRetention(settings, cands, '2021-09-27').items).toEqual([]);
  });

  it('takes the documents once their period ended, once', () => {
    const plan = planRetention(settings, cands, '2021-09-28');
    expect(plan.items).toEqual([{ applicationId: 'a', programme: 'p', step: 'documents', dueSince: '2021-09-28' }]);
    expect(plan.unregulated).toBe(2);
  });

  it('takes the whole application once the second period ended, whether or not the documents went', () => {
    expect(planRetention(settings, cands, '2022-06-30').items.map((i) => [i.applicationId, i.step])).toEqual([['a', 'application'], ['b', 'application']]);
  });

  it('says which programmes have a period but no selection date', () => {
    expect(planRetention([{ ...settings[0]!, selectionDate: undefined } as RetentionSetting], cands, '2030-01-01')).toEqual({ items: [], noSelectionDate: ['p'], unregulated: 2 });
  });
});

describe("retentionDay: the office's calendar day, not the UTC one", () => {
  it('turns at midnight in the office, whichever day UTC is on', () => {
    // Paris in summer time (UTC+2): 00:30 on 28 September is 22:30 UTC on the 27th.
    expect(retentionDay(new Date('2021-09-27T21:59:59.999Z'), 'Europe/Paris')).toBe('2021-09-27');
    expect(retentionDay(new Date('2021-09-27T22:00:00.000Z'), 'Europe/Paris')).toBe('2021-09-28');
    expect(retentionDay(new Date('2021-09-27T22:30:00.000Z'), 'UTC')).toBe('2021-09-27');
    // Winter time (UTC+1), across a year's end.
    expect(retentionDay(new Date('2021-12-31T22:59:59.999Z'), 'Europe/Paris')).toBe('2021-12-31');
    expect(retentionDay(new Date('2021-12-31T23:00:00.000Z'), 'Europe/Paris')).toBe('2022-01-01');
    // West of UTC the office's day is still the day before.
    expect(retentionDay(new Date('2021-09-28T03:30:00.000Z'), 'America/New_York')).toBe('2021-09-27');
  });
});

describe('relativeFileOfRef', () => {
  const root = '/data/files';
  const sha = 'ab'.repeat(32);
  it('maps the store references and older absolute paths to the layout', () => {
    expect(relativeFileOfRef(root, `blob:pdf/${sha}.pdf`)).toBe(`pdf/ab/${sha}.pdf`);
    expect(relativeFileOfRef(root, 'blob:section/m1/passport-10-10.pdf')).toBe('sections/m1/passport-10-10.pdf');
    expect(relativeFileOfRef(root, 'blob:json/analysis/m1.json')).toBe('analysis/m1/m1.json');
    expect(relativeFileOfRef(root, `/data/files/raw/ab/${sha}.eml`)).toBe(`raw/ab/${sha}.eml`);
  });
  it('refuses anything else', () => {
    for (const forged of ['/etc/passwd', '/data/files/../esor-intake.sqlite', 'blob:section/../x.pdf', 'blob:json/analysis/../../x.json', `/data/files/raw/cd/${sha}.eml`, 'relative/raw/x', 'blob:raw/notahash.eml']) {
      expect(relativeFileOfRef(root, forged)).toBeUndefined();
    }
  });
});

describe('esor-intake retention and erase', () => {
  let dir: string;
  let fx: PackFixture;
  let env: Record<string, string>;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'esor-retention-'));
    fx = PackFixture.open(path.join(dir, 'data'));
    env = { ESOR_DATA_DIR: fx.dataDir, ESOR_RULES_DIR: path.join(ROOT, 'rules') };
  });

  afterEach(async () => {
    await fx.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function sink(): { stream: Writable; text: () => string } {
    const chunks: string[] = [];
    return { stream: new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c.toString()), cb()) }), text: () => chunks.join('') };
  }

  async function run(cmd: typeof runRetentionCommand, args: string[], day: string): Promise<{ code: number; out: string; err: string }> {
    const out = sink();
    const err = sink();
    const code = await cmd(args, { stdout: out.stream, stderr: err.stream }, env, dir, () => new Date(`${day}T03:00:00.000Z`));
    return { code, out: out.text(), err: err.text() };
  }

  const filesOf = (sub: string) => (existsSync(path.join(fx.dataDir, 'files', sub)) ? readdirSync(path.join(fx.dataDir, 'files', sub), { recursive: true }).map(String).filter((f) => /\.\w+$/.test(f)) : []);

  it('deletes passports and certificates first, then the whole application; dry runs delete nothing', async () => {
    const zoe = await fx.add({ seed: 'zoe', name: 'Zoë Abbott', email: 'zoe.abbott@example.org', status: 'complete', nationality: 'NLD' });
    await fx.add({ seed: 'eli', name: 'Eli Brandt', email: 'eli.brandt@example.org', status: 'needs_review', sections: ['motivation', 'cv', 'passport'] });
    await fx.store.addNote(zoe.applicationId, 'alice', 'Committee: strong candidate', '2021-03-21T10:00:00.000Z');
    // A cached page image of the PDF: it shows the passport too.
    const thumbs = path.join(fx.dataDir, 'thumbnails', zoe.pdfSha256.slice(0, 2));
    mkdirSync(thumbs, { recursive: true });
    writeFileSync(path.join(thumbs, `${zoe.pdfSha256}-p10-w240.png`), 'png');

    // Before the first period (selection 2021-06-30 + 90 days): nothing.
    expect((await run(runRetentionCommand, [], '2021-09-27')).out).toBe('');

    const dry = await run(runRetentionCommand, ['--dry-run'], '2021-10-01');
    expect(dry.code).toBe(0);
    expect(dry.out.trim().split('\n')).toHaveLength(2);
    expect(dry.out).toContain(`would delete (due since 2021-09-28): ${zoe.applicationId} (${GR}): identity documents and certificates; 1 revision(s), 2 original file(s), sections: board_certificate p4-4, medical_degree p5-5, language_certificates p6-6, passport p10-10`);
    expect(filesOf('raw')).toHaveLength(2);

    const first = await run(runRetentionCommand, [], '2021-10-01');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/deleted: .*identity documents and certificates.*; 8 file\(s\), 4 row\(s\)/);
    expect(filesOf('raw')).toEqual([]);
    expect(filesOf('pdf')).toEqual([]);
    expect(filesOf('analysis')).toEqual([]);
    expect(filesOf('mail')).toHaveLength(2);
    expect(filesOf(`sections/${zoe.messageId}`).sort()).toEqual(['cv-2-2.pdf', 'esr_membership-9-9.pdf', 'motivation-1-1.pdf', 'publications-7-7.pdf', 'recommendation-3-3.pdf', 'references-8-8.pdf']);
    expect(existsSync(path.join(thumbs, `${zoe.pdfSha256}-p10-w240.png`))).toBe(false);
    expect((await fx.store.listSectionFiles(zoe.applicationId, 1)).map((f) => f.section)).toEqual(['motivation', 'cv', 'recommendation', 'publications', 'references', 'esr_membership']);
    expect((await fx.store.getApplication(zoe.applicationId))?.status).toBe('complete');

    // Done once: the next day's run has nothing to do.
    expect((await run(runRetentionCommand, [], '2021-10-02')).out).toBe('');

    // After the whole period (365 days): everything of both applications goes.
    const dryAll = await run(runRetentionCommand, ['--dry-run'], '2022-07-01');
    expect(dryAll.out.match(/the whole application/g)).toHaveLength(2);
    expect(await fx.store.getApplication(zoe.applicationId)).toBeDefined();
    const second = await run(runRetentionCommand, [], '2022-07-01');
    expect(second.code).toBe(0);
    expect(await fx.store.getApplication(zoe.applicationId)).toBeUndefined();
    expect(await fx.store.listApplications({})).toEqual([]);
    expect(filesOf('mail')).toEqual([]);
    expect(filesOf('sections')).toEqual([]);
    expect((await fx.store.getMessage(zoe.messageId))?.rawPath).toBe('erased');

    const events = await fx.store.listEvents(zoe.applicationId);
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['application.erased', 'application.documents_erased']));
    const erased = events.find((e) => e.action === 'application.erased')!;
    expect(erased).toMatchObject({ actor: 'command:retention', detail: { reason: 'retention', revisions: 1, notes: 1, messages: 1 } });
    const log = JSON.stringify(await fx.store.listEvents(undefined, 1000));
    for (const personal of ['zoe.abbott', 'Abbott', 'eli.brandt', 'Brandt', 'strong candidate']) expect(log).not.toContain(personal);
  });

  it("plans for the office's day: half an hour after midnight in Paris the new day's documents are due", async () => {
    const zoe = await fx.add({ seed: 'zoe', name: 'Zoë Abbott', email: 'zoe.abbott@example.org', status: 'complete' });
    const at = async (iso: string, timeZone?: string) => {
      const out = sink();
      const err = sink();
      const code = await runRetentionCommand(['--dry-run'], { stdout: out.stream, stderr: err.stream }, { ...env, ...(timeZone ? { ESOR_OFFICE_TIME_ZONE: timeZone } : {}) }, dir, () => new Date(iso));
      expect(code).toBe(0);
      return out.text();
    };
    // Documents due from 2021-09-28 (selection 2021-06-30 + 90 days). 23:59 on the 27th in Paris: not yet.
    expect(await at('2021-09-27T21:59:00.000Z')).toBe('');
    // 00:30 on the 28th in Paris (the default office time zone), still the 27th in UTC: due.
    expect(await at('2021-09-27T22:30:00.000Z')).toContain(`would delete (due since 2021-09-28): ${zoe.applicationId}`);
    // An office that keeps UTC waits for its own midnight.
    expect(await at('2021-09-27T22:30:00.000Z', 'UTC')).toBe('');
    expect(await fx.store.getApplication(zoe.applicationId)).toBeDefined();
  });

  it('keeps a PDF another application of the same applicant still uses, until that one goes too', async () => {
    const gr = await fx.add({ seed: 'zoe-gr', name: 'Zoë Abbott', email: 'zoe.abbott@example.org', status: 'complete' });
    // The same applicant, another programme (one without a retention period), the very same PDF.
    const other = await fx.add({ seed: 'zoe-other', name: 'Zoë Abbott', email: 'zoe.abbott@example.org', status: 'complete', programme: 'another-programme-2022', sections: ['motivation', 'cv'] });
    const mail = await fx.files.readJson<{ pdfs: Array<{ path: string; sha256: string }> }>('mail', other.messageId);
    await fx.files.writeJson('mail', other.messageId, { ...mail, pdfs: [{ filename: 'application.pdf', path: gr.pdfRef, sha256: gr.pdfSha256, size: 1 }] });

    const first = await run(runRetentionCommand, [], '2021-10-01');
    expect(first.out).toContain('1 original file(s) (1 kept: another application of the same applicant uses it)');
    expect((await fx.files.readFile(gr.pdfRef)).length).toBeGreaterThan(0);
    await expect(fx.files.readFile(gr.rawRef)).rejects.toThrow();

    const erased = await run(runEraseCommand, ['--applicant', 'zoe.abbott@example.org'], '2021-10-02');
    expect(erased.err).toContain('2 application(s) of that address');
    await expect(fx.files.readFile(gr.pdfRef)).rejects.toThrow();
    expect(await fx.store.listApplications({})).toEqual([]);
  });

  it('erases one applicant on request, and only them', async () => {
    const zoe = await fx.add({ seed: 'zoe', name: 'Zoë Abbott', email: 'zoe.abbott@example.org', status: 'complete' });
    const eli = await fx.add({ seed: 'eli', name: 'Eli Brandt', email: 'eli.brandt@example.org', status: 'complete', sections: ['motivation', 'cv'] });
    await fx.store.markAddressBounced('Zoe.Abbott@example.org', '2021-03-22T10:00:00.000Z');
    // A message staff wrote to her: its text is kept under its key, and goes with her.
    const key = '0123456789abcdef0123456789abcdef';
    await fx.files.writeJson(STAFF_MESSAGE_KIND, key, { applicationId: zoe.applicationId, to: 'zoe.abbott@example.org', subject: 'Re: x', body: 'Dear Zoë' });
    await fx.store.appendEvent({ actor: 'alice', action: MESSAGE_EVENTS.requested, subject: zoe.applicationId, detail: { key }, at: '2021-03-22T11:00:00.000Z' });

    const dry = await run(runEraseCommand, ['--applicant', 'ZOE.ABBOTT@example.org', '--dry-run'], '2021-04-01');
    expect(dry.out).toContain(`would delete: ${zoe.applicationId} (${GR}): the whole application`);
    expect(await fx.store.getApplication(zoe.applicationId)).toBeDefined();

    const done = await run(runEraseCommand, ['--applicant', 'ZOE.ABBOTT@example.org'], '2021-04-01');
    expect(done.code).toBe(0);
    expect(await fx.store.getApplication(zoe.applicationId)).toBeUndefined();
    expect(await fx.store.getApplication(eli.applicationId)).toBeDefined();
    expect(filesOf(`sections/${eli.messageId}`)).toHaveLength(2);
    expect(filesOf(`sections/${zoe.messageId}`)).toEqual([]);
    await expect(fx.files.readJson(STAFF_MESSAGE_KIND, key)).rejects.toThrow();
    const event = (await fx.store.listEvents(zoe.applicationId)).find((e) => e.action === 'application.erased');
    expect(event).toMatchObject({ actor: 'command:erase', detail: { reason: 'request' } });
    expect(JSON.stringify(event)).not.toContain('zoe');
    expect(done.err).toContain('its bounce record forgotten');
    expect(await fx.store.isAddressBounced('zoe.abbott@example.org')).toBe(false);

    expect((await run(runEraseCommand, [], '2021-04-01')).code).toBe(1);
  });
});
