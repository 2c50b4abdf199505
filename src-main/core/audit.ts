import { AUDIT_ACTIONS } from '../../src-shared/domain/audit';
import type { AuditAction, AuditReason, NewAuditEntry } from '../../src-shared/domain/audit';
import type { Alarm, ShiftNote } from '../../src-shared/domain/alarms';
import type { Area } from '../../src-shared/domain/area';
import type { Device } from '../../src-shared/domain/device';
import type { User } from '../../src-shared/domain/users';
import type { MaintenanceCase, ShutdownRequest } from '../../src-shared/domain/workflow';
import type { Session } from './contract/session';
import type { Clock } from './runtime';
import type { AuditStore } from './store/port';

/** Fields never written to the audit log, wherever they appear in a record. */
const SECRET_KEYS = new Set(['password', 'passwordHash', 'current', 'next', 'keyHash', 'apiKey', 'token', 'tokenHash']);

function withoutSecrets(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(value, (key, v: unknown) => (SECRET_KEYS.has(key) ? undefined : v));
}

/** What an entry is about: its id, the name people know it by, and its area (null: a global thing). */
export interface AuditSubject {
  readonly entityId: number | string | null;
  readonly label: string | null;
  readonly areaId: number | null;
}

/** How each kind of record is named in the trail. */
export const subjectOf = {
  area: (a: Area): AuditSubject => ({ entityId: a.id, label: a.code, areaId: a.id }),
  device: (d: Device): AuditSubject => ({ entityId: d.id, label: d.name, areaId: d.areaId }),
  user: (u: User): AuditSubject => ({ entityId: u.id, label: u.username, areaId: null }),
  maintenanceCase: (c: MaintenanceCase): AuditSubject => ({
    entityId: c.deviceId,
    label: c.deviceName,
    areaId: c.areaId,
  }),
  alarm: (a: Alarm): AuditSubject => ({
    entityId: a.id,
    label: a.deviceName ?? a.areaCode ?? a.kind,
    areaId: a.areaId,
  }),
  shiftNote: (n: ShiftNote): AuditSubject => ({ entityId: n.id, label: n.author, areaId: null }),
  shutdownRequest: (r: ShutdownRequest): AuditSubject => ({
    entityId: r.deviceId,
    label: r.deviceName,
    areaId: r.areaId,
  }),
};

/** Who acted: a session, or nobody logged in (a login attempt, the system). */
export type AuditActor = Pick<Session, 'userId' | 'username'> | null;

export interface AuditFacts {
  readonly action: AuditAction;
  readonly subject?: AuditSubject;
  readonly outcome?: 'success' | 'failure';
  readonly reason?: AuditReason | null;
  readonly before?: unknown;
  readonly after?: unknown;
}

/**
 * The audit entry of a change, built from the record before and after it. A
 * store method that changes something takes one of these and writes the entry
 * in the change's own transaction: there is no change without its entry.
 */
export type AuditWrite<T> = (change: { readonly before: T | null; readonly after: T | null }) => NewAuditEntry;

/**
 * The one auditor: every entry of the trail is built here, with the same
 * action names, the same subject naming and the same secret stripping.
 */
export class Auditor {
  constructor(
    private readonly store: AuditStore,
    private readonly clock: Clock,
  ) {}

  entry(actor: AuditActor, facts: AuditFacts): NewAuditEntry {
    const subject = facts.subject;
    return {
      at: this.clock.now(),
      userId: actor?.userId ?? null,
      username: actor?.username ?? 'anonymous',
      action: facts.action,
      entity: AUDIT_ACTIONS[facts.action],
      entityId: subject?.entityId === undefined || subject.entityId === null ? null : String(subject.entityId),
      entityLabel: subject?.label ?? null,
      areaId: subject?.areaId ?? null,
      outcome: facts.outcome ?? 'success',
      reason: facts.reason ?? null,
      before: withoutSecrets(facts.before),
      after: withoutSecrets(facts.after),
    };
  }

  /** An entry for a change the store makes, named after the record by `subject`. */
  change<T>(actor: AuditActor, action: AuditAction, subject: (record: T) => AuditSubject): AuditWrite<T> {
    return ({ before, after }) => this.entry(actor, { action, subject: subject((after ?? before)!), before, after });
  }

  /** An entry about something that changes nothing in the store (a login, an export). */
  append(actor: AuditActor, facts: AuditFacts): Promise<void> {
    return this.store.appendAudit(this.entry(actor, facts));
  }
}
