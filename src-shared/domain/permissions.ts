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
] as const;

export type Screen = (typeof SCREENS)[number];
export type Access = 'view' | 'edit';

export interface Permission {
  readonly screen: Screen;
  readonly access: Access;
}

export type PermissionGrid = Readonly<Record<Screen, { readonly view: boolean; readonly edit: boolean }>>;

export function view(screen: Screen): Permission {
  return { screen, access: 'view' };
}

export function edit(screen: Screen): Permission {
  return { screen, access: 'edit' };
}

/** Edit implies view: a user who may change a screen may also read it. */
export function grants(grid: PermissionGrid, wanted: Permission): boolean {
  const entry = grid[wanted.screen];
  return wanted.access === 'view' ? entry.view || entry.edit : entry.edit;
}

export function fullGrid(): PermissionGrid {
  return Object.fromEntries(SCREENS.map((s) => [s, { view: true, edit: true }])) as Record<
    Screen,
    { view: boolean; edit: boolean }
  >;
}
