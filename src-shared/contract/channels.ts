import { z } from 'zod';
import { AreaInput } from '../domain/area';
import type { Area } from '../domain/area';
import { DeviceFilter, DeviceInput } from '../domain/device';
import type { Device } from '../domain/device';
import { DEVICE_CONTEXTS, DEVICE_TYPES } from '../domain/device';
import type {
  DailyUptime,
  Outage,
  ProbeOutcome,
  RttPoint,
  StatusChange,
  StatusCount,
  SweepHealth,
  SweepSummary,
  TimelineSegment,
  UptimeRow,
} from '../domain/monitoring';
import { UPTIME_GROUPS } from '../domain/monitoring';
import { edit, view } from '../domain/permissions';
import { MonitorSettings } from '../domain/settings';
import type { DeviceStatus } from '../domain/status';
import type { UptimeFigures, StateTotals } from '../domain/uptime';
import { returns } from './define';
import type { ChannelMap, EventMap } from './define';

const Id = z.object({ id: z.number({ error: 'required' }).int().positive() }).strict();
const AreaScope = z.object({ areaId: z.number().int().positive().optional() }).strict();
const Instant = z.number().int().nonnegative();

export interface DeviceDetail {
  readonly device: Device;
  /** The last 24 h, sources reconciled; gaps are nodata. */
  readonly timeline: TimelineSegment[];
  readonly timelineFrom: number;
  readonly timelineTo: number;
  readonly rtt: RttPoint[];
  /** This month so far, in the area's time zone. */
  readonly month: UptimeFigures & { readonly from: number; readonly to: number; readonly seconds: StateTotals };
  readonly recentChanges: StatusChange[];
}

/**
 * Every call the renderer can make. Main registers one handler per entry and
 * the renderer's client is typed from this same object, so a renamed channel
 * or a changed input fails to compile on both sides.
 */
export const channels = {
  'areas.list': { input: z.object({}).strict(), output: returns<Area[]>(), permission: view('areas') },
  'areas.create': { input: AreaInput.strict(), output: returns<Area>(), permission: edit('areas') },
  'areas.update': { input: AreaInput.extend(Id.shape).strict(), output: returns<Area>(), permission: edit('areas') },
  'areas.delete': { input: Id, output: returns<{ id: number }>(), permission: edit('areas') },

  'devices.list': { input: DeviceFilter, output: returns<Device[]>(), permission: view('devices') },
  'devices.get': { input: Id, output: returns<Device>(), permission: view('devices') },
  'devices.create': { input: DeviceInput.strict(), output: returns<Device>(), permission: edit('devices') },
  'devices.update': {
    input: DeviceInput.extend(Id.shape).strict(),
    output: returns<Device>(),
    permission: edit('devices'),
  },
  'devices.delete': { input: Id, output: returns<{ id: number }>(), permission: edit('devices') },
  'devices.detail': { input: Id, output: returns<DeviceDetail>(), permission: view('devices') },
  /** Probes the device once, now, and reports; it does not change its status or its history. */
  'devices.pingNow': { input: Id, output: returns<ProbeOutcome>(), permission: view('devices') },

  'dashboard.counts': { input: AreaScope, output: returns<StatusCount[]>(), permission: view('dashboard') },
  'dashboard.recentChanges': {
    input: AreaScope.extend({ limit: z.number().int().min(1).max(200).default(20) }),
    output: returns<StatusChange[]>(),
    permission: view('dashboard'),
  },
  'dashboard.sweepHealth': {
    input: z.object({}).strict(),
    output: returns<SweepHealth>(),
    permission: view('dashboard'),
  },
  'dashboard.dailyUptime': {
    input: AreaScope.extend({ days: z.number().int().min(1).max(92).default(30) }),
    output: returns<{ timeZone: string; days: DailyUptime[] }>(),
    permission: view('dashboard'),
  },
  'dashboard.outages': {
    input: AreaScope.extend({
      days: z.number().int().min(1).max(92).default(30),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    output: returns<Outage[]>(),
    permission: view('dashboard'),
  },
  /** Seconds per state and uptime for any window, grouped by device, area, type or context. */
  'uptime.report': {
    input: z
      .object({
        from: Instant,
        to: Instant,
        groupBy: z.enum(UPTIME_GROUPS),
        areaId: z.number().int().positive().optional(),
        type: z.enum(DEVICE_TYPES).optional(),
        context: z.enum(DEVICE_CONTEXTS).optional(),
      })
      .strict()
      .refine((q) => q.to > q.from, { error: 'invalid', path: ['to'] }),
    output: returns<UptimeRow[]>(),
    permission: view('dashboard'),
  },

  'settings.monitor.get': {
    input: z.object({}).strict(),
    output: returns<MonitorSettings>(),
    permission: view('settings'),
  },
  'settings.monitor.update': {
    input: MonitorSettings,
    output: returns<MonitorSettings>(),
    permission: edit('settings'),
  },
} as const satisfies ChannelMap;

/** Everything main pushes. Screens subscribe instead of polling. */
export const events = {
  'areas.changed': { payload: returns<{ ids: number[] }>(), permission: view('areas') },
  'devices.changed': { payload: returns<{ ids: number[] }>(), permission: view('devices') },
  'devices.statusChanged': {
    payload: returns<{ deviceId: number; areaId: number; from: DeviceStatus; to: DeviceStatus; at: number }>(),
    permission: view('devices'),
  },
  'monitor.sweepFinished': { payload: returns<SweepSummary>(), permission: view('dashboard') },
  'settings.changed': { payload: returns<{ keys: string[] }>(), permission: view('settings') },
} as const satisfies EventMap;

export type Channels = typeof channels;
export type Events = typeof events;
export type ChannelName = keyof Channels;
export type EventName = keyof Events;
