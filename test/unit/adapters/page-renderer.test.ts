import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { clampWidth, createPageRenderer, PageRenderError } from '../../../adapters/page-renderer';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

async function writePdf(file: string, pages: number): Promise<{ path: string; sha256: string }> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++) {
    const page = doc.addPage([595, 842]); // A4 portrait
    page.drawText(`Page ${i}`, { x: 60, y: 700, size: 48, font });
  }
  const bytes = Buffer.from(await doc.save());
  writeFileSync(file, bytes);
  return { path: file, sha256: createHash('sha256').update(bytes).digest('hex') };
}

async function renderError(p: Promise<unknown>): Promise<PageRenderError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(PageRenderError);
    return err as PageRenderError;
  }
  throw new Error('expected a PageRenderError');
}

/** Every file under dir, relative. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)))
    .sort();
}

let dir: string;
let cacheDir: string;
let pdf: { path: string; sha256: string };
beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'esor-render-'));
  cacheDir = path.join(dir, 'cache');
  pdf = await writePdf(path.join(dir, 'application.pdf'), 3);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('page renderer (pdftoppm)', () => {
  it('renders one page as a PNG of the asked width, keeping the aspect ratio', async () => {
    const renderer = createPageRenderer({ cacheDir });
    const png = await renderer.render(pdf.path, pdf.sha256, 2, 200);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const { width, height } = pngSize(png);
    expect(width).toBe(200);
    expect(height).toBeGreaterThanOrEqual(282);
    expect(height).toBeLessThanOrEqual(284);
    expect(renderer.stats()).toMatchObject({ renders: 1, cacheHits: 0, running: 0, waiting: 0 });
  });

  it('answers a second request from the cache without running pdftoppm again, also after a restart', async () => {
    const renderer = createPageRenderer({ cacheDir });
    const first = await renderer.render(pdf.path, pdf.sha256, 1, 120);
    const files = listFiles(cacheDir);
    expect(files).toEqual([path.join(pdf.sha256.slice(0, 2), `${pdf.sha256}-p1-w120.png`)]);
    const mtime = statSync(path.join(cacheDir, files[0]!)).mtimeMs;

    const second = await renderer.render(pdf.path, pdf.sha256, 1, 120);
    expect(second.equals(first)).toBe(true);
    expect(renderer.stats()).toMatchObject({ renders: 1, cacheHits: 1 });

    // A new renderer on the same folder (another process, a restart) finds the file too.
    const again = createPageRenderer({ cacheDir });
    expect((await again.render(pdf.path, pdf.sha256, 1, 120)).equals(first)).toBe(true);
    expect(again.stats()).toMatchObject({ renders: 0, cacheHits: 1 });
    expect(statSync(path.join(cacheDir, files[0]!)).mtimeMs).toBe(mtime);
    // No temporary file or work folder is left behind.
    expect(listFiles(cacheDir)).toEqual(files);
    expect(readdirSync(path.join(cacheDir, pdf.sha256.slice(0, 2)))).toEqual([`${pdf.sha256}-p1-w120.png`]);
  });

  it('keys the cache by page and width: another page or width is another render', async () => {
    const renderer = createPageRenderer({ cacheDir });
    await renderer.render(pdf.path, pdf.sha256, 1, 120);
    await renderer.render(pdf.path, pdf.sha256, 2, 120);
    await renderer.render(pdf.path, pdf.sha256, 1, 160);
    expect(renderer.stats().renders).toBe(3);
  });

  it('shares one render between concurrent requests for the same page and width', async () => {
    const renderer = createPageRenderer({ cacheDir });
    const pngs = await Promise.all(Array.from({ length: 5 }, () => renderer.render(pdf.path, pdf.sha256, 3, 100)));
    expect(renderer.stats().renders).toBe(1);
    for (const png of pngs) expect(png.equals(pngs[0]!)).toBe(true);
  });

  it('runs at most maxConcurrent pdftoppm processes at a time, queueing the rest', async () => {
    // pdftoppm behind a wrapper that logs when each run starts and ends, slowed so runs would overlap.
    const log = path.join(dir, 'runs.log');
    const wrapper = path.join(dir, 'logging-pdftoppm');
    writeFileSync(wrapper, `#!/bin/sh\necho start >> '${log}'\nsleep 0.2\npdftoppm "$@"\nrc=$?\necho end >> '${log}'\nexit $rc\n`);
    chmodSync(wrapper, 0o755);

    const one = createPageRenderer({ cacheDir: path.join(dir, 'one'), maxConcurrent: 1, pdftoppmPath: wrapper });
    await Promise.all([1, 2, 3].map((page) => one.render(pdf.path, pdf.sha256, page, 80)));
    expect(readFileSync(log, 'utf8').split('\n').filter(Boolean)).toEqual(['start', 'end', 'start', 'end', 'start', 'end']);
    expect(one.stats()).toMatchObject({ renders: 3, running: 0, waiting: 0 });

    rmSync(log);
    const two = createPageRenderer({ cacheDir: path.join(dir, 'two'), maxConcurrent: 2, pdftoppmPath: wrapper });
    await Promise.all([1, 2, 3].map((page) => two.render(pdf.path, pdf.sha256, page, 80)));
    expect(readFileSync(log, 'utf8').split('\n').filter(Boolean).slice(0, 2)).toEqual(['start', 'start']);
    expect(two.stats()).toMatchObject({ renders: 3, running: 0, waiting: 0 });
  });

  it('clamps the width to 40..800', async () => {
    expect([clampWidth(1), clampWidth(40), clampWidth(300.4), clampWidth(5000), clampWidth(Number.NaN)]).toEqual([40, 40, 300, 800, 40]);
    const renderer = createPageRenderer({ cacheDir });
    expect(pngSize(await renderer.render(pdf.path, pdf.sha256, 1, 5000)).width).toBe(800);
    expect(pngSize(await renderer.render(pdf.path, pdf.sha256, 1, 3)).width).toBe(40);
  });

  it('says PAGE_OUT_OF_RANGE for a page the PDF does not have, and for page 0', async () => {
    const renderer = createPageRenderer({ cacheDir });
    const err = await renderError(renderer.render(pdf.path, pdf.sha256, 99, 200));
    expect(err.code).toBe('PAGE_OUT_OF_RANGE');
    expect(err.message).toBe('the PDF has no page 99');
    expect((await renderError(renderer.render(pdf.path, pdf.sha256, 0, 200))).code).toBe('PAGE_OUT_OF_RANGE');
    expect((await renderError(renderer.render(pdf.path, pdf.sha256, 1.5, 200))).code).toBe('PAGE_OUT_OF_RANGE');
    expect(listFiles(cacheDir)).toEqual([]);
  });

  it('says RENDER_FAILED for a corrupt PDF, a file that is no PDF and a missing file, caching nothing', async () => {
    const renderer = createPageRenderer({ cacheDir });
    const truncated = path.join(dir, 'truncated.pdf');
    writeFileSync(truncated, readFileSync(pdf.path).subarray(0, 400));
    const garbage = path.join(dir, 'garbage.pdf');
    writeFileSync(garbage, 'this is not a PDF at all\n');
    for (const file of [truncated, garbage, path.join(dir, 'missing.pdf')]) {
      const err = await renderError(renderer.render(file, 'a'.repeat(64), 1, 200));
      expect(err.code).toBe('RENDER_FAILED');
      expect(err.message).not.toContain(dir);
    }
    expect(listFiles(cacheDir)).toEqual([]);
    // The renderer still works afterwards.
    expect((await renderer.render(pdf.path, pdf.sha256, 1, 100)).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });

  it('refuses a hash that is no SHA-256, since it names the cache file', async () => {
    const renderer = createPageRenderer({ cacheDir });
    const err = await renderError(renderer.render(pdf.path, '../../etc/passwd', 1, 200));
    expect(err.code).toBe('RENDER_FAILED');
    expect(renderer.stats().renders).toBe(0);
  });

  it('kills a renderer that hangs and says RENDER_TIMEOUT', async () => {
    // A stand-in for a pdftoppm stuck on a hostile PDF; `exec` so the killed process is the sleeping one.
    const hang = path.join(dir, 'hanging-pdftoppm');
    writeFileSync(hang, '#!/bin/sh\nexec sleep 30\n');
    chmodSync(hang, 0o755);
    const renderer = createPageRenderer({ cacheDir, timeoutMs: 300, pdftoppmPath: hang });
    // The stand-in sleeps 30 s: only the kill lets this finish within the test's timeout.
    const err = await renderError(renderer.render(pdf.path, pdf.sha256, 1, 200));
    expect(err.code).toBe('RENDER_TIMEOUT');
    expect(renderer.stats().running).toBe(0);
    expect(listFiles(cacheDir)).toEqual([]);
  });
});
