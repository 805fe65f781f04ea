/**
 * The sending of messages staff write (core/ports/staff-message-sends.ts) on the SQLite store. Each
 * method is one IMMEDIATE transaction: the write lock is taken before the row is read, so two workers
 * (two processes on one file) cannot both find a message free and both send it.
 */
import type Database from 'better-sqlite3';
import { MESSAGE_EVENTS } from '../../core/reply/staff-message';
import { claimOf, maySend } from '../../core/reply/staff-message-send';
import { StoreError, type StaffMessageSends } from '../../core/ports/store';
import { requireText, requireTime } from './input-checks';
import { requireAttempt, requireKey, requireLease, requireSendFilter, STAFF_MESSAGE_SEND_COLUMNS, toStaffMessageSend, type StaffMessageSendRow } from './staff-message-send-rows';

interface AreaDeps {
  /** The store's clock, for created_at / updated_at. */
  stamp: () => string;
  /** The store's wrapper: the closed check and the error translation, as a Promise. */
  run: <T>(fn: () => T) => Promise<T>;
}

export function createSqliteStaffMessageSends(db: Database.Database, { stamp, run }: AreaDeps): StaffMessageSends {
  const get = db.prepare<[string], StaffMessageSendRow>(`SELECT ${STAFF_MESSAGE_SEND_COLUMNS} FROM staff_message_sends WHERE key = ?`);
  const insert = db.prepare<{ key: string; applicationId: string; state: string; leaseUntil: string | null; error: string | null; at: string }>(`
    INSERT INTO staff_message_sends (key, application_id, state, attempt, lease_until, error, created_at, updated_at)
    VALUES (@key, @applicationId, @state, 1, @leaseUntil, @error, @at, @at)`);
  const update = db.prepare<{ key: string; state: string; attempt: number; leaseUntil: string | null; error: string | null; sentAt: string | null; at: string }>(`
    UPDATE staff_message_sends SET state = @state, attempt = @attempt, lease_until = @leaseUntil, error = @error, sent_at = @sentAt, updated_at = @at
    WHERE key = @key`);
  const list = db.prepare<{ state: string | null; limit: number }, StaffMessageSendRow>(
    `SELECT ${STAFF_MESSAGE_SEND_COLUMNS} FROM staff_message_sends WHERE (@state IS NULL OR state = @state) ORDER BY created_at, key LIMIT @limit`,
  );
  const event = db.prepare<{ actor: string; action: string; subject: string; detail: string; at: string }>(
    'INSERT INTO events (actor, action, subject, detail, at) VALUES (@actor, @action, @subject, @detail, @at)',
  );
  const log = (actor: string, action: string, subject: string, detail: Record<string, unknown>, at: string) =>
    event.run({ actor, action, subject, detail: JSON.stringify(detail), at });
  const read = (key: string) => {
    const row = get.get(key);
    return row && toStaffMessageSend(row);
  };

  const requestTx = db.transaction((key: string, applicationId: string, actor: string, at: string) => {
    const known = read(key);
    if (known) return { send: known, isNew: false };
    insert.run({ key, applicationId, state: 'queued', leaseUntil: null, error: null, at: stamp() });
    log(actor, MESSAGE_EVENTS.requested, applicationId, { key }, at);
    return { send: read(key)!, isNew: true };
  });

  const claimTx = db.transaction((key: string, applicationId: string, now: string, until: string) => {
    const send = read(key);
    const claim = claimOf(send, now);
    if (!maySend(claim)) return { claim, send: send! };
    if (!send) insert.run({ key, applicationId, state: 'sending', leaseUntil: until, error: null, at: stamp() });
    else update.run({ key, state: 'sending', attempt: send.attempt, leaseUntil: until, error: null, sentAt: null, at: stamp() });
    return { claim, send: read(key)! };
  });

  const releaseTx = db.transaction((key: string) => {
    const send = read(key);
    if (send?.state !== 'sending') return;
    update.run({ key, state: 'queued', attempt: send.attempt, leaseUntil: null, error: null, sentAt: null, at: stamp() });
  });

  const sentTx = db.transaction((key: string, actor: string, sentAt: string) => {
    const send = read(key);
    if (!send) throw new StoreError('STORE_NOT_FOUND', `no staff message ${key}`);
    if (send.state === 'sent') return;
    update.run({ key, state: 'sent', attempt: send.attempt, leaseUntil: null, error: null, sentAt, at: stamp() });
    log(actor, MESSAGE_EVENTS.sent, send.applicationId, { key }, sentAt);
  });

  const failedTx = db.transaction((key: string, applicationId: string, reason: string, actor: string, at: string, leaseEnded: boolean): boolean => {
    const send = read(key);
    if (send && (send.state === 'sent' || send.state === 'failed')) return false;
    if (!send) insert.run({ key, applicationId, state: 'failed', leaseUntil: null, error: reason, at: stamp() });
    // The lease stays unless its holder says its send is over: a send that may still be running keeps a retry waiting.
    else update.run({ key, state: 'failed', attempt: send.attempt, leaseUntil: leaseEnded ? null : (send.leaseUntil ?? null), error: reason, sentAt: null, at: stamp() });
    const attempt = send?.attempt ?? 1;
    log(actor, MESSAGE_EVENTS.failed, send?.applicationId ?? applicationId, { key, reason, attempt }, at);
    return true;
  });

  const retryTx = db.transaction((key: string, attempt: number, actor: string, at: string) => {
    const send = read(key);
    if (!send || send.state !== 'failed' || send.attempt !== attempt) return send;
    update.run({ key, state: 'queued', attempt: attempt + 1, leaseUntil: send.leaseUntil ?? null, error: null, sentAt: null, at: stamp() });
    log(actor, MESSAGE_EVENTS.retried, send.applicationId, { key, attempt: attempt + 1 }, at);
    return read(key);
  });

  return {
    requestStaffMessage: (key, applicationId, actor, at) =>
      run(() => requestTx.immediate(requireKey(key), requireText(applicationId, 'applicationId'), requireText(actor, 'actor'), requireTime(at, 'at'))),
    claimStaffMessageSend: (key, applicationId, now, until) =>
      run(() => {
        const lease = requireLease(now, until);
        return claimTx.immediate(requireKey(key), requireText(applicationId, 'applicationId'), lease.now, lease.until);
      }),
    releaseStaffMessageSend: (key) => run(() => releaseTx.immediate(requireKey(key))),
    markStaffMessageSent: (key, actor, sentAt) => run(() => sentTx.immediate(requireKey(key), requireText(actor, 'actor'), requireTime(sentAt, 'sentAt'))),
    markStaffMessageFailed: (key, applicationId, reason, actor, at, opts = {}) =>
      run(() =>
        failedTx.immediate(
          requireKey(key),
          requireText(applicationId, 'applicationId'),
          requireText(reason, 'reason'),
          requireText(actor, 'actor'),
          requireTime(at, 'at'),
          opts.leaseEnded === true,
        ),
      ),
    retryStaffMessage: (key, attempt, actor, at) =>
      run(() => retryTx.immediate(requireKey(key), requireAttempt(attempt), requireText(actor, 'actor'), requireTime(at, 'at'))),
    getStaffMessageSend: (key) => run(() => read(String(key))),
    listStaffMessageSends: (filter) =>
      run(() => {
        const { state, limit } = requireSendFilter(filter);
        return list.all({ state, limit: limit ?? -1 }).map(toStaffMessageSend);
      }),
  };
}
