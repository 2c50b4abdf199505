import type { HandlersFor } from '../contract/server';
import type { Session } from '../contract/session';
import { notFound } from '../errors';
import type { HandlerContext } from './context';
import { requireInScope, scopedArea } from './scope';

/** The device of a workflow step, checked against the caller's areas. */
async function deviceInScope(context: HandlerContext, session: Session, deviceId: number) {
  const device = await context.store.getDevice(deviceId);
  if (!device) throw notFound(`device ${deviceId}`);
  requireInScope(session, device.areaId, `device ${deviceId}`);
  return device;
}

export function workflowHandlers(
  context: HandlerContext,
): HandlersFor<'maintenance'> & HandlersFor<'shutdowns'> & HandlersFor<'history'> {
  const { store, workflows, emit } = context;
  /** After a step: status-change event for the live screens, list refreshes for the workflow screens. */
  const announce = async (deviceId: number, list: 'maintenance.changed' | 'shutdowns.changed') => {
    const device = await store.getDevice(deviceId);
    if (!device) return;
    const [change] = await store.recentStatusChanges({ deviceId, limit: 1 });
    if (change && change.at === device.statusSince) {
      const batch = { changes: [{ deviceId, areaId: device.areaId, from: change.from, to: change.to, at: change.at }] };
      emit('devices.statusChanged', batch, { areaIds: [device.areaId] });
    }
    emit(list, { deviceId }, { areaIds: [device.areaId] });
  };
  return {
    'maintenance.list': ({ areaId, ...filter }, { session }) =>
      store.listMaintenanceCases({ ...filter, ...scopedArea(session, areaId) }),
    'maintenance.open': async (input, { session }) => {
      await deviceInScope(context, session, input.deviceId);
      const opened = await workflows.openMaintenance(session, input);
      await announce(input.deviceId, 'maintenance.changed');
      return opened;
    },
    'maintenance.close': async (input, { session }) => {
      const before = await store.getMaintenanceCase(input.caseId);
      if (!before) throw notFound(`maintenance case ${input.caseId}`);
      requireInScope(session, before.areaId, `maintenance case ${input.caseId}`);
      const closed = await workflows.closeMaintenance(session, input);
      await announce(closed.deviceId, 'maintenance.changed');
      return closed;
    },
    'shutdowns.list': ({ areaId, ...filter }, { session }) =>
      store.listShutdownRequests({ ...filter, ...scopedArea(session, areaId) }),
    'shutdowns.request': async (input, { session }) => {
      await deviceInScope(context, session, input.deviceId);
      const request = await workflows.requestShutdown(session, input);
      await announce(input.deviceId, 'shutdowns.changed');
      return request;
    },
    'shutdowns.decide': async (input, { session }) => {
      const before = await store.getShutdownRequest(input.id);
      if (!before) throw notFound(`shutdown request ${input.id}`);
      requireInScope(session, before.areaId, `shutdown request ${input.id}`);
      const after = await workflows.decideShutdown(session, input);
      await announce(after.deviceId, 'shutdowns.changed');
      return after;
    },
    'history.list': async ({ areaId, category, type, ...filter }, { session }) => {
      const scope = { ...filter, ...scopedArea(session, areaId) };
      const [changes, cases, requests] = await Promise.all([
        store.listStatusChanges({ ...scope, ...(type ? { type } : {}) }),
        store.listMaintenanceCases({ ...scope, ...(category ? { category } : {}) }),
        store.listShutdownRequests(scope),
      ]);
      // The type filter applies to devices; cases and requests carry no type of their own, so narrow them by device.
      if (!type) return { changes, cases, requests };
      const ofType = new Set(
        (await store.listDevices({ type, ...(scope.areaIds ? { areaIds: scope.areaIds } : {}) })).map((d) => d.id),
      );
      return {
        changes,
        cases: cases.filter((c) => ofType.has(c.deviceId)),
        requests: requests.filter((r) => ofType.has(r.deviceId)),
      };
    },
  };
}
