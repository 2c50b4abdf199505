import type { Area, AreaFields } from '../../../../src-shared/domain/area';
import type { Device, DeviceFields, DeviceFilter, DeviceSort } from '../../../../src-shared/domain/device';
import type { NewAuditEntry } from '../../../../src-shared/domain/audit';
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
  /**
   * Creates every device of a CSV import in one transaction, in the order
   * given (parents first), with one audit entry for the whole import: all of
   * them, or — on any clash, such as a name taken meanwhile — none.
   */
  importDevices(devices: readonly ImportedDevice[], audit: (created: number) => NewAuditEntry): Promise<number>;
}

/** A device to create, its parent an existing device or one created earlier in the same import. */
export interface ImportedDevice {
  readonly fields: Omit<DeviceFields, 'parentId'>;
  readonly parent: { readonly id: number } | { readonly index: number } | null;
}

/** Named JSON values, each checked against its zod schema by core when read or written. */
export interface SettingsStore {
  getSetting(key: string): Promise<unknown>;
  setSetting(key: string, value: unknown, audit?: AuditWrite<unknown>): Promise<void>;
}
