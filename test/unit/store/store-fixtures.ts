/** Shared by the store tests: a store on a real file in a temp folder, synthetic messages and verdicts. */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Status, TriageResult } from '../../../core/types';
import { openSqliteStore, type SqliteStoreOptions } from '../../../adapters/store/sqlite-store';
import type { NewMessage, Store } from '../../../core/ports/store';

export interface TempStore {
  dir: string;
  file: string;
  store: Store;
  /** Opens another connection on the same file, as a second process would. */
  reopen(opts?: SqliteStoreOptions): Store;
  cleanup(): Promise<void>;
}

/** A clock that moves one second per reading, so createdAt order is visible. */
export function steppingClock(startIso = '2021-03-12T09:00:00.000Z'): () => Date {
  let t = Date.parse(startIso);
  return () => new Date((t += 1000));
}

export function openTempStore(opts: SqliteStoreOptions = {}): TempStore {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'esor-store-'));
  const file = path.join(dir, 'store.sqlite');
  const opened: Store[] = [];
  const open = (o: SqliteStoreOptions) => {
    const s = openSqliteStore(file, { now: steppingClock(), ...o });
    opened.push(s);
    return s;
  };
  const store = open(opts);
  return {
    dir,
    file,
    store,
    reopen: (o = {}) => open(o),
    cleanup: async () => {
      for (const s of opened) await s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A synthetic mail seen at INBOX uidValidity 1 (overridable). */
export function newMessage(seed: string, overrides: Partial<NewMessage> = {}): NewMessage {
  const id = sha256(`raw mail ${seed}`);
  return {
    id,
    account: 'office',
    mailbox: 'INBOX',
    uidValidity: '1',
    uid: 1,
    size: 1234,
    receivedAt: '2021-03-12T09:14:00.000Z',
    rawPath: `raw/${id.slice(0, 2)}/${id}.eml`,
    ...overrides,
  };
}

/** A synthetic verdict; flags are given as codes with the severity their status implies. */
export function triageResult(overrides: Partial<TriageResult> & { flagCodes?: string[] } = {}): TriageResult {
  const { flagCodes = [], ...rest } = overrides;
  const status: Status = rest.status ?? 'complete';
  const severity = status === 'ineligible' ? 'ineligible' : status === 'incomplete' ? 'incomplete' : status === 'needs_review' ? 'review' : 'info';
  return {
    status,
    programme: 'gustave-roussy-hybrid-imaging-2022',
    applicant: { email: 'A.Rossi@example.it', name: 'Anna Rossi' },
    receivedAt: '2021-03-12T09:14:00.000Z',
    pdf: { filename: 'application.pdf', pages: 12 },
    sections: [
      { id: 'motivation', pages: [1, 1], confidence: 0.97 },
      { id: 'cv', pages: [2, 4], confidence: 0.99 },
    ],
    missing: [],
    flags: flagCodes.map((code) => ({ code, severity, message: `flag ${code}` })),
    facts: { countryOfResidence: 'IT', publicationCount: 5 },
    ...rest,
  };
}

/** Records a message and saves a verdict for it, as the ingest and triage stages would. */
export async function recordAndTriage(
  store: Store,
  seed: string,
  opts: { uid: number; result?: TriageResult; applicantKey?: string | null; decidedAt?: string; mailbox?: string },
) {
  const { record } = await store.recordMessage(newMessage(seed, { uid: opts.uid, mailbox: opts.mailbox ?? 'INBOX' }));
  const saved = await store.saveTriage({
    messageId: record.id,
    result: opts.result ?? triageResult(),
    rulesHash: 'rules-v1',
    applicantKey: opts.applicantKey === undefined ? 'a.rossi@example.it' : opts.applicantKey,
    decidedAt: opts.decidedAt ?? '2021-03-12T09:15:00.000Z',
  });
  return { messageId: record.id, ...saved };
}

/** The code of a rejected store call. */
export async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (err) {
    return (err as { code?: string }).code;
  }
  throw new Error('expected the call to be refused');
}
