/**
 * `received_date_mismatch` (contract § 4): the sender writes its own `Date`
 * header, the office's server says when the mail arrived. More than a day
 * apart is not a slow clock or a slow relay but a backdated mail, or one held
 * for days: a person looks, with both times as evidence. Pure.
 */

/** More than this between the office server's arrival time and the Date header is not a slow clock or a slow relay. */
export const RECEIVED_DATE_TOLERANCE_MS = 24 * 60 * 60 * 1000;

export interface MailTimes {
  /** The office server's arrival time (ISO), set only when it is the received time the rules judge. */
  serverReceivedAt?: string;
  /** The sender's Date header (ISO), when it could be read. */
  headerDate?: string;
}

/** The evidence of a mismatch, or undefined when the times agree within a day or one of them is unknown. */
export function receivedDateMismatch(times: MailTimes): { serverReceivedAt: string; headerDate: string; hoursApart: number } | undefined {
  const { serverReceivedAt, headerDate } = times;
  if (!serverReceivedAt || !headerDate) return undefined;
  const apart = Math.abs(Date.parse(serverReceivedAt) - Date.parse(headerDate));
  if (!(apart > RECEIVED_DATE_TOLERANCE_MS)) return undefined;
  return { serverReceivedAt, headerDate, hoursApart: Math.round(apart / 3_600_000) };
}
