import { subjectOf } from '../audit';
import type { HandlersFor } from '../contract/server';
import type { HandlerContext } from './context';
import { requireInScope } from './scope';

export function areaHandlers({ store, emit, auditor }: HandlerContext): HandlersFor<'areas'> {
  return {
    'areas.list': async (_input, { session }) => {
      const areas = await store.listAreas();
      return session.allowedAreaIds === null ? areas : areas.filter((a) => session.allowedAreaIds!.includes(a.id));
    },
    'areas.create': async (fields, { session }) => {
      const area = await store.createArea(fields, auditor.change(session, 'area.create', subjectOf.area));
      emit('areas.changed', { ids: [area.id] }, { areaIds: [area.id] });
      return area;
    },
    'areas.update': async ({ id, ...fields }, { session }) => {
      requireInScope(session, id, `area ${id}`);
      const area = await store.updateArea(id, fields, auditor.change(session, 'area.update', subjectOf.area));
      emit('areas.changed', { ids: [id] }, { areaIds: [id] });
      return area;
    },
    'areas.delete': async ({ id }, { session }) => {
      requireInScope(session, id, `area ${id}`);
      await store.deleteArea(id, auditor.change(session, 'area.delete', subjectOf.area));
      emit('areas.changed', { ids: [id] }, { areaIds: [id] });
      return { id };
    },
  };
}
