import type { AlarmDelivery, DeliveryChannel } from '../../../../src-shared/domain/alarm-delivery';
import type { Alarm, AlarmKind, AlarmSeverity, ShiftNote } from '../../../../src-shared/domain/alarms';
import type { AuditWrite } from '../../audit';

/** An alarm whose condition holds, as core decided it. */
export interface AlarmOpening {
  readonly kind: AlarmKind;
  /** One open alarm per key: 'device_offline:12', 'area_link_lost:3', 'sweep_overrun'. */
  readonly subjectKey: string;
  readonly severity: AlarmSeverity;
  readonly areaId: number | null;
  readonly deviceId: number | null;
  readonly detail: Readonly<Record<string, number>>;
}

export interface AlarmFilter {
  /** A scoped session's areas: their alarms and the installation-wide ones. */
  readonly areaIds?: readonly number[];
  /** The desk: open alarms, and cleared ones nobody acknowledged when `keepUnacknowledged`. */
  readonly desk?: { readonly keepUnacknowledged: boolean };
  readonly limit: number;
}

export interface NewDelivery {
  readonly alarmId: number;
  readonly ruleName: string;
  readonly channel: DeliveryChannel;
  readonly target: string;
  readonly payload: string;
  readonly at: number;
}

/** A delivery waiting for its (next) attempt, with what it must send. */
export interface DueDelivery {
  readonly id: number;
  readonly alarmId: number;
  readonly channel: DeliveryChannel;
  readonly target: string;
  readonly payload: string;
  readonly attempts: number;
}

/**
 * The alarm desk, the deliveries it causes and the shift log. Opening and
 * clearing are conditional writes (a subject has at most one open alarm,
 * enforced by a unique index); acknowledging is one, with its audit entry.
 */
export interface AlarmStore {
  /**
   * In one transaction: opens each alarm whose subject has none open and
   * clears the open alarms of the `clear` keys. Returns what it changed.
   */
  applyAlarmChanges(input: {
    at: number;
    open: readonly AlarmOpening[];
    clear: readonly string[];
  }): Promise<{ opened: Alarm[]; cleared: Alarm[] }>;
  /** The subject keys of every open alarm: what the evaluator compares its conditions with. */
  listOpenAlarmKeys(): Promise<string[]>;
  listAlarms(filter: AlarmFilter): Promise<Alarm[]>;
  getAlarm(id: number): Promise<Alarm | undefined>;
  /** Only if nobody has yet (else a conflict `alarm_already_acknowledged`), with the audit entry. */
  acknowledgeAlarm(input: {
    id: number;
    userId: number;
    note: string | null;
    at: number;
    audit: AuditWrite<Alarm>;
  }): Promise<Alarm>;
  /** Moves whenever any alarm changes: a console compares it instead of reading the desk. */
  alarmsRevision(): Promise<string>;

  queueDeliveries(rows: readonly NewDelivery[]): Promise<void>;
  /** When each (alarm, rule) was last queued, for the repeat interval: key `${alarmId}:${ruleName}`. */
  lastQueuedDeliveries(alarmIds: readonly number[]): Promise<Map<string, number>>;
  listDueDeliveries(now: number, limit: number): Promise<DueDelivery[]>;
  /** Sent; or failed with `error`, retried at `retryAt`, or given up when `retryAt` is null. */
  finishDeliveryAttempt(input: { id: number; at: number; error: string | null; retryAt: number | null }): Promise<void>;
  listDeliveries(filter: { areaIds?: readonly number[]; limit: number }): Promise<AlarmDelivery[]>;

  addShiftNote(input: { userId: number; text: string; at: number; audit: AuditWrite<ShiftNote> }): Promise<ShiftNote>;
  listShiftNotes(filter: { since: number; limit: number }): Promise<ShiftNote[]>;
}
