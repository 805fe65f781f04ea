/**
 * The rows of `staff_message_sends` (core/ports/staff-message-sends.ts) as both stores read them, and
 * the argument checks both make, so that they answer and refuse alike.
 */
import { STAFF_MESSAGE_SEND_STATES, type StaffMessageSend, type StaffMessageSendState } from '../../core/ports/store';
import { invalid, requireInteger, requireText, requireTime } from './input-checks';

export interface StaffMessageSendRow {
  key: string;
  application_id: string;
  state: StaffMessageSendState;
  attempt: number;
  lease_until: string | null;
  error: string | null;
  sent_at: string | null;
  created_at: string;
  updated_at: string;
}

export const STAFF_MESSAGE_SEND_COLUMNS = 'key, application_id, state, attempt, lease_until, error, sent_at, created_at, updated_at';

export function toStaffMessageSend(row: StaffMessageSendRow): StaffMessageSend {
  const send: StaffMessageSend = {
    key: row.key,
    applicationId: row.application_id,
    state: row.state,
    attempt: Number(row.attempt),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.lease_until !== null) send.leaseUntil = row.lease_until;
  if (row.error !== null) send.error = row.error;
  if (row.sent_at !== null) send.sentAt = row.sent_at;
  return send;
}

export const requireKey = (key: unknown): string => requireText(key, 'key');

/** A claim's window: both times dates, the lease ending after it starts. */
export function requireLease(now: unknown, until: unknown): { now: string; until: string } {
  const from = requireTime(now, 'now');
  const to = requireTime(until, 'until');
  if (to <= from) throw invalid('until must be after now');
  return { now: from, until: to };
}

export const requireAttempt = (attempt: unknown): number => requireInteger(attempt, 'attempt', 1);

/** A list filter's state and limit, checked; null for "any" / "all". */
export function requireSendFilter(filter: { state?: unknown; limit?: unknown } = {}): { state: StaffMessageSendState | null; limit: number | null } {
  if (filter.state !== undefined && !(STAFF_MESSAGE_SEND_STATES as readonly unknown[]).includes(filter.state)) {
    throw invalid(`state must be one of ${STAFF_MESSAGE_SEND_STATES.join(', ')}`);
  }
  return { state: (filter.state as StaffMessageSendState | undefined) ?? null, limit: filter.limit === undefined ? null : requireInteger(filter.limit, 'limit', 1) };
}
