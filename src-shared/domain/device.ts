import { z } from 'zod';
import { isDeviceHost } from './host';
import { DEVICE_STATUSES } from './status';
import type { DeviceStatus } from './status';
import type { Problem } from './monitoring';

export const DEVICE_TYPES = ['camera', 'access_control'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

/** RFB devices belong to the federal revenue perimeter and are reported apart. */
export const DEVICE_CONTEXTS = ['rfb', 'normal'] as const;
export type DeviceContext = (typeof DEVICE_CONTEXTS)[number];

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: 'too_long' })
    .optional()
    .transform((v) => v ?? '');

export const DeviceInput = z.object({
  name: z.string({ error: 'required' }).trim().min(1, { error: 'required' }).max(100, { error: 'too_long' }),
  type: z.enum(DEVICE_TYPES, { error: 'invalid_choice' }),
  context: z.enum(DEVICE_CONTEXTS, { error: 'invalid_choice' }),
  host: z
    .string({ error: 'required' })
    .trim()
    .min(1, { error: 'required' })
    .max(253, { error: 'too_long' })
    .refine(isDeviceHost, { error: 'invalid_host' }),
  areaId: z.number({ error: 'required' }).int({ error: 'invalid' }).positive({ error: 'required' }),
  location: optionalText(200),
  notes: optionalText(2000),
  /** The switch, uplink or recorder the device is reached through, in the same area; null: none. */
  parentId: z
    .number({ error: 'invalid' })
    .int({ error: 'invalid' })
    .positive({ error: 'invalid' })
    .nullable()
    .optional()
    .transform((v) => v ?? null),
});
export type DeviceInput = z.input<typeof DeviceInput>;
/** What the store takes; tools and tests that know of no parent may leave it out (kept as it is on update). */
export type DeviceFields = Omit<z.output<typeof DeviceInput>, 'parentId'> & { readonly parentId?: number | null };

export const DeviceFilter = z
  .object({
    areaId: z.number().int().positive().optional(),
    type: z.enum(DEVICE_TYPES).optional(),
    context: z.enum(DEVICE_CONTEXTS).optional(),
    text: z.string().trim().max(200, { error: 'too_long' }).optional(),
    status: z.enum(DEVICE_STATUSES).optional(),
  })
  .strict();
export type DeviceFilter = z.output<typeof DeviceFilter>;

/**
 * How a device list is ordered: by area and name; by status, what needs
 * attention first and the longest in it first; or by time in the current
 * status, longest first.
 */
export const DEVICE_SORTS = ['name', 'status', 'duration'] as const;
export type DeviceSort = (typeof DEVICE_SORTS)[number];

/** A page of the device list: a screen never holds ten thousand rows at once. */
export const DevicePageInput = DeviceFilter.extend({
  sort: z.enum(DEVICE_SORTS).default('name'),
  offset: z.number().int().min(0).max(1_000_000).default(0),
  limit: z.number().int().min(1).max(500).default(100),
}).strict();
export type DevicePageInput = z.input<typeof DevicePageInput>;

export interface DevicePage {
  readonly total: number;
  readonly offset: number;
  readonly rows: Device[];
}

export interface Device {
  readonly id: number;
  readonly name: string;
  readonly type: DeviceType;
  readonly context: DeviceContext;
  readonly host: string;
  readonly areaId: number;
  readonly areaCode: string;
  readonly location: string;
  readonly notes: string;
  readonly status: DeviceStatus;
  readonly statusSince: number;
  readonly parentId: number | null;
  readonly parentName: string | null;
  readonly parentStatus: DeviceStatus | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/**
 * Down because what it is reached through is down: shown as "unreachable —
 * parent down", raising no alarm of its own; its accounting is unchanged.
 */
export function isBehindDownParent(device: Pick<Device, 'status' | 'parentStatus'>): boolean {
  return device.status === 'OFFLINE' && device.parentStatus === 'OFFLINE';
}

/** A device that is down, as the problems lists show it. */
export function problemOf(device: Device): Problem {
  return {
    deviceId: device.id,
    deviceName: device.name,
    areaId: device.areaId,
    areaCode: device.areaCode,
    status: device.status,
    since: device.statusSince,
    behindDownParent: isBehindDownParent(device),
  };
}
