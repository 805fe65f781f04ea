/**
 * Several page images read by one tesseract run: tesseract takes a text file
 * listing image paths and writes one TSV for all of them, each word row
 * carrying its image's page_num (1 for the first listed image, and so on).
 *
 * Why: about 0.11–0.15 s of every tesseract run is fixed cost (loading the
 * language models), a third to a half of reading a typical cut-to-ink office
 * scan. The first reading of every scanned page of a PDF uses the same
 * languages, so it is done in one run per batch (25 office scans: 7.3–8.2 CPU
 * seconds read one by one, 4.4 s as one list), models loaded once per batch.
 */

/** A batch is split for the cores only if each part keeps at least this many pages (each part pays the model load). */
export const MIN_PAGES_PER_BATCH = 3;

/**
 * `items` in at most `parts` runs of consecutive items, nearly equal in size, none smaller than
 * MIN_PAGES_PER_BATCH unless there are fewer items than that (then one run).
 */
export function splitBatch<T>(items: readonly T[], parts: number): T[][] {
  const n = Math.max(1, Math.min(parts, Math.floor(items.length / MIN_PAGES_PER_BATCH)));
  const out: T[][] = [];
  for (let k = 0, from = 0; k < n; k++) {
    const to = Math.round(((k + 1) * items.length) / n);
    if (to > from) out.push(items.slice(from, to));
    from = to;
  }
  return out;
}

/**
 * Scanned pages grouped for rendering: runs of consecutive pages (by `index`) to be rendered at one
 * resolution (`dpi`), in order, each split for the cores as splitBatch does. One pdftoppm run over
 * pages a to b opens the PDF and starts poppler once (≈15 ms of its CPU a page, and a process the
 * service spawns, saved on a six-page scan).
 */
export function pageRuns<T extends { index: number; dpi: number }>(pages: readonly T[], parts: number): T[][] {
  const runs: T[][] = [];
  for (const p of pages) {
    const last = runs[runs.length - 1];
    const prev = last?.[last.length - 1];
    if (last && prev && prev.index + 1 === p.index && prev.dpi === p.dpi) last.push(p);
    else runs.push([p]);
  }
  return runs.flatMap((r) => splitBatch(r, parts));
}

/** The page images a pdftoppm run over a range wrote ("p-07.pgm", zero-padded to the PDF's page count), by page number. */
export function renderedPages(names: readonly string[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const name of names) {
    const m = /^p-(\d{1,6})\.pgm$/.exec(name);
    if (m) out.set(Number(m[1]), name);
  }
  return out;
}

/**
 * A list run's TSV cut into one TSV per listed image (`count` of them, each with the header line),
 * undefined when the page numbers do not match the list (an image tesseract could not open shifts
 * them: then no page of the run is trusted).
 */
export function splitTsvPages(tsv: string, count: number): string[] | undefined {
  const lines = tsv.split('\n');
  const header = lines[0] ?? '';
  if (!header.startsWith('level\t')) return undefined;
  const pages: string[][] = Array.from({ length: count }, () => [header]);
  const seen = new Set<number>();
  for (const line of lines.slice(1)) {
    if (!line) continue;
    const tab = line.indexOf('\t');
    const page = Number(line.slice(tab + 1, line.indexOf('\t', tab + 1)));
    if (!(Number.isInteger(page) && page >= 1 && page <= count)) return undefined;
    pages[page - 1]!.push(line);
    seen.add(page);
  }
  return seen.size === count ? pages.map((p) => p.join('\n')) : undefined;
}
