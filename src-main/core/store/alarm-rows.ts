import type { AlarmDelivery, DeliveryChannel, DeliveryStatus } from '../../../src-shared/domain/alarm-delivery';
import type { Alarm, AlarmKind, AlarmSeverity } from '../../../src-shared/domain/alarms';

/** An alarm as both adapters select it: kinds and severities are plain text columns written only from their lists. */
export interface AlarmRow extends Omit<Alarm, 'kind' | 'severity' | 'detail'> {
  readonly kind: string;
  readonly severity: string;
  readonly detail: string;
}

export function alarmFromRow(row: AlarmRow): Alarm {
  return {
    ...row,
    kind: row.kind as AlarmKind,
    severity: row.severity as AlarmSeverity,
    detail: JSON.parse(row.detail) as Record<string, number>,
  };
}

export interface DeliveryRow extends Omit<AlarmDelivery, 'alarmKind' | 'severity' | 'channel' | 'status'> {
  readonly alarmKind: string;
  readonly severity: string;
  readonly channel: string;
  readonly status: string;
}

export function deliveryFromRow(row: DeliveryRow): AlarmDelivery {
  return {
    ...row,
    alarmKind: row.alarmKind as AlarmKind,
    severity: row.severity as AlarmSeverity,
    channel: row.channel as DeliveryChannel,
    status: row.status as DeliveryStatus,
  };
}
