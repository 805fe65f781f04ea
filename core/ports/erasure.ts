/**
 * Deleting what the GDPR says must go (retention, an applicant's request).
 * Apart from the Store and BlobStore ports on purpose: only the retention and
 * erasure commands may delete, every other caller keeps the append-and-read
 * ports it has; and a store that cannot erase yet (PostgreSQL, issue 11) still
 * implements Store.
 *
 * Each record method writes its event in the same transaction, with counts
 * and ids only: the event log says that data went, never what it was.
 */

export interface ErasureEvent {
  actor: string;
  /** `retention` | `request` */
  reason: string;
  at: string;
}

export interface ErasedRecords {
  revisions: number;
  sectionFiles: number;
  notes: number;
  replies: number;
}

export interface RecordEraser {
  /**
   * Removes the section-file rows of these sections (every revision) and appends an
   * `application.documents_erased` event. @returns the number of rows removed.
   */
  removeSectionFiles(applicationId: string, sections: readonly string[], event: ErasureEvent): Promise<number>;
  /**
   * Removes the application with its revisions, section files, notes and replies, and clears the
   * raw-mail reference of its messages (the ledger row stays, so the poller does not fetch the mail
   * again); appends `application.erased`. Erasing an application that is gone does nothing.
   */
  eraseApplication(applicationId: string, event: ErasureEvent): Promise<ErasedRecords>;
  /** Forgets that an address bounced (the address is personal data). @returns whether it was known. */
  forgetBouncedAddress(email: string): Promise<boolean>;
  close(): Promise<void>;
}

export interface FileEraser {
  /** Deletes the file of a reference (or stored path) the BlobStore issued. @returns false when it was already gone or is not ours. */
  eraseRef(ref: string): Promise<boolean>;
  /** Deletes one message's JSON of one kind ('mail', 'analysis'). */
  eraseJson(kind: string, messageId: string): Promise<boolean>;
  /** Deletes every section PDF cut from one message (its folder), listed in rows or not. @returns how many files. */
  eraseSections(messageId: string): Promise<number>;
  /** Deletes the cached page images of a PDF (adapters/page-renderer.ts keeps them by its sha256). @returns how many. */
  eraseThumbnails(pdfSha256: string): Promise<number>;
}
