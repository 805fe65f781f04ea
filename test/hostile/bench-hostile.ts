/**
 * What each hostile input of make-hostile.ts costs the command line: wall
 * time and peak RSS (GNU time's maximum resident set size, which counts the
 * PDF sandbox children the CLI reaped), beside a normal application in the
 * same run as the baseline. Numbers only, no pass/fail (the issue's target:
 * every input within 10 s and under 500 MB).
 *
 *   npm run bench:hostile            (uses dist/ when built: npx tsc -p tsconfig.build.json)
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeHostile } from './make-hostile';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin/esor-intake');
const BASELINE = path.join(ROOT, 'demo/applications/01-complete.eml');

interface Measure {
  seconds: number;
  peakMb: number;
  code: number | null;
  verdict: string;
}

function measure(file: string, timeFile: string): Promise<Measure> {
  const useTime = existsSync('/usr/bin/time');
  const started = process.hrtime.bigint();
  const [cmd, args] = useTime
    ? ['/usr/bin/time', ['-f', '%M', '-o', timeFile, BIN, 'triage', file, '--json']]
    : [BIN, ['triage', file, '--json']];
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { cwd: ROOT, maxBuffer: 256 << 20 }, (err, stdout) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const peakKb = useTime ? Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop()) : Number.NaN;
      let verdict = 'no JSON';
      try {
        const r = JSON.parse(stdout) as { status: string; flags: Array<{ code: string; evidence?: { reason?: string } }> };
        const why = r.flags.filter((f) => f.code === 'unreadable_pdf').map((f) => f.evidence?.reason);
        verdict = `${r.status}${why.length ? ` (unreadable_pdf: ${why.join('; ')})` : ''}`;
      } catch {
        // the verdict column says so
      }
      resolve({ seconds, peakMb: peakKb / 1024, code: err ? ((err as { code?: number }).code ?? null) : child.exitCode, verdict });
    });
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'esor-bench-hostile-'));
  try {
    const inputs = await makeHostile(dir);
    const timeFile = path.join(dir, '.time');
    const rows: Array<[string, string, Measure]> = [];
    rows.push(['baseline: 01-complete.eml', 'a normal application', await measure(BASELINE, timeFile)]);
    for (const input of inputs) rows.push([input.file, input.kind, await measure(path.join(dir, input.file), timeFile)]);
    process.stdout.write('bench:hostile  esor-intake triage FILE --json (OCR on), one process per input\n');
    process.stdout.write(`${'input'.padEnd(28)} ${'time s'.padStart(7)} ${'peak MB'.padStart(8)} exit  verdict\n`);
    for (const [name, , m] of rows) {
      process.stdout.write(`${name.padEnd(28)} ${m.seconds.toFixed(2).padStart(7)} ${m.peakMb.toFixed(0).padStart(8)} ${String(m.code).padStart(4)}  ${m.verdict}\n`);
    }
    const worst = rows.slice(1).reduce((a, r) => ({ s: Math.max(a.s, r[2].seconds), mb: Math.max(a.mb, r[2].peakMb) }), { s: 0, mb: 0 });
    process.stdout.write(`worst hostile input: ${worst.s.toFixed(2)} s, ${worst.mb.toFixed(0)} MB peak RSS (baseline ${rows[0]![2].seconds.toFixed(2)} s, ${rows[0]![2].peakMb.toFixed(0)} MB)\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
