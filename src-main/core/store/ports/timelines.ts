import type { DeviceType } from '../../../../src-shared/domain/device';
import type { RttPoint, StatusChange, StatusCount, SweepSummary } from '../../../../src-shared/domain/monitoring';
import type { SegmentState } from '../../../../src-shared/domain/uptime';

export interface DeviceSegment {
  readonly deviceId: number;
  readonly state: SegmentState;
  readonly source: string;
  readonly startAt: number;
  readonly endAt: number;
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

export interface ProbeCount {
  readonly deviceId: number;
  readonly source: string;
  readonly probes: number;
  readonly failures: number;
}

/** What was observed: segments, status changes, sweeps and per-minute figures, read back. */
export interface TimelineStore {
  /** Segments overlapping [from, to) of the given devices; an ongoing workflow segment ends at `to`. */
  listSegments(query: { deviceIds: readonly number[]; from: number; to: number }): Promise<DeviceSegment[]>;
  statusCounts(query: { areaId?: number; areaIds?: readonly number[] }): Promise<StatusCount[]>;
  recentStatusChanges(query: {
    areaId?: number;
    areaIds?: readonly number[];
    deviceId?: number;
    limit: number;
  }): Promise<StatusChange[]>;
  listStatusChanges(filter: WorkflowFilter & { type?: DeviceType }): Promise<StatusChange[]>;
  listSweeps(query: { since: number; source: string }): Promise<SweepSummary[]>;
  lastSweep(source: string): Promise<SweepSummary | undefined>;
  rttRollups(query: { deviceId: number; from: number; to: number }): Promise<RttPoint[]>;
  /** Probes and failures per device and source within [from, to), from the rollups: how much each observer saw. */
  probeCounts(query: { deviceIds: readonly number[]; from: number; to: number }): Promise<ProbeCount[]>;
}
