import type { HandlersFor } from '../contract/server';
import { notFound } from '../errors';
import type { HandlerContext } from './context';
import { requireInScope, requireTargetArea, scopedDeviceQuery } from './scope';

export function deviceHandlers({
  store,
  emit,
  audit,
}: HandlerContext): Omit<HandlersFor<'devices'>, 'devices.detail' | 'devices.pingNow'> {
  // A device's count is part of its area's row, so area screens refresh too.
  const changed = (id: number, areaIds: number[]) => {
    emit('devices.changed', { ids: [id] }, { areaIds });
    emit('areas.changed', { ids: areaIds }, { areaIds });
  };
  return {
    'devices.list': async (filter, { session }) => {
      const query = scopedDeviceQuery(session, filter);
      return query ? store.listDevices(query) : [];
    },
    'devices.get': async ({ id }, { session }) => {
      const device = await store.getDevice(id);
      if (!device) throw notFound(`device ${id}`);
      requireInScope(session, device.areaId, `device ${id}`);
      return device;
    },
    'devices.create': async (fields, { session }) => {
      requireTargetArea(session, fields.areaId);
      const device = await store.createDevice(fields);
      await audit(session, { action: 'create', entity: 'device', entityId: device.id, after: device });
      changed(device.id, [device.areaId]);
      return device;
    },
    'devices.update': async ({ id, ...fields }, { session }) => {
      const before = await store.getDevice(id);
      if (!before) throw notFound(`device ${id}`);
      requireInScope(session, before.areaId, `device ${id}`);
      requireTargetArea(session, fields.areaId);
      const device = await store.updateDevice(id, fields);
      await audit(session, { action: 'update', entity: 'device', entityId: id, before, after: device });
      changed(id, [...new Set([before.areaId, device.areaId])]);
      return device;
    },
    'devices.delete': async ({ id }, { session }) => {
      const before = await store.getDevice(id);
      if (!before) throw notFound(`device ${id}`);
      requireInScope(session, before.areaId, `device ${id}`);
      await store.deleteDevice(id);
      await audit(session, { action: 'delete', entity: 'device', entityId: id, before });
      changed(id, [before.areaId]);
      return { id };
    },
  };
}
