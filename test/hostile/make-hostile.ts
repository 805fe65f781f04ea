/**
 * Writes hostile PDFs and mails (issue 9) into a folder: inputs that once
 * stopped the service or lost information, all synthetic (example.* domains).
 * Each must get a verdict from `esor-intake triage` (test/hostile/hostile.test.ts)
 * and `npm run bench:hostile` prints what each costs.
 *
 *   tsx test/hostile/make-hostile.ts OUTDIR
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateRawSync, deflateSync, constants as zlib } from 'node:zlib';
import { PDFDocument, StandardFonts } from 'pdf-lib';

export interface HostileInput {
  file: string;
  /** What it tries, in a few words. */
  kind: string;
}

/** A PDF assembled from numbered object bodies with a correct xref table; object 1 is the catalog. */
export function buildPdf(objects: Array<string | Buffer>): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = parts[0]!.length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(offset);
    const chunk = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1'), Buffer.from('\nendobj\n')]);
    parts.push(chunk);
    offset += chunk.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${offset}\n%%EOF\n`));
  return Buffer.concat(parts);
}

export function stream(dict: string, data: Buffer, flate = false): Buffer {
  const body = flate ? deflateSync(data, { level: zlib.Z_BEST_COMPRESSION }) : data;
  return Buffer.concat([Buffer.from(`<< ${dict} /Length ${body.length}${flate ? ' /Filter /FlateDecode' : ''} >>\nstream\n`), body, Buffer.from('\nendstream')]);
}

/** Catalog, pages, font and the page objects; `pages` are page dictionaries' extra entries. */
export function pagesPdf(pageExtras: string[], extraObjects: Array<string | Buffer>, mediaBox = '[0 0 595 842]'): Buffer {
  const firstPage = 4;
  const kids = pageExtras.map((_, i) => `${firstPage + i} 0 R`).join(' ');
  return buildPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${kids}] /Count ${pageExtras.length} >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ...pageExtras.map((extra) => `<< /Type /Page /Parent 2 0 R /MediaBox ${mediaBox} /Resources << /Font << /F1 3 0 R >> >> ${extra} >>`),
    ...extraObjects,
  ]);
}

/** Zeros deflated in slices: a few hundred KB that inflate to `bytes` (deflate's ratio is ≈1000:1). */
/** The PDF with an owner password only (AES-256): it opens without a password, but is encrypted. */
export function ownerEncrypted(pdf: Uint8Array, ownerPassword = 'owner-example'): Buffer {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'esor-owner-'));
  try {
    writeFileSync(path.join(dir, 'in.pdf'), pdf);
    execFileSync('qpdf', ['--encrypt', '', ownerPassword, '256', '--', path.join(dir, 'in.pdf'), path.join(dir, 'out.pdf')]);
    return readFileSync(path.join(dir, 'out.pdf'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function deflatedZeros(bytes: number, fill = 0x20): Buffer {
  // deflateSync of the whole would need the inflated size in memory; blocks of one slice repeat.
  const slice = Buffer.alloc(16 * 1024 * 1024, fill);
  const out: Buffer[] = [];
  const block = deflateRawSync(slice, { level: 9, finishFlush: zlib.Z_FULL_FLUSH });
  out.push(Buffer.from([0x78, 0xda]));
  for (let n = 0; n < Math.floor(bytes / slice.length); n++) out.push(block);
  out.push(deflateRawSync(Buffer.alloc(0), { level: 9 })); // a final empty block ends the stream
  return Buffer.concat(out);
}

async function normalPdf(pages: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([595, 842]);
    page.drawText(`Curriculum vitae, page ${i + 1}. Jane Example, radiologist, example.org`, { x: 50, y: 780, size: 11, font });
  }
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

function mail(opts: { pdf?: Buffer; filename?: string; eol?: string; bom?: boolean; subject?: string; extraHeader?: string }): Buffer {
  const eol = opts.eol ?? '\r\n';
  const boundary = 'hostile-boundary-1';
  const lines = [
    'From: Jane Example <jane@applicant.example.org>',
    'To: office@esor.example.com',
    `Subject: ${opts.subject ?? 'ESOR fellowship application'}`,
    'Date: Fri, 12 Mar 2021 10:00:00 +0000',
    'Message-ID: <hostile-1@applicant.example.org>',
    ...(opts.extraHeader ? [opts.extraHeader] : []),
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Dear office, please find my application for the ESOR fellowship attached.',
    'Jane Example',
    '',
  ];
  if (opts.pdf) {
    lines.push(`--${boundary}`, `Content-Type: application/pdf; name="${opts.filename ?? 'application.pdf'}"`, 'Content-Transfer-Encoding: base64',
      `Content-Disposition: attachment; filename="${opts.filename ?? 'application.pdf'}"`, '', ...(opts.pdf.toString('base64').match(/.{1,76}/g) ?? []), '');
  }
  lines.push(`--${boundary}--`, '');
  const text = lines.join(eol);
  return Buffer.from(opts.bom ? `\ufeff${text}` : text, 'utf8');
}

/** Writes every hostile input into `dir`; returns what was written. */
export async function makeHostile(dir: string): Promise<HostileInput[]> {
  mkdirSync(dir, { recursive: true });
  const out: HostileInput[] = [];
  const put = (file: string, kind: string, data: Buffer) => {
    writeFileSync(path.join(dir, file), data);
    out.push({ file, kind });
  };
  const text = (s: string) => stream('', Buffer.from(`BT /F1 10 Tf 40 800 Td ${s} ET`, 'latin1'));

  // A tiny font keeps all of it inside the page box (text outside it is not read).
  put('long-line.pdf', 'one 100,000-digit line', pagesPdf(['/Contents 5 0 R'], [stream('', Buffer.from(`BT /F1 0.009 Tf 20 400 Td (${'7'.repeat(100_000)}) Tj ET`))]));

  const words = Array.from({ length: 3000 }, (_, i) => `(Radiology board certificate ${i} 2019-0${(i % 9) + 1}-1${i % 10}) Tj 0 -0.25 Td`).join('\n');
  put('shared-stream.pdf', '8 pages sharing one content stream of 3,000 lines', pagesPdf(Array.from({ length: 8 }, () => '/Contents 12 0 R'), [stream('', Buffer.from(`BT /F1 0.2 Tf 40 800 Td ${words} ET`))]));

  // An object stream nobody references that inflates to ≈400 MB and claims 150 M objects.
  const objStmData = deflatedZeros(400 * 1024 * 1024, 0x30);
  put('objstm-bomb.pdf', 'unreferenced object stream inflating to 400 MB',
    pagesPdf(['/Contents 5 0 R'], [text('(Curriculum vitae) Tj'), Buffer.concat([Buffer.from(`<< /Type /ObjStm /N 150000000 /First 10 /Filter /FlateDecode /Length ${objStmData.length} >>\nstream\n`), objStmData, Buffer.from('\nendstream')])]));

  const contentBomb = deflatedZeros(1200 * 1024 * 1024);
  const contentBombPdf = pagesPdf(['/Contents 5 0 R'], [Buffer.concat([Buffer.from(`<< /Filter /FlateDecode /Length ${contentBomb.length} >>\nstream\n`), contentBomb, Buffer.from('\nendstream')])]);
  put('content-bomb.pdf', 'page content stream inflating to 1.2 GB', contentBombPdf);

  put('operator-bomb.pdf', 'content stream of 4 million path operators',
    pagesPdf(['/Contents 5 0 R'], [stream('', Buffer.from('0 0 m 1 1 l S\n'.repeat(4_000_000)), true)]));

  put('huge-page.pdf', 'a 14,400 pt square page with no text (OCR would render gigapixels)', pagesPdf([''], [], '[0 0 14400 14400]'));

  const normal = await normalPdf(10);
  put('truncated.pdf', 'cut at 60%, xref lost', normal.subarray(0, Math.floor(normal.length * 0.6)));
  const fuzzed = Buffer.from(normal);
  let seed = 9;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const xrefAt = fuzzed.lastIndexOf('xref');
  for (let i = 0; i < 200; i++) fuzzed[xrefAt + Math.floor(rand() * (fuzzed.length - xrefAt))] = Math.floor(rand() * 256);
  for (let i = 0; i < 50; i++) fuzzed[Math.floor(rand() * fuzzed.length)] = Math.floor(rand() * 256);
  put('fuzzed-xref.pdf', 'random bytes in the xref and the body', fuzzed);

  writeFileSync(path.join(dir, 'owner-password.pdf'), ownerEncrypted(normal, 'owner-secret-example'));
  out.push({ file: 'owner-password.pdf', kind: 'owner password only (AES-256)' });

  put('deep-nesting.pdf', 'arrays nested 100,000 deep in a page', pagesPdf([`/Junk ${'['.repeat(100_000)}${']'.repeat(100_000)} /Contents 5 0 R`], [text('(Curriculum vitae) Tj')]));

  const kids = 3000; // a page tree 3,000 levels deep
  const chain: string[] = ['<< /Type /Catalog /Pages 2 0 R >>'];
  for (let i = 0; i < kids; i++) chain.push(`<< /Type /Pages /Kids [${i + 3} 0 R] /Count 1 ${i ? `/Parent ${i + 1} 0 R` : ''} >>`);
  chain.push(`<< /Type /Page /Parent ${kids + 1} 0 R /MediaBox [0 0 595 842] >>`);
  put('deep-page-tree.pdf', 'a page tree 3,000 levels deep', buildPdf(chain));

  put('too-many-pages.pdf', '5,000 pages', pagesPdf(Array.from({ length: 5000 }, () => ''), []));

  put('cr-only.eml', 'mail with CR-only line ends', mail({ pdf: normal, eol: '\r' }));
  put('bom.eml', 'mail starting with a byte-order mark', mail({ pdf: normal, bom: true }));
  put('mail-content-bomb.eml', 'mail attaching the content-stream bomb', mail({ pdf: contentBombPdf }));
  put('mail-long-header.eml', 'a 200,000-character subject', mail({ pdf: normal, subject: 'a'.repeat(200_000) }));
  // Past mailparser's 1 MB of headers nothing is read: it must not pass for an empty mail that is no application.
  put('mail-megabyte-header.eml', 'a header of 1.1 million characters', mail({ pdf: normal, extraHeader: `X-Junk: ${'a'.repeat(1_100_000)}` }));
  return out;
}

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: tsx test/hostile/make-hostile.ts OUTDIR\n');
    process.exit(1);
  }
  makeHostile(dir).then(
    (inputs) => inputs.forEach((i) => process.stdout.write(`${i.file}\t${i.kind}\n`)),
    (err: Error) => {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    },
  );
}
