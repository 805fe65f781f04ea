/**
 * The message ledger: every mail seen in the mailbox, by content hash and
 * location, and how far the pipeline has taken it. The poller records a mail
 * here before it touches it; restart recovery reads what is unfinished.
 */

export const MESSAGE_STATES = ['received', 'analysed', 'triaged', 'replied', 'done', 'failed'] as const;
export type MessageState = (typeof MESSAGE_STATES)[number];

/** Where a message sits in the mailbox: UIDs are only meaningful with their UIDVALIDITY. */
export interface MailLocation {
  account: string;
  mailbox: string;
  /** UIDVALIDITY as text: a 32-bit unsigned number that callers need not parse. */
  uidValidity: string;
  uid: number;
}

export interface MessageRecord extends MailLocation {
  /**
   * The ledger id, lowercase hex: the SHA-256 of the mail without the header fields added in transit
   * (services/poller.ts `mailKey`), so two deliveries of one mail share it. The location fields are
   * where it was first seen.
   */
  id: string;
  size: number;
  receivedAt: string;
  rawPath: string;
  state: MessageState;
  error?: string;
  /** The folder it was moved to. */
  folder?: string;
  createdAt: string;
  updatedAt: string;
}

export type NewMessage = Omit<MessageRecord, 'state' | 'createdAt' | 'updatedAt' | 'error' | 'folder'>;

export interface Ledger {

  /**
   * Records a message seen at (account, mailbox, uidValidity, uid) with content hash `id`.
   * Idempotent: the same location or the same hash again returns `{ isNew: false }` and the
   * existing record; a second location of the same hash is remembered too (for `findMessageAt`
   * and `lastUid`). Durable (fsync) when the promise resolves, so the mail may then be touched.
   * @throws StoreError STORE_INVALID_INPUT (id not a sha256, uid not a positive integer, receivedAt not a date),
   *   STORE_CONFLICT (the location is already recorded with another hash).
   */
  recordMessage(m: NewMessage): Promise<{ record: MessageRecord; isNew: boolean }>;
  getMessage(id: string): Promise<MessageRecord | undefined>;
  /** The message recorded at this location (first or later location). */
  findMessageAt(account: string, mailbox: string, uidValidity: string, uid: number): Promise<MessageRecord | undefined>;
  /** Highest UID recorded for (account, mailbox, uidValidity), 0 when none: fetch `last+1:*`. */
  lastUid(account: string, mailbox: string, uidValidity: string): Promise<number>;
  /**
   * Sets the processing state; `error` is stored with it and cleared when absent.
   * @throws StoreError STORE_NOT_FOUND, STORE_INVALID_INPUT (unknown state).
   */
  setMessageState(id: string, state: MessageState, error?: string): Promise<void>;
  /** @throws StoreError STORE_NOT_FOUND. */
  setMessageFolder(id: string, folder: string): Promise<void>;
  /**
   * Messages recorded but not yet `done` (`failed` ones included: the caller decides
   * whether to retry them), in the order they were recorded, for restart recovery.
   * @throws StoreError STORE_INVALID_INPUT (limit not a positive integer).
   */
  listUnfinishedMessages(limit?: number): Promise<MessageRecord[]>;
}
