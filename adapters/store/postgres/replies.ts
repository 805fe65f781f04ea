/**
 * Replies (reserved before they are sent) and bounced addresses on PostgreSQL (core/ports/replies.ts).
 */
import { REPLY_STATES, StoreError, type NewReply, type Replies, type ReplyFilter } from '../../../core/ports/store';
import { invalid, normaliseEmail, notFound, requireInteger, requireStatus, requireText, requireTime } from '../input-checks';
import { insertEvent, type StoreContext } from './context';
import type { Sql } from './pool';
import { REPLY_COLUMNS, toReply, type ReplyRow } from './rows';

async function getReply(sql: Sql, id: string): Promise<ReplyRow | undefined> {
  return (await sql.query<ReplyRow>(`SELECT ${REPLY_COLUMNS} FROM replies WHERE id = $1`, [id])).rows[0];
}

/** The reply, its row locked until the transaction ends. @throws StoreError STORE_NOT_FOUND. */
async function requireReply(sql: Sql, id: string): Promise<ReplyRow> {
  const row = (await sql.query<ReplyRow>(`SELECT ${REPLY_COLUMNS} FROM replies WHERE id = $1 FOR UPDATE`, [id])).rows[0];
  if (!row) throw notFound(`no reply ${id}`);
  return row;
}

async function reserveReplyTx(ctx: StoreContext, sql: Sql, r: NewReply) {
  const revision = await sql.query('SELECT 1 FROM revisions WHERE application_id = $1 AND revision = $2', [r.applicationId, r.revision]);
  if (revision.rowCount === 0) throw notFound(`no revision ${r.revision} of application ${r.applicationId}`);
  const existing = (
    await sql.query<ReplyRow>(`SELECT ${REPLY_COLUMNS} FROM replies WHERE application_id = $1 AND revision = $2 AND status = $3`, [r.applicationId, r.revision, r.status])
  ).rows[0];
  if (existing) return { reply: toReply(existing), isNew: false };
  const at = ctx.stamp();
  const { rows } = await sql.query<ReplyRow>(
    `INSERT INTO replies (id, application_id, revision, status, to_address, subject, body, state, held, in_reply_to, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING ${REPLY_COLUMNS}`,
    [ctx.newId(), r.applicationId, r.revision, r.status, r.to, r.subject, r.body, r.held ? 'held' : 'pending', r.held, r.inReplyTo ?? null, at],
  );
  return { reply: toReply(rows[0]!), isNew: true };
}

export function createReplies(ctx: StoreContext): Replies {
  return {
    async reserveReply(input) {
      requireStatus(input.status, 'status');
      const to = requireText(input.to, 'to').trim();
      const reply = { ...input, to, subject: String(input.subject), body: String(input.body) };
      return ctx.write((sql) => reserveReplyTx(ctx, sql, reply));
    },

    async markReplySent(id, messageId, sentAt) {
      const mid = requireText(messageId, 'messageId');
      const when = requireTime(sentAt, 'sentAt');
      await ctx.write(async (sql) => {
        const row = await requireReply(sql, id);
        if (row.state === 'sent') {
          if (row.message_id === mid) return;
          throw new StoreError('STORE_INVALID_STATE', `reply ${id} was already sent as another message`);
        }
        if (row.state !== 'pending' && row.state !== 'failed') throw new StoreError('STORE_INVALID_STATE', `reply ${id} is ${row.state}, not ready to send`);
        await sql.query(
          `UPDATE replies SET state = 'sent', message_id = $2, sent_at = $3, error = NULL,
             attempts = attempts + 1, send_lease_until = NULL, updated_at = $4
           WHERE id = $1`,
          [id, mid, when, ctx.stamp()],
        );
      });
    },

    async claimReplySend(id, now, until) {
      const at = requireTime(now, 'now');
      const end = requireTime(until, 'until');
      return ctx.write(async (sql) => {
        await requireReply(sql, id);
        const { rowCount } = await sql.query(
          `UPDATE replies SET send_lease_until = $3, updated_at = $4
           WHERE id = $1 AND state IN ('pending', 'failed') AND (send_lease_until IS NULL OR send_lease_until <= $2)`,
          [id, at, end, ctx.stamp()],
        );
        return rowCount === 1;
      });
    },

    async releaseReplySend(id) {
      await ctx.sql.query('UPDATE replies SET send_lease_until = NULL, updated_at = $2 WHERE id = $1', [id, ctx.stamp()]);
    },

    async markReplyFailed(id, error) {
      await ctx.write(async (sql) => {
        const row = await requireReply(sql, id);
        if (row.state !== 'pending' && row.state !== 'failed') throw new StoreError('STORE_INVALID_STATE', `reply ${id} is ${row.state}, it was not being sent`);
        await sql.query(
          `UPDATE replies SET state = 'failed', error = $2, attempts = attempts + 1, send_lease_until = NULL, updated_at = $3 WHERE id = $1`,
          [id, String(error), ctx.stamp()],
        );
      });
    },

    async holdReply(id, reason) {
      const why = requireText(reason, 'reason');
      await ctx.write(async (sql) => {
        const row = await requireReply(sql, id);
        if (row.state === 'held') return;
        if (row.state !== 'pending' && row.state !== 'failed') throw new StoreError('STORE_INVALID_STATE', `reply ${id} is ${row.state}, it cannot be held`);
        await sql.query(`UPDATE replies SET state = 'held', held = true, error = $2, updated_at = $3 WHERE id = $1`, [id, why, ctx.stamp()]);
      });
    },

    async approveReply(id, actor, edited = {}) {
      const by = requireText(actor, 'actor');
      return ctx.write(async (sql) => {
        const row = await requireReply(sql, id);
        if (row.state !== 'held') throw new StoreError('STORE_INVALID_STATE', `reply ${id} is ${row.state}, not held`);
        const at = ctx.stamp();
        const editedFields = (['body', 'subject'] as const).filter((k) => edited[k] !== undefined);
        const { rows } = await sql.query<ReplyRow>(
          `UPDATE replies SET state = 'pending', decided_by = $2, subject = coalesce($3, subject), body = coalesce($4, body), updated_at = $5
           WHERE id = $1 RETURNING ${REPLY_COLUMNS}`,
          [id, by, edited.subject ?? null, edited.body ?? null, at],
        );
        // Which fields changed, never their text: the log holds no personal data.
        await insertEvent(sql, {
          actor: by,
          action: 'reply.approved',
          subject: id,
          detail: { applicationId: row.application_id, revision: row.revision, edited: editedFields },
          at,
        });
        return toReply(rows[0]!);
      });
    },

    async discardReply(id, actor) {
      const by = requireText(actor, 'actor');
      await ctx.write(async (sql) => {
        const row = await requireReply(sql, id);
        if (row.state === 'discarded') return;
        if (row.state === 'sent') throw new StoreError('STORE_INVALID_STATE', `reply ${id} was already sent`);
        const at = ctx.stamp();
        await sql.query(`UPDATE replies SET state = 'discarded', decided_by = $2, updated_at = $3 WHERE id = $1`, [id, by, at]);
        await insertEvent(sql, {
          actor: by,
          action: 'reply.discarded',
          subject: id,
          detail: { applicationId: row.application_id, revision: row.revision, from: row.state },
          at,
        });
      });
    },

    async getReply(id) {
      const row = await getReply(ctx.sql, id);
      return row && toReply(row);
    },

    async listReplies(filter: ReplyFilter = {}) {
      if (filter.state !== undefined && !(REPLY_STATES as readonly unknown[]).includes(filter.state)) throw invalid(`state must be one of ${REPLY_STATES.join(', ')}`);
      const limit = filter.limit === undefined ? null : requireInteger(filter.limit, 'limit', 1);
      const { rows } = await ctx.sql.query<ReplyRow>(
        `SELECT ${REPLY_COLUMNS} FROM replies
         WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR application_id = $2)
         ORDER BY created_at, seq LIMIT $3`,
        [filter.state ?? null, filter.applicationId ?? null, limit],
      );
      return rows.map(toReply);
    },

    async markAddressBounced(email, at) {
      const address = normaliseEmail(email);
      if (address === null) throw invalid('email must be a non-empty string');
      const when = requireTime(at, 'at');
      // One statement: ON CONFLICT makes it safe against a concurrent mark of the same address.
      await ctx.sql.query(
        `INSERT INTO bounced_addresses (email, first_bounced_at, last_bounced_at, bounces) VALUES ($1, $2, $2, 1)
         ON CONFLICT (email) DO UPDATE SET
           first_bounced_at = least(bounced_addresses.first_bounced_at, excluded.first_bounced_at),
           last_bounced_at = greatest(bounced_addresses.last_bounced_at, excluded.last_bounced_at),
           bounces = bounced_addresses.bounces + 1`,
        [address, when],
      );
    },

    async isAddressBounced(email, since) {
      const address = normaliseEmail(email);
      const row =
        address === null ? undefined : (await ctx.sql.query<{ last_bounced_at: string }>('SELECT last_bounced_at FROM bounced_addresses WHERE email = $1', [address])).rows[0];
      if (!row) return false;
      return since === undefined || row.last_bounced_at >= requireTime(since, 'since');
    },

    async clearAddressBounce(email, actor, at) {
      const address = normaliseEmail(email);
      if (address === null) throw invalid('email must be a non-empty string');
      if (typeof actor !== 'string' || actor.trim() === '') throw invalid('actor must be a non-empty string');
      const when = requireTime(at, 'at');
      return ctx.write(async (sql) => {
        const { rowCount } = await sql.query('DELETE FROM bounced_addresses WHERE email = $1', [address]);
        const cleared = (rowCount ?? 0) > 0;
        // The address itself is personal data: the event says that a mark was cleared, and by whom.
        if (cleared) await insertEvent(sql, { actor, action: 'bounce.cleared', subject: 'bounces', detail: {}, at: when });
        return cleared;
      });
    },
  };
}
