/**
 * Triaged applications, their revisions and section files on PostgreSQL (core/ports/applications.ts).
 */
import { STATUSES, type Status } from '../../../core/types';
import type { ApplicationFilter, Applications, SavedTriage, SectionFile, TriageInput } from '../../../core/ports/store';
import {
  checkFilter,
  checkSortOrder,
  foldCase,
  invalid,
  normaliseEmail,
  notFound,
  optionalLimit,
  requireInteger,
  requireSha256,
  requireStatus,
  requireText,
  requireTime,
  type CheckedFilter,
  type Order,
  type Sort,
} from '../input-checks';
import type { StoreContext } from './context';
import type { Sql } from './pool';
import { APPLICATION_COLUMNS, flagCodes, toRevision, toSummary, type ApplicationRow, type MessageRow, type RevisionRow, type SummaryRow } from './rows';

const DEFAULT_APPLICATION_LIMIT = 100;

/** An application with what its summary repeats of the latest revision. */
const SUMMARY_FROM = `
  SELECT ${APPLICATION_COLUMNS}, r.flags AS latest_flags, r.received_at AS latest_received_at
  FROM applications a
  JOIN revisions r ON r.application_id = a.id AND r.revision = a.latest_revision`;

/** The WHERE clause of a filter, shared by the list and the count so the two cannot disagree. Values go as parameters. */
function filterWhere(f: CheckedFilter, params: unknown[]): string {
  const p = (value: unknown) => `$${params.push(value)}`;
  const conditions: string[] = [];
  if (f.programme !== undefined) conditions.push(`coalesce(a.programme, '') = ${p(f.programme)}`);
  if (f.status !== undefined) conditions.push(`a.status = ${p(f.status)}`);
  if (f.flag !== undefined) conditions.push(`EXISTS (SELECT 1 FROM json_array_elements(r.flags) f WHERE f->>'code' = ${p(f.flag)})`);
  if (f.receivedFrom !== undefined) conditions.push(`r.received_at >= ${p(f.receivedFrom)}`);
  if (f.receivedBefore !== undefined) conditions.push(`r.received_at < ${p(f.receivedBefore)}`);
  if (f.search !== undefined) {
    const pattern = p(f.search);
    conditions.push(`(a.name_fold LIKE ${pattern} ESCAPE '\\' OR a.email_fold LIKE ${pattern} ESCAPE '\\')`);
  }
  if (f.reviewed !== undefined) conditions.push(`(a.reviewed_at IS NOT NULL) = ${p(f.reviewed)}`);
  return conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
}

/** Statuses sort in the order of STATUSES (complete first), not alphabetically. */
const STATUS_RANK = `CASE a.status ${STATUSES.map((st, i) => `WHEN '${st}' THEN ${i}`).join(' ')} END`;

/**
 * ORDER BY for a sort: only these fixed texts reach the SQL. Unknown names and programmes come last
 * either way; ties fall back to the latest decision first, then the id, as in the SQLite store.
 */
function orderBy(sort: Sort, order: Order): string {
  const dir = order === 'asc' ? 'ASC' : 'DESC';
  const keys: Record<Sort, string> = {
    decided: `a.decided_at ${dir}`,
    received: `r.received_at ${dir}`,
    name: `a.applicant_name IS NULL, a.name_fold ${dir}`,
    status: `${STATUS_RANK} ${dir}`,
    programme: `a.programme IS NULL, a.programme ${dir}`,
  };
  return `ORDER BY ${keys[sort]}, a.decided_at DESC, a.id`;
}

async function getRevision(sql: Sql, applicationId: string, revision: number): Promise<RevisionRow | undefined> {
  return (await sql.query<RevisionRow>('SELECT * FROM revisions WHERE application_id = $1 AND revision = $2', [applicationId, revision])).rows[0];
}

async function describeSaved(sql: Sql, applicationId: string, revision: number, isNew: boolean): Promise<SavedTriage> {
  const app = (await sql.query<ApplicationRow>('SELECT applicant_key, programme FROM applications WHERE id = $1', [applicationId])).rows[0]!;
  const saved: SavedTriage = { applicationId, revision, isNew, otherProgrammes: [] };
  if (revision > 1) {
    const prev = (await getRevision(sql, applicationId, revision - 1))!;
    saved.previous = { revision: prev.revision, status: prev.status, flags: flagCodes(prev.flags), messageId: prev.message_id };
  }
  if (app.applicant_key !== null) {
    const { rows } = await sql.query<{ programme: string }>(
      `SELECT DISTINCT programme FROM applications
       WHERE applicant_key = $1 AND programme IS NOT NULL AND programme <> $2 ORDER BY programme`,
      [app.applicant_key, app.programme ?? ''],
    );
    saved.otherProgrammes = rows.map((r) => r.programme);
  }
  return saved;
}

async function saveTriageTx(ctx: StoreContext, sql: Sql, input: TriageInput, applicantKey: string | null, decidedAt: string): Promise<SavedTriage> {
  const already = (await sql.query<RevisionRow>('SELECT application_id, revision FROM revisions WHERE message_id = $1', [input.messageId])).rows[0];
  if (already) return describeSaved(sql, already.application_id, already.revision, false);

  const message = (await sql.query<MessageRow>('SELECT received_at FROM messages WHERE id = $1', [input.messageId])).rows[0];
  if (!message) throw notFound(`no message ${input.messageId} in the ledger`);

  const result = input.result;
  const programme = result.programme === null || result.programme === '' ? null : result.programme;
  const receivedAt = result.receivedAt ? requireTime(result.receivedAt, 'result.receivedAt') : message.received_at;
  const at = ctx.stamp();
  const email = result.applicant?.email ?? null;
  const name = result.applicant?.name ?? null;

  const existing =
    applicantKey === null
      ? undefined
      : (await sql.query<ApplicationRow>(`SELECT id, latest_revision FROM applications WHERE applicant_key = $1 AND coalesce(programme, '') = $2`, [applicantKey, programme ?? '']))
          .rows[0];
  let applicationId: string;
  let revision: number;
  if (existing) {
    applicationId = existing.id;
    revision = existing.latest_revision + 1;
  } else {
    applicationId = ctx.newId();
    revision = 1;
    await sql.query(
      `INSERT INTO applications (id, applicant_key, programme, applicant_email, applicant_name, email_fold, name_fold, status, latest_revision, decided_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $10)`,
      [applicationId, applicantKey, programme, email, name, foldCase(email), foldCase(name), result.status, decidedAt, at],
    );
  }
  await sql.query(
    `INSERT INTO revisions (application_id, revision, message_id, status, flags, facts, result, rules_hash, received_at, decided_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      applicationId,
      revision,
      input.messageId,
      result.status,
      JSON.stringify(result.flags ?? []),
      JSON.stringify(result.facts ?? {}),
      JSON.stringify(result),
      input.rulesHash,
      receivedAt,
      decidedAt,
      at,
    ],
  );
  if (existing) {
    await sql.query(
      `UPDATE applications SET latest_revision = $2, status = $3,
         applicant_email = coalesce($4, applicant_email), email_fold = coalesce($5, email_fold),
         applicant_name = coalesce($6, applicant_name), name_fold = coalesce($7, name_fold),
         decided_at = $8, reviewed_by = NULL, reviewed_at = NULL, updated_at = $9
       WHERE id = $1`,
      [applicationId, revision, result.status, email, foldCase(email), name, foldCase(name), decidedAt, at],
    );
  }
  return describeSaved(sql, applicationId, revision, true);
}

export function createApplications(ctx: StoreContext): Applications {
  return {
    async saveTriage(input) {
      const result = input.result;
      if (typeof result !== 'object' || result === null) throw invalid('result must be a triage result');
      requireStatus(result.status, 'result.status');
      if (!Array.isArray(result.flags)) throw invalid('result.flags must be an array');
      requireText(input.rulesHash, 'rulesHash');
      const decidedAt = requireTime(input.decidedAt, 'decidedAt');
      const checked = { ...input, messageId: String(input.messageId).toLowerCase() };
      const applicantKey = normaliseEmail(input.applicantKey);
      return ctx.write((sql) => saveTriageTx(ctx, sql, checked, applicantKey, decidedAt));
    },

    getApplication: (applicationId) =>
      ctx.read(async (sql) => {
        const row = (await sql.query<SummaryRow>(`${SUMMARY_FROM} WHERE a.id = $1`, [applicationId])).rows[0];
        if (!row) return undefined;
        const { rows } = await sql.query<RevisionRow>('SELECT * FROM revisions WHERE application_id = $1 ORDER BY revision', [applicationId]);
        const revisions = rows.map(toRevision);
        return { ...toSummary(row), latest: revisions[revisions.length - 1]!, revisions };
      }),

    async listApplications(filter: ApplicationFilter = {}) {
      const checked = checkFilter(filter);
      const { sort, order } = checkSortOrder(filter);
      const limit = optionalLimit(filter.limit, 'limit', DEFAULT_APPLICATION_LIMIT);
      const offset = filter.offset === undefined ? 0 : requireInteger(filter.offset, 'offset', 0);
      const params: unknown[] = [];
      const where = filterWhere(checked, params);
      const { rows } = await ctx.sql.query<SummaryRow>(
        `${SUMMARY_FROM} ${where} ${orderBy(sort, order)} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, limit, offset],
      );
      return rows.map(toSummary);
    },

    async countApplications(filter: ApplicationFilter = {}) {
      // Validated like the list, so a filter the list refuses is not silently counted.
      checkSortOrder(filter);
      const params: unknown[] = [];
      const where = filterWhere(checkFilter(filter), params);
      const { rows } = await ctx.sql.query<{ n: number }>(
        `SELECT count(*) AS n FROM applications a JOIN revisions r ON r.application_id = a.id AND r.revision = a.latest_revision ${where}`,
        params,
      );
      return rows[0]!.n;
    },

    async listApplicationsOf(applicantKey) {
      const key = normaliseEmail(applicantKey);
      if (key === null) return [];
      const { rows } = await ctx.sql.query<SummaryRow>(`${SUMMARY_FROM} WHERE a.applicant_key = $1 ORDER BY a.decided_at, a.id`, [key]);
      return rows.map(toSummary);
    },

    async countByStatus(programme) {
      const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
      const { rows } = await ctx.sql.query<{ status: Status; n: number }>(
        `SELECT status, count(*) AS n FROM applications WHERE $1::boolean OR coalesce(programme, '') = $2 GROUP BY status`,
        [programme === undefined, programme ?? ''],
      );
      for (const row of rows) counts[row.status] = row.n;
      return counts;
    },

    async getRevisionByMessage(messageId) {
      const row = (await ctx.sql.query<RevisionRow>('SELECT * FROM revisions WHERE message_id = $1', [String(messageId).toLowerCase()])).rows[0];
      // The result in force: a reply requested after a staff override answers the amended verdict.
      return row && { applicationId: row.application_id, revision: row.revision, result: toRevision(row).result };
    },

    async saveSectionFile(input) {
      const [from, to] = Array.isArray(input.pages) ? input.pages : [];
      requireInteger(from, 'pages[0]', 1);
      requireInteger(to, 'pages[1]', typeof from === 'number' ? from : 1);
      const f = {
        ...input,
        section: requireText(input.section, 'section'),
        path: requireText(input.path, 'path'),
        sha256: requireSha256(input.sha256, 'sha256'),
      };
      await ctx.write(async (sql) => {
        if (!(await getRevision(sql, f.applicationId, f.revision))) throw notFound(`no revision ${f.revision} of application ${f.applicationId}`);
        const at = ctx.stamp();
        await sql.query(
          `INSERT INTO section_files (application_id, revision, section, page_from, page_to, path, sha256, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
           ON CONFLICT (application_id, revision, section, page_from)
           DO UPDATE SET page_to = excluded.page_to, path = excluded.path, sha256 = excluded.sha256, updated_at = excluded.updated_at`,
          [f.applicationId, f.revision, f.section, f.pages[0], f.pages[1], f.path, f.sha256, at],
        );
      });
    },

    async listSectionFiles(applicationId, revision) {
      const { rows } = await ctx.sql.query<{ section: string; page_from: number; page_to: number; path: string; sha256: string }>(
        `SELECT section, page_from, page_to, path, sha256 FROM section_files
         WHERE application_id = $1 AND revision = $2 ORDER BY page_from, section`,
        [applicationId, revision],
      );
      return rows.map((r): SectionFile => ({ section: r.section, pages: [r.page_from, r.page_to], path: r.path, sha256: r.sha256 }));
    },
  };
}
