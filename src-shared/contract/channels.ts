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
  SweepView,
  TimelineSegment,
  UptimeRow,
} from '../domain/monitoring';
import { UPTIME_GROUPS } from '../domain/monitoring';
import { edit, view } from '../domain/permissions';
import { MonitorSettings, SecuritySettings } from '../domain/settings';
import { SCREENS } from '../domain/permissions';
import type { AuditEntry, User } from '../domain/users';
import { MAINTENANCE_CATEGORIES } from '../domain/workflow';
import { BiExportSettings } from '../domain/bi';
import type { ExportResult } from '../domain/bi';
import type { MaintenanceCase, ShutdownRequest, ShutdownStatus } from '../domain/workflow';
import type { StatusChange as HistoryChange } from '../domain/monitoring';
import type { DeviceStatus } from '../domain/status';
import type { UptimeFigures, StateTotals } from '../domain/uptime';
import { returns } from './define';
import type { ChannelMap, EventMap } from './define';

const Id = z.object({ id: z.number({ error: 'required' }).int().positive() }).strict();
const Username = z
  .string({ error: 'required' })
  .trim()
  .toLowerCase()
  .min(1, { error: 'required' })
  .max(50, { error: 'too_long' })
  .regex(/^[a-z0-9._-]+$/, { error: 'invalid_username' });
const Password = z.string({ error: 'required' }).min(1, { error: 'required' }).max(200, { error: 'too_long' });
const DisplayName = z
  .string({ error: 'required' })
  .trim()
  .min(1, { error: 'required' })
  .max(100, { error: 'too_long' });
const Grid = z.object(
  Object.fromEntries(SCREENS.map((s) => [s, z.object({ view: z.boolean(), edit: z.boolean() }).strict()])) as Record<
    (typeof SCREENS)[number],
    z.ZodObject<{ view: z.ZodBoolean; edit: z.ZodBoolean }>
  >,
);
const UserInput = z
  .object({
    username: Username,
    displayName: DisplayName,
    isAdmin: z.boolean(),
    active: z.boolean(),
    permissions: Grid.strict(),
    /** Empty or null: every area. */
    allowedAreaIds: z.array(z.number().int().positive()).max(1000).nullable(),
  })
  .strict();

export interface AuthStatus {
  readonly needsSetup: boolean;
  /** The user logged in on this connection, or null. */
  readonly user: User | null;
  readonly locked: boolean;
  readonly idleLockMinutes: number;
}

const Text = (max: number) =>
  z.string({ error: 'required' }).trim().min(1, { error: 'required' }).max(max, { error: 'too_long' });
const WorkflowFilter = {
  areaId: z.number().int().positive().optional(),
  deviceId: z.number().int().positive().optional(),
  from: z.number().int().nonnegative().optional(),
  to: z.number().int().nonnegative().optional(),
  limit: z.number().int().min(1).max(5000).default(500),
};

export interface ExportStatus {
  /** Where the scheduled export and "export now" write. */
  readonly folder: string;
  readonly last: ExportResult | null;
  readonly lastError: string | null;
}

export interface History {
  readonly changes: HistoryChange[];
  readonly cases: MaintenanceCase[];
  readonly requests: ShutdownRequest[];
}

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
  /** Reference data every screen needs (filters, forms); a scoped user gets its own areas only. */
  'areas.list': { input: z.object({}).strict(), output: returns<Area[]>(), permission: 'authenticated' },
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

  'auth.status': { input: z.object({}).strict(), output: returns<AuthStatus>(), permission: 'public' },
  /** Creates the first administrator (only while no user exists) and logs this connection in. */
  'auth.setup': {
    input: z.object({ username: Username, displayName: DisplayName, password: Password }).strict(),
    output: returns<User>(),
    permission: 'public',
  },
  'auth.login': {
    input: z.object({ username: Username, password: Password }).strict(),
    output: returns<User>(),
    permission: 'public',
  },
  'auth.logout': { input: z.object({}).strict(), output: returns<{ ok: true }>(), permission: 'authenticated' },
  /** The operator typed or clicked: the idle lock starts counting again. */
  'auth.activity': { input: z.object({}).strict(), output: returns<{ ok: true }>(), permission: 'authenticated' },
  'auth.unlock': {
    input: z.object({ password: Password }).strict(),
    output: returns<User>(),
    permission: 'authenticated',
  },
  'auth.changePassword': {
    input: z.object({ current: Password, next: Password }).strict(),
    output: returns<User>(),
    permission: 'authenticated',
  },

  'users.list': { input: z.object({}).strict(), output: returns<User[]>(), permission: view('users') },
  /** The password given here must be changed by the user at the first login. */
  'users.create': {
    input: UserInput.extend({ password: Password }).strict(),
    output: returns<User>(),
    permission: edit('users'),
  },
  'users.update': { input: UserInput.extend(Id.shape).strict(), output: returns<User>(), permission: edit('users') },
  'users.resetPassword': {
    input: Id.extend({ password: Password }).strict(),
    output: returns<User>(),
    permission: edit('users'),
  },
  /** The audit trail belongs with the accounts it is about: whoever may see the users may read it. */
  'audit.list': {
    input: z
      .object({
        from: Instant.optional(),
        to: Instant.optional(),
        userId: z.number().int().positive().optional(),
        entity: z.string().max(50).optional(),
        action: z.string().max(50).optional(),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
    output: returns<AuditEntry[]>(),
    permission: view('users'),
  },

  'maintenance.list': {
    input: z
      .object({ ...WorkflowFilter, category: z.enum(MAINTENANCE_CATEGORIES).optional(), open: z.boolean().optional() })
      .strict(),
    output: returns<MaintenanceCase[]>(),
    permission: view('maintenance'),
  },
  /** The initial report: the device goes to MAINTENANCE and leaves the sweeps. */
  'maintenance.open': {
    input: z
      .object({
        deviceId: z.number({ error: 'required' }).int().positive({ error: 'required' }),
        category: z.enum(MAINTENANCE_CATEGORIES, { error: 'invalid_choice' }),
        description: Text(2000),
      })
      .strict(),
    output: returns<MaintenanceCase>(),
    permission: edit('maintenance'),
  },
  /** The final report: the device returns to OFFLINE and to the sweeps; its next answer makes it ONLINE. */
  'maintenance.close': {
    input: z.object({ caseId: z.number().int().positive(), solution: Text(2000) }).strict(),
    output: returns<MaintenanceCase>(),
    permission: edit('maintenance'),
  },
  'shutdowns.list': {
    input: z
      .object({
        ...WorkflowFilter,
        status: z
          .enum(['pending', 'approved', 'rejected', 'reenabled'] as const satisfies readonly ShutdownStatus[])
          .optional(),
      })
      .strict(),
    output: returns<ShutdownRequest[]>(),
    permission: view('shutdowns'),
  },
  'shutdowns.request': {
    input: z
      .object({
        deviceId: z.number({ error: 'required' }).int().positive({ error: 'required' }),
        justification: Text(2000),
      })
      .strict(),
    output: returns<ShutdownRequest>(),
    permission: edit('shutdowns'),
  },
  /** An administrator approves (SHUTDOWN) or rejects (with a reason) a request, or re-enables the device (OFFLINE). */
  'shutdowns.decide': {
    input: z
      .object({
        id: z.number().int().positive(),
        decision: z.enum(['approve', 'reject', 'reenable']),
        reason: z.string().trim().max(2000, { error: 'too_long' }).optional(),
      })
      .strict()
      .refine((d) => d.decision !== 'reject' || (d.reason ?? '').length > 0, { error: 'required', path: ['reason'] }),
    output: returns<ShutdownRequest>(),
    permission: edit('shutdowns'),
  },
  'history.list': {
    input: z
      .object({
        ...WorkflowFilter,
        type: z.enum(DEVICE_TYPES).optional(),
        category: z.enum(MAINTENANCE_CATEGORIES).optional(),
      })
      .strict(),
    output: returns<History>(),
    permission: view('history'),
  },

  'exports.status': { input: z.object({}).strict(), output: returns<ExportStatus>(), permission: view('exports') },
  /** Writes the files now, to the configured folder (a folder of the caller's choosing is the desktop menu's). */
  'exports.run': { input: z.object({}).strict(), output: returns<ExportResult>(), permission: edit('exports') },
  'settings.exports.get': {
    input: z.object({}).strict(),
    output: returns<BiExportSettings>(),
    permission: view('settings'),
  },
  'settings.exports.update': {
    input: BiExportSettings,
    output: returns<BiExportSettings>(),
    permission: edit('settings'),
  },

  'settings.security.get': {
    input: z.object({}).strict(),
    output: returns<SecuritySettings>(),
    permission: view('settings'),
  },
  'settings.security.update': {
    input: SecuritySettings,
    output: returns<SecuritySettings>(),
    permission: edit('settings'),
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
  'maintenance.changed': { payload: returns<{ deviceId: number }>(), permission: view('maintenance') },
  'shutdowns.changed': { payload: returns<{ deviceId: number }>(), permission: view('shutdowns') },
  'exports.finished': { payload: returns<ExportStatus>(), permission: view('exports') },
  'users.changed': { payload: returns<{ ids: number[] }>(), permission: view('users') },
  'devices.statusChanged': {
    payload: returns<{ deviceId: number; areaId: number; from: DeviceStatus; to: DeviceStatus; at: number }>(),
    permission: view('devices'),
  },
  'monitor.sweepFinished': { payload: returns<SweepView>(), permission: view('dashboard') },
  'settings.changed': { payload: returns<{ keys: string[] }>(), permission: view('settings') },
} as const satisfies EventMap;

export type Channels = typeof channels;
export type Events = typeof events;
export type ChannelName = keyof Channels;
export type EventName = keyof Events;
