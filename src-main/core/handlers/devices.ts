import { notFound } from '../errors';
import type { HandlersFor } from '../contract/server';
import type { HandlerContext } from './context';

export function deviceHandlers({
  store,
  emit,
}: HandlerContext): Omit<HandlersFor<'devices'>, 'devices.detail' | 'devices.pingNow'> {
  return {
    'devices.list': (filter) => store.listDevices(filter),
    'devices.get': async ({ id }) => {
      const device = await store.getDevice(id);
      if (!device) throw notFound(`device ${id}`);
      return device;
    },
    'devices.create': async (fields) => {
      const device = await store.createDevice(fields);
      // A device count is part of every area row, so area screens refresh too.
      emit('devices.changed', { ids: [device.id] });
      emit('areas.changed', { ids: [device.areaId] });
      return device;
    },
    'devices.update': async ({ id, ...fields }) => {
      const before = await store.getDevice(id);
      const device = await store.updateDevice(id, fields);
      emit('devices.changed', { ids: [id] });
      if (before && before.areaId !== device.areaId) emit('areas.changed', { ids: [before.areaId, device.areaId] });
      return device;
    },
    'devices.delete': async ({ id }) => {
      const before = await store.getDevice(id);
      await store.deleteDevice(id);
      emit('devices.changed', { ids: [id] });
      if (before) emit('areas.changed', { ids: [before.areaId] });
      return { id };
    },
  };
}
