/**
 * The IMAP poller: watches the office mailbox (IDLE, with a polling
 * fallback), records every new mail durably (raw file + ledger row) before
 * anything else happens to it, hands it to the queue, and moves it to the
 * done or problem folder once its application is recorded and answered.
 * Never deletes mail. A new client on every disconnect, with backoff, and a
 * fresh one periodically because IMAP connections can die silently.
 */
import { createHash } from 'node:crypto';
import type { ImapFlow } from 'imapflow';
import type { Logger } from 'pino';
import { createImapClient, ensureFolders } from '../adapters/imap-mailbox';
import type { BlobStore } from '../core/ports/blob-store';
import { isStoreError, type Store } from '../core/ports/store';
import type { ImapConfig } from './common/config';

export interface PollerDeps {
  imap: ImapConfig;
  poll: { intervalMs: number; reconnectMinMs: number; reconnectMaxMs: number; forceReconnectMs: number };
  store: Store;
  files: BlobStore;
  enqueue: (messageId: string) => Promise<void>;
  logger: Logger;
  now: () => Date;
  onMailSeen?: (mailbox: string) => void;
  onPoll?: (at: Date) => void;
  /** How long stop() waits for a running pass; default 10 s. */
  stopTimeoutMs?: number;
}

export interface Poller {
  /** Time of the last complete pass over the mailbox. */
  lastPollAt(): Date | undefined;
  connected(): boolean;
  /** Runs one pass now (tests, replay). */
  pollNow(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Header fields that mail servers add on the way in (trace and delivery fields, RFC 5321
 * § 4.4, and the filters' verdicts). They differ between two deliveries of the same mail:
 * Dovecot's LMTP alone writes a Received line with a session id of its own.
 */
const TRANSIT_FIELDS = /^(return-path|received|received-spf|delivered-to|x-original-to|x-delivered-to|envelope-to|x-envelope-to|x-envelope-from|authentication-results|arc-[a-z-]+|x-spam-[a-z-]+|x-virus-[a-z-]+)$/i;

/**
 * The ledger id of a mail: the SHA-256 of the mail as its sender wrote it, i.e. without
 * the fields servers added in transit, so the same mail delivered twice (a sender's
 * retry, a server's redelivery, a copy from a second route) is one message, processed once.
 */
export function mailKey(raw: Buffer): string {
  const end = findHeaderEnd(raw);
  const fields = raw.subarray(0, end).toString('latin1').split(/\r?\n(?![ \t])/);
  const kept = fields.filter((f) => !TRANSIT_FIELDS.test(f.slice(0, Math.max(0, f.indexOf(':'))).trim()));
  return createHash('sha256').update(kept.join('\r\n'), 'latin1').update(raw.subarray(end)).digest('hex');
}

/** Offset of the blank line that ends the header (the whole mail when there is none). */
function findHeaderEnd(raw: Buffer): number {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const ends = [crlf, lf].filter((i) => i >= 0);
  return ends.length > 0 ? Math.min(...ends) : raw.length;
}

/** INTERNALDATE as imapflow gives it (a Date, or the server's string): undefined when unusable. */
export function arrivalTime(value: unknown): Date | undefined {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

export function startPoller(deps: PollerDeps): Poller {
  const { imap, logger } = deps;
  const account = `${imap.user}@${imap.host}`;
  let client: ImapFlow | undefined;
  let stopped = false;
  let lastPoll: Date | undefined;
  let failures = 0;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let pass: Promise<void> = Promise.resolve();
  // Mail recorded but perhaps never queued: a poller killed, or Redis failing, between the two.
  let requeueRecorded = true;
  const interval = setInterval(() => void schedulePass(), deps.poll.intervalMs);
  const forceTimer = deps.poll.forceReconnectMs > 0 ? setInterval(() => void client?.logout().catch(() => undefined), deps.poll.forceReconnectMs) : undefined;

  const connect = async () => {
    if (stopped) return;
    const c = createImapClient(imap);
    c.on('error', (err: Error) => logger.warn({ code: (err as { code?: string }).code ?? err.name }, 'imap connection error'));
    c.on('close', () => {
      if (client === c) client = undefined;
      if (!stopped) scheduleReconnect();
    });
    // New mail while idling: fetch it now rather than at the next poll.
    c.on('exists', () => void schedulePass());
    try {
      await c.connect();
      await ensureFolders(c, [imap.doneFolder, imap.problemFolder, imap.sentFolder]);
      client = c;
      failures = 0;
      logger.info({ mailbox: imap.mailbox }, 'imap connected');
      await schedulePass();
    } catch (err) {
      logger.warn({ code: (err as { code?: string }).code ?? (err as Error).name }, 'imap connect failed');
      c.close();
    }
  };

  const scheduleReconnect = () => {
    if (stopped || reconnectTimer) return;
    failures++;
    const base = Math.min(deps.poll.reconnectMinMs * 2 ** (failures - 1), deps.poll.reconnectMaxMs);
    const delay = base / 2 + Math.random() * (base / 2);
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      void connect();
    }, delay);
  };

  /** Passes never overlap: a second request waits for the running one. */
  const schedulePass = () => {
    pass = pass.then(runPass, runPass);
    return pass;
  };

  const runPass = async () => {
    const c = client;
    if (!c || stopped || !c.usable) return;
    try {
      const lock = await c.getMailboxLock(imap.mailbox, { acquireTimeout: 30_000 } as never);
      try {
        const mailbox = c.mailbox;
        if (!mailbox) return;
        const uidValidity = String(mailbox.uidValidity);
        if (requeueRecorded) {
          await queueRecordedMail();
          requeueRecorded = false;
        }
        await takeNewMail(c, uidValidity);
        await moveFinishedMail(c, uidValidity);
      } finally {
        lock.release();
      }
      lastPoll = deps.now();
      deps.onPoll?.(lastPoll);
    } catch (err) {
      requeueRecorded = true;
      logger.warn({ code: (err as { code?: string }).code ?? (err as Error).name }, 'imap pass failed');
    }
  };

  /**
   * Queues again every mail of this mailbox that is recorded and not yet read: the ledger
   * says "recorded" before the queue hears of it, and only this poller knows the mail then
   * (its UID is behind `lastUid`). The job id is the message id: an existing job stays one.
   */
  const queueRecordedMail = async () => {
    for (const m of await deps.store.listUnfinishedMessages()) {
      if (m.state === 'received' && m.account === account && m.mailbox === imap.mailbox) await deps.enqueue(m.id);
    }
  };

  const takeNewMail = async (c: ImapFlow, uidValidity: string) => {
    const last = await deps.store.lastUid(account, imap.mailbox, uidValidity);
    // `n:*` always includes the highest UID even when it is below n: filter ourselves.
    const uids = ((await c.search({ uid: `${last + 1}:*` }, { uid: true })) || []).filter((u) => u > last).sort((a, b) => a - b);
    for (const uid of uids) {
      const msg = await c.fetchOne(String(uid), { source: true, internalDate: true }, { uid: true });
      if (!msg || !msg.source) {
        await fileWithoutSource(c, uid);
        continue;
      }
      const { path } = await deps.files.putBlob('raw', msg.source, '.eml');
      const id = mailKey(msg.source);
      // The office server's arrival time (contract § 5), kept in the ledger with the mail; never in a queue payload.
      const internal = arrivalTime(msg.internalDate) ?? deps.now();
      try {
        const { isNew } = await deps.store.recordMessage({
          id,
          account,
          mailbox: imap.mailbox,
          uidValidity,
          uid,
          size: msg.source.length,
          receivedAt: internal.toISOString(),
          rawPath: path,
        });
        deps.onMailSeen?.(imap.mailbox);
        // Only now, with the mail safe on disk and in the ledger, does it go anywhere.
        if (isNew) await deps.enqueue(id);
        else logger.info({ messageId: id, uid }, 'mail seen before (same content): not processed again');
      } catch (err) {
        if (isStoreError(err, 'STORE_CONFLICT')) logger.error({ uid }, 'a different mail is recorded at this UID; left in the inbox');
        else throw err;
      }
    }
  };

  /**
   * A message the server lists but gives no source for (expunged meanwhile, or a broken store) cannot be
   * recorded; skipped silently it would be asked for again on every pass and never seen by anyone. It
   * goes to the problem folder, where staff look, with a log line and an event (no content: there is none).
   */
  const fileWithoutSource = async (c: ImapFlow, uid: number) => {
    logger.warn({ uid }, 'mail without a source: filed in the problem folder');
    const moved = await c.messageMove(String(uid), imap.problemFolder, { uid: true }).catch(() => false);
    await deps.store.appendEvent({ actor: 'poller', action: 'mail.no_source', subject: `${imap.mailbox}/${uid}`, detail: { folder: moved ? imap.problemFolder : null }, at: deps.now().toISOString() });
  };

  const moveFinishedMail = async (c: ImapFlow, uidValidity: string) => {
    const uids = (await c.search({ all: true }, { uid: true })) || [];
    const moves = new Map<string, Array<{ uid: number; id: string }>>();
    for (const uid of uids) {
      const record = await deps.store.findMessageAt(account, imap.mailbox, uidValidity, uid);
      if (!record) continue;
      const folder = record.state === 'replied' || record.state === 'done' ? imap.doneFolder : record.state === 'failed' ? imap.problemFolder : undefined;
      if (!folder) continue;
      moves.set(folder, [...(moves.get(folder) ?? []), { uid, id: record.id }]);
    }
    for (const [folder, list] of moves) {
      await c.messageMove(list.map((m) => m.uid).join(','), folder, { uid: true });
      for (const m of list) {
        await deps.store.setMessageFolder(m.id, folder);
        if (folder === imap.doneFolder) await deps.store.setMessageState(m.id, 'done');
        await deps.store.appendEvent({ actor: 'poller', action: 'mail.moved', subject: m.id, detail: { folder }, at: deps.now().toISOString() });
      }
    }
  };

  void connect();
  return {
    lastPollAt: () => lastPoll,
    connected: () => Boolean(client?.usable),
    pollNow: () => schedulePass(),
    async stop() {
      stopped = true;
      clearInterval(interval);
      if (forceTimer) clearInterval(forceTimer);
      if (reconnectTimer) clearTimeout(reconnectTimer);
      // A pass waiting for Redis (to queue what it recorded) or for a dead socket must not hold
      // the shutdown for ever: what it recorded and did not queue is queued at the next start.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([pass.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, deps.stopTimeoutMs ?? 10_000)))]);
      clearTimeout(timer);
      await client?.logout().catch(() => undefined);
      client?.close();
    },
  };
}
