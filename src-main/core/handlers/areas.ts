import type { HandlersFor } from '../contract/server';
import type { HandlerContext } from './context';

export function areaHandlers({ store, emit }: HandlerContext): HandlersFor<'areas'> {
  return {
    'areas.list': () => store.listAreas(),
    'areas.create': async (fields) => {
      const area = await store.createArea(fields);
      emit('areas.changed', { ids: [area.id] });
      return area;
    },
    'areas.update': async ({ id, ...fields }) => {
      const area = await store.updateArea(id, fields);
      emit('areas.changed', { ids: [id] });
      return area;
    },
    'areas.delete': async ({ id }) => {
      await store.deleteArea(id);
      emit('areas.changed', { ids: [id] });
      return { id };
    },
  };
}
