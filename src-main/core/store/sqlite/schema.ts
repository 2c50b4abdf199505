import { sql } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { blob, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/*
 * Every entity of DESIGN.md, so later features add behaviour rather than
 * reshape tables. Instants are UTC epoch milliseconds in integer columns: the
 * same representation in every dialect, no time-zone ambiguity, and cheap to
 * compare when summing state segments.
 */

const timestamps = {
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
};

export const areas = sqliteTable('areas', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  timeZone: text('time_zone').notNull(),
  /** Minutes between looks at the area's cameras (0: never); null follows the installation's setting. */
  videoCheckMinutes: integer('video_check_minutes'),
  ...timestamps,
});

export const devices = sqliteTable(
  'devices',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    areaId: integer('area_id')
      .notNull()
      .references(() => areas.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    type: text('type', { enum: ['camera', 'access_control'] }).notNull(),
    context: text('context', { enum: ['rfb', 'normal'] }).notNull(),
    host: text('host').notNull(),
    location: text('location').notNull().default(''),
    notes: text('notes').notNull().default(''),
    status: text('status', { enum: ['PENDING', 'ONLINE', 'OFFLINE', 'MAINTENANCE', 'SHUTDOWN'] })
      .notNull()
      // Every insert names its status (PENDING); the old default stays so SQLite need not rebuild the table.
      .default('OFFLINE'),
    statusSince: integer('status_since').notNull(),
    /** The switch, uplink or recorder it is reached through; while that one is down, this one raises no alarm. */
    parentId: integer('parent_id').references((): AnySQLiteColumn => devices.id),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('devices_area_name_unique').on(t.areaId, t.name),
    index('devices_status_idx').on(t.status),
    index('devices_host_idx').on(t.host),
  ],
);

/** The timeline uptime is summed from: [startAt, endAt) in one state; endAt null while open. */
export const stateSegments = sqliteTable(
  'state_segments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    deviceId: integer('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    state: text('state', { enum: ['online', 'offline', 'maintenance', 'shutdown', 'nodata'] }).notNull(),
    /** 'central' or 'agent:<AREA>': agent data replaces central fallback data for the same span. */
    source: text('source').notNull(),
    startAt: integer('start_at').notNull(),
    endAt: integer('end_at'),
  },
  (t) => [index('state_segments_device_start_idx').on(t.deviceId, t.startAt)],
);

/**
 * Per device per minute, packed one row per hour (see rollup-codec.ts): about
 * 15 KB per device-day, against about 120 KB for a row per minute.
 */
export const probeRollups = sqliteTable(
  'probe_rollups',
  {
    deviceId: integer('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    hourAt: integer('hour_at').notNull(),
    source: text('source').notNull(),
    minutes: blob('minutes', { mode: 'buffer' }).notNull(),
  },
  // hour_at alone: the hourly retention delete must not scan the whole table.
  (t) => [primaryKey({ columns: [t.deviceId, t.hourAt, t.source] }), index('probe_rollups_hour_idx').on(t.hourAt)],
);

/**
 * The coarser tier: per-hour figures, one row per device, day and source (24
 * slots, see rollup-codec.ts). Minute rows older than the per-minute window
 * are folded into it, so a year of history costs a few hundred bytes a day.
 */
export const probeRollupsHourly = sqliteTable(
  'probe_rollups_hourly',
  {
    deviceId: integer('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    dayAt: integer('day_at').notNull(),
    source: text('source').notNull(),
    hours: blob('hours', { mode: 'buffer' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.dayAt, t.source] }), index('probe_rollups_hourly_day_idx').on(t.dayAt)],
);

/** Raw probes, kept only for the short retention set in settings. */
export const probeResults = sqliteTable(
  'probe_results',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    deviceId: integer('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    at: integer('at').notNull(),
    source: text('source').notNull(),
    alive: integer('alive', { mode: 'boolean' }).notNull(),
    rttMs: real('rtt_ms'),
  },
  (t) => [index('probe_results_at_idx').on(t.at), index('probe_results_device_at_idx').on(t.deviceId, t.at)],
);

export const statusChanges = sqliteTable(
  'status_changes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    deviceId: integer('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    fromStatus: text('from_status').notNull(),
    toStatus: text('to_status').notNull(),
    at: integer('at').notNull(),
    /** 'central', 'agent:<AREA>', or 'workflow' for changes people made. */
    source: text('source').notNull(),
    /** Who made a workflow change; null for what the monitor observed. */
    userId: integer('user_id'),
    /** A change the central saw while an area's agent was silent, contradicted by what the agent saw: kept, not an outage. */
    superseded: integer('superseded', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [index('status_changes_at_idx').on(t.at), index('status_changes_device_at_idx').on(t.deviceId, t.at)],
);

export const sweeps = sqliteTable(
  'sweeps',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    source: text('source').notNull(),
    epoch: integer('epoch').notNull(),
    startedAt: integer('started_at').notNull(),
    durationMs: integer('duration_ms').notNull(),
    devicesProbed: integer('devices_probed').notNull(),
    failures: integer('failures').notNull(),
    overrunMs: integer('overrun_ms').notNull(),
    /** The prober that ran the sweep, and why probes could not run (null: they all ran). */
    prober: text('prober').notNull().default(''),
    probesNotRun: integer('probes_not_run').notNull().default(0),
    proberProblem: text('prober_problem'),
  },
  (t) => [index('sweeps_started_idx').on(t.startedAt)],
);

export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  /** scrypt with its parameters and salt encoded alongside, so they can be raised later. */
  passwordHash: text('password_hash').notNull(),
  isAdmin: integer('is_admin', { mode: 'boolean' }).notNull().default(false),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  mustChangePassword: integer('must_change_password', { mode: 'boolean' }).notNull().default(false),
  failedAttempts: integer('failed_attempts').notNull().default(0),
  lockedUntil: integer('locked_until'),
  ...timestamps,
});

export const userPermissions = sqliteTable(
  'user_permissions',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    screen: text('screen').notNull(),
    canView: integer('can_view', { mode: 'boolean' }).notNull(),
    canEdit: integer('can_edit', { mode: 'boolean' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.screen] })],
);

export const userAreas = sqliteTable(
  'user_areas',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    areaId: integer('area_id')
      .notNull()
      .references(() => areas.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.areaId] })],
);

export const maintenanceCases = sqliteTable(
  'maintenance_cases',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    deviceId: integer('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    category: text('category', {
      enum: ['Network', 'Hardware', 'Software', 'Power', 'Configuration', 'Infrastructure', 'Other'],
    }).notNull(),
    description: text('description').notNull(),
    openedBy: integer('opened_by').references(() => users.id),
    openedAt: integer('opened_at').notNull(),
    solution: text('solution'),
    closedBy: integer('closed_by').references(() => users.id),
    closedAt: integer('closed_at'),
  },
  (t) => [
    index('maintenance_cases_device_idx').on(t.deviceId),
    // At most one open case per device, enforced by the database itself.
    uniqueIndex('maintenance_cases_one_open')
      .on(t.deviceId)
      .where(sql`closed_at IS NULL`),
  ],
);

export const shutdownRequests = sqliteTable(
  'shutdown_requests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    deviceId: integer('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    justification: text('justification').notNull(),
    status: text('status', { enum: ['pending', 'approved', 'rejected', 'reenabled'] }).notNull(),
    requestedBy: integer('requested_by').references(() => users.id),
    requestedAt: integer('requested_at').notNull(),
    decidedBy: integer('decided_by').references(() => users.id),
    decidedAt: integer('decided_at'),
    decisionReason: text('decision_reason'),
    reenabledBy: integer('reenabled_by').references(() => users.id),
    reenabledAt: integer('reenabled_at'),
  },
  (t) => [
    index('shutdown_requests_device_idx').on(t.deviceId),
    index('shutdown_requests_status_idx').on(t.status),
    // At most one pending request per device, enforced by the database itself.
    uniqueIndex('shutdown_requests_one_pending')
      .on(t.deviceId)
      .where(sql`status = 'pending'`),
  ],
);

/** JSON values, each checked against its zod schema in src-shared when read or written. */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** Append-only: nothing updates or deletes these rows. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    userId: integer('user_id'),
    username: text('username').notNull(),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    entityLabel: text('entity_label'),
    /** The area the entry concerns; null for global things, which only unscoped users may read. */
    areaId: integer('area_id'),
    outcome: text('outcome', { enum: ['success', 'failure'] }).notNull(),
    reason: text('reason'),
    before: text('before'),
    after: text('after'),
  },
  (t) => [
    index('audit_log_at_idx').on(t.at),
    index('audit_log_entity_idx').on(t.entity, t.entityId),
    index('audit_log_area_at_idx').on(t.areaId, t.at),
  ],
);

/**
 * Logged-in sessions a client can resume after its connection drops (a
 * restart of the central, a network blip): only a hash of the token is kept.
 * Removed when the user logs out, is deactivated or has its password reset.
 */
export const sessions = sqliteTable(
  'sessions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

/** An area's agent: its key (hashed) and what its last heartbeat said. One row per area once a key was issued. */
export const agents = sqliteTable(
  'agents',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    areaId: integer('area_id')
      .notNull()
      .unique()
      .references(() => areas.id, { onDelete: 'cascade' }),
    /** Only the SHA-256 of the key is kept; the key itself is shown once. */
    keyHash: text('key_hash').notNull(),
    /** The key's public part, how it is found and named; kept after a revocation so the screens can say which. */
    keyPrefix: text('key_prefix').notNull(),
    keyCreatedAt: integer('key_created_at'),
    /** Set when the key was revoked: it no longer opens anything, and the area has no usable key until a new one. */
    revokedAt: integer('revoked_at'),
    lastHeartbeatAt: integer('last_heartbeat_at'),
    lastSequence: integer('last_sequence').notNull().default(0),
    /** Probes received in applied batches, the figure compared with the agent's own count. */
    observationsReceived: integer('observations_received').notNull().default(0),
    version: text('version'),
    /** The last heartbeat as JSON (host figures, outbox, clock): shown, never queried. */
    lastReport: text('last_report'),
    ...timestamps,
  },
  (t) => [index('agents_key_prefix_idx').on(t.keyPrefix)],
);

/** One row per applied batch: applying (agent, sequence) twice is refused by the key, and the digest tells a resend from a reuse. */
export const agentBatches = sqliteTable(
  'agent_batches',
  {
    agentId: integer('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    sequence: integer('sequence').notNull(),
    receivedAt: integer('received_at').notNull(),
    observations: integer('observations').notNull(),
    digest: text('digest').notNull().default(''),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.sequence] }), index('agent_batches_received_idx').on(t.receivedAt)],
);

/** The heartbeat history an area's agent panel charts; pruned with the rollups. */
export const agentHeartbeats = sqliteTable(
  'agent_heartbeats',
  {
    agentId: integer('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    at: integer('at').notNull(),
    latencyMs: integer('latency_ms'),
    devicesOnline: integer('devices_online').notNull(),
    outboxRows: integer('outbox_rows').notNull(),
    clockOffsetMs: integer('clock_offset_ms'),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.at] }), index('agent_heartbeats_at_idx').on(t.at)],
);

/** Per device per local day ('2026-11-22') or month ('2026-11'), recomputed when late data touches it. */
export const biSnapshots = sqliteTable(
  'bi_snapshots',
  {
    granularity: text('granularity', { enum: ['day', 'month'] }).notNull(),
    period: text('period').notNull(),
    deviceId: integer('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    secondsOnline: integer('seconds_online').notNull(),
    secondsOffline: integer('seconds_offline').notNull(),
    secondsMaintenance: integer('seconds_maintenance').notNull(),
    secondsShutdown: integer('seconds_shutdown').notNull(),
    secondsNodata: integer('seconds_nodata').notNull(),
    computedAt: integer('computed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.granularity, t.period, t.deviceId] })],
);

/** A single row: who runs the monitor for this store, and the epoch its writes must carry. */
export const monitorLease = sqliteTable('monitor_lease', {
  id: integer('id').primaryKey(),
  holder: text('holder').notNull(),
  epoch: integer('epoch').notNull(),
  expiresAt: integer('expires_at').notNull(),
});

export * from './schema-alarms';
export * from './schema-cameras';
