import { z } from 'zod';
import { AreaInput } from '../domain/area';
import type { Area } from '../domain/area';
import { DeviceFilter, DeviceInput, DevicePageInput } from '../domain/device';
import type { Device, DevicePage } from '../domain/device';
import { DEVICE_CONTEXTS, DEVICE_TYPES } from '../domain/device';
import type {
  DailyUptime,
  Outage,
  ProbeOutcome,
  Problem,
  RttPoint,
  StatusChange,
  StatusChangeBatch,
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
import { AUDIT_ACTION_NAMES, AUDIT_ENTITIES } from '../domain/audit';
import type { AuditAction, AuditEntry } from '../domain/audit';
import type { User } from '../domain/users';
import { MAINTENANCE_CATEGORIES } from '../domain/workflow';
import { BiExportSettings } from '../domain/bi';
import type { ExportResult } from '../domain/bi';
import type { MaintenanceCase, ShutdownRequest, ShutdownStatus } from '../domain/workflow';
import type { StatusChange as HistoryChange } from '../domain/monitoring';
import type { UptimeFigures, StateTotals } from '../domain/uptime';
import type { AgentHeartbeatPoint, AgentView, IssuedAgentKey } from '../domain/agents';
import { alarmChannels, alarmEvents } from './alarm-channels';
import { setupChannels } from './setup-channels';
import { deviceCsvChannels } from './device-csv-channels';
import { cameraChannels } from './camera-channels';
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

/** A login's answer: the user, and a token this client can resume the session with after its connection drops. */
export interface SignedIn {
  readonly user: User;
  readonly resumeToken: string;
}

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

/** Where agents reach this central, for the enrolment steps. */
export interface AgentListenerInfo {
  /** Null when this instance runs no listener (a console, or the listener switched off). */
  readonly url: string | null;
  readonly fingerprint: string | null;
  readonly plainHttp: boolean;
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
  /** A new area widens every unscoped user's view: only those may create one. */
  'areas.create': { input: AreaInput.strict(), output: returns<Area>(), permission: edit('areas', 'unscoped') },
  'areas.update': { input: AreaInput.extend(Id.shape).strict(), output: returns<Area>(), permission: edit('areas') },
  'areas.delete': { input: Id, output: returns<{ id: number }>(), permission: edit('areas') },

  /** Every matching device (pickers, small lists); a screen of thousands pages with devices.page. */
  'devices.list': { input: DeviceFilter, output: returns<Device[]>(), permission: view('devices') },
  'devices.page': { input: DevicePageInput, output: returns<DevicePage>(), permission: view('devices') },
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
  /** What is down now, longest first. */
  'dashboard.problems': {
    input: AreaScope.extend({ limit: z.number().int().min(1).max(500).default(100) }),
    output: returns<{ total: number; problems: Problem[] }>(),
    permission: view('dashboard'),
  },
  'dashboard.recentChanges': {
    input: AreaScope.extend({ limit: z.number().int().min(1).max(200).default(20) }),
    output: returns<StatusChange[]>(),
    permission: view('dashboard'),
  },
  /** Shown on the dashboard and beside the monitor settings it depends on. */
  'dashboard.sweepHealth': {
    input: z.object({}).strict(),
    output: returns<SweepHealth>(),
    permission: [view('dashboard'), view('settings', 'unscoped')],
  },
  'dashboard.dailyUptime': {
    input: AreaScope.extend({ days: z.number().int().min(1).max(92).default(30) }),
    /** Days are cut in `timeZone`: the area's, or for several areas their common zone; `mixedZones` when they differ. */
    output: returns<{ timeZone: string; mixedZones: boolean; days: DailyUptime[] }>(),
    permission: view('dashboard'),
  },
  'dashboard.outages': {
    input: AreaScope.extend({
      days: z.number().int().min(1).max(92).default(30),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    /** The outages within [from, to), newest first. */
    output: returns<{ from: number; to: number; outages: Outage[] }>(),
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
    output: returns<SignedIn>(),
    permission: 'public',
  },
  'auth.login': {
    input: z.object({ username: Username, password: Password }).strict(),
    output: returns<SignedIn>(),
    permission: 'public',
  },
  /** A client whose connection dropped (a restart of the central) takes its session back with the token of its login. */
  'auth.resume': {
    input: z.object({ token: z.string().min(20).max(200) }).strict(),
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
  /** Ends every other session of the user; this one goes on with a new token. */
  'auth.changePassword': {
    input: z.object({ current: Password, next: Password }).strict(),
    output: returns<SignedIn>(),
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
  /**
   * The audit trail belongs with the accounts it is about: whoever may see the
   * users may read it, a scoped reader only the entries about its areas.
   */
  'audit.list': {
    input: z
      .object({
        from: Instant.optional(),
        to: Instant.optional(),
        userId: z.number().int().positive().optional(),
        entity: z.enum(AUDIT_ENTITIES).optional(),
        action: z.enum(AUDIT_ACTION_NAMES as [AuditAction, ...AuditAction[]]).optional(),
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

  /* The export holds every area, and settings are global: only users who see every area may use them. */
  'exports.status': {
    input: z.object({}).strict(),
    output: returns<ExportStatus>(),
    permission: view('exports', 'unscoped'),
  },
  /** Writes the files now, to the configured folder (a folder of the caller's choosing is the desktop menu's). */
  'exports.run': {
    input: z.object({}).strict(),
    output: returns<ExportResult>(),
    permission: edit('exports', 'unscoped'),
  },
  'settings.exports.get': {
    input: z.object({}).strict(),
    output: returns<BiExportSettings>(),
    permission: view('settings', 'unscoped'),
  },
  'settings.exports.update': {
    input: BiExportSettings,
    output: returns<BiExportSettings>(),
    permission: edit('settings', 'unscoped'),
  },

  'settings.security.get': {
    input: z.object({}).strict(),
    output: returns<SecuritySettings>(),
    permission: view('settings', 'unscoped'),
  },
  'settings.security.update': {
    input: SecuritySettings,
    output: returns<SecuritySettings>(),
    permission: edit('settings', 'unscoped'),
  },
  'settings.monitor.get': {
    input: z.object({}).strict(),
    output: returns<MonitorSettings>(),
    permission: view('settings', 'unscoped'),
  },
  'settings.monitor.update': {
    input: MonitorSettings,
    output: returns<MonitorSettings>(),
    permission: edit('settings', 'unscoped'),
  },

  /**
   * Every operator must see that an area's agent fell silent, whatever screen
   * it may open: the link of the agents of the caller's areas.
   */
  'agents.list': { input: z.object({}).strict(), output: returns<AgentView[]>(), permission: 'authenticated' },
  'agents.heartbeats': {
    input: z
      .object({ areaId: z.number().int().positive(), hours: z.number().int().min(1).max(168).default(24) })
      .strict(),
    output: returns<AgentHeartbeatPoint[]>(),
    permission: view('agents'),
  },
  'agents.listener': { input: z.object({}).strict(), output: returns<AgentListenerInfo>(), permission: view('agents') },
  /**
   * A key for the area's agent, shown once: the first (`replacing` null) or a
   * rotation of the key the caller saw, which stops working at once.
   */
  'agents.issueKey': {
    input: z
      .object({
        areaId: z.number().int().positive(),
        replacing: z
          .string()
          .regex(/^[a-z0-9]{10}$/)
          .nullable(),
      })
      .strict(),
    output: returns<IssuedAgentKey>(),
    permission: edit('agents', 'admin'),
  },
  'agents.revokeKey': {
    input: z.object({ areaId: z.number().int().positive(), keyPrefix: z.string().regex(/^[a-z0-9]{10}$/) }).strict(),
    output: returns<{ areaId: number }>(),
    permission: edit('agents', 'admin'),
  },
  ...alarmChannels,
  ...setupChannels,
  ...deviceCsvChannels,
  ...cameraChannels,
} as const satisfies ChannelMap;

/** Everything main pushes. Screens subscribe instead of polling. */
export const events = {
  /* Area pickers on every screen follow area changes, whoever may open the Areas screen. */
  'areas.changed': { payload: returns<{ ids: number[] }>(), permission: 'authenticated' },
  'devices.changed': { payload: returns<{ ids: number[] }>(), permission: [view('devices'), view('dashboard')] },
  'maintenance.changed': { payload: returns<{ deviceId: number }>(), permission: [view('maintenance')] },
  'shutdowns.changed': { payload: returns<{ deviceId: number }>(), permission: [view('shutdowns')] },
  'exports.finished': { payload: returns<ExportStatus>(), permission: [view('exports', 'unscoped')] },
  'users.changed': { payload: returns<{ ids: number[] }>(), permission: [view('users')] },
  /** Every status change of one sweep (or one workflow step) in one event, never one event per device. */
  'devices.statusChanged': {
    payload: returns<StatusChangeBatch>(),
    permission: [view('dashboard'), view('devices'), view('history')],
  },
  'monitor.sweepFinished': { payload: returns<SweepView>(), permission: [view('dashboard'), view('settings')] },
  'settings.changed': { payload: returns<{ keys: string[] }>(), permission: 'authenticated' },
  /** An area's agent changed link (online, late, down: the central took over) or key. */
  'agents.changed': { payload: returns<{ areaIds: number[] }>(), permission: 'authenticated' },
  /** This connection's own session changed (rights narrowed, account deactivated): ask auth.status again. */
  'auth.changed': { payload: returns<{ signedOut: boolean }>(), permission: 'authenticated' },
  ...alarmEvents,
} as const satisfies EventMap;

export type Channels = typeof channels;
export type Events = typeof events;
export type ChannelName = keyof Channels;
export type EventName = keyof Events;
