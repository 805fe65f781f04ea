/**
 * Every hostile input of make-hostile.ts gets a verdict from the command line:
 * exit 0, one JSON document that follows the contract, and the batch
 * (`triage DIR --jsonl`) gives every file its line. No time assertions here:
 * what each input costs is in `npm run bench:hostile`.
 * Runs bin/esor-intake, which uses dist/ when built (npx tsc -p tsconfig.build.json).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { TOO_BIG_REASON } from '../../adapters/pdf-reader';
import type { TriageResult } from '../../core/types';
import { makeHostile, type HostileInput } from './make-hostile';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin/esor-intake');
const SCHEMA = require(path.join(ROOT, 'test/fixtures/contract/triage-result.schema.json'));
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(SCHEMA);

type Line = TriageResult & { file: string };

let dir: string;
let inputs: HostileInput[];
let lines: Map<string, Line>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'esor-hostile-'));
  inputs = await makeHostile(dir);
  // One batch: the run must end by itself with exit 0 (execFile rejects otherwise).
  const { stdout } = await run(BIN, ['triage', dir, '--jsonl', '--no-ocr'], { cwd: ROOT, maxBuffer: 256 << 20 });
  lines = new Map(
    stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line)
      .map((l) => [l.file, l]),
  );
}, 600_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const unreadableReasons = (r: TriageResult) => r.flags.filter((f) => f.code === 'unreadable_pdf').map((f) => (f.evidence as { reason?: string } | undefined)?.reason);

describe('hostile inputs from the command line', () => {
  it('gives every input of the batch a line that follows the contract', () => {
    expect([...lines.keys()].sort()).toEqual(inputs.map((i) => i.file).sort());
    for (const [file, line] of lines) {
      const { file: _file, ...result } = line;
      if (!validate(result)) throw new Error(`${file}: ${ajv.errorsText(validate.errors)}`);
    }
  });

  it('stops a decompression bomb at the memory limit, alone or in a mail', () => {
    for (const file of ['content-bomb.pdf', 'mail-content-bomb.eml']) {
      const r = lines.get(file)!;
      expect(['needs_review', 'incomplete']).toContain(r.status);
      expect(unreadableReasons(r)).toEqual([TOO_BIG_REASON]);
    }
  });

  it('reads an owner-password PDF and skips what is damaged or too long', () => {
    expect(unreadableReasons(lines.get('owner-password.pdf')!)).toEqual([]);
    expect(lines.get('owner-password.pdf')!.pdf?.pages).toBe(10);
    for (const file of ['truncated.pdf', 'too-many-pages.pdf']) expect(unreadableReasons(lines.get(file)!)).toHaveLength(1);
  });

  it('sends a mail nothing could be read of to a person, not to "not an application"', () => {
    const r = lines.get('mail-megabyte-header.eml')!;
    expect(r.status).toBe('needs_review');
    expect(r.flags.map((f) => f.code)).toEqual(['mail_unreadable']);
    // A long header that can be read is read.
    expect(lines.get('mail-long-header.eml')!.flags.map((f) => f.code)).not.toContain('mail_unreadable');
  });

  it.each(['content-bomb.pdf', 'fuzzed-xref.pdf', 'cr-only.eml'])('gives %s alone a verdict with exit 0', async (file) => {
    const { stdout, stderr } = await run(BIN, ['triage', path.join(dir, file), '--json', '--no-ocr'], { cwd: ROOT, maxBuffer: 64 << 20 });
    expect(stderr).toBe('');
    expect(validate(JSON.parse(stdout))).toBe(true);
  });
});
