import type { SweepView } from '../../../src-shared/domain/monitoring';
import { resolveTimeline, totalsInSeconds, uptimeFigures } from '../../../src-shared/domain/uptime';
import type { HandlersFor } from '../contract/server';
import type { Session } from '../contract/session';
import { notFound } from '../errors';
import { accountDevice, dailyUptime, localMonthStart, outages, uptimeReport } from '../monitor/accounting';
import type { HandlerContext } from './context';
import { requireInScope, requireUnscoped, scopedArea, scopedDeviceQuery } from './scope';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Sweep counts span every area: a scoped session sees the timing only. */
export function sweepFor(session: Session, sweep: SweepView): SweepView {
  return session.allowedAreaIds === null ? sweep : { ...sweep, devicesProbed: null, failures: null };
}

export function dashboardHandlers({
  store,
  clock,
  settings,
  defaultTimeZone,
  source,
}: HandlerContext): HandlersFor<'dashboard'> {
  const zoneOf = async (areaId: number | undefined) =>
    areaId === undefined ? defaultTimeZone : ((await store.getArea(areaId))?.timeZone ?? defaultTimeZone);
  return {
    'dashboard.counts': ({ areaId }, { session }) => store.statusCounts(scopedArea(session, areaId)),
    'dashboard.recentChanges': ({ areaId, limit }, { session }) =>
      store.recentStatusChanges({ ...scopedArea(session, areaId), limit }),
    'dashboard.sweepHealth': async (_input, { session }) => {
      const now = clock.now();
      const lastHour = await store.listSweeps({ since: now - HOUR, source });
      const last = lastHour.at(-1) ?? (await store.lastSweep(source)) ?? null;
      const unscoped = session.allowedAreaIds === null;
      return {
        last: last && sweepFor(session, last),
        devicesPerSecond:
          unscoped && last && last.durationMs > 0
            ? Math.round((last.devicesProbed / last.durationMs) * 10_000) / 10
            : null,
        overrunsLastHour: lastHour.filter((s) => s.overrunMs > 0).length,
        sweepsLastHour: lastHour.length,
      };
    },
    'dashboard.dailyUptime': async ({ areaId, days }, { session }) => {
      const scope = scopedArea(session, areaId);
      const timeZone = await zoneOf(areaId);
      const rows = await dailyUptime(store, {
        days,
        zone: timeZone,
        now: clock.now(),
        targetPercent: settings.monitor().targetPercent,
        filter: scope,
      });
      return { timeZone, days: rows };
    },
    'dashboard.outages': ({ areaId, days, limit }, { session }) => {
      const now = clock.now();
      return outages(store, { from: now - days * DAY, now, limit, filter: scopedArea(session, areaId) });
    },
  };
}

export function uptimeHandlers({ store, clock, settings }: HandlerContext): HandlersFor<'uptime'> {
  return {
    'uptime.report': async ({ from, to, groupBy, ...filter }, { session }) => {
      const query = scopedDeviceQuery(session, filter);
      if (!query) return [];
      return uptimeReport(store, {
        from,
        to,
        groupBy,
        filter: query,
        targetPercent: settings.monitor().targetPercent,
        now: clock.now(),
      });
    },
  };
}

export function deviceMonitoringHandlers({
  store,
  clock,
  settings,
  prober,
}: HandlerContext): Pick<HandlersFor<'devices'>, 'devices.detail' | 'devices.pingNow'> {
  const deviceInScope = async (id: number, session: Session) => {
    const device = await store.getDevice(id);
    if (!device) throw notFound(`device ${id}`);
    requireInScope(session, device.areaId, `device ${id}`);
    return device;
  };
  return {
    'devices.detail': async ({ id }, { session }) => {
      const device = await deviceInScope(id, session);
      const area = await store.getArea(device.areaId);
      const now = clock.now();
      const monthFrom = localMonthStart(now, area?.timeZone ?? 'UTC');
      const timelineFrom = now - DAY;
      const segments = await store.listSegments({ deviceIds: [id], from: Math.min(monthFrom, timelineFrom), to: now });
      const monthTotals = accountDevice(device, segments, monthFrom, now);
      return {
        device,
        timeline: resolveTimeline(segments, timelineFrom, now),
        timelineFrom,
        timelineTo: now,
        rtt: await store.rttRollups({ deviceId: id, from: timelineFrom, to: now }),
        month: {
          from: Math.max(monthFrom, device.createdAt),
          to: now,
          seconds: totalsInSeconds(monthTotals),
          ...uptimeFigures(monthTotals, settings.monitor().targetPercent),
        },
        recentChanges: await store.recentStatusChanges({ deviceId: id, limit: 20 }),
      };
    },
    'devices.pingNow': async ({ id }, { session }) => {
      const device = await deviceInScope(id, session);
      const at = clock.now();
      const result = await prober.probe(device.host, settings.monitor().timeoutMs);
      return { ...result, at };
    },
  };
}

export function settingsHandlers({ settings, emit, audit }: HandlerContext): HandlersFor<'settings'> {
  return {
    'settings.monitor.get': () => Promise.resolve(settings.monitor()),
    'settings.monitor.update': async (next, { session }) => {
      const before = settings.monitor();
      const saved = await settings.updateMonitor(next);
      await audit(session, { action: 'update', entity: 'settings', entityId: 'monitor', before, after: saved });
      emit('settings.changed', { keys: ['monitor'] });
      return saved;
    },
    'settings.exports.get': () => Promise.resolve(settings.bi()),
    'settings.exports.update': async (next, { session }) => {
      const before = settings.bi();
      const saved = await settings.updateBi(next);
      await audit(session, { action: 'update', entity: 'settings', entityId: 'exports', before, after: saved });
      emit('settings.changed', { keys: ['exports'] });
      return saved;
    },
    'settings.security.get': () => Promise.resolve(settings.security()),
    'settings.security.update': async (next, { session }) => {
      const before = settings.security();
      const saved = await settings.updateSecurity(next);
      await audit(session, { action: 'update', entity: 'settings', entityId: 'security', before, after: saved });
      emit('settings.changed', { keys: ['security'] });
      return saved;
    },
  };
}

/** The export holds every area: only a session that sees every area may run or read it. */
export function exportHandlers({ exports, audit }: HandlerContext): HandlersFor<'exports'> {
  return {
    'exports.status': (_input, { session }) => {
      requireUnscoped(session, 'the BI export');
      return Promise.resolve(exports.status());
    },
    'exports.run': async (_input, { session }) => {
      requireUnscoped(session, 'the BI export');
      const result = await exports.run();
      await audit(session, {
        action: 'export',
        entity: 'settings',
        entityId: 'exports',
        after: { folder: result.folder, files: result.files.length },
      });
      return result;
    },
  };
}
