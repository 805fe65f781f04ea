/**
 * The daily digest e-mail to staff: counts by status per programme, days to
 * each deadline, what waits for a person (applications that need review,
 * replies held for approval), with links into the dashboard.
 *
 * It travels by e-mail, so it names no applicant: only application and reply
 * ids, programme, status and flag codes, times. The input type has no field
 * for a name or an address, so none can slip in.
 *
 * Pure: the clock is `input.now`; no I/O.
 */
import { STATUSES, type Status } from '../types';
import { formatLongDate, toZonedDate } from '../time';

export interface DigestProgramme {
  id: string;
  title: string;
  /** Last day to apply, YYYY-MM-DD, in `timezone`. */
  deadline?: string;
  /** IANA zone the deadline is counted in; default UTC. */
  timezone?: string;
}

export interface DigestInput {
  now: Date;
  /** Start of the period "new" counts (usually 24 hours before `now`). */
  since: Date;
  programmes: DigestProgramme[];
  /** By programme id, `unknown` (the mail did not say) or `other` (a programme no longer in the rules): every status. */
  counts: Record<string, Record<Status, number>>;
  /** Applications received (new or resubmitted) since `since`. */
  newSince: number;
  /** Applications waiting for review, oldest first (at most `maxItems` are listed). */
  needsReview: Array<{ id: string; programme: string | null; status: Status; flags: string[]; receivedAt: string }>;
  /** How many wait for review in all, when `needsReview` was cut short; default its length. */
  needsReviewTotal?: number;
  heldReplies: Array<{ id: string; applicationId: string; status: Status; createdAt: string }>;
  /** The dashboard's base URL, e.g. `https://intake.esor.example/staff`; without it no links. */
  dashboardUrl?: string;
  /** Items listed per section before "... and N more"; default 50. */
  maxItems?: number;
}

export interface Digest {
  subject: string;
  text: string;
}

const STATUS_LABELS: Record<Status, string> = {
  complete: 'complete',
  incomplete: 'incomplete',
  ineligible: 'ineligible',
  needs_review: 'needs review',
  not_application: 'not an application',
};

const DAY_MS = 86_400_000;

/** The digest's subject and plain-text body. */
export function buildDigest(input: DigestInput): Digest {
  const { now } = input;
  const maxItems = input.maxItems ?? 50;
  const base = input.dashboardUrl?.replace(/\/+$/, '');
  const link = (applicationId: string) => (base ? `${base}/applications/${encodeURIComponent(applicationId)}` : undefined);
  const titles = new Map(input.programmes.map((p) => [p.id, p.title]));
  const programmeName = (id: string | null) => (id === null || id === 'unknown' ? 'programme unknown' : id === 'other' ? 'other programmes' : (titles.get(id) ?? id));
  const reviewTotal = Math.max(input.needsReviewTotal ?? 0, input.needsReview.length);
  const today = formatLongDate(toZonedDate(now, 'UTC'));

  const lines: string[] = [];
  lines.push(`ESOR intake: daily digest, ${today}`);
  lines.push(`Period: ${formatTime(input.since)} to ${formatTime(now)}`);
  lines.push('');
  lines.push(`Received in this period (new or resubmitted): ${input.newSince}`);
  lines.push(`Waiting for review: ${reviewTotal}`);
  lines.push(`Replies held for approval: ${input.heldReplies.length}`);
  lines.push('');

  // ---- programmes
  lines.push('PROGRAMMES');
  const listed = new Set<string>();
  for (const p of input.programmes) {
    listed.add(p.id);
    lines.push('');
    lines.push(`${p.title} (${p.id})`);
    if (p.deadline) lines.push(`  ${describeDeadline(p.deadline, now, p.timezone ?? 'UTC')}`);
    lines.push(`  ${describeCounts(input.counts[p.id])}`);
  }
  // Applications outside the configured programmes are shown only when there are some.
  for (const id of Object.keys(input.counts).sort((a, b) => order(a) - order(b) || a.localeCompare(b))) {
    if (listed.has(id) || total(input.counts[id]) === 0) continue;
    lines.push('');
    lines.push(id === 'unknown' || id === 'other' ? capitalise(programmeName(id)) : `${programmeName(id)} (${id})`);
    lines.push(`  ${describeCounts(input.counts[id])}`);
  }
  lines.push('');

  // ---- needs review
  lines.push(`WAITING FOR REVIEW (${reviewTotal})`);
  if (reviewTotal === 0) lines.push('  Nothing waits for review.');
  for (const a of input.needsReview.slice(0, maxItems)) {
    lines.push('');
    lines.push(`- ${a.id}`);
    lines.push(`  ${programmeName(a.programme)}; ${STATUS_LABELS[a.status] ?? a.status}; received ${formatTime(new Date(a.receivedAt))}`);
    lines.push(`  flags: ${a.flags.length > 0 ? a.flags.join(', ') : 'none'}`);
    const url = link(a.id);
    if (url) lines.push(`  ${url}`);
  }
  const moreReview = reviewTotal - Math.min(input.needsReview.length, maxItems);
  if (moreReview > 0) lines.push('', `  ... and ${moreReview} more${base ? `: ${base}/applications?status=needs_review&unreviewed=1` : ''}`);
  lines.push('');

  // ---- held replies
  lines.push(`REPLIES HELD FOR APPROVAL (${input.heldReplies.length})`);
  if (input.heldReplies.length === 0) lines.push('  No reply waits for approval.');
  for (const r of input.heldReplies.slice(0, maxItems)) {
    lines.push('');
    lines.push(`- reply ${r.id} to application ${r.applicationId}`);
    lines.push(`  ${STATUS_LABELS[r.status] ?? r.status}; held since ${formatTime(new Date(r.createdAt))} (${describeAge(now.getTime() - Date.parse(r.createdAt))})`);
    const url = link(r.applicationId);
    if (url) lines.push(`  ${url}`);
  }
  const moreHeld = input.heldReplies.length - maxItems;
  if (moreHeld > 0) lines.push('', `  ... and ${moreHeld} more`);
  lines.push('');
  lines.push('--');
  lines.push('Sent automatically by esor-intake. Applicants are named only in the dashboard.');
  if (base) lines.push(base);

  const subjectParts = [`${input.newSince} received`, `${reviewTotal} to review`, `${input.heldReplies.length} ${input.heldReplies.length === 1 ? 'reply' : 'replies'} held`];
  return {
    subject: `ESOR intake digest, ${today}: ${subjectParts.join(', ')}`,
    text: `${lines.join('\n')}\n`,
  };
}

/**
 * Whole days from today (in the deadline's zone) to the deadline day, which is itself still open:
 * 0 on the last day, negative once it passed.
 */
export function daysToDeadline(deadline: string, now: Date, timeZone = 'UTC'): number {
  const today = toZonedDate(now, timeZone);
  return Math.round((Date.parse(`${deadline}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
}

function describeDeadline(deadline: string, now: Date, timeZone: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(deadline) || Number.isNaN(Date.parse(`${deadline}T00:00:00Z`))) return `deadline ${deadline}`;
  const days = daysToDeadline(deadline, now, timeZone);
  const when = `deadline ${formatLongDate(deadline)}`;
  if (days > 1) return `${when}: ${days} days left`;
  if (days === 1) return `${when}: 1 day left`;
  if (days === 0) return `${when}: last day today`;
  return `${when}: closed ${-days} ${days === -1 ? 'day' : 'days'} ago`;
}

function describeCounts(counts: Record<Status, number> | undefined): string {
  const parts = STATUSES.map((s) => `${STATUS_LABELS[s]} ${counts?.[s] ?? 0}`);
  return `${parts.join(', ')}; total ${total(counts)}`;
}

function total(counts: Record<Status, number> | undefined): number {
  return STATUSES.reduce((n, s) => n + (counts?.[s] ?? 0), 0);
}

/** Known programmes first (alphabetically), then `other`, then `unknown`. */
function order(id: string): number {
  return id === 'unknown' ? 2 : id === 'other' ? 1 : 0;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "2021-03-12 09:14 UTC" */
function formatTime(d: Date): string {
  return Number.isNaN(d.getTime()) ? 'unknown time' : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function describeAge(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'just now';
  const hours = Math.floor(ms / 3_600_000);
  if (hours < 1) return 'less than an hour';
  if (hours < 48) return `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
  return `${Math.floor(hours / 24)} days`;
}
