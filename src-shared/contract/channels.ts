import { z } from 'zod';
import { AreaInput } from '../domain/area';
import type { Area } from '../domain/area';
import { DeviceFilter, DeviceInput } from '../domain/device';
import type { Device } from '../domain/device';
import { edit, view } from '../domain/permissions';
import { returns } from './define';
import type { ChannelMap, EventMap } from './define';

const Id = z.object({ id: z.number({ error: 'required' }).int().positive() }).strict();

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
} as const satisfies ChannelMap;

/** Everything main pushes. Screens subscribe instead of polling. */
export const events = {
  'areas.changed': { payload: returns<{ ids: number[] }>(), permission: view('areas') },
  'devices.changed': { payload: returns<{ ids: number[] }>(), permission: view('devices') },
} as const satisfies EventMap;

export type Channels = typeof channels;
export type Events = typeof events;
export type ChannelName = keyof Channels;
export type EventName = keyof Events;
