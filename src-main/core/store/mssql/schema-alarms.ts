import { sql } from 'drizzle-orm';
import { bigint, index, int, mssqlTable, nvarchar, primaryKey, uniqueIndex } from 'drizzle-orm/mssql-core';
import { areas, devices, users } from './schema';

const instant = (name: string) => bigint(name, { mode: 'number' });

/** The alarm desk (DESIGN.md §5b): one row per alarm, from its opening to its clearing and acknowledgement. */
export const alarms = mssqlTable(
  'alarms',
  {
    id: int('id').identity(),
    kind: nvarchar('kind', { length: 30 }).notNull(),
    /** Kind and subject ('device_offline:12', 'area_link_lost:3', 'sweep_overrun'): one open alarm per key. */
    subjectKey: nvarchar('subject_key', { length: 60 }).notNull(),
    severity: nvarchar('severity', { length: 10 }).notNull(),
    areaId: int('area_id').references(() => areas.id, { onDelete: 'cascade' }),
    deviceId: int('device_id').references(() => devices.id, { onDelete: 'cascade' }),
    openedAt: instant('opened_at').notNull(),
    clearedAt: instant('cleared_at'),
    acknowledgedAt: instant('acknowledged_at'),
    acknowledgedBy: int('acknowledged_by').references(() => users.id),
    note: nvarchar('note', { length: 1000 }),
    /** JSON object of numbers: what the condition measured when it opened. */
    detail: nvarchar('detail', { length: 1000 }).notNull(),
    /** Moves on every change, so a console can tell cheaply that the desk changed. */
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'alarms_pk', columns: [t.id] }),
    // At most one open alarm per subject, enforced by the database itself.
    uniqueIndex('alarms_one_open')
      .on(t.subjectKey)
      .where(sql`cleared_at IS NULL`),
    index('alarms_opened_idx').on(t.openedAt),
    index('alarms_updated_idx').on(t.updatedAt),
  ],
);

/** Every e-mail and webhook call an alarm caused: sent, waiting for a retry, or given up, never dropped unseen. */
export const alarmDeliveries = mssqlTable(
  'alarm_deliveries',
  {
    id: int('id').identity(),
    alarmId: int('alarm_id')
      .notNull()
      .references(() => alarms.id, { onDelete: 'cascade' }),
    ruleName: nvarchar('rule_name', { length: 100 }).notNull(),
    channel: nvarchar('channel', { length: 10 }).notNull(),
    target: nvarchar('target', { length: 2000 }).notNull(),
    /** The message as it will be sent (JSON): retries send exactly what the first attempt tried. */
    payload: nvarchar('payload', { length: 'max' }).notNull(),
    status: nvarchar('status', { length: 10 }).notNull(),
    attempts: int('attempts').notNull(),
    lastError: nvarchar('last_error', { length: 1000 }),
    createdAt: instant('created_at').notNull(),
    nextAttemptAt: instant('next_attempt_at'),
    sentAt: instant('sent_at'),
  },
  (t) => [
    primaryKey({ name: 'alarm_deliveries_pk', columns: [t.id] }),
    index('alarm_deliveries_alarm_idx').on(t.alarmId),
    index('alarm_deliveries_due_idx').on(t.status, t.nextAttemptAt),
  ],
);

/** The shift log: what operators wrote for the next shift. */
export const shiftNotes = mssqlTable(
  'shift_notes',
  {
    id: int('id').identity(),
    at: instant('at').notNull(),
    userId: int('user_id')
      .notNull()
      .references(() => users.id),
    text: nvarchar('text', { length: 4000 }).notNull(),
  },
  (t) => [primaryKey({ name: 'shift_notes_pk', columns: [t.id] }), index('shift_notes_at_idx').on(t.at)],
);
