/**
 * Staff users, sessions, notes, the reviewed mark and amendments on PostgreSQL (core/ports/staff.ts).
 * Each staff action and its event commit together.
 */
import { StoreError, type AmendRevision, type Staff, type UserRecord } from '../../../core/ports/store';
import {
  AMEND_ACTIONS,
  checkUserChange,
  requireTotpStep,
  type CheckedUserChange,
  foldCase,
  invalid,
  normaliseUsername,
  notFound,
  requireInteger,
  requireResult,
  requireRole,
  requireSha256,
  requireText,
  requireTime,
  requireUsername,
  SHA256_HEX,
} from '../input-checks';
import { insertEvent, type StoreContext } from './context';
import type { Sql } from './pool';
import { flagCodes, toNote, toRevision, toSession, toUser, type ApplicationRow, type NoteRow, type RevisionRow, type SessionRow, type UserRow } from './rows';

/** The application, its row locked until the transaction ends. @throws StoreError STORE_NOT_FOUND. */
async function requireApplication(sql: Sql, applicationId: string): Promise<ApplicationRow> {
  const row = (await sql.query<ApplicationRow>('SELECT * FROM applications WHERE id = $1 FOR UPDATE', [applicationId])).rows[0];
  if (!row) throw notFound(`no application ${applicationId}`);
  return row;
}

async function amendRevisionTx(ctx: StoreContext, sql: Sql, c: AmendRevision) {
  const before = (await sql.query<RevisionRow>('SELECT * FROM revisions WHERE application_id = $1 AND revision = $2 FOR UPDATE', [c.applicationId, c.revision])).rows[0];
  if (!before) throw notFound(`no revision ${c.revision} of application ${c.applicationId}`);
  const result = c.result;
  const { rows } = await sql.query<RevisionRow>(
    `UPDATE revisions SET status = $3, flags = $4, facts = $5, rules_hash = coalesce($6, rules_hash),
       amended_result = $7, amended_by = $8, amended_at = $9, amended_action = $10, amended_reason = $11
     WHERE application_id = $1 AND revision = $2 RETURNING *`,
    [
      c.applicationId,
      c.revision,
      result.status,
      JSON.stringify(result.flags),
      JSON.stringify(result.facts ?? {}),
      c.rulesHash ?? null,
      JSON.stringify(result),
      c.actor,
      c.at,
      c.action,
      c.reason ?? null,
    ],
  );
  const app = (await sql.query<ApplicationRow>('SELECT latest_revision FROM applications WHERE id = $1', [c.applicationId])).rows[0]!;
  if (app.latest_revision === c.revision) {
    const email = result.applicant?.email ?? null;
    const name = result.applicant?.name ?? null;
    await sql.query(
      `UPDATE applications SET status = $2,
         applicant_email = coalesce($3, applicant_email), email_fold = coalesce($4, email_fold),
         applicant_name = coalesce($5, applicant_name), name_fold = coalesce($6, name_fold),
         updated_at = $7
       WHERE id = $1`,
      [c.applicationId, result.status, email, foldCase(email), name, foldCase(name), ctx.stamp()],
    );
  }
  const detail: Record<string, unknown> = {
    revision: c.revision,
    previousStatus: before.status,
    previousFlags: flagCodes(before.flags),
    status: result.status,
    flags: result.flags.map((f) => f.code),
  };
  if (c.reason !== undefined) detail.reason = c.reason;
  if (c.rulesHash !== undefined) detail.rulesHash = c.rulesHash;
  await insertEvent(sql, { actor: c.actor, action: c.action, subject: c.applicationId, detail, at: c.at });
  return toRevision(rows[0]!);
}

async function updateUserIn(sql: Sql, name: string, c: CheckedUserChange): Promise<UserRecord> {
  // The enabled admins' rows are locked first: two admins demoting each other wait for one another, and
  // the second then counts what the first committed (READ COMMITTED reads anew per statement).
  await sql.query(`SELECT username FROM users WHERE role = 'admin' AND disabled_at IS NULL ORDER BY username FOR UPDATE`);
  const before = (await sql.query<UserRow>('SELECT * FROM users WHERE username = $1 FOR UPDATE', [name])).rows[0];
  if (!before) throw notFound(`no user ${name}`);
  const { rows } = await sql.query<UserRow>(
    `UPDATE users SET role = coalesce($2, role), password_hash = coalesce($3, password_hash),
       disabled_at = CASE WHEN $4::boolean IS NULL THEN disabled_at WHEN $4::boolean THEN coalesce(disabled_at, $7) ELSE NULL END,
       totp_secret = CASE WHEN $5::boolean THEN $6 ELSE totp_secret END,
       totp_last_step = CASE WHEN $5::boolean THEN NULL ELSE totp_last_step END,
       updated_at = $7
     WHERE username = $1 RETURNING *`,
    [name, c.role, c.passwordHash, c.disabled, c.totpChange, c.totpSecret, c.at],
  );
  if (before.role === 'admin' && before.disabled_at === null) {
    const left = await sql.query<{ n: string }>(`SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled_at IS NULL`);
    // The throw rolls the transaction back.
    if (Number(left.rows[0]?.n ?? 0) === 0) throw new StoreError('STORE_INVALID_STATE', `${name} is the last enabled admin`);
  }
  // A new password logs the user out everywhere: whoever knew the old one keeps no session; so does disabling.
  if (c.passwordHash !== null || c.disabled === true) await sql.query('DELETE FROM sessions WHERE username = $1', [name]);
  return toUser(rows[0]!);
}

export function createStaff(ctx: StoreContext): Staff {
  return {
    async createUser(user) {
      const u = {
        username: requireUsername(user.username),
        role: requireRole(user.role),
        passwordHash: requireText(user.passwordHash, 'passwordHash'),
        at: requireTime(user.at, 'at'),
      };
      return ctx.write(async (sql) => {
        // ON CONFLICT rather than a look first: two admins creating one name at once get one user and one refusal.
        const { rows } = await sql.query<UserRow>(
          `INSERT INTO users (username, role, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
           ON CONFLICT (username) DO NOTHING RETURNING *`,
          [u.username, u.role, u.passwordHash, u.at],
        );
        if (!rows[0]) throw new StoreError('STORE_CONFLICT', `user ${u.username} exists`);
        return toUser(rows[0]);
      });
    },

    async updateUser(username, change) {
      const name = requireUsername(username);
      const c = checkUserChange(change);
      return ctx.write((sql) => updateUserIn(sql, name, c));
    },

    async useTotpStep(username, step) {
      const name = requireUsername(username);
      const s = requireTotpStep(step);
      const { rowCount } = await ctx.sql.query(
        `UPDATE users SET totp_last_step = $2
         WHERE username = $1 AND totp_secret IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < $2)`,
        [name, s],
      );
      return rowCount === 1;
    },

    async getUser(username) {
      const name = normaliseUsername(username);
      if (name === undefined) return undefined;
      const row = (await ctx.sql.query<UserRow>('SELECT * FROM users WHERE username = $1', [name])).rows[0];
      return row && toUser(row);
    },

    async listUsers() {
      return (await ctx.sql.query<UserRow>('SELECT * FROM users ORDER BY username')).rows.map(toUser);
    },

    async createSession(session) {
      const createdAt = requireTime(session.createdAt, 'createdAt');
      const expiresAt = requireTime(session.expiresAt, 'expiresAt');
      if (expiresAt <= createdAt) throw invalid('expiresAt must be after createdAt');
      const s = {
        id: requireSha256(session.id, 'id'),
        username: requireUsername(session.username),
        csrfToken: requireText(session.csrfToken, 'csrfToken'),
      };
      return ctx.write(async (sql) => {
        const user = (await sql.query<UserRow>('SELECT role FROM users WHERE username = $1', [s.username])).rows[0];
        if (!user) throw notFound(`no user ${s.username}`);
        await sql.query('INSERT INTO sessions (id, username, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
          s.id,
          s.username,
          s.csrfToken,
          createdAt,
          expiresAt,
        ]);
        return { id: s.id, username: s.username, role: user.role, csrfToken: s.csrfToken, createdAt, expiresAt };
      });
    },

    async getSession(id, now) {
      const at = requireTime(now, 'now');
      if (typeof id !== 'string' || !SHA256_HEX.test(id.toLowerCase())) return undefined;
      const row = (
        await ctx.sql.query<SessionRow>(
          `SELECT s.id, s.username, u.role, s.csrf_token, s.created_at, s.expires_at
           FROM sessions s JOIN users u ON u.username = s.username
           WHERE s.id = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL`,
          [id.toLowerCase(), at],
        )
      ).rows[0];
      return row && toSession(row);
    },

    async deleteSession(id) {
      if (typeof id === 'string') await ctx.sql.query('DELETE FROM sessions WHERE id = $1', [id.toLowerCase()]);
    },

    async deleteExpiredSessions(now) {
      const { rowCount } = await ctx.sql.query('DELETE FROM sessions WHERE expires_at <= $1', [requireTime(now, 'now')]);
      return rowCount ?? 0;
    },

    async addNote(applicationId, author, text, at) {
      const by = requireText(author, 'author');
      const body = requireText(text, 'text');
      const when = requireTime(at, 'at');
      return ctx.write(async (sql) => {
        await requireApplication(sql, applicationId);
        const { rows } = await sql.query<NoteRow>('INSERT INTO notes (application_id, author, text, at) VALUES ($1, $2, $3, $4) RETURNING *', [
          applicationId,
          by,
          body,
          when,
        ]);
        const note = rows[0]!;
        // The note's id, never its text: notes may hold personal data, the event log must not.
        await insertEvent(sql, { actor: by, action: 'note.added', subject: applicationId, detail: { noteId: note.id }, at: when });
        return toNote(note);
      });
    },

    async listNotes(applicationId) {
      return (await ctx.sql.query<NoteRow>('SELECT * FROM notes WHERE application_id = $1 ORDER BY id', [applicationId])).rows.map(toNote);
    },

    async markReviewed(applicationId, actor, at) {
      const by = requireText(actor, 'actor');
      const when = requireTime(at, 'at');
      await ctx.write(async (sql) => {
        const app = await requireApplication(sql, applicationId);
        await sql.query('UPDATE applications SET reviewed_by = $2, reviewed_at = $3, updated_at = $4 WHERE id = $1', [applicationId, by, when, ctx.stamp()]);
        await insertEvent(sql, { actor: by, action: 'application.reviewed', subject: applicationId, detail: { revision: app.latest_revision }, at: when });
      });
    },

    async amendRevision(change) {
      const action = requireText(change.action, 'action');
      if (!AMEND_ACTIONS.includes(action)) throw invalid(`action must be one of ${AMEND_ACTIONS.join(', ')}`);
      if (change.reason !== undefined && typeof change.reason !== 'string') throw invalid('reason must be a string');
      const c: AmendRevision = {
        applicationId: requireText(change.applicationId, 'applicationId'),
        revision: requireInteger(change.revision, 'revision', 1),
        result: requireResult(change.result, 'result'),
        ...(change.rulesHash === undefined ? {} : { rulesHash: requireText(change.rulesHash, 'rulesHash') }),
        action,
        actor: requireText(change.actor, 'actor'),
        ...(change.reason === undefined || change.reason.trim() === '' ? {} : { reason: change.reason }),
        at: requireTime(change.at, 'at'),
      };
      return ctx.write((sql) => amendRevisionTx(ctx, sql, c));
    },
  };
}
