import type { Area, AreaFields } from '../../../../src-shared/domain/area';
import type { Device, DeviceFields, DeviceFilter, DeviceSort } from '../../../../src-shared/domain/device';
import type { AuditWrite } from '../../audit';

/** A device filter from the contract, plus the areas a scoped session may see. */
export type DeviceQuery = DeviceFilter & { readonly areaIds?: readonly number[] };

/** One page of a device list, sorted, with the number of devices the filter matches. */
export interface DevicePageQuery extends DeviceQuery {
  readonly sort: DeviceSort;
  readonly offset: number;
  readonly limit: number;
}

/**
 * Areas and devices: what is watched, and where. Every change takes the audit
 * entry to write with it, in the same transaction.
 */
export interface CatalogStore {
  listAreas(): Promise<Area[]>;
  getArea(id: number): Promise<Area | undefined>;
  createArea(fields: AreaFields, audit: AuditWrite<Area>): Promise<Area>;
  updateArea(id: number, fields: AreaFields, audit: AuditWrite<Area>): Promise<Area>;
  /** Refused with a conflict while the area still has devices. */
  deleteArea(id: number, audit: AuditWrite<Area>): Promise<void>;

  /** Every matching device, by area code and name (selects, exports); a screen pages with `pageDevices`. */
  listDevices(filter: DeviceQuery): Promise<Device[]>;
  pageDevices(query: DevicePageQuery): Promise<{ total: number; rows: Device[] }>;
  getDevice(id: number): Promise<Device | undefined>;
  /** A new device is PENDING until its first probe. */
  createDevice(fields: DeviceFields, audit: AuditWrite<Device>): Promise<Device>;
  updateDevice(id: number, fields: DeviceFields, audit: AuditWrite<Device>): Promise<Device>;
  deleteDevice(id: number, audit: AuditWrite<Device>): Promise<void>;
}

/** Named JSON values, each checked against its zod schema by core when read or written. */
export interface SettingsStore {
  getSetting(key: string): Promise<unknown>;
  setSetting(key: string, value: unknown, audit?: AuditWrite<unknown>): Promise<void>;
}
