/** What the ingest stage keeps of a mail for the later stages (in the data folder, never in Redis). */
export interface StoredMail {
  subject: string;
  text: string;
  from?: { email: string; name?: string };
  replyTo?: { email: string; name?: string };
  /** The mail's own Message-ID header, for threading the reply. */
  headerMessageId?: string;
  references: string[];
  /**
   * The received time the rules judge (ISO): the office server's arrival time when `receivedFrom` is
   * `server`, else the Date header (the arrival time when there is none).
   */
  receivedAt: string;
  /** Which time `receivedAt` is (contract § 5). Absent in mail stored before it was recorded: `header`. */
  receivedFrom?: 'server' | 'header';
  /** The office server's arrival time (IMAP INTERNALDATE), kept as evidence whichever time is judged. */
  serverReceivedAt?: string;
  /** The sender's Date header, when it could be read, kept as evidence. */
  headerDate?: string;
  machine?: { reason: string; kind?: string };
  noReplySender: boolean;
  otherAttachments: Array<{ filename: string; contentType: string }>;
  pdfs: Array<{ filename: string; path: string; sha256: string; size: number }>;
  /** Set when the mail was over the size limit: only its headers were read, and this says why. */
  tooLarge?: string;
  /**
   * What the office's own mail server said of the sender (core/mail/authentication-results.ts):
   * `fail` gives `sender_unverified`; anything but `pass` means nothing of the mail is echoed.
   * Absent in mail stored before this was read: taken as `none`.
   */
  senderAuth?: { sender: 'pass' | 'fail' | 'none'; reason?: string };
  /** Set when nothing of the mail could be read (adapters/mail-reader.ts `unreadableReason`): a person opens it. */
  unreadable?: string;
}

/**
 * What the reply rules need to know of the applicant's mail (for `chooseReply`'s `mail`). Only what the
 * office's own server confirmed may be written back to the sender (`senderVerified`).
 */
export function replyMailOf(mail: StoredMail): {
  subject: string;
  messageId?: string;
  references: string[];
  from?: { email: string; name?: string };
  replyTo?: { email: string; name?: string };
  senderVerified: boolean;
} {
  return {
    subject: mail.subject,
    ...(mail.headerMessageId ? { messageId: mail.headerMessageId } : {}),
    references: mail.references,
    ...(mail.from ? { from: mail.from } : {}),
    ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
    senderVerified: mail.senderAuth?.sender === 'pass',
  };
}

/**
 * A reason never to answer this mail, or undefined. `address` is the recipient `chooseRecipient` picked,
 * `bounced` whether it bounced recently. One place, because the rules dry run previewed replies to
 * addresses and senders the reply stage would never write to.
 */
export function whyNotAnswer(mail: StoredMail, address: string | undefined, bounced: boolean): string | undefined {
  if (mail.machine) return `machine mail (${mail.machine.kind ?? 'auto'})`;
  if (mail.senderAuth?.sender === 'fail') return 'sender not verified by the office mail server';
  if (!address) return 'no sender address';
  if (mail.noReplySender) return 'no-reply sender';
  if (bounced) return 'the address bounced before';
  return undefined;
}
