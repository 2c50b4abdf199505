import type { AuditEntry, NewAuditEntry } from '../../../../src-shared/domain/audit';
import type { PermissionGrid } from '../../../../src-shared/domain/permissions';
import type { User } from '../../../../src-shared/domain/users';
import type { AuditWrite } from '../../audit';

export interface UserFields {
  readonly username: string;
  readonly displayName: string;
  readonly isAdmin: boolean;
  readonly active: boolean;
  readonly permissions: PermissionGrid;
  readonly allowedAreaIds: readonly number[] | null;
}

/** A login attempt, counted before the password is checked (see AuthService). */
export interface LoginAttempt {
  /** Attempts counted since the last success or the end of the last lock, this one included. */
  readonly attempts: number;
  /** Set while the account is locked, by an earlier lock or by this attempt. */
  readonly lockedUntil: number | null;
}

export interface StoredSession {
  readonly userId: number;
  readonly expiresAt: number;
}

/** Users, their permissions and allowed areas, and what logging in needs. */
export interface AccountStore {
  countUsers(): Promise<number>;
  /** A duplicate username is a `conflict` on the username field. */
  createUser(
    fields: UserFields & { passwordHash: string; mustChangePassword: boolean },
    audit: AuditWrite<User>,
  ): Promise<User>;
  getUser(id: number): Promise<User | undefined>;
  /** With the password hash: for logging in only, never for a screen. */
  getUserCredentials(username: string): Promise<(User & { passwordHash: string }) | undefined>;
  listUsers(): Promise<User[]>;
  /** `revokeSessions`: the user's resumable sessions end in the same transaction (deactivated, narrowed). */
  updateUser(id: number, fields: UserFields, audit: AuditWrite<User>, revokeSessions: boolean): Promise<User>;
  setPasswordHash(
    id: number,
    change: { passwordHash: string; mustChangePassword: boolean; revokeSessions: boolean },
    audit: AuditWrite<User> | null,
  ): Promise<void>;

  /**
   * Counts one attempt atomically, before any password is checked: a lock
   * that has run out is cleared first, and once the count passes
   * `maxAttempts` the account is locked until `now + lockoutMs`. Parallel
   * guesses therefore cannot all be checked: only the first `maxAttempts` are.
   */
  countLoginAttempt(id: number, policy: { now: number; maxAttempts: number; lockoutMs: number }): Promise<LoginAttempt>;
  /** Locks the account (the attempt that reached the limit failed). */
  lockAccount(id: number, until: number): Promise<void>;
  /** Clears the count after a right password, unless the account was locked meanwhile (then false). */
  recordLoginSuccess(id: number, now: number): Promise<boolean>;

  createSession(session: { userId: number; tokenHash: string; createdAt: number; expiresAt: number }): Promise<void>;
  /** The session of a token hash, if it has not expired; expired ones are removed on the way. */
  findSession(tokenHash: string, now: number): Promise<StoredSession | undefined>;
  extendSession(tokenHash: string, expiresAt: number): Promise<void>;
  deleteSession(tokenHash: string): Promise<void>;
}

export interface AuditFilter {
  readonly from?: number;
  readonly to?: number;
  readonly userId?: number;
  readonly entity?: string;
  readonly action?: string;
  /** Only entries about these areas (a scoped reader): global entries are left out. */
  readonly areaIds?: readonly number[];
  readonly limit: number;
}

/** The audit log is append-only: nothing updates or deletes its rows. */
export interface AuditStore {
  appendAudit(entry: NewAuditEntry): Promise<void>;
  listAudit(filter: AuditFilter): Promise<AuditEntry[]>;
}
