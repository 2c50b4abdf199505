import { problemOf } from '../../../src-shared/domain/device';
import { subjectOf } from '../audit';
import type { HandlersFor } from '../contract/server';
import { inScope } from '../contract/server';
import { DomainError, notFound } from '../errors';
import type { HandlerContext } from './context';
import { requireInScope, scopedArea } from './scope';

const HOUR = 3_600_000;

/** An acknowledgement or a note is signed: the built-in administrator of tools and tests has no name to sign with. */
function signer(session: { userId: number | null }): number {
  if (session.userId === null) throw new DomainError('forbidden', 'this needs a named account');
  return session.userId;
}

export function alarmHandlers({ store, settings, auditor, clock, emit }: HandlerContext): HandlersFor<'alarms'> {
  const scopeOf = (session: { allowedAreaIds: readonly number[] | null }) =>
    session.allowedAreaIds === null ? {} : { areaIds: session.allowedAreaIds };
  return {
    'alarms.board': async ({ areaId }, { session }) => {
      const scope = scopedArea(session, areaId);
      const areaIds = scope.areaId !== undefined ? [scope.areaId] : scope.areaIds;
      const alarms = await store.listAlarms({
        desk: { keepUnacknowledged: settings.alarms().keepUnacknowledged },
        limit: 1000,
        ...(areaIds ? { areaIds } : {}),
      });
      return { alarms, unacknowledged: alarms.filter((a) => a.acknowledgedAt === null).length };
    },
    'alarms.members': async ({ id }, { session }) => {
      const alarm = await store.getAlarm(id);
      if (!alarm || (alarm.areaId !== null && !inScope(session, [alarm.areaId]))) throw notFound(`alarm ${id}`);
      if (alarm.kind !== 'area_link_lost' || alarm.areaId === null) return [];
      const down = await store.listDevices({ areaId: alarm.areaId, status: 'OFFLINE' });
      return down.map((d) => ({ deviceId: d.id, deviceName: d.name, host: d.host, statusSince: d.statusSince }));
    },
    'alarms.acknowledge': async ({ id, note }, { session }) => {
      const alarm = await store.getAlarm(id);
      if (!alarm) throw notFound(`alarm ${id}`);
      // Another area's alarm is answered as not found: its existence is not revealed.
      if (alarm.areaId !== null) requireInScope(session, alarm.areaId, `alarm ${id}`);
      const acknowledged = await store.acknowledgeAlarm({
        id,
        userId: signer(session),
        note: note ? note : null,
        at: clock.now(),
        audit: auditor.change(session, 'alarm.acknowledge', subjectOf.alarm),
      });
      emit('alarms.changed', {});
      return acknowledged;
    },
    'alarms.history': ({ limit }, { session }) => store.listAlarms({ limit, ...scopeOf(session) }),
    'alarms.deliveries': ({ limit }, { session }) => store.listDeliveries({ limit, ...scopeOf(session) }),
  };
}

export function shiftHandlers({ store, auditor, clock, emit }: HandlerContext): HandlersFor<'shift'> {
  return {
    'shift.notes': ({ hours }) => store.listShiftNotes({ since: clock.now() - hours * HOUR, limit: 500 }),
    'shift.addNote': async ({ text }, { session }) => {
      const note = await store.addShiftNote({
        userId: signer(session),
        text,
        at: clock.now(),
        audit: auditor.change(session, 'shift.note', subjectOf.shiftNote),
      });
      emit('shift.changed', {});
      return note;
    },
    'shift.handover': async (_input, { session }) => {
      const scope = session.allowedAreaIds === null ? {} : { areaIds: session.allowedAreaIds };
      const [down, alarms, cases, notes] = await Promise.all([
        store.listDevices({ ...scope, status: 'OFFLINE' }),
        store.listAlarms({ desk: { keepUnacknowledged: true }, limit: 1000, ...scope }),
        store.listMaintenanceCases({ ...scope, open: true, limit: 1000 }),
        store.listShiftNotes({ since: clock.now() - 24 * HOUR, limit: 200 }),
      ]);
      return {
        at: clock.now(),
        down: down.sort((a, b) => a.statusSince - b.statusSince).map(problemOf),
        alarms,
        cases,
        notes,
      };
    },
  };
}
