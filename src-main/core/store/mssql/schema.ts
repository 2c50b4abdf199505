import { sql } from 'drizzle-orm';
import type { AnyMsSqlColumn } from 'drizzle-orm/mssql-core';
import {
  bigint,
  bit,
  float,
  index,
  int,
  mssqlTable,
  nvarchar,
  primaryKey,
  uniqueIndex,
  varbinary,
} from 'drizzle-orm/mssql-core';

/*
 * The same entities as the SQLite schema, in SQL Server's types: instants as
 * bigint epoch milliseconds (no time-zone ambiguity, the same numbers in both
 * dialects), booleans as bit, text as nvarchar sized for its contract limit
 * (keys and indexed columns stay under SQL Server's 900-byte index key).
 * Every constraint and index has a name of ours, so a maintainer's scripts
 * and the migrations can refer to them.
 */

const instant = (name: string) => bigint(name, { mode: 'number' });
const timestamps = {
  createdAt: instant('created_at').notNull(),
  updatedAt: instant('updated_at').notNull(),
};

export const areas = mssqlTable(
  'areas',
  {
    id: int('id').identity(),
    code: nvarchar('code', { length: 10 }).notNull(),
    name: nvarchar('name', { length: 100 }).notNull(),
    timeZone: nvarchar('time_zone', { length: 64 }).notNull(),
    /** Minutes between looks at the area's cameras (0: never); null follows the installation's setting. */
    videoCheckMinutes: int('video_check_minutes'),
    ...timestamps,
  },
  (t) => [primaryKey({ name: 'areas_pk', columns: [t.id] }), uniqueIndex('areas_code_unique').on(t.code)],
);

export const devices = mssqlTable(
  'devices',
  {
    id: int('id').identity(),
    areaId: int('area_id')
      .notNull()
      .references(() => areas.id),
    name: nvarchar('name', { length: 100 }).notNull(),
    type: nvarchar('type', { length: 20, enum: ['camera', 'access_control'] }).notNull(),
    context: nvarchar('context', { length: 10, enum: ['rfb', 'normal'] }).notNull(),
    host: nvarchar('host', { length: 253 }).notNull(),
    location: nvarchar('location', { length: 200 }).notNull(),
    notes: nvarchar('notes', { length: 2000 }).notNull(),
    status: nvarchar('status', {
      length: 20,
      enum: ['PENDING', 'ONLINE', 'OFFLINE', 'MAINTENANCE', 'SHUTDOWN'],
    }).notNull(),
    statusSince: instant('status_since').notNull(),
    /** The switch, uplink or recorder it is reached through; while that one is down, this one raises no alarm. */
    parentId: int('parent_id').references((): AnyMsSqlColumn => devices.id),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: 'devices_pk', columns: [t.id] }),
    uniqueIndex('devices_area_name_unique').on(t.areaId, t.name),
    index('devices_status_idx').on(t.status),
    index('devices_host_idx').on(t.host),
  ],
);

/** The timeline uptime is summed from: [startAt, endAt) in one state; endAt null while open. */
export const stateSegments = mssqlTable(
  'state_segments',
  {
    id: bigint('id', { mode: 'number' }).identity(),
    deviceId: int('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    state: nvarchar('state', {
      length: 20,
      enum: ['online', 'offline', 'maintenance', 'shutdown', 'nodata'],
    }).notNull(),
    source: nvarchar('source', { length: 64 }).notNull(),
    startAt: instant('start_at').notNull(),
    endAt: instant('end_at'),
  },
  (t) => [
    primaryKey({ name: 'state_segments_pk', columns: [t.id] }),
    index('state_segments_device_start_idx').on(t.deviceId, t.startAt),
  ],
);

/** Per device per minute, packed one row per hour (see rollup-codec.ts). */
export const probeRollups = mssqlTable(
  'probe_rollups',
  {
    deviceId: int('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    hourAt: instant('hour_at').notNull(),
    source: nvarchar('source', { length: 64 }).notNull(),
    minutes: varbinary('minutes', { length: 'max' }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'probe_rollups_pk', columns: [t.deviceId, t.hourAt, t.source] }),
    index('probe_rollups_hour_idx').on(t.hourAt),
  ],
);

/** The coarser tier: per-hour figures, one row per device, day and source (see the SQLite schema). */
export const probeRollupsHourly = mssqlTable(
  'probe_rollups_hourly',
  {
    deviceId: int('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    dayAt: instant('day_at').notNull(),
    source: nvarchar('source', { length: 64 }).notNull(),
    hours: varbinary('hours', { length: 'max' }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'probe_rollups_hourly_pk', columns: [t.deviceId, t.dayAt, t.source] }),
    index('probe_rollups_hourly_day_idx').on(t.dayAt),
  ],
);

/** Raw probes, kept only for the short retention set in settings. */
export const probeResults = mssqlTable(
  'probe_results',
  {
    id: bigint('id', { mode: 'number' }).identity(),
    deviceId: int('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    at: instant('at').notNull(),
    source: nvarchar('source', { length: 64 }).notNull(),
    alive: bit('alive').notNull(),
    rttMs: float('rtt_ms'),
  },
  (t) => [
    primaryKey({ name: 'probe_results_pk', columns: [t.id] }),
    index('probe_results_at_idx').on(t.at),
    index('probe_results_device_at_idx').on(t.deviceId, t.at),
  ],
);

export const statusChanges = mssqlTable(
  'status_changes',
  {
    id: bigint('id', { mode: 'number' }).identity(),
    deviceId: int('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    fromStatus: nvarchar('from_status', { length: 20 }).notNull(),
    toStatus: nvarchar('to_status', { length: 20 }).notNull(),
    at: instant('at').notNull(),
    /** 'central', 'agent:<AREA>', or 'workflow' for changes people made. */
    source: nvarchar('source', { length: 64 }).notNull(),
    /** Who made a workflow change; null for what the monitor observed. */
    userId: int('user_id'),
    /** A change the central saw while an area's agent was silent, contradicted by what the agent saw: kept, not an outage. */
    superseded: bit('superseded').notNull().default(false),
  },
  (t) => [
    primaryKey({ name: 'status_changes_pk', columns: [t.id] }),
    index('status_changes_at_idx').on(t.at),
    index('status_changes_device_at_idx').on(t.deviceId, t.at),
  ],
);

export const sweeps = mssqlTable(
  'sweeps',
  {
    id: bigint('id', { mode: 'number' }).identity(),
    source: nvarchar('source', { length: 64 }).notNull(),
    epoch: int('epoch').notNull(),
    startedAt: instant('started_at').notNull(),
    durationMs: int('duration_ms').notNull(),
    devicesProbed: int('devices_probed').notNull(),
    failures: int('failures').notNull(),
    overrunMs: int('overrun_ms').notNull(),
    prober: nvarchar('prober', { length: 32 }).notNull(),
    probesNotRun: int('probes_not_run').notNull(),
    proberProblem: nvarchar('prober_problem', { length: 32 }),
  },
  (t) => [primaryKey({ name: 'sweeps_pk', columns: [t.id] }), index('sweeps_started_idx').on(t.startedAt)],
);

export const users = mssqlTable(
  'users',
  {
    id: int('id').identity(),
    username: nvarchar('username', { length: 50 }).notNull(),
    displayName: nvarchar('display_name', { length: 100 }).notNull(),
    /** scrypt with its parameters and salt encoded alongside, so they can be raised later. */
    passwordHash: nvarchar('password_hash', { length: 300 }).notNull(),
    isAdmin: bit('is_admin').notNull(),
    active: bit('active').notNull(),
    mustChangePassword: bit('must_change_password').notNull(),
    failedAttempts: int('failed_attempts').notNull(),
    lockedUntil: instant('locked_until'),
    ...timestamps,
  },
  (t) => [primaryKey({ name: 'users_pk', columns: [t.id] }), uniqueIndex('users_username_unique').on(t.username)],
);

export const userPermissions = mssqlTable(
  'user_permissions',
  {
    userId: int('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    screen: nvarchar('screen', { length: 32 }).notNull(),
    canView: bit('can_view').notNull(),
    canEdit: bit('can_edit').notNull(),
  },
  (t) => [primaryKey({ name: 'user_permissions_pk', columns: [t.userId, t.screen] })],
);

export const userAreas = mssqlTable(
  'user_areas',
  {
    userId: int('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    areaId: int('area_id')
      .notNull()
      .references(() => areas.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ name: 'user_areas_pk', columns: [t.userId, t.areaId] })],
);

export const maintenanceCases = mssqlTable(
  'maintenance_cases',
  {
    id: int('id').identity(),
    deviceId: int('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    category: nvarchar('category', {
      length: 20,
      enum: ['Network', 'Hardware', 'Software', 'Power', 'Configuration', 'Infrastructure', 'Other'],
    }).notNull(),
    description: nvarchar('description', { length: 2000 }).notNull(),
    openedBy: int('opened_by'),
    openedAt: instant('opened_at').notNull(),
    solution: nvarchar('solution', { length: 2000 }),
    closedBy: int('closed_by'),
    closedAt: instant('closed_at'),
  },
  (t) => [
    primaryKey({ name: 'maintenance_cases_pk', columns: [t.id] }),
    index('maintenance_cases_device_idx').on(t.deviceId),
    // At most one open case per device, enforced by the database itself.
    uniqueIndex('maintenance_cases_one_open')
      .on(t.deviceId)
      .where(sql`closed_at IS NULL`),
  ],
);

export const shutdownRequests = mssqlTable(
  'shutdown_requests',
  {
    id: int('id').identity(),
    deviceId: int('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    justification: nvarchar('justification', { length: 2000 }).notNull(),
    status: nvarchar('status', { length: 20, enum: ['pending', 'approved', 'rejected', 'reenabled'] }).notNull(),
    requestedBy: int('requested_by'),
    requestedAt: instant('requested_at').notNull(),
    decidedBy: int('decided_by'),
    decidedAt: instant('decided_at'),
    decisionReason: nvarchar('decision_reason', { length: 2000 }),
    reenabledBy: int('reenabled_by'),
    reenabledAt: instant('reenabled_at'),
  },
  (t) => [
    primaryKey({ name: 'shutdown_requests_pk', columns: [t.id] }),
    index('shutdown_requests_device_idx').on(t.deviceId),
    index('shutdown_requests_status_idx').on(t.status),
    // At most one pending request per device, enforced by the database itself.
    uniqueIndex('shutdown_requests_one_pending')
      .on(t.deviceId)
      .where(sql`status = 'pending'`),
  ],
);

/** JSON values, each checked against its zod schema in src-shared when read or written. */
export const settings = mssqlTable(
  'settings',
  {
    key: nvarchar('key', { length: 100 }).notNull(),
    value: nvarchar('value', { length: 'max' }).notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [primaryKey({ name: 'settings_pk', columns: [t.key] })],
);

/** Append-only: nothing updates or deletes these rows. */
export const auditLog = mssqlTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).identity(),
    at: instant('at').notNull(),
    userId: int('user_id'),
    username: nvarchar('username', { length: 100 }).notNull(),
    action: nvarchar('action', { length: 50 }).notNull(),
    entity: nvarchar('entity', { length: 20 }).notNull(),
    entityId: nvarchar('entity_id', { length: 64 }),
    entityLabel: nvarchar('entity_label', { length: 300 }),
    /** The area the entry concerns; null for global things, which only unscoped users may read. */
    areaId: int('area_id'),
    outcome: nvarchar('outcome', { length: 10, enum: ['success', 'failure'] }).notNull(),
    reason: nvarchar('reason', { length: 32 }),
    before: nvarchar('before', { length: 'max' }),
    after: nvarchar('after', { length: 'max' }),
  },
  (t) => [
    primaryKey({ name: 'audit_log_pk', columns: [t.id] }),
    index('audit_log_at_idx').on(t.at),
    index('audit_log_entity_idx').on(t.entity, t.entityId),
    index('audit_log_area_at_idx').on(t.areaId, t.at),
  ],
);

/** Logged-in sessions a client can resume after its connection drops; only a hash of the token is kept. */
export const sessions = mssqlTable(
  'sessions',
  {
    id: int('id').identity(),
    userId: int('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: nvarchar('token_hash', { length: 100 }).notNull(),
    createdAt: instant('created_at').notNull(),
    expiresAt: instant('expires_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'sessions_pk', columns: [t.id] }),
    uniqueIndex('sessions_token_unique').on(t.tokenHash),
    index('sessions_user_idx').on(t.userId),
    index('sessions_expires_idx').on(t.expiresAt),
  ],
);

/** An area's agent: its key (hashed) and what its last heartbeat said. One row per area once a key was issued. */
export const agents = mssqlTable(
  'agents',
  {
    id: int('id').identity(),
    areaId: int('area_id')
      .notNull()
      .references(() => areas.id, { onDelete: 'cascade' }),
    /** Only the SHA-256 of the key is kept; the key itself is shown once. */
    keyHash: nvarchar('key_hash', { length: 300 }).notNull(),
    keyPrefix: nvarchar('key_prefix', { length: 32 }).notNull(),
    keyCreatedAt: instant('key_created_at'),
    /** Set when the key was revoked: it no longer opens anything, and the area has no usable key until a new one. */
    revokedAt: instant('revoked_at'),
    lastHeartbeatAt: instant('last_heartbeat_at'),
    lastSequence: bigint('last_sequence', { mode: 'number' }).notNull(),
    observationsReceived: bigint('observations_received', { mode: 'number' }).notNull().default(0),
    version: nvarchar('version', { length: 64 }),
    lastReport: nvarchar('last_report', { length: 'max' }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: 'agents_pk', columns: [t.id] }),
    uniqueIndex('agents_area_unique').on(t.areaId),
    index('agents_key_prefix_idx').on(t.keyPrefix),
  ],
);

/** One row per applied batch: applying (agent, sequence) twice is refused by the key, and the digest tells a resend from a reuse. */
export const agentBatches = mssqlTable(
  'agent_batches',
  {
    agentId: int('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    sequence: bigint('sequence', { mode: 'number' }).notNull(),
    receivedAt: instant('received_at').notNull(),
    observations: int('observations').notNull(),
    digest: nvarchar('digest', { length: 64 }).notNull().default(''),
  },
  (t) => [
    primaryKey({ name: 'agent_batches_pk', columns: [t.agentId, t.sequence] }),
    index('agent_batches_received_idx').on(t.receivedAt),
  ],
);

/** The heartbeat history an area's agent panel charts; pruned with the rollups. */
export const agentHeartbeats = mssqlTable(
  'agent_heartbeats',
  {
    agentId: int('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    at: instant('at').notNull(),
    latencyMs: int('latency_ms'),
    devicesOnline: int('devices_online').notNull(),
    outboxRows: int('outbox_rows').notNull(),
    clockOffsetMs: int('clock_offset_ms'),
  },
  (t) => [
    primaryKey({ name: 'agent_heartbeats_pk', columns: [t.agentId, t.at] }),
    index('agent_heartbeats_at_idx').on(t.at),
  ],
);

/** A single row: who runs the monitor for this store, and the epoch its writes must carry. */
export const monitorLease = mssqlTable(
  'monitor_lease',
  {
    id: int('id').notNull(),
    holder: nvarchar('holder', { length: 200 }).notNull(),
    epoch: int('epoch').notNull(),
    expiresAt: instant('expires_at').notNull(),
  },
  (t) => [primaryKey({ name: 'monitor_lease_pk', columns: [t.id] })],
);

export * from './schema-alarms';
export * from './schema-cameras';
