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
  /** 'central', 'agent:<AREA>', or 'workflow' for what a person did. */
  readonly source: string;
  /** The display name of the person who made a workflow change; null for what the monitor observed. */
  readonly userName: string | null;
  /**
   * Seen by the central while the area's agent was silent, and contradicted by
   * what the agent saw then: kept for the record, not an outage.
   */
  readonly superseded: boolean;
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
  /** The prober that ran it. */
  readonly prober: string;
  /** Probes that could not run at all (not failed: not run); their devices kept their state. */
  readonly probesNotRun: number;
  /** Why the prober could not run, when it could not; null when every probe ran. */
  readonly proberProblem: ProberProblem | null;
}

/**
 * Why a prober cannot run: each is a message the operator reads in words,
 * with what to install or change. A probe that cannot run is not an outage.
 */
export const PROBER_PROBLEMS = [
  'ping_missing',
  'ping_not_permitted',
  'prober_failed',
  'icmp_not_permitted',
  'icmp_unsupported',
  'fping_missing',
] as const;
export type ProberProblem = (typeof PROBER_PROBLEMS)[number];

/** Which prober runs on the monitoring machine and why the better ones do not. */
export interface ProberChoice {
  /** Null when none can run. */
  readonly active: string | null;
  /** In order of preference; `tried` false for those after the one chosen. */
  readonly candidates: ReadonlyArray<{
    readonly name: string;
    readonly problem: ProberProblem | null;
    readonly tried: boolean;
  }>;
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
  /** The interval the settings ask for. */
  readonly intervalMs: number;
  /**
   * How often each device is really probed: the mean time between the starts
   * of the last sweeps. Above the interval when sweeps overrun, and then an
   * outage shorter than this can go unseen. Null before two sweeps.
   */
  readonly probeSpacingMs: number | null;
  /** The prober this instance runs now and why the better ones do not. */
  readonly prober: ProberChoice;
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

/** A device that is down now, for the dashboard's problem list. */
export interface Problem {
  readonly deviceId: number;
  readonly deviceName: string;
  readonly areaId: number;
  readonly areaCode: string;
  readonly status: DeviceStatus;
  /** Since when it is in this status (the first failed probe of the run that confirmed it). */
  readonly since: number;
  /** Down because what it is reached through is down ("inacessível — pai fora"); no alarm of its own. */
  readonly behindDownParent: boolean;
}

/** Status changes of one sweep (or one workflow step), pushed as one event. */
export interface StatusChangeBatch {
  readonly changes: ReadonlyArray<{
    readonly deviceId: number;
    readonly areaId: number;
    readonly from: DeviceStatus;
    readonly to: DeviceStatus;
    readonly at: number;
  }>;
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
