import type { Area, AreaFields } from '../../../src-shared/domain/area';
import type { Device, DeviceFields, DeviceFilter, DeviceType } from '../../../src-shared/domain/device';
import type {
  MaintenanceCase,
  MaintenanceCategory,
  ShutdownRequest,
  ShutdownStatus,
} from '../../../src-shared/domain/workflow';
import type { RttPoint, StatusChange, StatusCount, SweepSummary } from '../../../src-shared/domain/monitoring';
import type { PermissionGrid } from '../../../src-shared/domain/permissions';
import type { DeviceStatus } from '../../../src-shared/domain/status';
import type { AuditEntry, User } from '../../../src-shared/domain/users';
import type { SegmentState } from '../../../src-shared/domain/uptime';

/**
 * The one persistence port. Core code talks only to this; each dialect has an
 * adapter that passes tests/contract/store-contract.ts. Every method is async
 * because the SQL Server driver is; the SQLite adapter simply resolves at once.
 *
 * Errors: a duplicate throws a `conflict` DomainError naming the field, a
 * missing row a `not_found` one, so callers never parse driver messages.
 */
export interface Store {
  listAreas(): Promise<Area[]>;
  getArea(id: number): Promise<Area | undefined>;
  createArea(fields: AreaFields): Promise<Area>;
  updateArea(id: number, fields: AreaFields): Promise<Area>;
  /** Refused with a conflict while the area still has devices. */
  deleteArea(id: number): Promise<void>;

  listDevices(filter: DeviceQuery): Promise<Device[]>;
  getDevice(id: number): Promise<Device | undefined>;
  createDevice(fields: DeviceFields): Promise<Device>;
  updateDevice(id: number, fields: DeviceFields): Promise<Device>;
  deleteDevice(id: number): Promise<void>;

  getSetting(key: string): Promise<unknown>;
  setSetting(key: string, value: unknown): Promise<void>;

  /** Devices the central must probe now: not in a workflow state, and not in an area a healthy agent covers. */
  listSweepTargets(query: { now: number; agentHeartbeatTimeoutMs: number }): Promise<SweepTarget[]>;
  /** Takes the monitor lease if it is free, expired or already ours; returns the new epoch, or null. */
  acquireMonitorLease(holder: string, now: number, ttlMs: number): Promise<number | null>;
  releaseMonitorLease(holder: string, epoch: number): Promise<void>;
  /**
   * Writes one sweep in one transaction, after renewing the lease. A stale
   * epoch (another instance took over) refuses the whole write with a
   * `conflict`, so a paused old holder can never double-count.
   */
  recordSweep(sweep: SweepRecord): Promise<SweepWriteResult>;
  /** Enters (state) or leaves (null) a workflow state: device status, status change and workflow segment. */
  setWorkflowState(change: WorkflowStateChange): Promise<void>;

  /** Segments overlapping [from, to) of the given devices; an ongoing workflow segment ends at `to`. */
  listSegments(query: { deviceIds: readonly number[]; from: number; to: number }): Promise<DeviceSegment[]>;
  statusCounts(query: { areaId?: number; areaIds?: readonly number[] }): Promise<StatusCount[]>;
  recentStatusChanges(query: {
    areaId?: number;
    areaIds?: readonly number[];
    deviceId?: number;
    limit: number;
  }): Promise<StatusChange[]>;
  listSweeps(query: { since: number; source: string }): Promise<SweepSummary[]>;
  lastSweep(source: string): Promise<SweepSummary | undefined>;
  rttRollups(query: { deviceId: number; from: number; to: number }): Promise<RttPoint[]>;
  /** Deletes raw probe rows, and per-minute rollups and the sweep log, older than their retention. */
  pruneObservations(query: { rawBefore: number; rollupsBefore: number }): Promise<void>;

  countUsers(): Promise<number>;
  /** A duplicate username is a `conflict` on the username field. */
  createUser(fields: UserFields & { passwordHash: string; mustChangePassword: boolean }): Promise<User>;
  getUser(id: number): Promise<User | undefined>;
  /** With the password hash: for logging in only, never for a screen. */
  getUserCredentials(username: string): Promise<(User & { passwordHash: string; failedAttempts: number }) | undefined>;
  listUsers(): Promise<User[]>;
  updateUser(id: number, fields: UserFields): Promise<User>;
  setPasswordHash(id: number, passwordHash: string, mustChangePassword: boolean): Promise<void>;
  /** Counts a failed login; `lockedUntil` set once the failures reach the limit. */
  recordLoginFailure(id: number, lockedUntil: number | null): Promise<number>;
  recordLoginSuccess(id: number): Promise<void>;

  /** Opens a case and puts the device in MAINTENANCE, in one transaction. */
  openMaintenanceCase(input: {
    deviceId: number;
    category: MaintenanceCategory;
    description: string;
    userId: number | null;
    at: number;
  }): Promise<MaintenanceCase>;
  /** Closes the case and returns the device to OFFLINE and to the sweeps, in one transaction. */
  closeMaintenanceCase(input: {
    caseId: number;
    solution: string;
    userId: number | null;
    at: number;
  }): Promise<MaintenanceCase>;
  getMaintenanceCase(id: number): Promise<MaintenanceCase | undefined>;
  listMaintenanceCases(
    filter: WorkflowFilter & { category?: MaintenanceCategory; open?: boolean },
  ): Promise<MaintenanceCase[]>;
  createShutdownRequest(input: {
    deviceId: number;
    justification: string;
    userId: number | null;
    at: number;
  }): Promise<ShutdownRequest>;
  /** approve: SHUTDOWN; reject: the reason is kept; reenable: back to OFFLINE and to the sweeps. */
  decideShutdownRequest(input: {
    id: number;
    decision: 'approve' | 'reject' | 'reenable';
    reason: string | null;
    userId: number | null;
    at: number;
  }): Promise<ShutdownRequest>;
  getShutdownRequest(id: number): Promise<ShutdownRequest | undefined>;
  listShutdownRequests(filter: WorkflowFilter & { status?: ShutdownStatus }): Promise<ShutdownRequest[]>;
  listStatusChanges(filter: WorkflowFilter & { type?: DeviceType }): Promise<StatusChange[]>;

  /** The audit log is append-only: nothing updates or deletes its rows. */
  appendAudit(entry: Omit<AuditEntry, 'id'>): Promise<void>;
  listAudit(filter: AuditFilter): Promise<AuditEntry[]>;

  close(): Promise<void>;
}

export interface UserFields {
  readonly username: string;
  readonly displayName: string;
  readonly isAdmin: boolean;
  readonly active: boolean;
  readonly permissions: PermissionGrid;
  readonly allowedAreaIds: readonly number[] | null;
}

/** Common filters of the workflow and history lists; times bound the event's own instant. */
export interface WorkflowFilter {
  readonly areaId?: number;
  readonly areaIds?: readonly number[];
  readonly deviceId?: number;
  readonly from?: number;
  readonly to?: number;
  readonly limit: number;
}

export interface AuditFilter {
  readonly from?: number;
  readonly to?: number;
  readonly userId?: number;
  readonly entity?: string;
  readonly action?: string;
  readonly limit: number;
}

/** A device filter from the contract, plus the areas a scoped session may see. */
export type DeviceQuery = DeviceFilter & { readonly areaIds?: readonly number[] };

export interface SweepTarget {
  readonly id: number;
  readonly host: string;
  readonly areaId: number;
  readonly status: DeviceStatus;
}

export interface DeviceSegment {
  readonly deviceId: number;
  readonly state: SegmentState;
  readonly source: string;
  readonly startAt: number;
  readonly endAt: number;
}

/** A sweep's writes: what changed in the timelines and what was observed. */
export interface SweepRecord {
  readonly holder: string;
  readonly epoch: number;
  readonly leaseExpiresAt: number;
  readonly source: string;
  readonly summary: SweepSummary;
  /** Open segments whose last observation moved forward. */
  readonly extend: ReadonlyArray<{ readonly segmentId: number; readonly endAt: number }>;
  /** New segments, in order; their ids come back in the same order. */
  readonly insert: ReadonlyArray<{
    readonly deviceId: number;
    readonly state: 'online' | 'offline';
    readonly startAt: number;
    readonly endAt: number;
  }>;
  readonly statusChanges: ReadonlyArray<{
    readonly deviceId: number;
    readonly from: DeviceStatus;
    readonly to: DeviceStatus;
    readonly at: number;
  }>;
  readonly probes: ReadonlyArray<{
    readonly deviceId: number;
    readonly at: number;
    readonly alive: boolean;
    readonly rttMs: number | null;
  }>;
  /** Keep raw probe rows too (only when a raw retention is set). */
  readonly keepRaw: boolean;
}

export interface SweepWriteResult {
  /** Ids of the new segments, in the order given; null where the device left the sweep meanwhile. */
  readonly insertedSegmentIds: ReadonlyArray<number | null>;
  /** Devices whose status change was applied (a workflow or a deletion since the probe voids it). */
  readonly appliedStatusChanges: readonly number[];
}

export interface WorkflowStateChange {
  readonly deviceId: number;
  /** maintenance or shutdown to enter; null to leave (the device returns to OFFLINE and to the sweeps). */
  readonly state: 'maintenance' | 'shutdown' | null;
  readonly at: number;
  /** Who did it, for the status-change log: 'user:<id>' or 'workflow'. */
  readonly actor: string;
}
