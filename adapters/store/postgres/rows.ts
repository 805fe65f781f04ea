/**
 * Rows as node-postgres returns them (json columns parsed, bigint as number: see pool.ts) and their
 * mapping to the port's records: optional fields are absent, never null, as in the SQLite store.
 */
import type { Facts, Flag, SectionId, Status, TriageResult } from '../../../core/types';
import type {
  ApplicationSummary,
  EventRecord,
  MessageRecord,
  MessageState,
  NoteRecord,
  ReplyRecord,
  ReplyState,
  RevisionView,
  SessionRecord,
  UserRecord,
  UserRole,
} from '../../../core/ports/store';

export interface MessageRow {
  id: string;
  account: string;
  mailbox: string;
  uid_validity: string;
  uid: number;
  size: number;
  received_at: string;
  raw_path: string;
  state: MessageState;
  error: string | null;
  folder: string | null;
  created_at: string;
  updated_at: string;
}

export interface ApplicationRow {
  id: string;
  applicant_key: string | null;
  programme: string | null;
  applicant_email: string | null;
  applicant_name: string | null;
  status: Status;
  latest_revision: number;
  decided_at: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SummaryRow extends ApplicationRow {
  latest_flags: Flag[];
  latest_received_at: string;
}

export interface RevisionRow {
  application_id: string;
  revision: number;
  message_id: string;
  status: Status;
  flags: Flag[];
  facts: Facts;
  result: TriageResult;
  rules_hash: string;
  received_at: string;
  decided_at: string;
  created_at: string;
  amended_result: TriageResult | null;
  amended_by: string | null;
  amended_at: string | null;
  amended_action: string | null;
  amended_reason: string | null;
}

export interface UserRow {
  username: string;
  role: UserRole;
  password_hash: string;
  created_at: string;
  updated_at: string;
  disabled_at: string | null;
  totp_secret: string | null;
}

export interface SessionRow {
  id: string;
  username: string;
  role: UserRole;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export interface NoteRow {
  id: number;
  application_id: string;
  author: string;
  text: string;
  at: string;
}

export interface ReplyRow {
  id: string;
  application_id: string;
  revision: number;
  status: Status;
  to_address: string;
  subject: string;
  body: string;
  state: ReplyState;
  held: boolean;
  in_reply_to: string | null;
  message_id: string | null;
  error: string | null;
  attempts: number;
  decided_by: string | null;
  sent_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface EventRow {
  id: number;
  actor: string;
  action: string;
  subject: string;
  detail: Record<string, unknown>;
  at: string;
}

export const MESSAGE_COLUMNS =
  'm.id, m.account, m.mailbox, m.uid_validity, m.uid, m.size, m.received_at, m.raw_path, m.state, m.error, m.folder, m.created_at, m.updated_at';

export const APPLICATION_COLUMNS =
  'a.id, a.applicant_key, a.programme, a.applicant_email, a.applicant_name, a.status, a.latest_revision, a.decided_at, a.reviewed_by, a.reviewed_at, a.created_at, a.updated_at';

export const REPLY_COLUMNS =
  'id, application_id, revision, status, to_address, subject, body, state, held, in_reply_to, message_id, error, attempts, decided_by, sent_at, created_at, updated_at';

export function toMessage(row: MessageRow): MessageRecord {
  const record: MessageRecord = {
    id: row.id,
    account: row.account,
    mailbox: row.mailbox,
    uidValidity: row.uid_validity,
    uid: row.uid,
    size: row.size,
    receivedAt: row.received_at,
    rawPath: row.raw_path,
    state: row.state,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.error !== null) record.error = row.error;
  if (row.folder !== null) record.folder = row.folder;
  return record;
}

export function flagCodes(flags: Flag[]): string[] {
  return flags.map((f) => f.code);
}

export function toRevision(row: RevisionRow): RevisionView {
  const result = row.amended_result ?? row.result;
  const view: RevisionView = {
    revision: row.revision,
    messageId: row.message_id,
    status: row.status,
    flags: row.flags,
    facts: row.facts,
    sections: result.sections ?? [],
    missing: (result.missing ?? []) as SectionId[],
    receivedAt: row.received_at,
    decidedAt: row.decided_at,
    rulesHash: row.rules_hash,
    result,
  };
  if (row.amended_result !== null) {
    view.amended = { by: row.amended_by ?? '', at: row.amended_at ?? '', action: row.amended_action ?? '' };
    if (row.amended_reason !== null) view.amended.reason = row.amended_reason;
  }
  return view;
}

export function toSummary(row: SummaryRow): ApplicationSummary {
  const summary: ApplicationSummary = {
    id: row.id,
    programme: row.programme,
    applicantEmail: row.applicant_email,
    applicantName: row.applicant_name,
    status: row.status,
    flags: flagCodes(row.latest_flags),
    revisionCount: row.latest_revision,
    receivedAt: row.latest_received_at,
    decidedAt: row.decided_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.reviewed_by !== null) summary.reviewedBy = row.reviewed_by;
  if (row.reviewed_at !== null) summary.reviewedAt = row.reviewed_at;
  return summary;
}

export function toUser(row: UserRow): UserRecord {
  const user: UserRecord = { username: row.username, role: row.role, passwordHash: row.password_hash, createdAt: row.created_at, updatedAt: row.updated_at };
  if (row.disabled_at !== null) user.disabledAt = row.disabled_at;
  if (row.totp_secret !== null) user.totpSecret = row.totp_secret;
  return user;
}

export function toSession(row: SessionRow): SessionRecord {
  return { id: row.id, username: row.username, role: row.role, csrfToken: row.csrf_token, createdAt: row.created_at, expiresAt: row.expires_at };
}

export function toNote(row: NoteRow): NoteRecord {
  return { id: row.id, applicationId: row.application_id, author: row.author, text: row.text, at: row.at };
}

export function toReply(row: ReplyRow): ReplyRecord {
  const reply: ReplyRecord = {
    id: row.id,
    applicationId: row.application_id,
    revision: row.revision,
    status: row.status,
    to: row.to_address,
    subject: row.subject,
    body: row.body,
    state: row.state,
    held: row.held,
    attempts: row.attempts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.in_reply_to !== null) reply.inReplyTo = row.in_reply_to;
  if (row.message_id !== null) reply.messageId = row.message_id;
  if (row.error !== null) reply.error = row.error;
  if (row.decided_by !== null) reply.decidedBy = row.decided_by;
  if (row.sent_at !== null) reply.sentAt = row.sent_at;
  return reply;
}

export function toEvent(row: EventRow): EventRecord {
  return { id: row.id, actor: row.actor, action: row.action, subject: row.subject, detail: row.detail, at: row.at };
}
