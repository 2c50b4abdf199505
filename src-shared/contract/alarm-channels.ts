import { z } from 'zod';
import { DeliverySettingsInput, isEmailAddress } from '../domain/alarm-delivery';
import type { AlarmDelivery, DeliverySettingsView, SmtpTestResult } from '../domain/alarm-delivery';
import { ALARM_NOTE_MAX, AlarmSettings, SHIFT_NOTE_MAX } from '../domain/alarms';
import type { Alarm, AlarmBoard, AlarmMember, ShiftNote } from '../domain/alarms';
import type { Problem } from '../domain/monitoring';
import { edit, view } from '../domain/permissions';
import type { MaintenanceCase } from '../domain/workflow';
import { returns } from './define';
import type { ChannelMap, EventMap } from './define';

const Id = z.object({ id: z.number({ error: 'required' }).int().positive() }).strict();
const Empty = z.object({}).strict();

/** What the outgoing shift hands over: what is down, the open alarms and cases, and the notes. */
export interface Handover {
  readonly at: number;
  readonly down: Problem[];
  readonly alarms: Alarm[];
  readonly cases: MaintenanceCase[];
  readonly notes: ShiftNote[];
}

/** The alarm desk, its deliveries, its settings and the shift log (DESIGN.md §5b). */
export const alarmChannels = {
  /**
   * Every screen's alarm bar and the alarm list: whoever is logged in sees the
   * alarms of its areas (and the installation-wide ones); a wall display asks for one area.
   */
  'alarms.board': {
    input: z.object({ areaId: z.number().int().positive().optional() }).strict(),
    output: returns<AlarmBoard>(),
    permission: 'authenticated',
  },
  /** The devices down under an area alarm. */
  'alarms.members': { input: Id, output: returns<AlarmMember[]>(), permission: 'authenticated' },
  'alarms.acknowledge': {
    input: z
      .object({
        id: z.number({ error: 'required' }).int().positive(),
        note: z.string().trim().max(ALARM_NOTE_MAX, { error: 'too_long' }).optional(),
      })
      .strict(),
    output: returns<Alarm>(),
    permission: edit('alarms'),
  },
  /** Every alarm, cleared ones included, newest first. */
  'alarms.history': {
    input: z.object({ limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    output: returns<Alarm[]>(),
    permission: view('alarms'),
  },
  'alarms.deliveries': {
    input: z.object({ limit: z.number().int().min(1).max(1000).default(100) }).strict(),
    output: returns<AlarmDelivery[]>(),
    permission: view('alarms'),
  },

  'shift.notes': {
    input: z.object({ hours: z.number().int().min(1).max(720).default(24) }).strict(),
    output: returns<ShiftNote[]>(),
    permission: view('alarms'),
  },
  'shift.addNote': {
    input: z
      .object({
        text: z
          .string({ error: 'required' })
          .trim()
          .min(1, { error: 'required' })
          .max(SHIFT_NOTE_MAX, { error: 'too_long' }),
      })
      .strict(),
    output: returns<ShiftNote>(),
    permission: edit('alarms'),
  },
  'shift.handover': { input: Empty, output: returns<Handover>(), permission: view('alarms') },

  'settings.alarms.get': { input: Empty, output: returns<AlarmSettings>(), permission: view('settings', 'unscoped') },
  'settings.alarms.update': {
    input: AlarmSettings,
    output: returns<AlarmSettings>(),
    permission: edit('settings', 'unscoped'),
  },
  'settings.delivery.get': {
    input: Empty,
    output: returns<DeliverySettingsView>(),
    permission: view('settings', 'unscoped'),
  },
  'settings.delivery.update': {
    input: DeliverySettingsInput,
    output: returns<DeliverySettingsView>(),
    permission: edit('settings', 'unscoped'),
  },
  /** Connects, logs in and sends one message with the SMTP settings as typed (the stored password if none is typed). */
  'settings.delivery.testSmtp': {
    input: z
      .object({
        smtp: DeliverySettingsInput.shape.smtp,
        to: z.string({ error: 'required' }).trim().refine(isEmailAddress, { error: 'invalid_email' }),
      })
      .strict(),
    output: returns<SmtpTestResult>(),
    permission: edit('settings', 'unscoped'),
  },
} as const satisfies ChannelMap;

export const alarmEvents = {
  /** The desk changed (opened, cleared, acknowledged): every screen asks for its own scoped board again. */
  'alarms.changed': { payload: returns<Record<string, never>>(), permission: 'authenticated' },
  'alarms.deliveriesChanged': { payload: returns<Record<string, never>>(), permission: [view('alarms')] },
  'shift.changed': { payload: returns<Record<string, never>>(), permission: [view('alarms')] },
  /** The desktop app's tray muted or unmuted this workstation's alarm sound. */
  'alarms.muteRequested': { payload: returns<{ muted: boolean }>(), permission: 'authenticated' },
} as const satisfies EventMap;
