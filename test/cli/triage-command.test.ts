/**
 * The `esor-intake` command as a user runs it: a child process, real files,
 * hostile inputs. Every input gets a verdict that follows the contract's
 * JSON Schema, and exit code 0; only a missing file or broken rules fail.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { TOO_BIG_REASON } from '../../adapters/pdf-reader';
import type { TriageResult } from '../../core/types';
import { deflatedZeros, pagesPdf } from '../hostile/make-hostile';
import { FILE_TOO_SLOW_REASON } from '../../services/triage/triage-guard';
import { rulesWithSecondProgramme } from '../fixtures/programmes/rules-with-second-programme';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin/esor-intake');
const MAIL = path.join(ROOT, 'test/fixtures/mail');
const SCHEMA = require(path.join(ROOT, 'test/fixtures/contract/triage-result.schema.json'));

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(SCHEMA);

async function esorIntake(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(BIN, args, { cwd: ROOT, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/**
 * `esor-intake triage FILE --json ...` runs by their arguments: two tests that check the same command's output
 * (the same file, the same options) check one run of it, and the single-file runs of the first tests are started
 * in beforeAll, two at a time (one per core). Each test still checks its own command's output.
 */
const triageRuns = new Map<string, Promise<{ code: number; stdout: string; stderr: string }>>();
function triageRun(file: string, extra: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const args = ['triage', file, '--json', ...extra];
  const key = JSON.stringify(args);
  let run = triageRuns.get(key);
  if (!run) triageRuns.set(key, (run = esorIntake(...args)));
  return run;
}

/** Starts the runs of `cases` (file and options), at most `width` at a time; never rejects. */
function startTriageRuns(cases: Array<[string, string[]]>, width: number): void {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < cases.length) {
      const [file, extra] = cases[next++]!;
      await triageRun(file, extra);
    }
  };
  for (let i = 0; i < width; i++) void lane();
}

async function triageJson(file: string, ...extra: string[]) {
  const r = await triageRun(file, extra);
  expect(r).toMatchObject({ code: 0, stderr: '' });
  const result = JSON.parse(r.stdout) as TriageResult;
  if (!validate(JSON.parse(r.stdout))) throw new Error(`result does not follow the schema: ${ajv.errorsText(validate.errors)}`);
  return result;
}

async function writeTextPdf(file: string, pages: number): Promise<void> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++) doc.addPage().drawText(`Synthetic page ${i} of a long annex`, { x: 50, y: 700, size: 12, font });
  writeFileSync(file, await doc.save());
}

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'esor-cli-'));
  await writeTextPdf(path.join(dir, 'long-300-pages.pdf'), 300);
  const pdf = Buffer.from(await (await PDFDocument.create()).save());
  writeFileSync(path.join(dir, 'truncated.pdf'), Buffer.concat([Buffer.from('%PDF-1.7\n'), pdf.subarray(0, 60)]));
  writeFileSync(path.join(dir, 'archive.zip'), Buffer.from('504b0304140000000800', 'hex'));
  await writeTextPdf(path.join(dir, 'plain.pdf'), 3);
  await run('qpdf', ['--encrypt', 'user-secret', 'owner-secret', '256', '--', path.join(dir, 'plain.pdf'), path.join(dir, 'encrypted.pdf')]);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MAILS: Array<[string, string, string]> = [
  ['an application mail', path.join(MAIL, 'application-pdf.eml'), 'incomplete'],
  ['two PDFs', path.join(MAIL, 'two-pdfs.eml'), 'incomplete'],
  ['a DOCX instead of a PDF', path.join(MAIL, 'docx-instead.eml'), 'incomplete'],
  ['a zip attached', path.join(MAIL, 'zip-attachment.eml'), 'incomplete'],
  ['an empty mail', path.join(MAIL, 'empty.eml'), 'not_application'],
  ['garbage bytes', path.join(MAIL, 'garbage.eml'), 'not_application'],
  ['an out-of-office reply', path.join(MAIL, 'out-of-office-fr.eml'), 'not_application'],
  ['a bounce', path.join(MAIL, 'dsn-bounce.eml'), 'not_application'],
];
const UNREADABLE: Array<[string, string, RegExp]> = [
  ['an encrypted PDF', 'encrypted.pdf', /password/],
  ['a truncated PDF', 'truncated.pdf', /damaged|incomplete/],
  ['a zip passed as the file', 'archive.zip', /not a PDF/],
];
const UNREADABLE_OPTIONS = ['--received', '2021-03-01', '--programme', 'gustave-roussy-hybrid-imaging-2022'];

describe('esor-intake triage FILE --json', () => {
  beforeAll(() => {
    const width = Math.max(1, Math.min(2, os.availableParallelism()));
    startTriageRuns([...MAILS.map(([, file]): [string, string[]] => [file, []]), ...UNREADABLE.map(([, name]): [string, string[]] => [path.join(dir, name), UNREADABLE_OPTIONS])], width);
  });

  it.each(MAILS)('gives %s a verdict that follows the contract', async (_what, file, status) => {
    const result = await triageJson(file);
    expect(result.status).toBe(status);
  });

  it('flags the missing PDF of a mail that carries a DOCX', async () => {
    const result = await triageJson(path.join(MAIL, 'docx-instead.eml'));
    expect(result.flags.map((f: { code: string }) => f.code)).toContain('no_pdf');
  });

  it('believes a failure the topmost Authentication-Results reports, as the live service does: sender_unverified, a person decides', async () => {
    const forged = path.join(dir, 'forged-from.eml');
    const header = 'Authentication-Results: mx.esor.example.org; spf=fail smtp.mailfrom=uni.example.edu;\r\n\tdmarc=fail (p=reject) header.from=uni.example.edu\r\n';
    writeFileSync(forged, Buffer.concat([Buffer.from(header), readFileSync(path.join(MAIL, 'application-pdf.eml'))]));
    const result = await triageJson(forged);
    expect(result.status).toBe('needs_review');
    expect(result.flags.find((f) => f.code === 'sender_unverified')).toMatchObject({ severity: 'review', evidence: { authentication: 'dmarc=fail' } });
  });

  it('flags two PDFs and counts pages across both', async () => {
    const result = await triageJson(path.join(MAIL, 'two-pdfs.eml'));
    expect(result.flags.map((f: { code: string }) => f.code)).toContain('multiple_pdfs');
    expect(result.pdf?.pages).toBeGreaterThan(1);
  });

  it.each(UNREADABLE)('turns %s into unreadable_pdf with a clear message', async (_what, name, reason) => {
    const result = await triageJson(path.join(dir, name), ...UNREADABLE_OPTIONS);
    expect(result.status).toBe('incomplete');
    const flag = result.flags.find((f: { code: string }) => f.code === 'unreadable_pdf');
    expect(flag?.message).toMatch(reason);
  });

  it('reads a 300-page PDF and gives it a verdict', async () => {
    const result = await triageJson(path.join(dir, 'long-300-pages.pdf'));
    expect(result.pdf?.pages).toBe(300);
    expect(result.sections.reduce((n: number, s: { pages: number[] }) => n + s.pages[1]! - s.pages[0]! + 1, 0)).toBe(300);
  });

  it('takes the received date from --received for a bare PDF', async () => {
    const result = await triageJson(path.join(dir, 'plain.pdf'), '--received', '2021-04-02', '--programme', 'gustave-roussy-hybrid-imaging-2022');
    expect(result.receivedAt).toBe('2021-04-02T00:00:00.000Z');
    expect(result.programme).toBe('gustave-roussy-hybrid-imaging-2022');
    expect(result.flags.map((f: { code: string }) => f.code)).toContain('late_submission');
  });

  it('a bare PDF naming no programme, with the only programme in the rules: programme unknown, a person decides (contract § 4, § 6)', async () => {
    const result = await triageJson(path.join(dir, 'plain.pdf'), '--received', '2021-04-02');
    expect(result.programme).toBeNull();
    expect(result.status).toBe('needs_review');
    const codes = result.flags.map((f: { code: string }) => f.code);
    expect(codes).toContain('programme_unknown');
    expect(codes).not.toContain('late_submission');
  });

  it('a bare PDF naming no programme, with two programmes in the rules: programme unknown, no programme rules', async () => {
    const rules = rulesWithSecondProgramme();
    const result = await triageJson(path.join(dir, 'plain.pdf'), '--received', '2021-04-02', '--rules', rules);
    rmSync(rules, { recursive: true, force: true });
    expect(result.programme).toBeNull();
    const codes = result.flags.map((f: { code: string }) => f.code);
    expect(codes).toContain('programme_unknown');
    expect(codes).not.toContain('late_submission');
  });
});

describe('esor-intake triage DIR --jsonl', () => {
  it('prints one contract line per .eml/.pdf file, with "file" added', async () => {
    const sub = path.join(dir, 'inbox');
    mkdirSync(sub);
    for (const name of ['application-pdf.eml', 'empty.eml', 'out-of-office-en.eml']) copyFileSync(path.join(MAIL, name), path.join(sub, name));
    copyFileSync(path.join(dir, 'encrypted.pdf'), path.join(sub, 'encrypted.pdf'));
    writeFileSync(path.join(sub, 'notes.txt'), 'not an application file');
    const r = await esorIntake('triage', sub, '--jsonl');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.file)).toEqual(['application-pdf.eml', 'empty.eml', 'encrypted.pdf', 'out-of-office-en.eml']);
    for (const l of lines) expect(validate(l)).toBe(true);
  });

  it('gives a PDF over its memory budget its line (unreadable_pdf, with the reason) and goes on with the batch', async () => {
    const sub = path.join(dir, 'inbox-bomb');
    mkdirSync(sub);
    const bomb = deflatedZeros(1200 * 1024 * 1024);
    writeFileSync(path.join(sub, 'a-bomb.pdf'), pagesPdf(['/Contents 5 0 R'], [Buffer.concat([Buffer.from(`<< /Filter /FlateDecode /Length ${bomb.length} >>\nstream\n`), bomb, Buffer.from('\nendstream')])]));
    copyFileSync(path.join(MAIL, 'application-pdf.eml'), path.join(sub, 'b-application.eml'));
    const r = await esorIntake('triage', sub, '--jsonl', '--no-ocr');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.file)).toEqual(['a-bomb.pdf', 'b-application.eml']);
    for (const l of lines) expect(validate(l)).toBe(true);
    expect(['needs_review', 'incomplete']).toContain(lines[0].status);
    expect(lines[0].flags.filter((f: { code: string }) => f.code === 'unreadable_pdf').map((f: { evidence: { reason: string } }) => f.evidence.reason)).toEqual([TOO_BIG_REASON]);
    expect(lines[1].status).toBe('incomplete');
  });

  it('gives a file over the --time-limit its line saying so, and the next file a fresh start', async () => {
    const sub = path.join(dir, 'inbox-slow');
    mkdirSync(sub);
    copyFileSync(path.join(MAIL, 'application-pdf.eml'), path.join(sub, 'a.eml'));
    copyFileSync(path.join(MAIL, 'empty.eml'), path.join(sub, 'b.eml'));
    // A limit no triage can meet: every file is stopped, killed, and still gets its verdict line.
    const r = await esorIntake('triage', sub, '--jsonl', '--no-ocr', '--time-limit', '0.001');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.file)).toEqual(['a.eml', 'b.eml']);
    for (const l of lines) {
      expect(validate(l)).toBe(true);
      expect(l.flags.filter((f: { code: string }) => f.code === 'unreadable_pdf').map((f: { evidence: { reason: string } }) => f.evidence.reason)).toEqual([FILE_TOO_SLOW_REASON]);
    }
  });
});

describe('esor-intake: when the tool itself cannot run', () => {
  it('exits 1 with one line on stderr for a missing file', async () => {
    const r = await esorIntake('triage', path.join(dir, 'no-such-file.eml'), '--json');
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });

  it('exits 1 with one line for a --time-limit that is not a number of seconds', async () => {
    const r = await esorIntake('triage', path.join(MAIL, 'empty.eml'), '--json', '--time-limit', 'soon');
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 1 with one line for invalid rule files, and rules check lists file:line: path', async () => {
    const rules = path.join(dir, 'rules');
    mkdirSync(path.join(rules, 'programmes'), { recursive: true });
    copyFileSync(path.join(ROOT, 'rules/common.yaml'), path.join(rules, 'common.yaml'));
    copyFileSync(path.join(ROOT, 'rules/mail.yaml'), path.join(rules, 'mail.yaml'));
    copyFileSync(path.join(ROOT, 'rules/replies.yaml'), path.join(rules, 'replies.yaml'));
    copyFileSync(path.join(ROOT, 'test/fixtures/rules/broken-type/programmes/p.yaml'), path.join(rules, 'programmes/p.yaml'));
    const triage = await esorIntake('triage', path.join(MAIL, 'empty.eml'), '--json', '--rules', rules);
    expect(triage.code).toBe(1);
    expect(triage.stderr.trim().split('\n')).toHaveLength(1);
    expect(triage.stderr).toMatch(/p\.yaml:34: rules\[1\]\.years/);
    const check = await esorIntake('rules', 'check', rules);
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/programmes\/p\.yaml:34: rules\[1\]\.years: /);
  });

  it('passes the bundled rules', async () => {
    const r = await esorIntake('rules', 'check');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok: 4 rule files, 1 programme\(s\): gustave-roussy-hybrid-imaging-2022\n$/);
  });

  it('prints help for every command', async () => {
    for (const args of [['--help'], ['triage', '--help'], ['help', 'rules']]) {
      const r = await esorIntake(...args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/esor-intake/);
    }
  });
});
