/**
 * The one interface every caller uses to reach the store: the message ledger,
 * triaged applications and their revisions, section files, replies, bounced
 * addresses and the event log. No database appears here, so a PostgreSQL
 * store can replace the SQLite one (adapters/store/sqlite-store.ts) without
 * touching callers.
 *
 * Every method returns a Promise even though SQLite answers synchronously:
 * a PostgreSQL client cannot, and an interface that is synchronous today would
 * make that change touch every caller.
 *
 * Times are ISO-8601 strings chosen by the caller (the clock stays out of the
 * store); they are stored normalised to UTC (`toISOString()` form), so they
 * sort as text. Only `createdAt`/`updatedAt` bookkeeping and the events the
 * store writes itself for staff actions use the clock injected at open.
 *
 * Each method is atomic: it changes all of its rows or none.
 *
 * It lives in the core (a port) and the adapters implement it, so the
 * import arrows point inward. Split by area (ledger.ts, applications.ts,
 * replies.ts, staff.ts, staff-message-sends.ts, events.ts) so a function that needs one area can say
 * so in its type; this file composes them and re-exports every type, so
 * callers import from here alone.
 */
import type { Applications } from './applications';
import type { EventLog } from './events';
import type { Ledger } from './ledger';
import type { Replies } from './replies';
import type { StaffMessageSends } from './staff-message-sends';
import type { Staff } from './staff';

export * from './applications';
export * from './events';
export * from './ledger';
export * from './replies';
export * from './staff';
export * from './staff-message-sends';
export * from './store-error';

export interface Store extends Ledger, Applications, Replies, Staff, StaffMessageSends, EventLog {
  /** Closes the store; further calls throw STORE_CLOSED. Closing twice is harmless. */
  close(): Promise<void>;
}
