/**
 * Where the uploaded ESR member list is kept: one JSON document in the
 * BlobStore (kind `esr_members`, id `current`), so every role on every
 * machine reads the same list through the port it already has (the data
 * folder today, PostgreSQL with issue 11), and no table or Store method is
 * needed for a document replaced whole. The upload itself is recorded in the
 * event log by the caller (a count, never a member).
 */
import type { BlobStore } from '../core/ports/blob-store';
import type { EsrMemberList } from '../core/membership/member-list';

export const MEMBER_LIST_KIND = 'esr_members';
export const MEMBER_LIST_ID = 'current';

/** True for "nothing stored under that name" in either shape of the port (BLOB_NOT_FOUND, or the disk's ENOENT). */
function isMissing(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'BLOB_NOT_FOUND' || code === 'ENOENT';
}

/**
 * The list in force, or undefined when none was ever uploaded.
 * @throws what the BlobStore throws for anything but absence (transient: the caller retries).
 */
export async function readMemberList(files: Pick<BlobStore, 'readJson'>): Promise<EsrMemberList | undefined> {
  try {
    const list = await files.readJson<EsrMemberList>(MEMBER_LIST_KIND, MEMBER_LIST_ID);
    return Array.isArray(list?.members) ? list : undefined;
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}

/** Replaces the list in force (durable when it resolves). */
export async function writeMemberList(files: Pick<BlobStore, 'writeJson'>, list: EsrMemberList): Promise<void> {
  await files.writeJson(MEMBER_LIST_KIND, MEMBER_LIST_ID, list);
}
