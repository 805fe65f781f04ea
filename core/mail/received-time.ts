/**
 * When the office's mail server took a saved mail in: the date of its
 * topmost `Received` header (RFC 5322 § 3.6.7, `Received: tokens ; date-time`).
 * Each server on the way prepends one, so the topmost is the last hop's: in a
 * mail saved from the office's mailbox, the office's own server. The live
 * service reads the same time from IMAP (INTERNALDATE); `esor-intake triage`
 * on a saved file has only this header.
 *
 * Why it matters: the sender writes its own `Date`. A mail written at 23:10
 * on the deadline day and held in the sender's queue until 09:02 two days
 * later was late; a laptop with its clock set days ahead is not.
 *
 * Pure: no I/O, no clock.
 */
import { plausibleZone } from '../time';

/** A header block is read this far: far beyond any real one, short enough that a forged one costs nothing. */
const MAX_HEADER_CHARS = 256 * 1024;
/** One Received header (with its folded lines) is read this far. */
const MAX_RECEIVED_CHARS = 4096;

/**
 * Strict RFC 5322 date-time, so "garbage 2021" is no date (Date.parse would say 1 January):
 * optional day name, day, month name, year, hh:mm[:ss], zone (numeric or an obsolete name).
 */
const DATE_TIME = /^(?:[a-z]{3},\s*)?(\d{1,2})\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\s+(\d{4}|\d{2})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s+([+-]\d{4}|ut|gmt|z|[ecmp][sd]t)$/i;

/**
 * The date of the topmost `Received` header in a raw message (headers are the text up to the
 * first empty line), or undefined when it has none or its date is not a real date-time.
 */
export function topReceivedTime(raw: string): Date | undefined {
  const text = raw.length > MAX_HEADER_CHARS ? raw.slice(0, MAX_HEADER_CHARS) : raw;
  const end = text.search(/\r?\n\r?\n/);
  const lines = (end >= 0 ? text.slice(0, end) : text).split(/\r?\n/);
  const start = lines.findIndex((l) => /^received[ \t]*:/i.test(l));
  if (start < 0) return undefined;
  let header = lines[start]!;
  for (let i = start + 1; i < lines.length && /^[ \t]/.test(lines[i]!) && header.length < MAX_RECEIVED_CHARS; i++) header += ` ${lines[i]!.trim()}`;
  const semicolon = header.lastIndexOf(';');
  if (semicolon < 0) return undefined;
  const stamp = header.slice(semicolon + 1, semicolon + 1 + 200).replace(/\([^()]*\)/g, ' ').replace(/\s+/g, ' ').trim();
  if (!DATE_TIME.test(stamp) || !plausibleZone(stamp)) return undefined;
  const date = new Date(stamp);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
