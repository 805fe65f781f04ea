/**
 * What OCR read on a page, remembered by the page image's hash: an applicant
 * who resubmits the same scans (the usual fix of an incomplete application)
 * costs no tesseract run for the pages already read. Bounded, least recently
 * used first out; only text kept (a page's text is a few KB, its image MBs).
 */
import { createHash } from 'node:crypto';

/**
 * A page's text; null when nothing on it was read with confidence (a photo, a drawing); '' when a few words
 * were, too few for a page of text (a photograph page with a name under it).
 */
export type CachedReading = string | null;

export interface PageCache {
  get(key: string): CachedReading | undefined;
  set(key: string, reading: CachedReading): void;
  readonly size: number;
}

export function createPageCache(maxEntries: number): PageCache {
  const entries = new Map<string, CachedReading>(); // insertion order = use order
  return {
    get(key) {
      const hit = entries.get(key);
      if (hit === undefined) return undefined;
      entries.delete(key);
      entries.set(key, hit);
      return hit;
    },
    set(key, reading) {
      if (maxEntries <= 0) return;
      entries.delete(key);
      entries.set(key, reading);
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    },
    get size() {
      return entries.size;
    },
  };
}

/**
 * The cache key: the rendered image (its bytes, or their imageDigest: a key is made again when the
 * scripts to read with change after the first reading) and what decides how it is read (languages, settings).
 */
export function pageKey(image: Uint8Array | string, reading: string): string {
  return createHash('sha256').update(reading).update('\0').update(image).digest('hex');
}

/** The rendered image's hash, kept instead of its megabytes while its key may still change. */
export function imageDigest(image: Uint8Array): string {
  return createHash('sha256').update(image).digest('hex');
}
