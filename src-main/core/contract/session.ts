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
}

/** Stands in for a logged-in administrator until the login issue lands. */
export function builtInAdministrator(): Session {
  return { userId: null, username: 'admin', isAdmin: true, permissions: fullGrid(), allowedAreaIds: null };
}
