/**
 * The argument checks of the store port, as the SQLite store makes them (same messages, same
 * STORE_INVALID_INPUT), so that both stores refuse the same calls. The SQLite store keeps private
 * copies in its one long closure for now; when it is split (another change), it can import these.
 */
import { STATUSES, type Status, type TriageResult } from '../../core/types';
import { StoreError, USER_ROLES, type ApplicationFilter, type UserChange, type UserRole } from '../../core/ports/store';

export const SHA256_HEX = /^[0-9a-f]{64}$/;
const USERNAME = /^[a-z0-9._-]{1,64}$/;

export const SORTS = ['decided', 'received', 'name', 'status', 'programme'] as const;
export type Sort = (typeof SORTS)[number];
export type Order = 'asc' | 'desc';
export const AMEND_ACTIONS: readonly string[] = ['status.overridden', 'sections.overridden', 'application.retriaged'];

export function invalid(message: string): StoreError {
  return new StoreError('STORE_INVALID_INPUT', message);
}

export function notFound(message: string): StoreError {
  return new StoreError('STORE_NOT_FOUND', message);
}

export function requireSha256(value: unknown, field: string): string {
  const hex = typeof value === 'string' ? value.toLowerCase() : '';
  if (!SHA256_HEX.test(hex)) throw invalid(`${field} must be a sha256 in hex`);
  return hex;
}

export function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(`${field} must be a non-empty string`);
  return value;
}

export function requireInteger(value: unknown, field: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) throw invalid(`${field} must be an integer >= ${min}`);
  return value;
}

/** Times are stored in one form (UTC, toISOString) so that text order is time order. */
export function requireTime(value: unknown, field: string): string {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw invalid(`${field} must be an ISO-8601 date-time`);
  return new Date(ms).toISOString();
}

export function requireStatus(value: unknown, field: string): Status {
  if (!(STATUSES as readonly unknown[]).includes(value)) throw invalid(`${field} must be one of ${STATUSES.join(', ')}`);
  return value as Status;
}

export function optionalLimit(value: unknown, field: string, fallback: number): number {
  return value === undefined ? fallback : requireInteger(value, field, 1);
}

/** Lowercased and trimmed; '' means unknown. */
export function normaliseEmail(value: string | null | undefined): string | null {
  const email = (value ?? '').trim().toLowerCase();
  return email === '' ? null : email;
}

/** Login names are compared lowercased and trimmed: `Anna` and `anna` are one user. */
export function normaliseUsername(value: unknown): string | undefined {
  const name = typeof value === 'string' ? value.trim().toLowerCase() : '';
  return USERNAME.test(name) ? name : undefined;
}

export function requireUsername(value: unknown, field = 'username'): string {
  const name = normaliseUsername(value);
  if (name === undefined) throw invalid(`${field} must be 1 to 64 lowercase letters, digits, '.', '_' or '-'`);
  return name;
}

export function requireRole(value: unknown): UserRole {
  if (!(USER_ROLES as readonly unknown[]).includes(value)) throw invalid(`role must be one of ${USER_ROLES.join(', ')}`);
  return value as UserRole;
}

/** The result must at least carry what the revision's columns repeat. */
export function requireResult(result: unknown, field: string): TriageResult {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) throw invalid(`${field} must be a triage result`);
  const r = result as TriageResult;
  requireStatus(r.status, `${field}.status`);
  if (!Array.isArray(r.flags)) throw invalid(`${field}.flags must be an array`);
  return r;
}

/**
 * The case folding of the search and of the name sort: JavaScript's, because a database's lower()
 * depends on its locale (SQLite's and PostgreSQL's "C" fold ASCII only; a search for "élise" must find "Élise").
 */
export function foldCase(value: unknown): string | null {
  return typeof value === 'string' ? value.normalize('NFKC').toLowerCase() : null;
}

/** A LIKE pattern matching `text` anywhere, its own `%`, `_` and `\` taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A validated ApplicationFilter: `undefined` for a condition that is absent. */
export interface CheckedFilter {
  /** Absent: any programme; '' : programme unknown. */
  programme?: string;
  status?: Status;
  flag?: string;
  receivedFrom?: string;
  receivedBefore?: string;
  /** A LIKE pattern over the folded name and e-mail. */
  search?: string;
  reviewed?: boolean;
}

/** @throws StoreError STORE_INVALID_INPUT. */
export function checkFilter(filter: ApplicationFilter): CheckedFilter {
  if (filter.programme !== undefined && filter.programme !== null && typeof filter.programme !== 'string') throw invalid('programme must be a string or null');
  if (filter.flag !== undefined && (typeof filter.flag !== 'string' || filter.flag.trim() === '')) throw invalid('flag must be a non-empty string');
  if (filter.search !== undefined && typeof filter.search !== 'string') throw invalid('search must be a string');
  if (filter.unreviewed !== undefined && typeof filter.unreviewed !== 'boolean') throw invalid('unreviewed must be a boolean');
  const search = filter.search === undefined ? '' : foldCase(filter.search.trim())!;
  const checked: CheckedFilter = {};
  if (filter.programme !== undefined) checked.programme = filter.programme ?? '';
  if (filter.status !== undefined) checked.status = requireStatus(filter.status, 'status');
  if (filter.flag !== undefined) checked.flag = filter.flag.trim();
  if (filter.receivedFrom !== undefined) checked.receivedFrom = requireTime(filter.receivedFrom, 'receivedFrom');
  if (filter.receivedBefore !== undefined) checked.receivedBefore = requireTime(filter.receivedBefore, 'receivedBefore');
  // An empty search matches everything rather than nothing.
  if (search !== '') checked.search = containsPattern(search);
  if (filter.unreviewed !== undefined) checked.reviewed = !filter.unreviewed;
  return checked;
}

/** @throws StoreError STORE_INVALID_INPUT. */
export function checkSortOrder(filter: ApplicationFilter): { sort: Sort; order: Order } {
  const sort = filter.sort ?? 'decided';
  const order = filter.order ?? 'desc';
  if (!(SORTS as readonly unknown[]).includes(sort)) throw invalid(`sort must be one of ${SORTS.join(', ')}`);
  if (order !== 'asc' && order !== 'desc') throw invalid('order must be asc or desc');
  return { sort, order };
}

/** A user change as both stores apply it: null where nothing changes. */
export interface CheckedUserChange {
  role: UserRole | null;
  passwordHash: string | null;
  disabled: boolean | null;
  /** True when totpSecret replaces the stored one (null removes it). */
  totpChange: boolean;
  totpSecret: string | null;
  at: string;
}

/** @throws StoreError STORE_INVALID_INPUT (nothing to change, a bad value). */
export function checkUserChange(change: UserChange): CheckedUserChange {
  const { role, passwordHash, disabled, totpSecret } = change;
  if (role === undefined && passwordHash === undefined && disabled === undefined && totpSecret === undefined) {
    throw invalid('nothing to change: give a passwordHash, a role, disabled or totpSecret');
  }
  if (disabled !== undefined && typeof disabled !== 'boolean') throw invalid('disabled must be true or false');
  return {
    role: role === undefined ? null : requireRole(role),
    passwordHash: passwordHash === undefined ? null : requireText(passwordHash, 'passwordHash'),
    disabled: disabled ?? null,
    totpChange: totpSecret !== undefined,
    totpSecret: totpSecret === undefined || totpSecret === null ? null : requireText(totpSecret, 'totpSecret'),
    at: requireTime(change.at, 'at'),
  };
}

/** A TOTP time step: a non-negative safe integer. @throws StoreError STORE_INVALID_INPUT. */
export function requireTotpStep(step: unknown): number {
  if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 0) throw invalid('step must be a non-negative integer');
  return step;
}
