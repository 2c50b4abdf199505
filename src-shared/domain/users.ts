import type { PermissionGrid } from './permissions';

/** A user as every screen may see it: never the password hash. */
export interface User {
  readonly id: number;
  readonly username: string;
  readonly displayName: string;
  readonly isAdmin: boolean;
  readonly active: boolean;
  readonly mustChangePassword: boolean;
  readonly permissions: PermissionGrid;
  /** Areas the user may see and act on; null means every area. */
  readonly allowedAreaIds: readonly number[] | null;
  /** While set and in the future, logins are refused (too many failed attempts). */
  readonly lockedUntil: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}
