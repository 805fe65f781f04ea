/**
 * The sending of messages staff write (core/ports/staff-message-sends.ts) on PostgreSQL. Each change is
 * a SERIALIZABLE transaction that reads the row FOR UPDATE first: two workers claiming one message at
 * once serialise on the row (or on the insert of a new one, which loses with a serialization failure
 * and runs again), so only one finds it free. The decision is the SQLite store's (claimOf, in the core).
 */
import { MESSAGE_EVENTS } from '../../../core/reply/staff-message';
import { claimOf, maySend } from '../../../core/reply/staff-message-send';
import { StoreError, type StaffMessageSend, type StaffMessageSends } from '../../../core/ports/store';
import { requireText, requireTime } from '../input-checks';
import { requireAttempt, requireKey, requireLease, requireSendFilter, STAFF_MESSAGE_SEND_COLUMNS, toStaffMessageSend, type StaffMessageSendRow } from '../staff-message-send-rows';
import { insertEvent, type StoreContext } from './context';
import type { Sql } from './pool';

async function read(sql: Sql, key: string, lock = false): Promise<StaffMessageSend | undefined> {
  const { rows } = await sql.query<StaffMessageSendRow>(`SELECT ${STAFF_MESSAGE_SEND_COLUMNS} FROM staff_message_sends WHERE key = $1${lock ? ' FOR UPDATE' : ''}`, [key]);
  return rows[0] && toStaffMessageSend(rows[0]);
}

async function insert(sql: Sql, row: { key: string; applicationId: string; state: string; leaseUntil: string | null; error: string | null; at: string }): Promise<void> {
  await sql.query(
    `INSERT INTO staff_message_sends (key, application_id, state, attempt, lease_until, error, created_at, updated_at)
     VALUES ($1, $2, $3, 1, $4, $5, $6, $6)`,
    [row.key, row.applicationId, row.state, row.leaseUntil, row.error, row.at],
  );
}

async function update(sql: Sql, row: { key: string; state: string; attempt: number; leaseUntil: string | null; error: string | null; sentAt: string | null; at: string }): Promise<void> {
  await sql.query(
    `UPDATE staff_message_sends SET state = $2, attempt = $3, lease_until = $4, error = $5, sent_at = $6, updated_at = $7 WHERE key = $1`,
    [row.key, row.state, row.attempt, row.leaseUntil, row.error, row.sentAt, row.at],
  );
}

export function createStaffMessageSends(ctx: StoreContext): StaffMessageSends {
  return {
    async requestStaffMessage(key, applicationId, actor, at) {
      const k = requireKey(key);
      const app = requireText(applicationId, 'applicationId');
      const by = requireText(actor, 'actor');
      const when = requireTime(at, 'at');
      return ctx.write(async (sql) => {
        const known = await read(sql, k, true);
        if (known) return { send: known, isNew: false };
        await insert(sql, { key: k, applicationId: app, state: 'queued', leaseUntil: null, error: null, at: ctx.stamp() });
        await insertEvent(sql, { actor: by, action: MESSAGE_EVENTS.requested, subject: app, detail: { key: k }, at: when });
        return { send: (await read(sql, k))!, isNew: true };
      });
    },

    async claimStaffMessageSend(key, applicationId, now, until) {
      const k = requireKey(key);
      const app = requireText(applicationId, 'applicationId');
      const lease = requireLease(now, until);
      return ctx.write(async (sql) => {
        const send = await read(sql, k, true);
        const claim = claimOf(send, lease.now);
        if (!maySend(claim)) return { claim, send: send! };
        if (!send) await insert(sql, { key: k, applicationId: app, state: 'sending', leaseUntil: lease.until, error: null, at: ctx.stamp() });
        else await update(sql, { key: k, state: 'sending', attempt: send.attempt, leaseUntil: lease.until, error: null, sentAt: null, at: ctx.stamp() });
        return { claim, send: (await read(sql, k))! };
      });
    },

    async releaseStaffMessageSend(key) {
      const k = requireKey(key);
      await ctx.write(async (sql) => {
        const send = await read(sql, k, true);
        if (send?.state !== 'sending') return;
        await update(sql, { key: k, state: 'queued', attempt: send.attempt, leaseUntil: null, error: null, sentAt: null, at: ctx.stamp() });
      });
    },

    async markStaffMessageSent(key, actor, sentAt) {
      const k = requireKey(key);
      const by = requireText(actor, 'actor');
      const when = requireTime(sentAt, 'sentAt');
      await ctx.write(async (sql) => {
        const send = await read(sql, k, true);
        if (!send) throw new StoreError('STORE_NOT_FOUND', `no staff message ${k}`);
        if (send.state === 'sent') return;
        await update(sql, { key: k, state: 'sent', attempt: send.attempt, leaseUntil: null, error: null, sentAt: when, at: ctx.stamp() });
        await insertEvent(sql, { actor: by, action: MESSAGE_EVENTS.sent, subject: send.applicationId, detail: { key: k }, at: when });
      });
    },

    async markStaffMessageFailed(key, applicationId, reason, actor, at, opts = {}) {
      const k = requireKey(key);
      const app = requireText(applicationId, 'applicationId');
      const why = requireText(reason, 'reason');
      const by = requireText(actor, 'actor');
      const when = requireTime(at, 'at');
      return ctx.write(async (sql) => {
        const send = await read(sql, k, true);
        if (send && (send.state === 'sent' || send.state === 'failed')) return false;
        if (!send) await insert(sql, { key: k, applicationId: app, state: 'failed', leaseUntil: null, error: why, at: ctx.stamp() });
        // The lease stays unless its holder says its send is over: a send that may still be running keeps a retry waiting.
        else {
          const leaseUntil = opts.leaseEnded === true ? null : (send.leaseUntil ?? null);
          await update(sql, { key: k, state: 'failed', attempt: send.attempt, leaseUntil, error: why, sentAt: null, at: ctx.stamp() });
        }
        await insertEvent(sql, { actor: by, action: MESSAGE_EVENTS.failed, subject: send?.applicationId ?? app, detail: { key: k, reason: why, attempt: send?.attempt ?? 1 }, at: when });
        return true;
      });
    },

    async retryStaffMessage(key, attempt, actor, at) {
      const k = requireKey(key);
      const n = requireAttempt(attempt);
      const by = requireText(actor, 'actor');
      const when = requireTime(at, 'at');
      return ctx.write(async (sql) => {
        const send = await read(sql, k, true);
        if (!send || send.state !== 'failed' || send.attempt !== n) return send;
        await update(sql, { key: k, state: 'queued', attempt: n + 1, leaseUntil: send.leaseUntil ?? null, error: null, sentAt: null, at: ctx.stamp() });
        await insertEvent(sql, { actor: by, action: MESSAGE_EVENTS.retried, subject: send.applicationId, detail: { key: k, attempt: n + 1 }, at: when });
        return read(sql, k);
      });
    },

    async getStaffMessageSend(key) {
      return read(ctx.sql, String(key));
    },

    async listStaffMessageSends(filter) {
      const { state, limit } = requireSendFilter(filter);
      const { rows } = await ctx.sql.query<StaffMessageSendRow>(
        `SELECT ${STAFF_MESSAGE_SEND_COLUMNS} FROM staff_message_sends WHERE ($1::text IS NULL OR state = $1) ORDER BY created_at, key LIMIT $2`,
        [state, limit],
      );
      return rows.map(toStaffMessageSend);
    },
  };
}
