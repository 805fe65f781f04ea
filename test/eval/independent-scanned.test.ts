/**
 * The independent set as office scans (test/fixtures/independent/scan.ts:
 * certificates, degrees, language certificates, ESR proof and passport, and
 * in every third application the recommendation letters, turned into rotated,
 * grey, grainy, JPEG-compressed image-only pages), triaged with OCR. Built
 * into a temp folder each run (≈0.3 MB per scanned page: not committed).
 *
 * Measured when written (adapters/ocr.ts defaults, 200 dpi, confidence 60):
 * the 22 applications of SCANNED_CASES: with OCR every measure 100 %, 0.48 s
 * per scanned page on two cores; without OCR status 18.2 %, page labels 80.1 %,
 * facts 74.5 %. The 8 gated here (GATE_CASES, 50 scanned pages, ≈45 s on two
 * cores): with OCR every measure 100 %, 0.51 s a page; without OCR status
 * 12.5 %, page labels 78.4 %, flags 6.3 % / 20.0 %, facts 73.3 %. Floors sit
 * under that (one miss allowed). Full measurement:
 *
 *   npx tsx test/fixtures/independent/scan.ts --measure
 *
 * Those times are the OCR of then (eight languages at once). OCR now reads
 * cheapest first (adapters/ocr.ts); its cost per page is measured by
 * `npm run bench:ocr`, never here.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createOcrEngine, OCR_LANGUAGES } from '../../adapters/ocr';
import { evaluateScanned, formatScanned, GATE_CASES, type ScannedMetrics } from '../fixtures/independent/scan';

const SCAN_SCRIPT = path.resolve(__dirname, '../fixtures/independent/scan.ts');
const execFileAsync = promisify(execFile);

let dir: string;
let withOcr: ScannedMetrics;
let withoutOcr: ScannedMetrics;
let scannedPages = 0;

function requireTool(cmd: string, args: string[], pkg: string): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    throw new Error(`${cmd} is not installed: this test needs it (apt-get install ${pkg})`);
  }
}

beforeAll(async () => {
  requireTool('pdftoppm', ['-v'], 'poppler-utils');
  const langs = requireTool('tesseract', ['--list-langs'], 'tesseract-ocr').split('\n').map((l) => l.trim());
  const missing = OCR_LANGUAGES.filter((l) => !langs.includes(l));
  if (missing.length > 0) throw new Error(`tesseract lacks the languages ${missing.join(', ')} (apt-get install ${missing.map((l) => `tesseract-ocr-${l}`).join(' ')})`);

  dir = mkdtempSync(path.join(os.tmpdir(), 'esor-scanned-test-'));
  // Built by tsx in child processes, one per core (each builds every other case, exactly as in the whole
  // set): the pixel work runs ~5× slower inside Jest's sandbox (1.7 against 0.3 s a page).
  const shards = Math.max(1, Math.min(2, os.availableParallelism()));
  const built = await Promise.all(
    Array.from({ length: shards }, (_, k) => execFileAsync(process.execPath, [require.resolve('tsx/cli'), SCAN_SCRIPT, dir, '--gate', '--shard', `${k}/${shards}`], { encoding: 'utf8', timeout: 120_000 })),
  );
  scannedPages = built.reduce((n, b) => n + Number(/\((\d+) scanned pages\)/.exec(b.stdout)?.[1] ?? 0), 0);
  withoutOcr = await evaluateScanned(dir);
  withOcr = await evaluateScanned(dir, { ocr: createOcrEngine() });
  process.stdout.write(`${scannedPages} scanned pages\n${formatScanned('without OCR', withoutOcr)}\n${formatScanned('with OCR', withOcr)}\n`);
}, 600_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('triage of scanned applications with OCR', () => {
  it('holds the gated cases, and their scans really are image-only (without OCR the triage is mostly wrong)', () => {
    expect(withOcr.cases).toBe(GATE_CASES.length);
    expect(scannedPages).toBeGreaterThanOrEqual(40);
    expect(withOcr.ocrPages).toBe(scannedPages);
    expect(withoutOcr.statusAccuracy).toBeLessThan(0.5);
  });

  it('decides the status right (at most one miss)', () => {
    expect(withOcr.statusAccuracy).toBeGreaterThanOrEqual(0.87);
  });

  it('raises the expected flags with precision and recall of at least 90%', () => {
    expect(withOcr.flagPrecision).toBeGreaterThanOrEqual(0.9);
    expect(withOcr.flagRecall).toBeGreaterThanOrEqual(0.9);
  });

  it('labels the scanned pages as it labels text pages', () => {
    expect(withOcr.pageLabelAccuracy).toBeGreaterThanOrEqual(0.97);
    expect(withOcr.exactBoundaryRate).toBeGreaterThanOrEqual(0.87);
  });

  it('reads the facts printed on the scans (board date, language levels, ESR year)', () => {
    expect(withOcr.factAccuracy).toBeGreaterThanOrEqual(0.95);
  });

});
