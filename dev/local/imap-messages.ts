/** Reads a mailbox's messages over IMAP, for tests and the demo's checks (never inside the service). */
import { ImapFlow } from 'imapflow';

export interface ListedMessage {
  uid: number;
  flags: string[];
  subject: string | undefined;
  messageId: string | undefined;
  /** The raw message, when asked for. */
  source?: Buffer;
}

export interface ImapConnectOptions {
  host: string;
  port: number;
  secure: false;
  auth: { user: string; pass: string };
  logger: false;
}

/**
 * Lists one mailbox in UID order. Read-only: flags (\Seen) stay as they were.
 * Throws imapflow's error when the login fails or the mailbox does not exist.
 */
export async function listMailboxMessages(connect: ImapConnectOptions, mailbox: string, options: { source?: boolean } = {}): Promise<ListedMessage[]> {
  const client = new ImapFlow({ ...connect, connectionTimeout: 10_000, greetingTimeout: 10_000 });
  // imapflow emits 'error' on connection faults; without a listener that would crash the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    const lock = await client.getMailboxLock(mailbox, { readOnly: true });
    try {
      if (!client.mailbox || client.mailbox.exists === 0) return [];
      const messages = await client.fetchAll('1:*', { uid: true, flags: true, envelope: true, source: options.source === true });
      return messages
        .map((message) => ({
          uid: message.uid,
          flags: [...(message.flags ?? [])],
          subject: message.envelope?.subject,
          messageId: message.envelope?.messageId,
          ...(options.source && message.source ? { source: message.source } : {}),
        }))
        .sort((a, b) => a.uid - b.uid);
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
}
