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
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeHostile } from './make-hostile';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin/esor-intake');
const BASELINE = path.join(ROOT, 'demo/applications/01-complete.eml');

interface Measure {
  seconds: number;
  /** GNU time's maximum resident set size: the largest single process it reaped. */
  peakMb: number;
  /** The whole process tree's resident memory at its largest, sampled every 25 ms from /proc. */
  treeMb: number;
  code: number | null;
  verdict: string;
}

function measure(file: string, timeFile: string): Promise<Measure> {
  const useTime = existsSync('/usr/bin/time');
  const started = process.hrtime.bigint();
  const [cmd, args] = useTime
    ? ['/usr/bin/time', ['-f', '%M', '-o', timeFile, BIN, 'triage', file, '--json']]
    : [BIN, ['triage', file, '--json']];
  let treeBytes = 0;
  let pid: number | undefined;
  const sampler = setInterval(() => {
    if (pid !== undefined) treeBytes = Math.max(treeBytes, treeRss(pid));
  }, 25);
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { cwd: ROOT, maxBuffer: 256 << 20 }, (err, stdout) => {
      clearInterval(sampler);
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
      resolve({ seconds, peakMb: peakKb / 1024, treeMb: treeBytes / 1024 / 1024, code: err ? ((err as { code?: number }).code ?? null) : child.exitCode, verdict });
    });
    pid = child.pid;
  });
}

/** Resident bytes of a process and all its descendants now (Linux /proc; 0 elsewhere). */
function treeRss(root: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  let names: string[];
  try {
    names = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return 0;
  }
  for (const n of names) {
    try {
      const stat = readFileSync(`/proc/${n}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      rss.set(Number(n), Number(fields[21]) * 4096);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(n)]);
    } catch {
      // the process ended meanwhile
    }
  }
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const p = stack.pop()!;
    total += rss.get(p) ?? 0;
    stack.push(...(children.get(p) ?? []));
  }
  return total;
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
    process.stdout.write('peak MB: the largest single process (GNU time); tree MB: all processes of the run together at their largest\n');
    process.stdout.write(`${'input'.padEnd(28)} ${'time s'.padStart(7)} ${'peak MB'.padStart(8)} ${'tree MB'.padStart(8)} exit  verdict\n`);
    for (const [name, , m] of rows) {
      process.stdout.write(`${name.padEnd(28)} ${m.seconds.toFixed(2).padStart(7)} ${m.peakMb.toFixed(0).padStart(8)} ${m.treeMb.toFixed(0).padStart(8)} ${String(m.code).padStart(4)}  ${m.verdict}\n`);
    }
    const worst = rows.slice(1).reduce((a, r) => ({ s: Math.max(a.s, r[2].seconds), mb: Math.max(a.mb, r[2].peakMb, r[2].treeMb) }), { s: 0, mb: 0 });
    const base = rows[0]![2];
    process.stdout.write(`worst hostile input: ${worst.s.toFixed(2)} s, ${worst.mb.toFixed(0)} MB (baseline ${base.seconds.toFixed(2)} s, ${Math.max(base.peakMb, base.treeMb).toFixed(0)} MB)\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
