/**
 * The office mailbox over IMAP (imapflow). imapflow holds one connection per
 * instance and never reconnects, so every connection is a new client; the
 * poller decides when to make one.
 */
import { ImapFlow } from 'imapflow';

export interface ImapAccount {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password?: string;
  accessToken?: string;
}

/** A new, not yet connected client. No logging of its own: the service logs what matters. */
export function createImapClient(account: ImapAccount): ImapFlow {
  return new ImapFlow({
    host: account.host,
    port: account.port,
    secure: account.secure,
    auth: account.accessToken ? { user: account.user, accessToken: account.accessToken } : { user: account.user, pass: account.password ?? '' },
    logger: false,
    // Plain IMAP on loopback (the local demo and tests) must not be upgraded to TLS it does not offer.
    ...(account.secure ? {} : { doSTARTTLS: undefined }),
    connectionTimeout: 30_000,
    greetingTimeout: 16_000,
    socketTimeout: 5 * 60_000,
    // IDLE right after each pass, so new mail is announced at once (the default waits 15 s of quiet,
    // which a periodic pass never leaves, and mail would wait for the polling fallback).
    autoIdleDelay: 100,
    // Restart IDLE now and then: some servers drop a long IDLE silently.
    maxIdleTime: 5 * 60_000,
  });
}

/** Creates the folders the service moves mail into, when they are missing. */
export async function ensureFolders(client: ImapFlow, folders: string[]): Promise<void> {
  const existing = new Set((await client.list()).map((m) => m.path));
  for (const f of folders) {
    if (existing.has(f)) continue;
    try {
      await client.mailboxCreate(f);
    } catch (err) {
      if (!/ALREADYEXISTS|already exists/i.test(String((err as { responseText?: string }).responseText ?? (err as Error).message))) throw err;
    }
  }
}

/** Appends one message (e.g. a sent reply) to a folder over a short-lived connection. */
export async function appendToFolder(account: ImapAccount, folder: string, raw: Buffer): Promise<void> {
  const client = createImapClient(account);
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.append(folder, raw, ['\\Seen']);
  } finally {
    await client.logout().catch(() => undefined);
  }
}
