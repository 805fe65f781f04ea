/**
 * The changes to staff accounts, shared by `esor-intake users` and the dashboard's accounts page, so
 * both check the same things and log the same events. Each change is followed by one event naming the
 * actor, the account and what changed: never a password, its hash or a TOTP secret.
 *
 * The rule that an enabled admin always remains is the store's (updateUser checks it in the same
 * transaction); here it becomes an AccountError the callers can word.
 */
import { randomInt } from 'node:crypto';
import { isStoreError, USER_ROLES, type Store, type UserRecord, type UserRole } from '../../core/ports/store';
import { checkPasswordStrength, hashPassword } from './passwords';

export const USERNAME_PATTERN = /^[a-z0-9._-]{1,64}$/;

export const ACCOUNT_ERROR_CODES = ['ACCOUNT_INVALID', 'ACCOUNT_EXISTS', 'ACCOUNT_NOT_FOUND', 'ACCOUNT_WEAK_PASSWORD', 'ACCOUNT_LAST_ADMIN'] as const;
export type AccountErrorCode = (typeof ACCOUNT_ERROR_CODES)[number];

/** A change refused for what it asks (never transient: retrying the same change fails the same way). */
export class AccountError extends Error {
  constructor(
    readonly code: AccountErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AccountError';
  }
}

export function isAccountError(err: unknown): err is AccountError {
  return err instanceof AccountError;
}

export function isRole(value: unknown): value is UserRole {
  return (USER_ROLES as readonly unknown[]).includes(value);
}

/** @throws AccountError ACCOUNT_INVALID when the name is not 1-64 of a-z 0-9 . _ - */
export function checkUsername(username: string): string {
  if (!USERNAME_PATTERN.test(username)) throw new AccountError('ACCOUNT_INVALID', "a username is 1 to 64 lowercase letters, digits, '.', '_' or '-'");
  return username;
}

/** @throws AccountError ACCOUNT_WEAK_PASSWORD with the reason. */
export function checkNewPassword(password: string): void {
  const weak = checkPasswordStrength(password);
  if (weak) throw new AccountError('ACCOUNT_WEAK_PASSWORD', weak);
}

// No 0/O, 1/l/I: the password is read off a screen and typed once.
const PASSWORD_ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random initial password of 16 characters (about 93 bits), to be shown once. */
export function generatePassword(length = 16): string {
  let out = '';
  for (let i = 0; i < length; i++) out += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)];
  return out;
}

async function requireAccount(store: Store, username: string): Promise<UserRecord> {
  const user = await store.getUser(username);
  if (!user) throw new AccountError('ACCOUNT_NOT_FOUND', `no user ${username}`);
  return user;
}

/** Runs a store change, turning the store's refusals into AccountErrors. */
async function storeChange<T>(change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (err) {
    if (isStoreError(err) && err.code === 'STORE_INVALID_STATE') throw new AccountError('ACCOUNT_LAST_ADMIN', 'at least one enabled admin must remain');
    if (isStoreError(err) && err.code === 'STORE_CONFLICT') throw new AccountError('ACCOUNT_EXISTS', 'that username exists');
    if (isStoreError(err) && err.code === 'STORE_NOT_FOUND') throw new AccountError('ACCOUNT_NOT_FOUND', 'no such user');
    throw err;
  }
}

export interface AccountChange {
  store: Store;
  /** Who makes the change: a username, or `cli`. */
  actor: string;
  at: Date;
}

/**
 * Creates an account (event `user.created` with the role).
 * @throws AccountError ACCOUNT_INVALID, ACCOUNT_EXISTS, ACCOUNT_WEAK_PASSWORD.
 */
export async function addAccount(c: AccountChange, account: { username: string; role: UserRole; password: string }): Promise<UserRecord> {
  const username = checkUsername(account.username);
  if (!isRole(account.role)) throw new AccountError('ACCOUNT_INVALID', `the role is ${USER_ROLES.join(' or ')}`);
  checkNewPassword(account.password);
  if (await c.store.getUser(username)) throw new AccountError('ACCOUNT_EXISTS', `user ${username} exists`);
  const at = c.at.toISOString();
  const user = await storeChange(async () => c.store.createUser({ username, role: account.role, passwordHash: await hashPassword(account.password), at }));
  await c.store.appendEvent({ actor: c.actor, action: 'user.created', subject: username, detail: { role: account.role }, at });
  return user;
}

/**
 * Sets a new password; the store ends the user's sessions (event `user.password_changed`).
 * @throws AccountError ACCOUNT_NOT_FOUND, ACCOUNT_WEAK_PASSWORD.
 */
export async function setAccountPassword(c: AccountChange, username: string, password: string): Promise<void> {
  checkNewPassword(password);
  await requireAccount(c.store, username);
  const at = c.at.toISOString();
  await storeChange(async () => c.store.updateUser(username, { passwordHash: await hashPassword(password), at }));
  await c.store.appendEvent({ actor: c.actor, action: 'user.password_changed', subject: username, at });
}

/**
 * Gives the account another role (event `user.role_changed`, from and to); nothing when it has it.
 * @throws AccountError ACCOUNT_INVALID, ACCOUNT_NOT_FOUND, ACCOUNT_LAST_ADMIN.
 */
export async function setAccountRole(c: AccountChange, username: string, role: UserRole): Promise<void> {
  if (!isRole(role)) throw new AccountError('ACCOUNT_INVALID', `the role is ${USER_ROLES.join(' or ')}`);
  const before = await requireAccount(c.store, username);
  if (before.role === role) return;
  const at = c.at.toISOString();
  await storeChange(() => c.store.updateUser(username, { role, at }));
  await c.store.appendEvent({ actor: c.actor, action: 'user.role_changed', subject: username, detail: { from: before.role, to: role }, at });
}

/**
 * Disables (ending its sessions) or enables the account (event `user.disabled` / `user.enabled`);
 * nothing when it already is.
 * @throws AccountError ACCOUNT_NOT_FOUND, ACCOUNT_LAST_ADMIN.
 */
export async function setAccountDisabled(c: AccountChange, username: string, disabled: boolean): Promise<void> {
  const before = await requireAccount(c.store, username);
  if ((before.disabledAt !== undefined) === disabled) return;
  const at = c.at.toISOString();
  await storeChange(() => c.store.updateUser(username, { disabled, at }));
  await c.store.appendEvent({ actor: c.actor, action: disabled ? 'user.disabled' : 'user.enabled', subject: username, at });
}

/**
 * Stores a confirmed TOTP secret (event `user.totp_enrolled`) or removes it (`user.totp_reset`).
 * @throws AccountError ACCOUNT_NOT_FOUND.
 */
export async function setAccountTotp(c: AccountChange, username: string, secret: string | null): Promise<void> {
  await requireAccount(c.store, username);
  const at = c.at.toISOString();
  await storeChange(() => c.store.updateUser(username, { totpSecret: secret, at }));
  await c.store.appendEvent({ actor: c.actor, action: secret === null ? 'user.totp_reset' : 'user.totp_enrolled', subject: username, at });
}
