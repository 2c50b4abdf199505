import { DateTime } from 'luxon';
import type { Device } from '../../../src-shared/domain/device';
import type { DailyUptime, Outage, UptimeGroup, UptimeRow } from '../../../src-shared/domain/monitoring';
import {
  accountWindow,
  addTotals,
  emptyTotals,
  resolveTimeline,
  totalsInSeconds,
  uptimeFigures,
} from '../../../src-shared/domain/uptime';
import type { StateTotals } from '../../../src-shared/domain/uptime';
import type { DeviceQuery, DeviceSegment, Store } from '../store/port';

/*
 * Every figure here is computed from the stored segments when asked, never
 * kept as a running counter, so observations that arrive late (an agent's
 * buffer after a WAN cut) change past windows the next time they are read.
 */

/**
 * A device's account starts when it was registered: the time before it
 * existed is nobody's nodata. Returns zero totals when the window ends first.
 */
export function accountDevice(
  device: Device,
  segments: readonly DeviceSegment[],
  from: number,
  to: number,
): StateTotals {
  const start = Math.max(from, device.createdAt);
  return start < to ? accountWindow(segments, start, to) : emptyTotals();
}

async function segmentsByDevice(store: Store, devices: readonly Device[], from: number, to: number) {
  const byDevice = new Map<number, DeviceSegment[]>(devices.map((d) => [d.id, []]));
  const segments = await store.listSegments({ deviceIds: devices.map((d) => d.id), from, to });
  for (const segment of segments) byDevice.get(segment.deviceId)?.push(segment);
  return byDevice;
}

function groupKey(device: Device, groupBy: UptimeGroup): { key: string; label: string } {
  switch (groupBy) {
    case 'device':
      return { key: String(device.id), label: device.name };
    case 'area':
      return { key: device.areaCode, label: device.areaCode };
    case 'type':
      return { key: device.type, label: device.type };
    case 'context':
      return { key: device.context, label: device.context };
  }
}

export interface UptimeQuery {
  readonly from: number;
  readonly to: number;
  readonly groupBy: UptimeGroup;
  readonly filter: DeviceQuery;
  readonly targetPercent: number;
  /** Time after this instant has not happened yet: it is not counted, not even as nodata. */
  readonly now: number;
}

export async function uptimeReport(store: Store, query: UptimeQuery): Promise<UptimeRow[]> {
  const to = Math.min(query.to, query.now);
  const devices = await store.listDevices(query.filter);
  if (to <= query.from) return [];
  const segments = await segmentsByDevice(store, devices, query.from, to);
  const groups = new Map<string, { label: string; devices: number; totals: StateTotals }>();
  for (const device of devices) {
    const { key, label } = groupKey(device, query.groupBy);
    const group = groups.get(key) ?? { label, devices: 0, totals: emptyTotals() };
    addTotals(group.totals, accountDevice(device, segments.get(device.id) ?? [], query.from, to));
    group.devices++;
    groups.set(key, group);
  }
  return [...groups.entries()]
    .map(([key, g]) => ({
      key,
      label: g.label,
      devices: g.devices,
      seconds: totalsInSeconds(g.totals),
      ...uptimeFigures(g.totals, query.targetPercent),
    }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

/** Start instants of `days` local days in `zone` ending with today's, plus the end of today. */
export function localDayBounds(now: number, days: number, zone: string): number[] {
  const today = DateTime.fromMillis(now, { zone }).startOf('day');
  return Array.from({ length: days + 1 }, (_, i) => today.minus({ days: days - 1 - i }).toMillis());
}

export function localMonthStart(now: number, zone: string): number {
  return DateTime.fromMillis(now, { zone }).startOf('month').toMillis();
}

export async function dailyUptime(
  store: Store,
  query: { days: number; filter: DeviceQuery; zone: string; now: number; targetPercent: number },
): Promise<DailyUptime[]> {
  const bounds = localDayBounds(query.now, query.days, query.zone);
  const devices = await store.listDevices(query.filter);
  const segments = await segmentsByDevice(store, devices, bounds[0]!, query.now);
  return bounds.slice(0, -1).map((start, i) => {
    const end = Math.min(bounds[i + 1]!, query.now);
    const totals = emptyTotals();
    for (const device of devices) addTotals(totals, accountDevice(device, segments.get(device.id) ?? [], start, end));
    return {
      day: DateTime.fromMillis(start, { zone: query.zone }).toISODate()!,
      seconds: totalsInSeconds(totals),
      ...uptimeFigures(totals, query.targetPercent),
    };
  });
}

/** Offline spans after sources are reconciled, newest first. */
export async function outages(
  store: Store,
  query: { from: number; now: number; filter: DeviceQuery; limit: number },
): Promise<Outage[]> {
  const devices = await store.listDevices(query.filter);
  const segments = await segmentsByDevice(store, devices, query.from, query.now);
  const result: Outage[] = [];
  for (const device of devices) {
    let previous: Outage | undefined;
    for (const piece of resolveTimeline(segments.get(device.id) ?? [], query.from, query.now)) {
      if (piece.state !== 'offline') {
        previous = undefined;
        continue;
      }
      // Adjacent offline pieces from different sources are one outage to the operator.
      if (previous && previous.endAt === piece.startAt) {
        previous = { ...previous, endAt: piece.endAt };
        result[result.length - 1] = previous;
      } else {
        previous = {
          deviceId: device.id,
          deviceName: device.name,
          areaCode: device.areaCode,
          startAt: piece.startAt,
          endAt: piece.endAt,
        };
        result.push(previous);
      }
    }
  }
  return result.sort((a, b) => b.startAt - a.startAt).slice(0, query.limit);
}
