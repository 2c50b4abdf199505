import type { PermissionGrid } from '../../../../src-shared/domain/permissions';
import type { AuditEntry, User } from '../../../../src-shared/domain/users';

export interface UserFields {
  readonly username: string;
  readonly displayName: string;
  readonly isAdmin: boolean;
  readonly active: boolean;
  readonly permissions: PermissionGrid;
  readonly allowedAreaIds: readonly number[] | null;
}

/** Users, their permissions and allowed areas, and what logging in needs. */
export interface AccountStore {
  countUsers(): Promise<number>;
  /** A duplicate username is a `conflict` on the username field. */
  createUser(fields: UserFields & { passwordHash: string; mustChangePassword: boolean }): Promise<User>;
  getUser(id: number): Promise<User | undefined>;
  /** With the password hash: for logging in only, never for a screen. */
  getUserCredentials(username: string): Promise<(User & { passwordHash: string; failedAttempts: number }) | undefined>;
  listUsers(): Promise<User[]>;
  updateUser(id: number, fields: UserFields): Promise<User>;
  setPasswordHash(id: number, passwordHash: string, mustChangePassword: boolean): Promise<void>;
  /** Counts a failed login; `lockedUntil` set once the failures reach the limit. */
  recordLoginFailure(id: number, lockedUntil: number | null): Promise<number>;
  recordLoginSuccess(id: number): Promise<void>;
}

export interface AuditFilter {
  readonly from?: number;
  readonly to?: number;
  readonly userId?: number;
  readonly entity?: string;
  readonly action?: string;
  readonly limit: number;
}

/** The audit log is append-only: nothing updates or deletes its rows. */
export interface AuditStore {
  appendAudit(entry: Omit<AuditEntry, 'id'>): Promise<void>;
  listAudit(filter: AuditFilter): Promise<AuditEntry[]>;
}
