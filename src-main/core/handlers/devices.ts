import { subjectOf } from '../audit';
import type { HandlersFor } from '../contract/server';
import { notFound } from '../errors';
import type { HandlerContext } from './context';
import { checkParent } from './device-parent';
import { requireInScope, requireTargetArea, scopedDeviceQuery } from './scope';

export function deviceHandlers({
  store,
  emit,
  auditor,
}: HandlerContext): Omit<
  HandlersFor<'devices'>,
  'devices.detail' | 'devices.pingNow' | 'devices.csvPreview' | 'devices.csvImport' | 'devices.csvExport'
> {
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
    'devices.page': async ({ sort, offset, limit, ...filter }, { session }) => {
      const query = scopedDeviceQuery(session, filter);
      if (!query) return { total: 0, offset, rows: [] };
      const page = await store.pageDevices({ ...query, sort, offset, limit });
      return { ...page, offset };
    },
    'devices.get': async ({ id }, { session }) => {
      const device = await store.getDevice(id);
      if (!device) throw notFound(`device ${id}`);
      requireInScope(session, device.areaId, `device ${id}`);
      return device;
    },
    'devices.create': async (fields, { session }) => {
      requireTargetArea(session, fields.areaId);
      await checkParent(store, null, fields);
      const device = await store.createDevice(fields, auditor.change(session, 'device.create', subjectOf.device));
      changed(device.id, [device.areaId]);
      return device;
    },
    'devices.update': async ({ id, ...fields }, { session }) => {
      const before = await store.getDevice(id);
      if (!before) throw notFound(`device ${id}`);
      requireInScope(session, before.areaId, `device ${id}`);
      requireTargetArea(session, fields.areaId);
      await checkParent(store, id, fields);
      const device = await store.updateDevice(id, fields, auditor.change(session, 'device.update', subjectOf.device));
      changed(id, [...new Set([before.areaId, device.areaId])]);
      return device;
    },
    'devices.delete': async ({ id }, { session }) => {
      const before = await store.getDevice(id);
      if (!before) throw notFound(`device ${id}`);
      requireInScope(session, before.areaId, `device ${id}`);
      await store.deleteDevice(id, auditor.change(session, 'device.delete', subjectOf.device));
      changed(id, [before.areaId]);
      return { id };
    },
  };
}
