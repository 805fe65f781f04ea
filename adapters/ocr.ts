/**
 * Reads scanned pages (no text layer) with OCR: poppler's `pdftoppm` renders
 * the page in grey (PGM) at a resolution fitted to the scan (`pdfimages -list`
 * gives the scan's ppi, see ocr/resolution), Debian's `tesseract` CLI reads it
 * (TSV, so each word comes with a confidence). Words read with low confidence
 * are dropped, and a page that yields too few good words stays image-only: a
 * photo or a passport picture must not turn into made-up text.
 *
 * Cheapest reading first, more only where it was poor. Most scans are upright
 * Latin pages in the call's languages, so a page is first read with English
 * and French alone at 200 dpi (≈0.35 s a page against ≈0.9 s with eight
 * languages). A reading with few confident words or a low mean confidence
 * (a Cyrillic page read with Latin models averages ≈45, an upside-down page
 * ≈55, an office scan 75–90) pays for tesseract's orientation and script
 * detection (OSD, ≈0.3 s: more than the reading it would spare on every good
 * page): a page OSD finds on its side or upside down is read turned (kept if
 * it then reads better: OSD is often wrong on noisy scans), a page in another
 * script is read with its script's languages (ocr/script-languages), a Latin
 * page that made no sense is read with the eight Latin languages as before
 * (then with Georgian and Armenian, scripts OSD does not know), and one that
 * read merely middling once more at 300 dpi (small print, table cells).
 * The reading with the most confident words (weighed by mean confidence) wins.
 *
 * Tesseract reads each page cut to its ink (ocr/crop): a certificate's text
 * usually fills a third of the page, and tesseract's cost follows the pixels
 * it walks as well as the words (≈0.38 → 0.30 s a page; pages whose ink fills
 * most of the page are read whole).
 *
 * Table rows: tesseract often makes each cell of a table a block of its own
 * and gives "CEFR Level" and its "C1" far from their rows; short lines that
 * share a row's height are joined into it, left to right (ocr/rows).
 *
 * The first reading of all the scanned pages of a PDF is one tesseract run
 * over a list of their images (ocr/batch): loading the models costs ≈0.12 s a
 * run, so a PDF's pages read together cost ≈0.18 s a page instead of ≈0.3 s;
 * a batch of six pages or more is split in two for the two cores. Only the
 * pages that read poorly get runs of their own (OSD, other languages). In the
 * same way consecutive scanned pages are rendered by one pdftoppm run.
 * A tilted page is turned only where its ink is (ocr/deskew straightInk), not
 * whole: the same pixels reach tesseract for less of this process's CPU.
 *
 * Single-threaded tesseract runs (OMP_THREAD_LIMIT=1: its default
 * OpenMP threading oversubscribes small machines, ≈15 s instead of ≈1 s per
 * page), at most `concurrency` at a time, each under a timeout and, through
 * `prlimit`, a memory cap. A page is rendered at most `maxPixels` large (its
 * resolution lowered to fit): a 14,400 pt page at 200 dpi would be a 1.6 GB
 * image. What a page read is cached by its first image's hash (ocr/page-cache).
 * Without tesseract on the machine, OCR is off and pages stay image-only.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { run } from './bounded-run';
import os from 'node:os';
import path from 'node:path';
import { findCountries } from '../core/facts/countries';
import type { PageText } from '../core/types';
import { straightInk } from './ocr/deskew';
import { pageRuns, renderedPages, splitBatch, splitTsvPages } from './ocr/batch';
import { type CachedReading, createPageCache, imageDigest, pageKey } from './ocr/page-cache';
import { keptWord, withoutBorderMarks } from './ocr/kept-word';
import { lineBoxes, rowsText } from './ocr/rows';
import { formatPgm, parsePgm, rotatePgm } from './ocr/pgm';
import { listsImages, OCR_FIRST_DPI, OCR_TARGET_DPI, pageListing, parseImagePpi, renderDpi } from './ocr/resolution';
import { COUNTRY_SCRIPTS, LATIN_FALLBACK, languagesForScript, type OsdResult, parseOsd, SCRIPT_LANGUAGES, unknownToOsd } from './ocr/script-languages';
import { sweepStaleTemp } from './pdf-sandbox/stale-temp';

/** Paper kept around a page's ink when it is cut to it, in inches (a stray accent or a faint line's edge stays in). */
const CROP_MARGIN_INCH = 0.15;

/** The Latin languages of the call's documents, in tesseract's names: the reading when a page's script is unknown. */
export const OCR_LANGUAGES = LATIN_FALLBACK;

export interface OcrOptions {
  /** The languages read with when OSD cannot tell a poorly read page's script; default OCR_LANGUAGES (the installed ones). */
  languages?: readonly string[];
  /** Resolution the scan's text is brought to for the first reading (see ocr/resolution); default 200. */
  dpi?: number;
  /** Resolution of the second reading of a Latin page read with low confidence; default 300. */
  retryDpi?: number;
  /** Per page (render + read); default 20 s. */
  timeoutMs?: number;
  /** Wall time for all the OCR of one PDF; pages not read by then stay image-only. Default 120 s. */
  budgetMs?: number;
  /** At most this many scanned pages read per PDF (a 300-page scan is no application); default 30. */
  maxPagesPerPdf?: number;
  /** Pages read at once; default 2. */
  concurrency?: number;
  /** Words below this confidence (0–100) are dropped; default 60. */
  minWordConfidence?: number;
  /** A page needs this many good words to count as read; default 8. */
  minWords?: number;
  /**
   * A first reading whose words average below this confidence is checked further (OSD, more
   * languages or a finer resolution); default 75 (office scans average 76–92 at 200 dpi, a
   * Cyrillic page read with Latin models about 45, a Greek one about 60, an upside-down one 55).
   */
  rereadBelowConfidence?: number;
  /** A poor Latin reading below this mean confidence (or with too few words) is read with more languages, above it at the retry resolution; default 60. */
  wrongScriptBelowConfidence?: number;
  /** A first (Latin) reading below this mean confidence is read again in the scripts the PDF's countries use (85). */
  hintedScriptBelowConfidence?: number;
  /** OSD's orientation confidence needed to try a page turned; default 3 (turned pages of our tests: 12–14; the upright reading must also be the better one). */
  minOrientationConfidence?: number;
  /** OSD's script confidence needed to choose that script's languages; default 2. */
  minScriptConfidence?: number;
  /** Read each page cut to its ink (ocr/crop); default true. */
  cropToInk?: boolean;
  /** 'cells': short lines (table cells) joined into the rows they sit on (ocr/rows); 'never': tesseract's lines as they are. Default 'cells'. */
  rows?: RowJoining;
  /** Page readings remembered by image hash; default 500, 0 turns the cache off. */
  cacheEntries?: number;
  /** Largest page image rendered, in pixels; default 16 M (A4 at 300 dpi is 8.7 M). */
  maxPixels?: number;
  /** Address-space cap of each pdftoppm / tesseract run, in MB; default 1024. */
  memoryMb?: number;
  tesseractPath?: string;
  pdftoppmPath?: string;
  pdfinfoPath?: string;
  pdfimagesPath?: string;
}

export interface OcrEngine {
  /** The languages tesseract will use; empty when OCR is unavailable. */
  languages(): Promise<string[]>;
  /**
   * Reads the image-only pages of one PDF (`pages` as the PDF reader returned them) and returns
   * the pages with OCR text filled in (`ocr: true`, `imageOnly: false`) where enough was read.
   * Never throws: a page that cannot be read stays as it was.
   */
  readScannedPages(pdf: Uint8Array, pages: PageText[]): Promise<PageText[]>;
}

/** A page rendered for OCR, and how to render it again finer. */
interface RenderedPage {
  image: string;
  dpi: number;
  /** The page at `dpi` (fitted to its scan and the pixel cap); undefined when that is no finer than this one. */
  render(dpi: number): Promise<{ image: string; dpi: number } | undefined>;
}

/** One tesseract reading of a page: its text (confident words) and how good it is. */
export interface Reading {
  text: string;
  /** Confident words with two letters or a digit. */
  goodWords: number;
  /** Mean confidence of all words read (0 when none). */
  meanConfidence: number;
}

export function createOcrEngine(opts: OcrOptions = {}): OcrEngine {
  const tesseract = opts.tesseractPath ?? 'tesseract';
  const pdftoppm = opts.pdftoppmPath ?? 'pdftoppm';
  const pdfinfo = opts.pdfinfoPath ?? 'pdfinfo';
  const pdfimages = opts.pdfimagesPath ?? 'pdfimages';
  const maxPixels = opts.maxPixels ?? 16_000_000;
  const memoryBytes = (opts.memoryMb ?? 1024) * 1024 * 1024;
  const targetDpi = opts.dpi ?? OCR_FIRST_DPI;
  const retryDpi = opts.retryDpi ?? OCR_TARGET_DPI;
  const wrongScriptBelow = opts.wrongScriptBelowConfidence ?? 60;
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const maxPages = opts.maxPagesPerPdf ?? 30;
  const budgetMs = opts.budgetMs ?? 120_000;
  const minConfidence = opts.minWordConfidence ?? 60;
  const minWords = opts.minWords ?? 8;
  const rereadBelow = opts.rereadBelowConfidence ?? 75;
  // A Latin reading this sure is not read again in a hinted script (ocr/script-languages COUNTRY_SCRIPTS).
  const hintedScriptBelow = opts.hintedScriptBelowConfidence ?? 85;
  const minOrientation = opts.minOrientationConfidence ?? 3;
  const minScript = opts.minScriptConfidence ?? 2;
  const concurrency = opts.concurrency ?? 2;
  const limit = createLimiter(concurrency);
  const cache = createPageCache(opts.cacheEntries ?? 500);
  const crop = opts.cropToInk ?? true;
  const rows = opts.rows ?? 'cells';
  // Everything besides the image that decides what a page reads: part of the cache key.
  const settings = JSON.stringify([opts.languages ?? OCR_LANGUAGES, crop, rows, targetDpi, retryDpi, wrongScriptBelow, minConfidence, minWords, rereadBelow, hintedScriptBelow, minOrientation, minScript, maxPixels]);
  let installedSet: Promise<Set<string>> | undefined;

  const installed = () =>
    (installedSet ??= run(tesseract, ['--list-langs'], timeoutMs, memoryBytes).then(
      (out) => new Set(out.split('\n').map((l) => l.trim()).filter((l) => /^[a-z_]{3,12}$/.test(l))),
      () => new Set<string>(),
    ));
  const fallbackLanguages = async () => {
    const have = await installed();
    return (opts.languages ?? OCR_LANGUAGES).filter((l) => have.has(l));
  };

  async function read(image: string, pageDpi: number, langs: readonly string[], left: () => number): Promise<Reading> {
    const tsv = await run(tesseract, [image, '-', '--dpi', String(pageDpi), '-l', langs.join('+'), 'tsv'], Math.max(1, left()), memoryBytes);
    return scoreTsv(tsv, minConfidence, rows);
  }

  const poor = (r: Reading) => r.goodWords < minWords || r.meanConfidence < rereadBelow;
  // Confident words, weighted by how sure the whole reading is: Latin garbage of a Georgian page has a few "good" words too.
  const better = (a: Reading, b: Reading) => (b.goodWords * b.meanConfidence > a.goodWords * a.meanConfidence ? b : a);

  /**
   * Reads one page, cheapest first: English and French at the first resolution. A poor reading is
   * checked by OSD (script, orientation). A page on its side or upside down is read again upright,
   * a page in another script with that script's languages. A Latin page that read very badly (or
   * whose script OSD could not tell) is read with the eight Latin languages, then, if still
   * senseless, with the scripts OSD does not know; one that read merely poorly (small print, a
   * table's cells, a noisy scan) is read again at the retry resolution. The best reading wins.
   */
  async function readImage(page: RenderedPage, left: () => number, hinted: readonly string[], first?: Reading): Promise<Reading> {
    const have = await installed();
    const latin = languagesForScript('Latin', have);
    const fallback = await fallbackLanguages();
    let best = first ?? (await read(page.image, page.dpi, latin.length > 0 ? latin : fallback, left));
    // The applicant's documents name a country of another script: read with it too unless Latin read very well.
    // Its reading must be clearly the better one (a quarter more confident words): a bilingual passport page
    // reads nearly as well in Cyrillic, with Latin letters turned into their look-alikes ("29 ОСТ 2030").
    let hintedWon = false;
    const readHinted = async (image: string): Promise<void> => {
      for (const script of hinted) {
        if (best.meanConfidence >= hintedScriptBelow || left() <= 0) break;
        const own = languagesForScript(script, have);
        if (own.length === 0) continue;
        const again = await read(image, page.dpi, own, left);
        if (again.goodWords * again.meanConfidence > HINTED_SCRIPT_MARGIN * best.goodWords * best.meanConfidence) [best, hintedWon] = [again, true];
      }
    };
    await readHinted(page.image);
    // The hinted script read the page clearly better, and well: it is the page's script, and the Latin
    // readings below (OSD, the eight Latin languages) would only bring its look-alikes back without the margin.
    if (hintedWon && !poor(best)) return best;
    if (!poor(best) && lostResultCell(best.text) && retryDpi > page.dpi && left() > 0) {
      // A test report read well but for the cell that decides: once more, finer, and the finer reading wins if it has it.
      const fine = await page.render(retryDpi);
      const again = fine ? await read(fine.image, fine.dpi, latin.length > 0 ? latin : fallback, left) : undefined;
      return again && !lostResultCell(again.text) ? again : best;
    }
    if (!poor(best) || left() <= 0) return best;
    const osd = await run(tesseract, [page.image, '-', '--psm', '0', '--dpi', String(page.dpi)], Math.max(1, left()), memoryBytes).then(parseOsd, () => undefined);
    let image = page.image;
    const turns = turnsToTry(osd, best.meanConfidence < wrongScriptBelow, minOrientation);
    const pgm = turns.length > 0 ? parsePgm(readFileSync(page.image)) : undefined;
    for (const turn of turns) {
      if (!pgm || left() <= 0) break;
      // Turned only if the upright reading is the better one: OSD is often wrong on a noisy page.
      const upright = `${page.image}-${turn}.pgm`;
      writeFileSync(upright, formatPgm(rotatePgm(pgm, turn)));
      const again = await read(upright, page.dpi, latin.length > 0 ? latin : fallback, left);
      if (better(best, again) === again) {
        [best, image, hintedWon] = [again, upright, false];
        // Upside down, the hinted script read as badly as Latin did; upright it may read far better (a Greek
        // diploma scanned upside down came out, turned, as Latin look-alikes: "EAAHNIKH AHMOKPATIA").
        await readHinted(upright);
      }
      if (!poor(best) || left() <= 0) return best;
    }
    // No OSD answer: too few letters on the page to tell; one reading as before (the eight Latin languages) and done.
    if (!osd) return left() > 0 ? better(best, await read(image, page.dpi, fallback, left)) : best;
    const script = osd.script !== 'Latin' && osd.scriptConfidence >= minScript ? languagesForScript(osd.script, have) : [];
    if (script.length > 0) return better(best, await read(image, page.dpi, script, left));
    if (best.goodWords < minWords || best.meanConfidence < wrongScriptBelow) {
      best = better(best, await read(image, page.dpi, fallback, left));
      // Still senseless as Latin: a script OSD's model hardly knows (it calls Georgian "Malayalam", Armenian "Latin");
      // taken only if it reads well, never garbage of one script over garbage of another.
      const probe = unknownToOsd(have);
      if (best.meanConfidence < wrongScriptBelow && probe.length > 0 && left() > 0) {
        const again = await read(image, page.dpi, probe, left);
        if (!poor(again)) best = better(best, again);
      }
      return best;
    }
    if (image !== page.image) return best;
    // A Latin page read with middling confidence: once more, finer (small print, a table's cells).
    const fine = retryDpi > page.dpi && left() > 0 ? await page.render(retryDpi) : undefined;
    return fine ? better(best, await read(fine.image, fine.dpi, latin.length > 0 ? latin : fallback, left)) : best;
  }

  /** A page's renderer: pdftoppm at a resolution fitted to its scan and the pixel cap; the files it wrote are listed for removal. */
  function pageRenderer(file: string, dir: string, index: number, left: () => number, ppi: number | undefined, size?: [number, number]): PageRenderer {
    const files: string[] = [];
    const dpiFor = (target: number) => {
      const wanted = renderDpi(ppi, target);
      return size ? dpiWithin(wanted, size, maxPixels) : wanted;
    };
    const render = async (dpi: number): Promise<PageImage> => {
      const prefix = path.join(dir, `p${index}-${dpi}`);
      // PGM, not PNG: poppler's PNG encoder spends seconds on a noisy scan (4 s against 0.07 s for
      // a 200 dpi page with grain), tesseract reads either the same; the PGM carries no resolution, so say it.
      await run(pdftoppm, ['-r', String(dpi), '-gray', '-f', String(index), '-l', String(index), '-singlefile', file, prefix], Math.max(1, left()), memoryBytes);
      return adopt(`${prefix}.pgm`, dpi);
    };
    /** A rendering of the page made elsewhere (a run over several pages, see renderRuns), with the files made from it. */
    const adopt = (image: string, dpi: number): PageImage => {
      const stem = image.replace(/\.pgm$/, '');
      files.push(image, `${image}-upright.pgm`, `${stem}-ink.pgm`, `${stem}-ink.pgm-upright.pgm`);
      return { image, dpi };
    };
    return { files, dpiFor, render, adopt };
  }

  // Tesseract reads the page turned straight (ocr/deskew: a tilted table comes apart) and cut to its
  // ink (ocr/crop: most scans carry their text on a third of the page).
  /** The image to read, or null when the page has no ink at all (ocr/crop NO_INK: blank paper). */
  function cropped(image: string, dpi: number): string | null {
    if (!crop) return image;
    const read = parsePgm(readFileSync(image));
    if (!read) return image;
    const straight = straightInk(read, dpi, Math.round(dpi * CROP_MARGIN_INCH));
    if (straight === null) return null;
    if (straight === read) return image;
    const out = image.replace(/\.pgm$/, '-ink.pgm');
    writeFileSync(out, formatPgm(straight));
    return out;
  }

  /**
   * A scanned page's renderer and first resolution; undefined when the page lists no image
   * (`listed`: pdfimages' listing of the PDF's scanned pages, undefined when that failed).
   */
  function planPage(file: string, dir: string, job: PageJob, left: () => number, listed: string | undefined): PagePlan | undefined {
    const own = listed === undefined ? undefined : pageListing(listed, job.index);
    // A page with no text and no picture holds nothing a scan reader can read; rendering it can still cost
    // seconds (a page of four million path operators took 9 s). Text drawn as outlines stays unread: rare.
    if (own !== undefined && !listsImages(own)) return undefined;
    const renderer = pageRenderer(file, dir, job.index, left, own === undefined ? undefined : parseImagePpi(own), job.size);
    return { job, renderer, index: job.index, dpi: renderer.dpiFor(targetDpi) };
  }

  /**
   * The first rendering of runs of consecutive scanned pages of one resolution (ocr/batch pageRuns), one
   * pdftoppm run each, by page number. A run gets one page's timeout (a legitimate run of 30 pages takes a
   * few seconds) and at most half the budget left; a run that fails leaves its pages to be rendered alone.
   */
  async function renderRuns(file: string, dir: string, plans: readonly PagePlan[], deadline: number): Promise<Map<number, string>> {
    const images = new Map<number, string>();
    const runs = pageRuns(plans, concurrency).filter((r) => r.length > 1);
    await Promise.all(
      runs.map((pages, n) =>
        limit(async () => {
          const time = Math.floor(Math.min(timeoutMs, (deadline - Date.now()) / 2));
          if (time <= 0) return;
          const runDir = path.join(dir, `run-${n}`);
          mkdirSync(runDir);
          const [from, to] = [pages[0]!.index, pages[pages.length - 1]!.index];
          const args = ['-r', String(pages[0]!.dpi), '-gray', '-f', String(from), '-l', String(to), file, path.join(runDir, 'p')];
          if (!(await run(pdftoppm, args, time, memoryBytes).then(() => true, () => false))) return;
          for (const [index, name] of renderedPages(readdirSync(runDir))) images.set(index, path.join(runDir, name));
        }),
      ),
    );
    return images;
  }

  /** Renders a scanned page (unless a run did, `pre`), looks it up in the cache, and cuts it to its ink. */
  async function preparePage(plan: PagePlan, hinted: readonly string[], pre: string | undefined): Promise<PreparedPage> {
    const { job, renderer } = plan;
    const prepared: PreparedPage = { ...job, key: '', files: renderer.files };
    try {
      const first = pre ? renderer.adopt(pre, plan.dpi) : await renderer.render(plan.dpi);
      const digest = imageDigest(readFileSync(first.image));
      prepared.keyFor = (scripts) => pageKey(digest, `${first.dpi}:${settings}:${scripts.join(',')}`);
      prepared.key = prepared.keyFor(hinted);
      prepared.cached = cache.get(prepared.key);
      if (prepared.cached !== undefined) return prepared;
      const finer = async (target: number) => {
        if (renderer.dpiFor(target) <= first.dpi) return undefined;
        const again = await renderer.render(renderer.dpiFor(target));
        const image = cropped(again.image, again.dpi);
        return image === null ? undefined : { image, dpi: again.dpi };
      };
      const image = cropped(first.image, first.dpi);
      if (image === null) prepared.blank = true;
      else prepared.rendered = { image, dpi: first.dpi, render: finer };
      return prepared;
    } catch (err) {
      removeFiles(prepared.files);
      throw err;
    }
  }

  /**
   * The first reading (the Latin languages) of the prepared pages, one tesseract run per batch of
   * pages of one resolution (ocr/batch: the models load once), batches split across the cores. A
   * batch that fails leaves its pages without a first reading: each is then read alone.
   */
  async function readFirst(pages: readonly PreparedPage[], dir: string, deadline: number): Promise<void> {
    const have = await installed();
    const latin = languagesForScript('Latin', have);
    const langs = latin.length > 0 ? latin : await fallbackLanguages();
    const byDpi = new Map<number, PreparedPage[]>();
    for (const p of pages) if (p.rendered) byDpi.set(p.rendered.dpi, [...(byDpi.get(p.rendered.dpi) ?? []), p]);
    const batches = [...byDpi.values()].flatMap((group) => splitBatch(group, concurrency));
    await Promise.all(
      batches.map((batch, n) =>
        limit(async () => {
          const readings = await readList(batch.map((p) => p.rendered!.image), batch[0]!.rendered!.dpi, langs, path.join(dir, `list-${n}.txt`), deadline);
          readings?.forEach((r, i) => (batch[i]!.first = r));
        }),
      ),
    );
  }

  /**
   * `images` read by one tesseract run over a list file; undefined when it failed (or is over the PDF's budget).
   * The run gets at most half the budget left: a page that stalls tesseract (a hostile scan) fails the whole
   * run, and the other half is for reading the pages alone, where only that page times out.
   */
  async function readList(images: string[], dpi: number, langs: readonly string[], listFile: string, deadline: number): Promise<Reading[] | undefined> {
    // Whole milliseconds: execFile throws on a fractional timeout, and half of an odd remainder made every
    // such list run fail (its pages were then read one by one; a test counting runs failed 2 times in 3).
    const left = Math.floor(Math.min(timeoutMs * images.length, images.length > 1 ? (deadline - Date.now()) / 2 : deadline - Date.now()));
    if (left <= 0) return undefined;
    if (images.length === 1) return read(images[0]!, dpi, langs, () => left).then((r) => [r], () => undefined);
    writeFileSync(listFile, `${images.join('\n')}\n`);
    const tsv = await run(tesseract, [listFile, '-', '--dpi', String(dpi), '-l', langs.join('+'), 'tsv'], left, memoryBytes).catch(() => undefined);
    return tsv === undefined ? undefined : splitTsvPages(tsv, images.length)?.map((one) => scoreTsv(one, minConfidence, rows));
  }

  /** A prepared page's text: from the cache, or read (its first reading given or done here) and then cached. */
  async function finishPage(prepared: PreparedPage, left: () => number, hinted: readonly string[]): Promise<PageText> {
    if (prepared.blank) return { ...prepared.page, ocr: true };
    let text = prepared.cached;
    if (text === undefined) {
      if (left() <= 0) return prepared.page; // over the PDF's budget: the page stays image-only
      const reading = await readImage(prepared.rendered!, left, hinted, prepared.first);
      text = reading.goodWords >= minWords ? reading.text : reading.goodWords > 0 ? '' : null;
      if (left() > 0) cache.set(prepared.key, text); // a reading cut short by the budget is not the page's last word
    }
    // Read without confident words (a script or a photo tesseract cannot read): still a scan, placed by its
    // place, and marked so: a certificate or a letter nothing is legible of is no proof of itself (certainty).
    if (text === null) return { ...prepared.page, nothingRead: true };
    // A few legible words and no more (a photograph page with a name under it, where the passport belonged): the
    // scan was read, and it is no page of text; its place alone is no proof of what it is (PageText.unread).
    if (text === '') return { ...prepared.page, unread: true };
    return { ...prepared.page, text, imageOnly: false, ocr: true };
  }

  /** Prepares the scanned pages (`jobs`), reads them (first reading in batches) and fills `out`; a page that fails stays as it was. */
  async function readPages(file: string, dir: string, jobs: readonly PageJob[], deadline: number, hinted: readonly string[], out: PageText[]): Promise<void> {
    const left = () => Math.min(timeoutMs, deadline - Date.now());
    if (jobs.length === 0) return;
    const [from, to] = [jobs[0]!.index, jobs[jobs.length - 1]!.index];
    const listed = await run(pdfimages, ['-list', '-f', String(from), '-l', String(to), file], Math.max(1, left()), memoryBytes).catch(() => undefined);
    const planned = jobs.map((job) => ({ job, plan: planPage(file, dir, job, left, listed) }));
    // A page with no text and no picture was looked at and holds nothing to read: blank paper as far as OCR
    // can tell (a blank page after the references was doubted as the missing degree, et37).
    for (const { job, plan } of planned) if (!plan) out[job.index - 1] = { ...job.page, ocr: true };
    const plans = planned.flatMap(({ plan }) => (plan ? [plan] : []));
    const rendered = await renderRuns(file, dir, plans, deadline);
    const prepared = await Promise.all(
      plans.map((plan) => (left() <= 0 ? undefined : limit(() => preparePage(plan, hinted, rendered.get(plan.index))).catch(() => undefined))),
    );
    const ready = prepared.filter((p): p is PreparedPage => p !== undefined);
    try {
      await readFirst(ready.filter((p) => p.rendered), dir, deadline);
      // A PDF scanned whole has no text page to name the applicant's country: the first readings of its
      // Latin pages do ("Country of residence: Greece" on the scanned CV), and the Greek diploma beside
      // them, read with Latin models as confident look-alikes ("EAAHNIKH AHMOKPATIA"), is read in Greek too.
      const named = scriptsNamedIn(ready.map((p) => p.first?.text ?? '').join('\n'));
      const scripts = [...hinted, ...named.filter((script) => !hinted.includes(script))];
      if (scripts.length > hinted.length) {
        for (const p of ready) {
          if (p.cached !== undefined || !p.keyFor) continue;
          p.key = p.keyFor(scripts);
          p.cached = cache.get(p.key);
        }
      }
      await Promise.all(
        ready.map((p) =>
          limit(() => finishPage(p, left, scripts)).then(
            (read) => (out[p.index - 1] = read),
            () => undefined, // a page OCR cannot read stays image-only
          ),
        ),
      );
    } finally {
      for (const p of ready) removeFiles(p.files);
    }
  }

  return {
    async languages() {
      const have = await installed();
      if (have.size === 0) return [];
      const all = new Set([...Object.values(SCRIPT_LANGUAGES).flat(), ...(opts.languages ?? OCR_LANGUAGES)]);
      return [...all].filter((l) => have.has(l));
    },
    async readScannedPages(pdf, pages) {
      const scanned = pages.map((p, i) => ({ p, i })).filter(({ p }) => p.imageOnly);
      if (scanned.length === 0) return pages;
      if ((await fallbackLanguages()).length === 0) return pages;
      sweepStaleTemp('esor-ocr-');
      const deadline = Date.now() + budgetMs;
      const dir = mkdtempSync(path.join(os.tmpdir(), 'esor-ocr-'));
      try {
        const file = path.join(dir, 'doc.pdf');
        writeFileSync(file, pdf, { mode: 0o600 });
        const out = [...pages];
        // Page sizes first: unknown sizes (pdfinfo failed) fall back to pdftoppm's memory cap alone.
        const hinted = hintedScripts(pages);
        const sizes = await run(pdfinfo, ['-f', '1', '-l', String(pages.length), file], timeoutMs, memoryBytes).then(parsePageSizes, () => new Map<number, [number, number]>());
        const jobs = scanned.slice(0, maxPages).map(({ p, i }) => ({ page: p, index: i + 1, size: sizes.get(i + 1) }));
        await readPages(file, dir, jobs, deadline, hinted, out);
        return out;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A scanned page to read: as the PDF reader returned it, its 1-based number, its size in points (when pdfinfo said). */
interface PageJob {
  page: PageText;
  index: number;
  size?: [number, number];
}

/** A page image and the resolution it was rendered at. */
interface PageImage {
  image: string;
  dpi: number;
}

/** Renders one scanned page (pdftoppm), and lists the files it and the reading made, for removal. */
interface PageRenderer {
  files: string[];
  /** The resolution to render at for `target` dpi, fitted to the scan's own and the pixel cap. */
  dpiFor(target: number): number;
  render(dpi: number): Promise<PageImage>;
  /** A rendering made by a run over several pages (renderRuns). */
  adopt(image: string, dpi: number): PageImage;
}

/** A scanned page with its renderer and the resolution of its first rendering. */
interface PagePlan {
  job: PageJob;
  renderer: PageRenderer;
  index: number;
  dpi: number;
}

/** A page rendered and looked up in the cache; `rendered` (its image cut to ink) when it is still to be read. */
interface PreparedPage extends PageJob {
  key: string;
  /** The cache key of its image read with these hinted scripts (set once the image is rendered). */
  keyFor?: (scripts: readonly string[]) => string;
  files: string[];
  cached?: CachedReading;
  rendered?: RenderedPage;
  /** Its first reading, when the batch run gave one. */
  first?: Reading;
  /** No ink on it (ocr/crop NO_INK): not read; the page says OCR looked and found nothing. */
  blank?: boolean;
}

function removeFiles(files: readonly string[]): void {
  for (const f of files) rmSync(f, { force: true });
}

/**
 * A language test report whose level cell did not read: the page names the CEFR level's label ("CEFR Level",
 * "Niveau CECRL") and no level stands anywhere on it. On a scanned IELTS form at 200 dpi the light "C1" came
 * out as "CE" at confidence 28 and was dropped; at 300 dpi it reads at 96.
 */
export function lostResultCell(text: string): boolean {
  return /(?<![\p{L}])(?:cefr|cecrl?|gers|qcer|mcer)\s*(?:level|niveau|livello|nivel|niveau atteint)?(?![\p{L}])/iu.test(text) && !/(?<![\p{L}\p{N}])[ABC][12](?![\p{L}\p{N}])/u.test(text);
}

/** How much better (confident words × mean confidence) a hinted script's reading must be to replace the Latin one. */
const HINTED_SCRIPT_MARGIN = 1.25;

/** The text pages' words read for countries: at most this many characters (a CV and letters are far shorter). */
const HINT_TEXT_CHARS = 100_000;

/**
 * The scripts other than Latin of the countries the PDF's text pages name (COUNTRY_SCRIPTS): a Greek
 * applicant's CV says Greece, and her scanned diploma is then read with Greek as well as Latin.
 */
export function hintedScripts(pages: readonly PageText[]): string[] {
  return scriptsNamedIn(pages.filter((p) => !p.imageOnly).map((p) => p.text).join('\n'));
}

/** The scripts other than Latin of the countries `text` names (COUNTRY_SCRIPTS). */
function scriptsNamedIn(whole: string): string[] {
  const text = whole.slice(0, HINT_TEXT_CHARS);
  const scripts = new Set<string>();
  for (const c of findCountries(text)) {
    const script = COUNTRY_SCRIPTS[c.code];
    if (script) scripts.add(script);
  }
  return [...scripts];
}

/** Whether a reading's table cells are joined into the rows they sit on (ocr/rows), or left as tesseract's lines. */
export type RowJoining = 'cells' | 'never';

/** A TSV reading's text (see wordsToText, or rowsText where `rows` says) and its quality. */
export function scoreTsv(tsv: string, minConfidence: number, rows: RowJoining = 'never'): Reading {
  let sum = 0;
  let n = 0;
  for (const row of tsv.split('\n').slice(1)) {
    const f = row.split('\t');
    if (f.length < 12 || f[0] !== '5' || !f[11]!.trim()) continue;
    sum += Math.max(0, Number(f[10]) || 0);
    n++;
  }
  const text = rows === 'cells' ? rowsText(lineBoxes(tsv, minConfidence)) : wordsToText(tsv, minConfidence);
  const goodWords = text.split(/\s+/).filter((w) => /\p{L}{2,}|\d/u.test(w)).length;
  return { text, goodWords, meanConfidence: n > 0 ? sum / n : 0 };
}

/** Tesseract's TSV as text: words kept by confidence, one line per OCR line. */
export function wordsToText(tsv: string, minConfidence: number): string {
  const lines = new Map<string, string[]>();
  for (const row of tsv.split('\n').slice(1)) {
    const f = row.split('\t');
    if (f.length < 12 || f[0] !== '5') continue;
    const word = f[11]!.trim();
    if (!keptWord(word, Number(f[10]), minConfidence)) continue;
    const key = `${f[2]}.${f[3]}.${f[4]}`;
    const line = lines.get(key) ?? [];
    line.push(word);
    lines.set(key, line);
  }
  return [...lines.values()].map((w) => withoutBorderMarks(w).join(' ')).join('\n');
}

/** The resolution at which a page of `size` points renders to at most `maxPixels` pixels (never above `dpi`). */
export function dpiWithin(dpi: number, size: [number, number], maxPixels: number): number {
  const inches = (size[0] / 72) * (size[1] / 72);
  if (!(inches > 0)) return dpi;
  return Math.max(1, Math.min(dpi, Math.floor(Math.sqrt(maxPixels / inches))));
}

/** pdfinfo's "Page    3 size: 595 x 842 pts (A4)" lines, by page number. */
export function parsePageSizes(out: string): Map<number, [number, number]> {
  const sizes = new Map<number, [number, number]>();
  for (const m of out.matchAll(/^Page +(\d{1,6}) size: +(\d{1,9}(?:\.\d{1,9})?) x (\d{1,9}(?:\.\d{1,9})?) pts/gm)) {
    sizes.set(Number(m[1]), [Number(m[2]), Number(m[3])]);
  }
  return sizes;
}

function createLimiter(max: number): <T>(work: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (work) => {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await work();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

/**
 * The turns (degrees clockwise) to read a poorly read page at, in order, until one reads well. OSD is unsure
 * or wrong on a noisy page (a passport scanned upside down came out "Rotate: 0 … Script: Bengali"): a page
 * that read as nonsense is tried upside down, the commonest wrong way to feed a scanner, then, unless OSD
 * is sure it stands upright, on either side. OSD sure of a side may have the wrong one: a passport copy laid sideways on a landscape scan, small
 * on white paper, was "Rotate: 270" and read upright at 90; the other side is tried after it.
 */
export function turnsToTry(osd: OsdResult | undefined, nonsense: boolean, minOrientation: number): number[] {
  const sure = osd !== undefined && osd.orientationConfidence >= minOrientation;
  if (sure && osd.rotate !== 0) return osd.rotate === 180 ? [180] : [osd.rotate, (osd.rotate + 180) % 360];
  // Sure it stands upright (a script OSD knows, read as nonsense in Latin letters): upside down at most.
  if (!nonsense) return [];
  return sure ? [180] : [180, 90, 270];
}
