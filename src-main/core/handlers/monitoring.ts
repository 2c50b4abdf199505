import { problemOf } from '../../../src-shared/domain/device';
import type { StatusChangeBatch, SweepSummary, SweepView } from '../../../src-shared/domain/monitoring';
import { resolveTimeline, totalsInSeconds, uptimeFigures } from '../../../src-shared/domain/uptime';
import { FORM_FIELD } from '../../../src-shared/domain/validation';
import type { AuditWrite } from '../audit';
import type { HandlersFor } from '../contract/server';
import type { Session } from '../contract/session';
import { DomainError, notFound } from '../errors';
import { accountDevice, dailyUptime, localMonthStart, outages, uptimeReport } from '../monitor/accounting';
import { ProberUnavailableError } from '../monitor/probers';
import type { HandlerContext } from './context';
import { requireInScope, scopedArea, scopedDeviceQuery } from './scope';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Sweeps whose spacing tells how often each device is really probed. */
const SPACING_SAMPLE = 20;

/** Sweep counts span every area: a scoped session sees the timing only. */
export function sweepFor(session: Session, sweep: SweepView): SweepView {
  return session.allowedAreaIds === null ? sweep : { ...sweep, devicesProbed: null, failures: null };
}

/** The changes of one batch a scoped session may hear of; null when none. */
export function changesFor(batch: StatusChangeBatch, session: Session): StatusChangeBatch | null {
  const changes = batch.changes.filter((c) => session.allowedAreaIds!.includes(c.areaId));
  return changes.length > 0 ? { changes } : null;
}

/** The median time between the starts of consecutive sweeps: a restart's gap does not skew it. */
export function probeSpacing(sweeps: readonly SweepSummary[]): number | null {
  const recent = sweeps.slice(-SPACING_SAMPLE - 1);
  const gaps = recent.slice(1).map((s, i) => s.startedAt - recent[i]!.startedAt);
  if (gaps.length === 0) return null;
  const sorted = [...gaps].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : Math.round((sorted[middle - 1]! + sorted[middle]!) / 2);
}

export function dashboardHandlers({
  store,
  clock,
  settings,
  defaultTimeZone,
  source,
  prober,
}: HandlerContext): HandlersFor<'dashboard'> {
  /** The zone days are cut in: the area's; for several areas, theirs if they share one, else the system's. */
  const zoneOf = async (scope: { areaId?: number; areaIds?: readonly number[] }) => {
    const areas = (await store.listAreas()).filter((a) =>
      scope.areaId !== undefined ? a.id === scope.areaId : !scope.areaIds || scope.areaIds.includes(a.id),
    );
    const zones = [...new Set(areas.map((a) => a.timeZone))];
    return zones.length === 1
      ? { timeZone: zones[0]!, mixedZones: false }
      : { timeZone: defaultTimeZone, mixedZones: zones.length > 1 };
  };
  return {
    'dashboard.counts': ({ areaId }, { session }) => store.statusCounts(scopedArea(session, areaId)),
    'dashboard.problems': async ({ areaId, limit }, { session }) => {
      const page = await store.pageDevices({
        ...scopedArea(session, areaId),
        status: 'OFFLINE',
        sort: 'duration',
        offset: 0,
        limit,
      });
      return {
        total: page.total,
        problems: page.rows.map(problemOf),
      };
    },
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
        intervalMs: settings.monitor().intervalMs,
        probeSpacingMs: probeSpacing(lastHour),
        prober: prober.choice?.() ?? {
          active: prober.name,
          candidates: [{ name: prober.name, problem: null, tried: true }],
        },
      };
    },
    'dashboard.dailyUptime': async ({ areaId, days }, { session }) => {
      const scope = scopedArea(session, areaId);
      const zone = await zoneOf(scope);
      const rows = await dailyUptime(store, {
        days,
        zone: zone.timeZone,
        now: clock.now(),
        targetPercent: settings.monitor().targetPercent,
        filter: scope,
      });
      return { ...zone, days: rows };
    },
    'dashboard.outages': async ({ areaId, days, limit }, { session }) => {
      const now = clock.now();
      const from = now - days * DAY;
      return {
        from,
        to: now,
        outages: await outages(store, { from, now, limit, filter: scopedArea(session, areaId) }),
      };
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
      try {
        const problem = await prober.check();
        if (problem) throw new ProberUnavailableError(problem, `the ${prober.name} prober cannot run`);
        return { ...(await prober.probe(device.host, settings.monitor().timeoutMs)), at };
      } catch (error) {
        if (!(error instanceof ProberUnavailableError)) throw error;
        throw new DomainError('conflict', error.message, {
          [FORM_FIELD]: { key: 'prober_unavailable', params: { problem: error.problem } },
        });
      }
    },
  };
}

/** The alarm and delivery settings are the alarm desk's (handlers/alarm-settings.ts). */
type CoreSettingsHandlers = Omit<HandlersFor<'settings'>, `settings.${'alarms' | 'delivery'}.${string}`>;

export function settingsHandlers({ settings, emit, auditor }: HandlerContext): CoreSettingsHandlers {
  const audit = (session: Session, key: string): AuditWrite<unknown> =>
    auditor.change(session, 'settings.update', () => ({ entityId: key, label: key, areaId: null }));
  return {
    'settings.monitor.get': () => Promise.resolve(settings.monitor()),
    'settings.monitor.update': async (next, { session }) => {
      const saved = await settings.updateMonitor(next, audit(session, 'monitor'));
      emit('settings.changed', { keys: ['monitor'] });
      return saved;
    },
    'settings.exports.get': () => Promise.resolve(settings.bi()),
    'settings.exports.update': async (next, { session }) => {
      const saved = await settings.updateBi(next, audit(session, 'exports'));
      emit('settings.changed', { keys: ['exports'] });
      return saved;
    },
    'settings.security.get': () => Promise.resolve(settings.security()),
    'settings.security.update': async (next, { session }) => {
      const saved = await settings.updateSecurity(next, audit(session, 'security'));
      emit('settings.changed', { keys: ['security'] });
      return saved;
    },
  };
}

/** The export holds every area: the contract lets only unscoped sessions run or read it. */
export function exportHandlers({ exports, auditor }: HandlerContext): HandlersFor<'exports'> {
  return {
    'exports.status': () => Promise.resolve(exports.status()),
    'exports.run': async (_input, { session }) => {
      const result = await exports.run();
      await auditor.append(session, {
        action: 'export.run',
        subject: { entityId: null, label: result.folder, areaId: null },
        after: { folder: result.folder, files: result.files.length },
      });
      return result;
    },
  };
}
