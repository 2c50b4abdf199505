import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { VIDEO_HEALTHS } from '../../../../src-shared/domain/camera';

/*
 * An agent's local store: the devices it was told to probe, and everything it
 * observed and the central has not acknowledged yet. It lives on disk so a
 * week without the central costs disk, never memory, and a crash loses
 * nothing (DESIGN.md §4). Instants are the central's timeline (see
 * central-clock.ts), in epoch milliseconds.
 */

/** The area's devices as the central last listed them, with the status this agent observed. */
export const agentDevices = sqliteTable('agent_devices', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  host: text('host').notNull(),
  status: text('status', { enum: ['PENDING', 'ONLINE', 'OFFLINE'] }).notNull(),
  statusSince: integer('status_since'),
});

/**
 * The agent's timeline per device. A row stays while it is unsent or still
 * the device's latest (it may grow): `sentEndAt` is how far the central has
 * it in a sealed batch; a segment that grew past it is sent again.
 */
export const pendingSegments = sqliteTable(
  'pending_segments',
  {
    deviceId: integer('device_id').notNull(),
    startAt: integer('start_at').notNull(),
    state: text('state', { enum: ['online', 'offline'] }).notNull(),
    endAt: integer('end_at').notNull(),
    sentEndAt: integer('sent_end_at'),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.startAt] })],
);

export const pendingChanges = sqliteTable('pending_changes', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  deviceId: integer('device_id').notNull(),
  fromStatus: text('from_status', { enum: ['PENDING', 'ONLINE', 'OFFLINE'] }).notNull(),
  toStatus: text('to_status', { enum: ['ONLINE', 'OFFLINE'] }).notNull(),
  at: integer('at').notNull(),
});

/** Per device per minute, accumulated until sealed; RTTs in tenths of a millisecond like the central's rollups. */
export const pendingMinutes = sqliteTable(
  'pending_minutes',
  {
    deviceId: integer('device_id').notNull(),
    minuteAt: integer('minute_at').notNull(),
    probes: integer('probes').notNull(),
    failures: integer('failures').notNull(),
    rttMin: integer('rtt_min'),
    rttMax: integer('rtt_max'),
    rttSum: integer('rtt_sum').notNull(),
  },
  (t) => [primaryKey({ columns: [t.minuteAt, t.deviceId] })],
);

/** Batches sealed with their sequence and exact body, sent until acknowledged: a resend is byte for byte the same. */
export const sealedBatches = sqliteTable('sealed_batches', {
  sequence: integer('sequence').primaryKey(),
  sealedAt: integer('sealed_at').notNull(),
  body: text('body').notNull(),
  observations: integer('observations').notNull(),
  rows: integer('rows').notNull(),
  /** The oldest observation it holds, for "oldest unsent". */
  oldestAt: integer('oldest_at'),
});

/** Named values: the configuration, the machine id, the clock offset, the next sequence, counters. */
export const agentState = sqliteTable('agent_state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/** Probes recorded and acknowledged since the outbox was created: the agent's end of "nothing lost, nothing twice". */
export const counters = sqliteTable('counters', {
  name: text('name').primaryKey(),
  value: integer('value').notNull(),
});

/** One agent process per outbox: the same lease as the central's monitor. */
export const localLease = sqliteTable('local_lease', {
  id: integer('id').primaryKey(),
  holder: text('holder').notNull(),
  epoch: integer('epoch').notNull(),
  expiresAt: integer('expires_at').notNull(),
});

/**
 * The area's cameras the agent looks at (their addresses are in the
 * configuration): the password sealed by the agent's own key, the last look
 * with what the next one compares against, and which look the central has.
 */
export const agentCameras = sqliteTable('agent_cameras', {
  deviceId: integer('device_id').primaryKey(),
  passwordSealed: text('password_sealed'),
  health: text('health', { enum: VIDEO_HEALTHS }),
  detail: text('detail'),
  checkedAt: integer('checked_at'),
  since: integer('since'),
  sameCount: integer('same_count').notNull().default(0),
  thumbnail: text('thumbnail'),
  /** The `checkedAt` of the last look the central acknowledged: a newer look is still to be reported. */
  reportedAt: integer('reported_at'),
});
