import type { DeviceContext, DeviceType } from './device';
import type { DeviceStatus } from './status';
import type { SegmentState, StateTotals, UptimeFigures } from './uptime';

export interface StatusChange {
  readonly id: number;
  readonly deviceId: number;
  readonly deviceName: string;
  readonly areaId: number;
  readonly areaCode: string;
  readonly from: DeviceStatus;
  readonly to: DeviceStatus;
  readonly at: number;
  readonly source: string;
}

export interface StatusCount {
  readonly areaId: number;
  readonly type: DeviceType;
  readonly context: DeviceContext;
  readonly status: DeviceStatus;
  readonly count: number;
}

export interface SweepSummary {
  readonly startedAt: number;
  readonly durationMs: number;
  readonly devicesProbed: number;
  readonly failures: number;
  /** How far the sweep ran past its interval; 0 when it fitted. */
  readonly overrunMs: number;
}

/**
 * A sweep as a screen sees it. The counts cover every area, so a session
 * scoped to some areas gets them as null: they would tell it about others.
 */
export type SweepView = Omit<SweepSummary, 'devicesProbed' | 'failures'> & {
  readonly devicesProbed: number | null;
  readonly failures: number | null;
};

export interface SweepHealth {
  readonly last: SweepView | null;
  readonly devicesPerSecond: number | null;
  /** Sweeps that overran their interval in the last hour, out of all sweeps then. */
  readonly overrunsLastHour: number;
  readonly sweepsLastHour: number;
}

export interface TimelineSegment {
  readonly state: SegmentState;
  readonly source: string;
  readonly startAt: number;
  readonly endAt: number;
}

export interface RttPoint {
  readonly minuteAt: number;
  readonly probes: number;
  readonly failures: number;
  readonly rttMinMs: number | null;
  readonly rttAvgMs: number | null;
  readonly rttMaxMs: number | null;
}

export const UPTIME_GROUPS = ['device', 'area', 'type', 'context'] as const;
export type UptimeGroup = (typeof UPTIME_GROUPS)[number];

export interface UptimeRow extends UptimeFigures {
  /** Device id, area code, device type or context, by the grouping asked for. */
  readonly key: string;
  readonly label: string;
  readonly devices: number;
  /** Seconds per state. */
  readonly seconds: StateTotals;
}

export interface DailyUptime extends UptimeFigures {
  /** Local date in the zone the days were cut in, as YYYY-MM-DD. */
  readonly day: string;
  readonly seconds: StateTotals;
}

export interface Outage {
  readonly deviceId: number;
  readonly deviceName: string;
  readonly areaCode: string;
  readonly startAt: number;
  readonly endAt: number;
}

export interface ProbeOutcome {
  readonly alive: boolean;
  readonly rttMs: number | null;
  readonly at: number;
}
