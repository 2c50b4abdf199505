import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { areas, devices, users } from './schema';

/** The alarm desk (DESIGN.md §5b): one row per alarm, from its opening to its clearing and acknowledgement. */
export const alarms = sqliteTable(
  'alarms',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind').notNull(),
    /** Kind and subject ('device_offline:12', 'area_link_lost:3', 'sweep_overrun'): one open alarm per key. */
    subjectKey: text('subject_key').notNull(),
    severity: text('severity').notNull(),
    areaId: integer('area_id').references(() => areas.id, { onDelete: 'cascade' }),
    deviceId: integer('device_id').references(() => devices.id, { onDelete: 'cascade' }),
    openedAt: integer('opened_at').notNull(),
    clearedAt: integer('cleared_at'),
    acknowledgedAt: integer('acknowledged_at'),
    acknowledgedBy: integer('acknowledged_by').references(() => users.id),
    note: text('note'),
    /** JSON object of numbers: what the condition measured when it opened. */
    detail: text('detail').notNull(),
    /** Moves on every change, so a console can tell cheaply that the desk changed. */
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    // At most one open alarm per subject, enforced by the database itself.
    uniqueIndex('alarms_one_open')
      .on(t.subjectKey)
      .where(sql`cleared_at IS NULL`),
    index('alarms_opened_idx').on(t.openedAt),
    index('alarms_updated_idx').on(t.updatedAt),
  ],
);

/** Every e-mail and webhook call an alarm caused: sent, waiting for a retry, or given up, never dropped unseen. */
export const alarmDeliveries = sqliteTable(
  'alarm_deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    alarmId: integer('alarm_id')
      .notNull()
      .references(() => alarms.id, { onDelete: 'cascade' }),
    ruleName: text('rule_name').notNull(),
    channel: text('channel').notNull(),
    target: text('target').notNull(),
    /** The message as it will be sent (JSON): retries send exactly what the first attempt tried. */
    payload: text('payload').notNull(),
    status: text('status').notNull(),
    attempts: integer('attempts').notNull(),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    nextAttemptAt: integer('next_attempt_at'),
    sentAt: integer('sent_at'),
  },
  (t) => [
    index('alarm_deliveries_alarm_idx').on(t.alarmId),
    index('alarm_deliveries_due_idx').on(t.status, t.nextAttemptAt),
  ],
);

/** The shift log: what operators wrote for the next shift. */
export const shiftNotes = sqliteTable(
  'shift_notes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    text: text('text').notNull(),
  },
  (t) => [index('shift_notes_at_idx').on(t.at)],
);
