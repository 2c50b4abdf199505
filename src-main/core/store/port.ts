import type { Area, AreaFields } from '../../../src-shared/domain/area';
import type { Device, DeviceFields, DeviceFilter } from '../../../src-shared/domain/device';

/**
 * The one persistence port. Core code talks only to this; each dialect has an
 * adapter that passes tests/contract/store-contract.ts. Every method is async
 * because the SQL Server driver is; the SQLite adapter simply resolves at once.
 *
 * Errors: a duplicate throws a `conflict` DomainError naming the field, a
 * missing row a `not_found` one, so callers never parse driver messages.
 */
export interface Store {
  listAreas(): Promise<Area[]>;
  getArea(id: number): Promise<Area | undefined>;
  createArea(fields: AreaFields): Promise<Area>;
  updateArea(id: number, fields: AreaFields): Promise<Area>;
  /** Refused with a conflict while the area still has devices. */
  deleteArea(id: number): Promise<void>;

  listDevices(filter: DeviceFilter): Promise<Device[]>;
  getDevice(id: number): Promise<Device | undefined>;
  createDevice(fields: DeviceFields): Promise<Device>;
  updateDevice(id: number, fields: DeviceFields): Promise<Device>;
  deleteDevice(id: number): Promise<void>;

  getSetting(key: string): Promise<unknown>;
  setSetting(key: string, value: unknown): Promise<void>;

  close(): Promise<void>;
}

/** Wall-clock source; injected so tests can run a day or a month in milliseconds. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
