import type { DeviceFields } from '../../../src-shared/domain/device';
import { invalidField } from '../errors';
import type { CatalogStore } from '../store/port';

/** Chains of switches behind switches are short; a longer walk means a loop written before this check. */
const MAX_DEPTH = 64;

/**
 * A parent is a device of the same area (whoever may see the child sees the
 * parent), never the device itself nor one of its own descendants: a loop
 * would let two devices silence each other's alarms for ever.
 */
export async function checkParent(store: CatalogStore, deviceId: number | null, fields: DeviceFields): Promise<void> {
  if (deviceId !== null) await checkChildrenStay(store, deviceId, fields.areaId);
  const parentId = fields.parentId ?? null;
  if (parentId === null) return;
  if (parentId === deviceId)
    throw invalidField('parentId', 'parent_is_self', `device ${deviceId} cannot be its own parent`);
  let cursor = await store.getDevice(parentId);
  if (!cursor) throw invalidField('parentId', 'unknown_parent', `device ${parentId} does not exist`);
  if (cursor.areaId !== fields.areaId) {
    throw invalidField('parentId', 'parent_other_area', `device ${parentId} is in another area`);
  }
  for (let depth = 0; cursor?.parentId != null && depth < MAX_DEPTH; depth++) {
    if (cursor.parentId === deviceId) {
      throw invalidField('parentId', 'parent_cycle', `device ${parentId} is reached through device ${deviceId}`);
    }
    cursor = await store.getDevice(cursor.parentId);
  }
}

/** A device that other devices are reached through stays in their area. */
async function checkChildrenStay(store: CatalogStore, deviceId: number, areaId: number): Promise<void> {
  const before = await store.getDevice(deviceId);
  if (!before || before.areaId === areaId) return;
  const children = (await store.listDevices({ areaId: before.areaId })).filter((d) => d.parentId === deviceId);
  if (children.length > 0) {
    throw invalidField('areaId', 'device_has_children', `${children.length} devices are reached through this one`);
  }
}
