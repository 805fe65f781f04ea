/**
 * The message ledger on PostgreSQL (core/ports/ledger.ts). A message is durable when recordMessage
 * resolves: its transaction committed with synchronous_commit on, so the WAL reached the disk.
 */
import { MESSAGE_STATES, StoreError, type Ledger, type MessageRecord, type NewMessage } from '../../../core/ports/store';
import { invalid, notFound, requireInteger, requireSha256, requireText, requireTime } from '../input-checks';
import type { StoreContext } from './context';
import type { Sql } from './pool';
import { MESSAGE_COLUMNS, toMessage, type MessageRow } from './rows';

async function messageAt(sql: Sql, l: { account: string; mailbox: string; uidValidity: string; uid: number }): Promise<MessageRow | undefined> {
  const { rows } = await sql.query<MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM message_locations l JOIN messages m ON m.id = l.message_id
     WHERE l.account = $1 AND l.mailbox = $2 AND l.uid_validity = $3 AND l.uid = $4`,
    [l.account, l.mailbox, l.uidValidity, l.uid],
  );
  return rows[0];
}

async function getMessage(sql: Sql, id: string): Promise<MessageRow | undefined> {
  return (await sql.query<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.id = $1`, [id])).rows[0];
}

async function recordMessageTx(sql: Sql, m: NewMessage, at: string): Promise<{ record: MessageRecord; isNew: boolean }> {
  const there = await messageAt(sql, m);
  if (there) {
    // UIDVALIDITY + UID name one immutable message; another hash there means a broken
    // server or a broken caller, and taking either side silently could lose a mail.
    if (there.id !== m.id) throw new StoreError('STORE_CONFLICT', `location ${m.mailbox} ${m.uidValidity}/${m.uid} is recorded with another hash`);
    return { record: toMessage(there), isNew: false };
  }
  const known = await getMessage(sql, m.id);
  if (!known) {
    await sql.query(
      `INSERT INTO messages (id, account, mailbox, uid_validity, uid, size, received_at, raw_path, state, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'received', $9, $9)`,
      [m.id, m.account, m.mailbox, m.uidValidity, m.uid, m.size, m.receivedAt, m.rawPath, at],
    );
  }
  await sql.query(
    'INSERT INTO message_locations (account, mailbox, uid_validity, uid, message_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [m.account, m.mailbox, m.uidValidity, m.uid, m.id, at],
  );
  return { record: toMessage(known ?? (await getMessage(sql, m.id))!), isNew: !known };
}

export function createLedger(ctx: StoreContext): Ledger {
  return {
    async recordMessage(m) {
      const message: NewMessage = {
        id: requireSha256(m.id, 'id'),
        account: requireText(m.account, 'account'),
        mailbox: requireText(m.mailbox, 'mailbox'),
        uidValidity: requireText(String(m.uidValidity), 'uidValidity'),
        uid: requireInteger(m.uid, 'uid', 1),
        size: requireInteger(m.size, 'size', 0),
        receivedAt: requireTime(m.receivedAt, 'receivedAt'),
        rawPath: requireText(m.rawPath, 'rawPath'),
      };
      return ctx.write((sql) => recordMessageTx(sql, message, ctx.stamp()));
    },

    async getMessage(id) {
      const row = await getMessage(ctx.sql, String(id).toLowerCase());
      return row && toMessage(row);
    },

    async findMessageAt(account, mailbox, uidValidity, uid) {
      // A UID the column cannot hold names no recorded message.
      if (!Number.isSafeInteger(uid)) return undefined;
      const row = await messageAt(ctx.sql, { account, mailbox, uidValidity: String(uidValidity), uid });
      return row && toMessage(row);
    },

    async lastUid(account, mailbox, uidValidity) {
      const { rows } = await ctx.sql.query<{ last: number }>(
        'SELECT coalesce(max(uid), 0) AS last FROM message_locations WHERE account = $1 AND mailbox = $2 AND uid_validity = $3',
        [account, mailbox, String(uidValidity)],
      );
      return rows[0]!.last;
    },

    async setMessageState(id, state, error) {
      if (!(MESSAGE_STATES as readonly unknown[]).includes(state)) throw invalid(`state must be one of ${MESSAGE_STATES.join(', ')}`);
      const { rowCount } = await ctx.sql.query('UPDATE messages SET state = $2, error = $3, updated_at = $4 WHERE id = $1', [id, state, error ?? null, ctx.stamp()]);
      if (rowCount === 0) throw notFound(`no message ${id}`);
    },

    async setMessageFolder(id, folder) {
      const checked = requireText(folder, 'folder');
      const { rowCount } = await ctx.sql.query('UPDATE messages SET folder = $2, updated_at = $3 WHERE id = $1', [id, checked, ctx.stamp()]);
      if (rowCount === 0) throw notFound(`no message ${id}`);
    },

    async listUnfinishedMessages(limit) {
      const n = limit === undefined ? null : requireInteger(limit, 'limit', 1);
      const { rows } = await ctx.sql.query<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.state <> 'done' ORDER BY m.created_at, m.seq LIMIT $1`, [n]);
      return rows.map(toMessage);
    },
  };
}
