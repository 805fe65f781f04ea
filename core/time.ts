/** Calendar arithmetic in a named time zone, without a dependency: Intl knows the zones. */

/** The calendar date (YYYY-MM-DD) of an instant in `timeZone`. */
export function toZonedDate(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** ISO date `years` before `iso` (29 February falls back to 28). */
export function subtractYears(iso: string, years: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const year = y - years;
  const lastDay = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${year}-${String(m).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

/** "31 March 2021" for messages to applicants. */
export function formatLongDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const month = new Date(Date.UTC(y, m - 1, 1)).toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' });
  return `${d} ${month} ${y}`;
}

/**
 * Real time zones lie between -12:00 and +14:00 (RFC 5322 allows any four digits): `+9999` would move
 * a late mail by four days, so a date text ending in a zone beyond ±14:00 or with 60 minutes or more is
 * no real date (the Date header's and the Received header's alike).
 */
export function plausibleZone(date: string): boolean {
  const zone = /([+-])(\d{2})(\d{2})\s*$/.exec(date);
  if (!zone) return true;
  const hours = Number(zone[2]);
  const minutes = Number(zone[3]);
  return minutes < 60 && hours * 60 + minutes <= 14 * 60;
}
