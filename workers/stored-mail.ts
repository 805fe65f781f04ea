/** What the ingest stage keeps of a mail for the later stages (in the data folder, never in Redis). */
export interface StoredMail {
  subject: string;
  text: string;
  from?: { email: string; name?: string };
  replyTo?: { email: string; name?: string };
  /** The mail's own Message-ID header, for threading the reply. */
  headerMessageId?: string;
  references: string[];
  /** The Date header (ISO), else the time the mailbox received it. */
  receivedAt: string;
  machine?: { reason: string; kind?: string };
  noReplySender: boolean;
  otherAttachments: Array<{ filename: string; contentType: string }>;
  pdfs: Array<{ filename: string; path: string; sha256: string; size: number }>;
  /** Set when the mail was over the size limit: only its headers were read, and this says why. */
  tooLarge?: string;
}

/** What the reply rules need to know of the applicant's mail (for `chooseReply`'s `mail`). */
export function replyMailOf(mail: StoredMail): { subject: string; messageId?: string; references: string[]; from?: { email: string; name?: string }; replyTo?: { email: string; name?: string } } {
  return {
    subject: mail.subject,
    ...(mail.headerMessageId ? { messageId: mail.headerMessageId } : {}),
    references: mail.references,
    ...(mail.from ? { from: mail.from } : {}),
    ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
  };
}
