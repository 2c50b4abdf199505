import { fullGrid } from '../../../src-shared/domain/permissions';
import type { PermissionGrid } from '../../../src-shared/domain/permissions';

/**
 * Who is calling. It lives in main (per Electron window or per WebSocket
 * connection) and is never taken from the renderer's messages.
 */
export interface Session {
  readonly userId: number | null;
  readonly username: string;
  readonly isAdmin: boolean;
  readonly permissions: PermissionGrid;
  /** Area ids this session may see; null means every area. */
  readonly allowedAreaIds: readonly number[] | null;
  /** Set after a password reset: nothing but the auth channels until the password is changed. */
  readonly mustChangePassword: boolean;
}

/** A logged-in administrator without an account row: for tests and tools that drive core directly. */
export function builtInAdministrator(): Session {
  return {
    userId: null,
    username: 'admin',
    isAdmin: true,
    permissions: fullGrid(),
    allowedAreaIds: null,
    mustChangePassword: false,
  };
}
