/**
 * References to the BlobStore's files (core/ports/blob-store.ts): what the
 * ledger and the stored JSON keep in their `path` fields. One format for every
 * store, so a reference written on one machine reads on another and survives
 * `esor-intake store copy` from the data folder into PostgreSQL:
 *
 *   blob:raw/<sha256><ext>           a raw mail, by the hash of its bytes
 *   blob:pdf/<sha256><ext>           an attached PDF, by the hash of its bytes
 *   blob:section/<messageId>/<name>.pdf
 *   blob:json/<kind>/<messageId>.json
 *
 * Parsing is strict (fixed character sets, no '..', no '/' inside a part):
 * a reference is read back from JSON that the dashboard serves from, so a
 * forged one must never name anything outside the store.
 */

import { BlobStoreError } from './blob-store';

export type BlobRef =
  | { type: 'blob'; kind: 'raw' | 'pdf'; sha256: string; ext: string }
  | { type: 'section'; messageId: string; name: string }
  | { type: 'json'; kind: string; messageId: string };

const SCHEME = 'blob:';
const SHA256 = /^[0-9a-f]{64}$/;
/** A file-name extension with its dot, or nothing. */
const EXT = /^(\.[a-z0-9]{1,10})?$/;
/** A message id or a section name: one path segment, never '.' or '..'. */
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
/** A JSON kind ('mail', 'analysis'). */
const JSON_KIND = /^[a-z][a-z0-9_]{0,31}$/;
/** Not JSON kinds: the file store's folders of those names hold other files. */
const RESERVED_KINDS = new Set(['raw', 'pdf', 'sections']);

export const isSha256 = (s: string): boolean => SHA256.test(s);
export const isRefSegment = (s: string): boolean => SEGMENT.test(s);
export const isRefExt = (s: string): boolean => EXT.test(s);
export const isJsonKind = (s: string): boolean => JSON_KIND.test(s) && !RESERVED_KINDS.has(s);

/** @throws BlobStoreError BLOB_INVALID_INPUT when the kind or id cannot be part of a reference. */
export function jsonRef(kind: string, messageId: string): BlobRef {
  if (!isJsonKind(kind) || !isRefSegment(messageId)) throw new BlobStoreError('BLOB_INVALID_INPUT', 'the JSON kind or message id is not allowed in a reference');
  return { type: 'json', kind, messageId };
}

/** @throws BlobStoreError BLOB_INVALID_INPUT when the id or name cannot be part of a reference. */
export function sectionRef(messageId: string, name: string): BlobRef {
  if (!isRefSegment(messageId) || !isRefSegment(name)) throw new BlobStoreError('BLOB_INVALID_INPUT', 'the message id or section name is not allowed in a reference');
  return { type: 'section', messageId, name };
}

/** @throws BlobStoreError BLOB_INVALID_INPUT when the extension is not a short lowercase one such as .pdf. */
export function contentRef(kind: 'raw' | 'pdf', sha256: string, ext: string): BlobRef {
  if (!isRefExt(ext) || !isSha256(sha256)) throw new BlobStoreError('BLOB_INVALID_INPUT', 'the extension is not a short lowercase one such as .pdf');
  return { type: 'blob', kind, sha256, ext };
}

/** The reference text of a parsed reference. */
export function formatBlobRef(ref: BlobRef): string {
  switch (ref.type) {
    case 'blob':
      return `${SCHEME}${ref.kind}/${ref.sha256}${ref.ext}`;
    case 'section':
      return `${SCHEME}section/${ref.messageId}/${ref.name}.pdf`;
    case 'json':
      return `${SCHEME}json/${ref.kind}/${ref.messageId}.json`;
  }
}

/** The parts of a reference, or undefined when `text` is not a well-formed one. */
export function parseBlobRef(text: string): BlobRef | undefined {
  if (typeof text !== 'string' || !text.startsWith(SCHEME) || text.length > 400) return undefined;
  const parts = text.slice(SCHEME.length).split('/');
  if (parts.length === 2 && (parts[0] === 'raw' || parts[0] === 'pdf')) {
    const m = /^([0-9a-f]{64})(.*)$/.exec(parts[1]!);
    if (!m || !EXT.test(m[2]!)) return undefined;
    return { type: 'blob', kind: parts[0], sha256: m[1]!, ext: m[2]! };
  }
  if (parts.length === 3 && parts[0] === 'section') {
    const name = stripSuffix(parts[2]!, '.pdf');
    if (!SEGMENT.test(parts[1]!) || name === undefined || !SEGMENT.test(name)) return undefined;
    return { type: 'section', messageId: parts[1]!, name };
  }
  if (parts.length === 3 && parts[0] === 'json') {
    const messageId = stripSuffix(parts[2]!, '.json');
    if (!isJsonKind(parts[1]!) || messageId === undefined || !SEGMENT.test(messageId)) return undefined;
    return { type: 'json', kind: parts[1]!, messageId };
  }
  return undefined;
}

function stripSuffix(s: string, suffix: string): string | undefined {
  return s.endsWith(suffix) ? s.slice(0, -suffix.length) : undefined;
}
