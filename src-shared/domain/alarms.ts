import { z } from 'zod';
import { MAX_VIDEO_CHECK_MINUTES } from './area';

/**
 * The alarm desk (DESIGN.md §5b). An alarm is one thing an operator must look
 * at: a device down, a whole area's link lost (its devices grouped under one
 * alarm), a device flapping, an agent silent, sweeps that keep overrunning, a
 * store near its capacity. It opens when its condition holds and clears when
 * it no longer does; acknowledging it is a person's act, kept with who, when
 * and a note.
 */
export const ALARM_KINDS = [
  'device_offline',
  'device_unstable',
  'area_link_lost',
  'agent_silent',
  'sweep_overrun',
  'store_capacity',
  /** A camera that answers ping but whose picture is black, one colour, frozen or missing. */
  'video_bad',
] as const;
export type AlarmKind = (typeof ALARM_KINDS)[number];

/** Most urgent first: the order of the alarm list and of a rule's "this severity or worse". */
export const ALARM_SEVERITIES = ['critical', 'major', 'minor'] as const;
export type AlarmSeverity = (typeof ALARM_SEVERITIES)[number];

/** A lost link or a silent agent blinds a whole area; one device down is one camera. */
export const SEVERITY_OF: Readonly<Record<AlarmKind, AlarmSeverity>> = {
  area_link_lost: 'critical',
  agent_silent: 'critical',
  device_offline: 'major',
  store_capacity: 'major',
  video_bad: 'major',
  device_unstable: 'minor',
  sweep_overrun: 'minor',
};

/** At least as urgent as `floor`. */
export function severityAtLeast(severity: AlarmSeverity, floor: AlarmSeverity): boolean {
  return ALARM_SEVERITIES.indexOf(severity) <= ALARM_SEVERITIES.indexOf(floor);
}

export type AlarmState = 'active' | 'acknowledged' | 'cleared';

export interface Alarm {
  readonly id: number;
  readonly kind: AlarmKind;
  readonly severity: AlarmSeverity;
  /** Null for what concerns the whole installation (sweeps, the store). */
  readonly areaId: number | null;
  readonly areaCode: string | null;
  readonly deviceId: number | null;
  readonly deviceName: string | null;
  readonly openedAt: number;
  readonly clearedAt: number | null;
  readonly acknowledgedAt: number | null;
  readonly acknowledgedBy: string | null;
  readonly note: string | null;
  /** What the condition measured when it opened (devices lost, changes counted, percent used). */
  readonly detail: Readonly<Record<string, number>>;
}

export function alarmState(alarm: Pick<Alarm, 'clearedAt' | 'acknowledgedAt'>): AlarmState {
  if (alarm.clearedAt !== null) return 'cleared';
  return alarm.acknowledgedAt !== null ? 'acknowledged' : 'active';
}

/** What the alarm bar counts and the sound repeats for: nobody has acknowledged it yet. */
export function needsAcknowledgement(alarm: Pick<Alarm, 'acknowledgedAt'>): boolean {
  return alarm.acknowledgedAt === null;
}

/** The alarm list and its bar, as one answer, so the count and the rows never disagree. */
export interface AlarmBoard {
  readonly alarms: Alarm[];
  readonly unacknowledged: number;
}

/** An area alarm's devices: the ones down under it now. */
export interface AlarmMember {
  readonly deviceId: number;
  readonly deviceName: string;
  readonly host: string;
  readonly statusSince: number;
}

export const ALARM_NOTE_MAX = 1000;
export const SHIFT_NOTE_MAX = 4000;

export interface ShiftNote {
  readonly id: number;
  readonly at: number;
  readonly author: string;
  readonly text: string;
}

const whole = (min: number, max: number) =>
  z
    .number({ error: 'required' })
    .int({ error: 'invalid' })
    .min(min, { error: 'out_of_range' })
    .max(max, { error: 'out_of_range' });

/** When the conditions hold that open alarms. */
export const AlarmSettings = z
  .object({
    /** Share of an area's watched devices down at once that makes one "area link lost" alarm. */
    areaLossPercent: whole(10, 100),
    /** …and at least this many of them, so a two-camera area does not lose its link with one camera. */
    areaLossMinDevices: whole(2, 10_000),
    /** A device that changes status this many times… */
    flapChanges: whole(3, 100),
    /** …within this many minutes is unstable: one alarm, not one per fall. */
    flapWindowMinutes: whole(1, 1440),
    /** Sweeps in a row that overran their interval. */
    overrunSweeps: whole(2, 1000),
    /** Share of the store's capacity in use that opens the capacity alarm. */
    storeCapacityPercent: whole(50, 99),
    /** The store's capacity: SQL Server Express stops at 10 GB. */
    storeCapacityGb: whole(1, 100_000),
    /** A cleared alarm nobody acknowledged stays on the desk until somebody does. */
    keepUnacknowledged: z.boolean(),
    /** How often the lease holder looks at each camera with a saved picture address; 0: never (only on demand). */
    videoCheckMinutes: whole(0, MAX_VIDEO_CHECK_MINUTES),
  })
  .strict();
export type AlarmSettings = z.output<typeof AlarmSettings>;

export const DEFAULT_ALARM_SETTINGS: AlarmSettings = {
  areaLossPercent: 80,
  areaLossMinDevices: 3,
  flapChanges: 4,
  flapWindowMinutes: 10,
  overrunSweeps: 3,
  storeCapacityPercent: 80,
  storeCapacityGb: 10,
  keepUnacknowledged: true,
  videoCheckMinutes: 0,
};
export const ALARM_SETTINGS_KEY = 'alarms';

/** What the tray icon shows: green, amber or red. */
export type WatchState = 'ok' | 'warning' | 'alarm';

/** Red while an open alarm waits for acknowledgement; amber while alarms stay open or unacknowledged; else green. */
export function watchState(desk: readonly Pick<Alarm, 'clearedAt' | 'acknowledgedAt'>[]): WatchState {
  if (desk.some((a) => a.clearedAt === null && a.acknowledgedAt === null)) return 'alarm';
  return desk.length > 0 ? 'warning' : 'ok';
}
