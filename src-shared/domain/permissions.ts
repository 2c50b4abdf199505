/**
 * The screens a permission can name. Kept as one list so the users screen,
 * main's checks and the renderer's navigation can never disagree.
 */
export const SCREENS = [
  'dashboard',
  'devices',
  'areas',
  'maintenance',
  'shutdowns',
  'history',
  'users',
  'settings',
  'exports',
  'agents',
  'alarms',
] as const;

export type Screen = (typeof SCREENS)[number];
export type Access = 'view' | 'edit';

/**
 * Who may make a call: a screen and an access, and for some calls more.
 * `unscoped`: only a user who sees every area (global settings, the export of
 * every area, creating areas). `admin`: only an administrator.
 */
export interface Permission {
  readonly screen: Screen;
  readonly access: Access;
  readonly scope?: 'unscoped' | 'admin';
}

export type PermissionGrid = Readonly<Record<Screen, { readonly view: boolean; readonly edit: boolean }>>;

export function view(screen: Screen, scope?: Permission['scope']): Permission {
  return scope ? { screen, access: 'view', scope } : { screen, access: 'view' };
}

export function edit(screen: Screen, scope?: Permission['scope']): Permission {
  return scope ? { screen, access: 'edit', scope } : { screen, access: 'edit' };
}

/** Edit implies view: a user who may change a screen may also read it. */
export function grants(grid: PermissionGrid, wanted: Pick<Permission, 'screen' | 'access'>): boolean {
  const entry = grid[wanted.screen];
  return wanted.access === 'view' ? entry.view || entry.edit : entry.edit;
}

/** What the rules need to know about a user (or a session). */
export interface Principal {
  readonly isAdmin: boolean;
  readonly permissions: PermissionGrid;
  /** Areas the principal may see; null means every area. */
  readonly allowedAreaIds: readonly number[] | null;
}

/** One rule for main's checks and the renderer's menus: may this principal make a call that needs `wanted`? */
export function satisfies(principal: Principal, wanted: Permission): boolean {
  if (wanted.scope === 'admin' && !principal.isAdmin) return false;
  if (wanted.scope === 'unscoped' && principal.allowedAreaIds !== null) return false;
  return principal.isAdmin || grants(principal.permissions, wanted);
}

export function fullGrid(): PermissionGrid {
  return Object.fromEntries(SCREENS.map((s) => [s, { view: true, edit: true }])) as Record<
    Screen,
    { view: boolean; edit: boolean }
  >;
}

export function emptyGrid(): PermissionGrid {
  return Object.fromEntries(SCREENS.map((s) => [s, { view: false, edit: false }])) as Record<
    Screen,
    { view: boolean; edit: boolean }
  >;
}

/** Every right in `grid` is also held in `holder` (edit implies view). */
export function gridWithin(grid: PermissionGrid, holder: PermissionGrid): boolean {
  return SCREENS.every(
    (screen) =>
      (!grid[screen].view || grants(holder, { screen, access: 'view' })) &&
      (!grid[screen].edit || grants(holder, { screen, access: 'edit' })),
  );
}

/** The areas of `areas` are all visible to a holder of `holder` (null: every area). */
export function areasWithin(areas: readonly number[] | null, holder: readonly number[] | null): boolean {
  if (holder === null) return true;
  return areas !== null && areas.every((id) => holder.includes(id));
}

/** A principal holds everything another holds: the same rights or more, the same areas or more. */
export function holdsAllOf(holder: Principal, other: Principal): boolean {
  if (holder.isAdmin) return true;
  if (other.isAdmin) return false;
  return gridWithin(other.permissions, holder.permissions) && areasWithin(other.allowedAreaIds, holder.allowedAreaIds);
}

export type GrantRefusal = 'admin_only' | 'grant_beyond_own' | 'areas_beyond_own' | 'target_beyond_own';

/**
 * DESIGN.md §9, "a manager grants only what it holds": a user who is not an
 * administrator may create or change an account (its own included) only
 * within its own rights and areas, may not touch an account that holds more
 * than it does (resetting that one's password would hand its rights over),
 * and never grants the administrator flag. `target` is the account as it is
 * now (null when creating), `next` as it would become (null: no change of
 * rights, a password reset). Returns null when allowed.
 */
export function refuseGrant(manager: Principal, target: Principal | null, next: Principal | null): GrantRefusal | null {
  if (manager.isAdmin) return null;
  if (target?.isAdmin || next?.isAdmin) return 'admin_only';
  if (target && !holdsAllOf(manager, target)) return 'target_beyond_own';
  if (next && !gridWithin(next.permissions, manager.permissions)) return 'grant_beyond_own';
  if (next && !areasWithin(next.allowedAreaIds, manager.allowedAreaIds)) return 'areas_beyond_own';
  return null;
}
