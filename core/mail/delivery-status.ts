/**
 * Whether a mail is a delivery failure report for one of OUR replies (RFC
 * 3464 delivery status notification), and for which recipients.
 *
 * Anyone can send a mail that looks like a bounce (an `X-Failed-Recipients`
 * header, a "mailer-daemon" sender, an "Undeliverable" subject), and a
 * bounce marks an address so that it is no longer answered. So an address
 * counts as failed only when the report quotes the Message-ID of a reply we
 * sent (`<reply-UUID@esor-intake>`, unguessable) and its per-recipient
 * fields say `Action: failed` with a permanent `5.x.x` status. A delay
 * notice (`Action: delayed`, `4.x.x`) never counts. The caller checks that
 * the quoted reply exists and went to that very address.
 *
 * Pure: no I/O, no clock.
 */

export interface DeliveryFailure {
  /** Ids of our replies the report quotes (the UUID inside `<reply-UUID@esor-intake>`), lowercased. */
  replyIds: string[];
  /** Recipients the report says failed permanently, lowercased. */
  failedRecipients: string[];
}

/** A report and the message it returns are small; the rest of a huge mail is not read. */
const MAX_CHARS = 512 * 1024;
const MAX_IDS = 20;

const REPLY_ID = /<\s*reply-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})@esor-intake\s*>/gi;

/**
 * Reads the report from the mail's texts: its raw source (where the
 * `message/delivery-status` part and the returned headers are) and its text
 * body (a bounce that quotes the report in plain text). Never throws.
 */
export function readDeliveryFailure(texts: readonly string[]): DeliveryFailure {
  const replyIds = new Set<string>();
  const failed = new Set<string>();
  for (const whole of texts) {
    const text = whole.length > MAX_CHARS ? whole.slice(0, MAX_CHARS) : whole;
    for (const m of text.matchAll(REPLY_ID)) {
      if (replyIds.size >= MAX_IDS) break;
      replyIds.add(m[1]!.toLowerCase());
    }
    for (const recipient of listFailedRecipients(text)) failed.add(recipient);
  }
  return { replyIds: [...replyIds], failedRecipients: [...failed] };
}

/**
 * The per-recipient field groups of RFC 3464 § 2.3, separated by empty lines
 * (a quoted report may carry "> " before each line): a group with a
 * Final-Recipient (or Original-Recipient), `Action: failed` and a 5.x.x Status.
 */
function listFailedRecipients(text: string): string[] {
  const out: string[] = [];
  let recipient: string | undefined;
  let action: string | undefined;
  let status: string | undefined;
  const close = () => {
    if (recipient && action === 'failed' && status && /^5\.\d{1,3}\.\d{1,3}$/.test(status)) out.push(recipient);
    recipient = action = status = undefined;
  };
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/^(?:\s*>)+\s?/, '').trim();
    if (line === '') {
      close();
      continue;
    }
    const field = /^(final-recipient|original-recipient|action|status)\s*:\s*(.{0,400})$/i.exec(line);
    if (!field) continue;
    const name = field[1]!.toLowerCase();
    const value = field[2]!.trim();
    if (name === 'action') action = value.split(/[\s(;]/)[0]!.toLowerCase();
    else if (name === 'status') status = value.split(/[\s(;]/)[0]!;
    else {
      // "rfc822; a@example.org" (the address type is required, but some servers leave it out).
      const address = /(?:^|;)\s*<?([^\s<>;@]+@[^\s<>;@]+?)>?\s*$/.exec(value)?.[1]?.toLowerCase();
      if (address && (name === 'final-recipient' || recipient === undefined)) recipient = address;
    }
  }
  close();
  return out;
}
