/**
 * What the staff dashboard keeps: users, sessions, notes, the "reviewed" mark
 * and staff amendments of a revision (each logged in the event log by the
 * store, in the same transaction).
 */
import type { TriageResult } from '../types';
import type { RevisionView } from './applications';

export const USER_ROLES = ['staff', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export interface UserRecord {
  /** The login name: lowercase letters, digits, `.`, `_`, `-`; 1..64 characters. */
  username: string;
  role: UserRole;
  /** An encoded password hash (see services/dashboard/passwords.ts); the store never sees a password. */
  passwordHash: string;
  createdAt: string;
  updatedAt: string;
  /** When an admin disabled the account (absent while it is enabled): it cannot sign in, it keeps no session. */
  disabledAt?: string;
  /** The TOTP secret (RFC 6238, base32) once the user confirmed enrolment: sign-in then asks for a code. */
  totpSecret?: string;
}

/** What updateUser can change; at least one of the optional fields. */
export interface UserChange {
  passwordHash?: string;
  role?: UserRole;
  /** true disables (keeping the first disabledAt), false enables. */
  disabled?: boolean;
  /** A new confirmed TOTP secret, or null to remove it; either forgets the last code used. */
  totpSecret?: string | null;
  at: string;
}

export interface SessionRecord {
  /** SHA-256 (hex) of the session token: the token itself lives only in the browser's cookie. */
  id: string;
  username: string;
  role: UserRole;
  /** The per-session CSRF token every form posts back. */
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

export interface NoteRecord {
  id: number;
  applicationId: string;
  author: string;
  text: string;
  at: string;
}

export interface AmendRevision {
  applicationId: string;
  revision: number;
  /** The new result in force for that revision (status, flags, sections ...). */
  result: TriageResult;
  /** Set when the amendment re-ran the rules (the hash of the rules that decided). */
  rulesHash?: string;
  /** `status.overridden` | `sections.overridden` | `application.retriaged`. */
  action: string;
  actor: string;
  reason?: string;
  at: string;
}

export interface Staff {

  /**
   * @throws StoreError STORE_CONFLICT (the username exists), STORE_INVALID_INPUT (bad username, role or empty hash).
   */
  createUser(user: { username: string; role: UserRole; passwordHash: string; at: string }): Promise<UserRecord>;
  /**
   * Changes the password hash, role, disabled mark and/or TOTP secret. A new password or disabling ends
   * the user's sessions. A change that would leave no enabled admin (the last one demoted or disabled) is
   * refused, checked in the same transaction so two admins demoting each other cannot both succeed.
   * @throws StoreError STORE_NOT_FOUND, STORE_INVALID_INPUT (nothing to change, bad value),
   *   STORE_INVALID_STATE (no enabled admin would remain).
   */
  updateUser(username: string, change: UserChange): Promise<UserRecord>;
  /**
   * Records that the TOTP code of time step `step` signed the user in: true when `step` is later than
   * every step used before, false otherwise (a code seen once is not accepted again), atomically.
   */
  useTotpStep(username: string, step: number): Promise<boolean>;
  getUser(username: string): Promise<UserRecord | undefined>;
  /** By username. */
  listUsers(): Promise<UserRecord[]>;
  /** @throws StoreError STORE_NOT_FOUND (no such user). */
  createSession(session: Omit<SessionRecord, 'role'>): Promise<SessionRecord>;
  /** The session if it exists, has not expired at `now` and its user is enabled (role read from the user). */
  getSession(id: string, now: string): Promise<SessionRecord | undefined>;
  deleteSession(id: string): Promise<void>;
  /** Removes sessions expired at `now`; returns how many. */
  deleteExpiredSessions(now: string): Promise<number>;

  /** Appends a note and a `note.added` event. @throws StoreError STORE_NOT_FOUND, STORE_INVALID_INPUT (empty text). */
  addNote(applicationId: string, author: string, text: string, at: string): Promise<NoteRecord>;
  /** Oldest first. */
  listNotes(applicationId: string): Promise<NoteRecord[]>;
  /** Marks the application reviewed (an `application.reviewed` event). @throws StoreError STORE_NOT_FOUND. */
  markReviewed(applicationId: string, actor: string, at: string): Promise<void>;
  /**
   * Replaces the result in force of one revision (a status or section override, a re-run of triage);
   * the application's status follows when it is the latest revision. Logs an event with `action`,
   * the actor, the reason and the previous status and flags, in the same transaction.
   * @throws StoreError STORE_NOT_FOUND (no such revision), STORE_INVALID_INPUT (unknown status).
   */
  amendRevision(change: AmendRevision): Promise<RevisionView>;
}
