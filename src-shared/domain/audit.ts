/**
 * The audit trail (DESIGN.md §5, §9): who did what, when, to what, with the
 * record before and after. Actions form a closed list so that every entry can
 * be told in the operator's words, and so that two places can never name the
 * same action two ways.
 */

export const AUDIT_ENTITIES = [
  'session',
  'user',
  'area',
  'device',
  'settings',
  'export',
  'agent',
  'alarm',
  'shift',
] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];

/** Each action and the kind of thing it is about. */
export const AUDIT_ACTIONS = {
  'session.setup': 'user',
  'session.login': 'session',
  'session.logout': 'session',
  'session.unlock': 'session',
  /** Failed logins refused by the rate limit, counted together: one entry per flood, not one per attempt. */
  'session.rate_limited': 'session',
  'user.create': 'user',
  'user.update': 'user',
  'user.reset_password': 'user',
  'user.change_password': 'user',
  'area.create': 'area',
  'area.update': 'area',
  'area.delete': 'area',
  'device.create': 'device',
  /** A CSV of devices imported at once: one entry with its counts, in the import's transaction. */
  'device.import': 'device',
  /** How a camera's picture and stream are reached (never its password). */
  'camera.update': 'device',
  'device.update': 'device',
  'device.delete': 'device',
  'maintenance.open': 'device',
  'maintenance.close': 'device',
  'shutdown.request': 'device',
  'shutdown.approve': 'device',
  'shutdown.reject': 'device',
  'shutdown.reenable': 'device',
  'settings.update': 'settings',
  'export.run': 'export',
  /** An area's agent key: issued (the first), rotated (the old one stops at once), revoked. */
  'agent.key_issue': 'agent',
  'agent.key_rotate': 'agent',
  'agent.key_revoke': 'agent',
  'alarm.acknowledge': 'alarm',
  'shift.note': 'shift',
} as const satisfies Record<string, AuditEntity>;
export type AuditAction = keyof typeof AUDIT_ACTIONS;
export const AUDIT_ACTION_NAMES = Object.keys(AUDIT_ACTIONS) as AuditAction[];

/** Why something was refused; each is a message key of the renderer. */
export const AUDIT_REASONS = [
  'wrong_password',
  'unknown_user',
  'locked',
  'locked_now',
  'inactive',
  'rate_limited',
] as const;
export type AuditReason = (typeof AUDIT_REASONS)[number];

export interface AuditEntry {
  readonly id: number;
  readonly at: number;
  readonly userId: number | null;
  readonly username: string;
  readonly action: AuditAction;
  readonly entity: AuditEntity;
  readonly entityId: string | null;
  /** What the entry is about as people call it (a device's name, an area's code), at the time of the action. */
  readonly entityLabel: string | null;
  /** The area the entry concerns; null for global things (accounts, settings, sessions), which only unscoped users see. */
  readonly areaId: number | null;
  readonly outcome: 'success' | 'failure';
  readonly reason: AuditReason | null;
  /** JSON of the record before and after the action; secrets are never written. */
  readonly before: string | null;
  readonly after: string | null;
}

export type NewAuditEntry = Omit<AuditEntry, 'id'>;
