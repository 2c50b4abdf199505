import type { Area, AreaFields } from '../../../../src-shared/domain/area';
import type { Device, DeviceFields, DeviceFilter } from '../../../../src-shared/domain/device';

/** A device filter from the contract, plus the areas a scoped session may see. */
export type DeviceQuery = DeviceFilter & { readonly areaIds?: readonly number[] };

/** Areas and devices: what is watched, and where. */
export interface CatalogStore {
  listAreas(): Promise<Area[]>;
  getArea(id: number): Promise<Area | undefined>;
  createArea(fields: AreaFields): Promise<Area>;
  updateArea(id: number, fields: AreaFields): Promise<Area>;
  /** Refused with a conflict while the area still has devices. */
  deleteArea(id: number): Promise<void>;

  listDevices(filter: DeviceQuery): Promise<Device[]>;
  getDevice(id: number): Promise<Device | undefined>;
  createDevice(fields: DeviceFields): Promise<Device>;
  updateDevice(id: number, fields: DeviceFields): Promise<Device>;
  deleteDevice(id: number): Promise<void>;
}

/** Named JSON values, each checked against its zod schema by core when read or written. */
export interface SettingsStore {
  getSetting(key: string): Promise<unknown>;
  setSetting(key: string, value: unknown): Promise<void>;
}
