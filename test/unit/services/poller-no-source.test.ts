/**
 * A message the server lists but gives no source for is not skipped silently (it would be asked for
 * on every pass and seen by no one): it is logged and filed in the problem folder, with an event.
 * The IMAP client is a stand-in; the store is the real SQLite one.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createFileStore } from '../../../adapters/file-store';
import { openSqliteStore } from '../../../adapters/store/sqlite-store';
import type { Store } from '../../../core/ports/store';

const moves: Array<{ range: string; folder: string }> = [];

class FakeClient extends EventEmitter {
  usable = true;
  mailbox = { uidValidity: 7n };
  async connect() {}
  async getMailboxLock() {
    return { release: () => undefined };
  }
  async search(query: { uid?: string; all?: boolean }) {
    return query.all ? [] : [3];
  }
  async fetchOne() {
    return { uid: 3 }; // listed, but no source
  }
  async messageMove(range: string, folder: string) {
    moves.push({ range, folder });
    return true;
  }
  async logout() {}
  close() {}
}

jest.mock('../../../adapters/imap-mailbox', () => ({
  createImapClient: () => new FakeClient(),
  ensureFolders: async () => undefined,
}));

// Imported after jest.mock, so the poller loads the stand-in IMAP client.
import { startPoller } from '../../../services/poller';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'esor-poller-nosource-'));
  store = openSqliteStore(path.join(dir, 'store.sqlite'));
  moves.length = 0;
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

it('logs a message without a source and files it in the problem folder', async () => {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (l: string) => lines.push(l) });
  const enqueued: string[] = [];
  const poller = startPoller({
    imap: { host: 'imap.example.org', port: 993, secure: true, user: 'office@example.org', password: 'x', mailbox: 'INBOX', doneFolder: 'Done', problemFolder: 'Problem', sentFolder: 'Sent' },
    poll: { intervalMs: 60_000, reconnectMinMs: 1000, reconnectMaxMs: 1000, forceReconnectMs: 0 },
    store,
    files: createFileStore(path.join(dir, 'files')),
    enqueue: async (id) => void enqueued.push(id),
    logger,
    now: () => new Date('2026-01-10T10:00:00Z'),
  });
  try {
    await poller.pollNow();
    await poller.pollNow();
    expect(moves[0]).toEqual({ range: '3', folder: 'Problem' });
    expect(enqueued).toEqual([]);
    expect(lines.join('')).toMatch(/mail without a source: filed in the problem folder/);
    const events = await store.listEvents('INBOX/3');
    expect(events.map((e) => [e.action, e.detail])).toContainEqual(['mail.no_source', { folder: 'Problem' }]);
  } finally {
    await poller.stop();
  }
});
