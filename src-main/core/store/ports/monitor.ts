import type { SweepSummary } from '../../../../src-shared/domain/monitoring';
import type { DeviceStatus } from '../../../../src-shared/domain/status';

export interface SweepTarget {
  readonly id: number;
  readonly host: string;
  readonly areaId: number;
  readonly status: DeviceStatus;
}

/**
 * One device's probes of one minute, summed (RTTs in tenths of a
 * millisecond, the rollups' unit). The monitor accumulates them in memory and
 * hands over each minute once it is over: the rollups are written once a
 * minute, not read and rewritten every sweep.
 */
export interface SweepMinute {
  readonly deviceId: number;
  readonly minuteAt: number;
  readonly probes: number;
  readonly failures: number;
  readonly rttMin: number | null;
  readonly rttMax: number | null;
  readonly rttSum: number;
}

/** A sweep's writes: what changed in the timelines and what was observed. */
export interface SweepRecord {
  readonly holder: string;
  readonly epoch: number;
  readonly leaseExpiresAt: number;
  readonly source: string;
  /** Null for the last write of a stopping monitor: its unfinished minutes, and no sweep. */
  readonly summary: SweepSummary | null;
  /**
   * Open segments whose last observation moved forward, each known by its
   * natural key (device, this sweep's source, start), so nothing depends on
   * database ids coming back in any order.
   */
  readonly extend: ReadonlyArray<{ readonly deviceId: number; readonly startAt: number; readonly endAt: number }>;
  /** New segments. */
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
  /** Minutes that ended, added to the per-minute rollups. */
  readonly minutes: readonly SweepMinute[];
  /** The raw probes, given only when a raw retention is set (`keepRaw`). */
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
  /** Devices that left the sweep while it ran (deleted, or taken by a workflow): nothing was written for them. */
  readonly skippedDevices: readonly number[];
  /** Devices whose status change was applied (a workflow or a deletion since the probe voids it). */
  readonly appliedStatusChanges: readonly number[];
}

/** What the monitor writes, and the lease that makes it the only writer. */
export interface MonitorStore {
  /** Devices the central must probe now: not in a workflow state, and not in an area a healthy agent covers. */
  listSweepTargets(query: { now: number; agentHeartbeatTimeoutMs: number }): Promise<SweepTarget[]>;
  /** Takes the monitor lease if it is free, expired or already ours; returns the new epoch, or null. */
  acquireMonitorLease(holder: string, now: number, ttlMs: number): Promise<number | null>;
  /** Moves the lease's expiry on if `holder` still holds it with `epoch`; false when another instance took it. */
  renewMonitorLease(holder: string, epoch: number, expiresAt: number): Promise<boolean>;
  releaseMonitorLease(holder: string, epoch: number): Promise<void>;
  /**
   * Writes one sweep in one transaction, after renewing the lease. A stale
   * epoch (another instance took over) refuses the whole write with a
   * `conflict`, so a paused old holder can never double-count.
   */
  recordSweep(sweep: SweepRecord): Promise<SweepWriteResult>;
  /**
   * Ages the observations: raw probe rows older than `rawBefore` go; whole
   * hours of per-minute rollups older than `rollupsBefore` are folded into
   * the hourly tier (in the same transaction as their deletion, so nothing
   * is counted twice or lost) and the sweep log goes with them; whole days of
   * the hourly tier older than `hourlyBefore` go.
   */
  pruneObservations(query: { rawBefore: number; rollupsBefore: number; hourlyBefore: number }): Promise<void>;
}
