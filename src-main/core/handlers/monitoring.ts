import { resolveTimeline, totalsInSeconds, uptimeFigures } from '../../../src-shared/domain/uptime';
import type { HandlersFor } from '../contract/server';
import { notFound } from '../errors';
import { accountDevice, dailyUptime, localMonthStart, outages, uptimeReport } from '../monitor/accounting';
import type { HandlerContext } from './context';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

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
    'dashboard.counts': ({ areaId }) => store.statusCounts(areaId === undefined ? {} : { areaId }),
    'dashboard.recentChanges': ({ areaId, limit }) =>
      store.recentStatusChanges({ ...(areaId === undefined ? {} : { areaId }), limit }),
    'dashboard.sweepHealth': async () => {
      const now = clock.now();
      const lastHour = await store.listSweeps({ since: now - HOUR, source });
      const last = lastHour.at(-1) ?? (await store.lastSweep(source)) ?? null;
      return {
        last,
        devicesPerSecond:
          last && last.durationMs > 0 ? Math.round((last.devicesProbed / last.durationMs) * 10_000) / 10 : null,
        overrunsLastHour: lastHour.filter((s) => s.overrunMs > 0).length,
        sweepsLastHour: lastHour.length,
      };
    },
    'dashboard.dailyUptime': async ({ areaId, days }) => {
      const timeZone = await zoneOf(areaId);
      const rows = await dailyUptime(store, {
        days,
        zone: timeZone,
        now: clock.now(),
        targetPercent: settings.monitor().targetPercent,
        ...(areaId === undefined ? {} : { areaId }),
      });
      return { timeZone, days: rows };
    },
    'dashboard.outages': ({ areaId, days, limit }) => {
      const now = clock.now();
      return outages(store, { from: now - days * DAY, now, limit, ...(areaId === undefined ? {} : { areaId }) });
    },
  };
}

export function uptimeHandlers({ store, clock, settings }: HandlerContext): HandlersFor<'uptime'> {
  return {
    'uptime.report': ({ from, to, groupBy, ...filter }) =>
      uptimeReport(store, {
        from,
        to,
        groupBy,
        filter,
        targetPercent: settings.monitor().targetPercent,
        now: clock.now(),
      }),
  };
}

export function deviceMonitoringHandlers({
  store,
  clock,
  settings,
  prober,
}: HandlerContext): Pick<HandlersFor<'devices'>, 'devices.detail' | 'devices.pingNow'> {
  return {
    'devices.detail': async ({ id }) => {
      const device = await store.getDevice(id);
      if (!device) throw notFound(`device ${id}`);
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
    'devices.pingNow': async ({ id }) => {
      const device = await store.getDevice(id);
      if (!device) throw notFound(`device ${id}`);
      const at = clock.now();
      const result = await prober.probe(device.host, settings.monitor().timeoutMs);
      return { ...result, at };
    },
  };
}

export function settingsHandlers({ settings, emit }: HandlerContext): HandlersFor<'settings'> {
  return {
    'settings.monitor.get': () => Promise.resolve(settings.monitor()),
    'settings.monitor.update': async (next) => {
      const saved = await settings.updateMonitor(next);
      emit('settings.changed', { keys: ['monitor'] });
      return saved;
    },
  };
}
