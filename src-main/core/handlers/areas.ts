import type { HandlersFor } from '../contract/server';
import { notFound } from '../errors';
import type { HandlerContext } from './context';
import { requireInScope, requireUnscoped } from './scope';

export function areaHandlers({ store, emit, audit }: HandlerContext): HandlersFor<'areas'> {
  return {
    'areas.list': async (_input, { session }) => {
      const areas = await store.listAreas();
      return session.allowedAreaIds === null ? areas : areas.filter((a) => session.allowedAreaIds!.includes(a.id));
    },
    'areas.create': async (fields, { session }) => {
      requireUnscoped(session, 'creating an area');
      const area = await store.createArea(fields);
      await audit(session, { action: 'create', entity: 'area', entityId: area.id, after: area });
      emit('areas.changed', { ids: [area.id] }, { areaIds: [area.id] });
      return area;
    },
    'areas.update': async ({ id, ...fields }, { session }) => {
      requireInScope(session, id, `area ${id}`);
      const before = await store.getArea(id);
      if (!before) throw notFound(`area ${id}`);
      const area = await store.updateArea(id, fields);
      await audit(session, { action: 'update', entity: 'area', entityId: id, before, after: area });
      emit('areas.changed', { ids: [id] }, { areaIds: [id] });
      return area;
    },
    'areas.delete': async ({ id }, { session }) => {
      requireInScope(session, id, `area ${id}`);
      const before = await store.getArea(id);
      await store.deleteArea(id);
      await audit(session, { action: 'delete', entity: 'area', entityId: id, before });
      emit('areas.changed', { ids: [id] }, { areaIds: [id] });
      return { id };
    },
  };
}
