/**
 * The RecordEraser port (core/ports/erasure.ts) on the SQLite store file: its
 * own connection to the file adapters/store/sqlite-store.ts keeps, so the
 * Store stays an append-and-read interface and only the retention and
 * erasure commands hold a handle that deletes. Each method is one
 * transaction that also appends its event (ids and counts only).
 *
 * The file must exist and be migrated (the service made it): this adapter
 * never creates or migrates a schema.
 */
import Database from 'better-sqlite3';
import type { ErasedRecords, ErasureEvent, RecordEraser } from '../../core/ports/erasure';
import { StoreError } from '../../core/ports/store';

/** What a message's raw-mail reference becomes once the mail is erased: no reference of any store. */
export const ERASED_REF = 'erased';

/** @throws StoreError STORE_IO when the file cannot be opened (absent, unreadable). */
export function openSqliteEraser(file: string, opts: { busyTimeoutMs?: number } = {}): RecordEraser {
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true, timeout: opts.busyTimeoutMs ?? 5000 });
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
    db.pragma('foreign_keys = ON');
  } catch (err) {
    throw new StoreError('STORE_IO', `cannot open the store file: ${(err as Error).message}`, { cause: err });
  }
  const insertEvent = db.prepare<{ actor: string; action: string; subject: string; detail: string; at: string }>(
    'INSERT INTO events (actor, action, subject, detail, at) VALUES (@actor, @action, @subject, @detail, @at)',
  );
  const at = (iso: string) => new Date(iso).toISOString();

  const removeSectionFilesTx = db.transaction((applicationId: string, sections: readonly string[], e: ErasureEvent): number => {
    let removed = 0;
    const del = db.prepare<[string, string]>('DELETE FROM section_files WHERE application_id = ? AND section = ?');
    for (const s of sections) removed += del.run(applicationId, s).changes;
    insertEvent.run({ actor: e.actor, action: 'application.documents_erased', subject: applicationId, detail: JSON.stringify({ reason: e.reason, sections: [...sections], sectionFiles: removed }), at: at(e.at) });
    return removed;
  });

  const eraseApplicationTx = db.transaction((applicationId: string, e: ErasureEvent): ErasedRecords => {
    const exists = db.prepare<[string]>('SELECT 1 FROM applications WHERE id = ?').get(applicationId);
    if (!exists) return { revisions: 0, sectionFiles: 0, notes: 0, replies: 0 };
    const messageIds = (db.prepare<[string], { message_id: string }>('SELECT message_id FROM revisions WHERE application_id = ?').all(applicationId)).map((r) => r.message_id);
    const counts: ErasedRecords = {
      sectionFiles: db.prepare<[string]>('DELETE FROM section_files WHERE application_id = ?').run(applicationId).changes,
      notes: db.prepare<[string]>('DELETE FROM notes WHERE application_id = ?').run(applicationId).changes,
      replies: db.prepare<[string]>('DELETE FROM replies WHERE application_id = ?').run(applicationId).changes,
      revisions: db.prepare<[string]>('DELETE FROM revisions WHERE application_id = ?').run(applicationId).changes,
    };
    db.prepare<[string]>('DELETE FROM applications WHERE id = ?').run(applicationId);
    // The ledger row stays (its id is a hash, its place a mailbox uid): without it the poller would fetch the mail again.
    const clear = db.prepare<[string, string]>('UPDATE messages SET raw_path = ?, error = NULL WHERE id = ?');
    for (const id of messageIds) clear.run(ERASED_REF, id);
    insertEvent.run({ actor: e.actor, action: 'application.erased', subject: applicationId, detail: JSON.stringify({ reason: e.reason, messages: messageIds.length, ...counts }), at: at(e.at) });
    return counts;
  });

  let closed = false;
  const open = () => {
    if (closed) throw new StoreError('STORE_CLOSED', 'the eraser is closed');
  };
  return {
    async removeSectionFiles(applicationId, sections, event) {
      open();
      return removeSectionFilesTx(applicationId, sections, event);
    },
    async eraseApplication(applicationId, event) {
      open();
      return eraseApplicationTx(applicationId, event);
    },
    async forgetBouncedAddress(email) {
      open();
      return db.prepare<[string]>('DELETE FROM bounced_addresses WHERE email = ?').run(email.trim().toLowerCase()).changes > 0;
    },
    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
