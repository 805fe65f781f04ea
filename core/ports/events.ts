/**
 * The event log: append-only, no personal data beyond ids.
 */

export interface NewEvent {
  /** 'system' | 'poller' | 'worker:<stage>' | a staff user. */
  actor: string;
  action: string;
  /** The id the event is about (message hash, application id, reply id). */
  subject: string;
  /** No personal data beyond ids. */
  detail?: Record<string, unknown>;
  at: string;
}

export interface EventRecord {
  id: number;
  actor: string;
  action: string;
  subject: string;
  detail: Record<string, unknown>;
  at: string;
}

export interface EventLog {

  /**
   * Appends to the event log, which nothing can update or delete.
   * @throws StoreError STORE_INVALID_INPUT (empty actor/action/subject, `at` not a date, detail not JSON).
   */
  appendEvent(e: NewEvent): Promise<void>;
  /** Newest first, default 100. */
  listEvents(subject?: string, limit?: number): Promise<EventRecord[]>;
}
