import { DateTime } from 'luxon';
import type { DailyRow, MonthlyRow } from '../../../src-shared/domain/bi';
import type { Device } from '../../../src-shared/domain/device';
import {
  accountPeriods,
  addTotals,
  emptyTotals,
  resolveTimeline,
  totalsInSeconds,
  uptimeFigures,
} from '../../../src-shared/domain/uptime';
import type { StateTotals } from '../../../src-shared/domain/uptime';
import type { DeviceSegment, Store } from '../store/port';

export interface AreaSnapshots {
  readonly areaCode: string;
  readonly daily: DailyRow[];
  readonly monthly: MonthlyRow[];
}

/** Number formatting of the files: two decimals, dot by default. */
export type FormatNumber = (value: number) => string;

function figures(totals: StateTotals, targetPercent: number, format: FormatNumber) {
  const seconds = totalsInSeconds(totals);
  const f = uptimeFigures(totals, targetPercent);
  return {
    seconds_online: seconds.online,
    seconds_offline: seconds.offline,
    seconds_maintenance: seconds.maintenance,
    seconds_shutdown: seconds.shutdown,
    seconds_nodata: seconds.nodata,
    // Nothing observed: empty cells, not a misleading 0 %.
    uptime_percent: f.uptimePercent === null ? '' : format(f.uptimePercent),
    target_percent: format(targetPercent),
    target_met: f.targetMet === null ? '' : String(f.targetMet),
    missing_points: f.missingPoints === null ? '' : format(f.missingPoints),
  };
}

/** Local periods of `unit` in `zone` from the one holding `from` to the one holding `now`. */
function periods(
  from: number,
  now: number,
  zone: string,
  unit: 'day' | 'month',
): Array<{ start: number; end: number; label: string }> {
  const result: Array<{ start: number; end: number; label: string }> = [];
  let cursor = DateTime.fromMillis(from, { zone }).startOf(unit);
  while (cursor.toMillis() < now) {
    const next = cursor.plus(unit === 'day' ? { days: 1 } : { months: 1 });
    result.push({
      start: cursor.toMillis(),
      end: Math.min(next.toMillis(), now),
      label: unit === 'day' ? cursor.toISODate()! : cursor.toFormat('yyyy-MM'),
    });
    cursor = next;
  }
  return result;
}

/**
 * Daily and monthly rows of every device, from the state segments as they are
 * now: a late observation (an agent's buffer) changes the closed days it
 * touches the next time the files are written. Days and months are the local
 * ones of each device's area. Each device's timeline is resolved once and
 * walked through its days and months in one pass; year-to-date figures are
 * the running sum of the year's months.
 */
export async function computeSnapshots(
  store: Store,
  options: { now: number; targetPercent: number; format: FormatNumber; yieldEvery?: () => Promise<void> },
): Promise<AreaSnapshots[]> {
  const areas = await store.listAreas();
  // Video health is a state, not a history: it goes on the current period's row, never on past ones.
  const videoHealth = new Map((await store.listVideoHealths()).map((v) => [v.deviceId, v.health]));
  const result: AreaSnapshots[] = [];
  for (const area of areas) {
    const devices = await store.listDevices({ areaId: area.id });
    const daily: DailyRow[] = [];
    const monthly: MonthlyRow[] = [];
    if (devices.length > 0) {
      const from = Math.min(...devices.map((d) => d.createdAt));
      const segments = await store.listSegments({ deviceIds: devices.map((d) => d.id), from, to: options.now });
      const byDevice = new Map<number, DeviceSegment[]>();
      for (const segment of segments) {
        const own = byDevice.get(segment.deviceId);
        if (own) own.push(segment);
        else byDevice.set(segment.deviceId, [segment]);
      }
      const days = periods(from, options.now, area.timeZone, 'day');
      const months = periods(from, options.now, area.timeZone, 'month');
      for (const device of devices) {
        const pieces = resolveTimeline(byDevice.get(device.id) ?? [], device.createdAt, options.now);
        const base = identity(area.code, device);
        const ownDays = days.slice(firstPeriodOf(days, device.createdAt));
        const video = (i: number, count: number) => (i === count - 1 ? (videoHealth.get(device.id) ?? '') : '');
        accountPeriods(pieces, ownDays, device.createdAt).forEach((totals, i) =>
          daily.push({
            ...base,
            date: ownDays[i]!.label,
            ...figures(totals, options.targetPercent, options.format),
            video_health: video(i, ownDays.length),
          }),
        );
        const ownMonths = months.slice(firstPeriodOf(months, device.createdAt));
        const ytd = emptyTotals();
        let year = '';
        accountPeriods(pieces, ownMonths, device.createdAt).forEach((totals, i) => {
          const month = ownMonths[i]!;
          if (month.label.slice(0, 4) !== year) {
            year = month.label.slice(0, 4);
            Object.assign(ytd, emptyTotals());
          }
          addTotals(ytd, totals);
          const ytdFigures = uptimeFigures(ytd, options.targetPercent);
          monthly.push({
            ...base,
            month: month.label,
            ...figures(totals, options.targetPercent, options.format),
            ytd_uptime_percent: ytdFigures.uptimePercent === null ? '' : options.format(ytdFigures.uptimePercent),
            video_health: video(i, ownMonths.length),
          });
        });
        await options.yieldEvery?.();
      }
    }
    result.push({ areaCode: area.code, daily, monthly });
  }
  return result;
}

/** The index of the period holding `at` (periods are sorted and contiguous). */
function firstPeriodOf(list: ReadonlyArray<{ start: number; end: number }>, at: number): number {
  const index = list.findIndex((p) => at < p.end);
  return index === -1 ? list.length : index;
}

function identity(areaCode: string, device: Device) {
  return { area: areaCode, device: device.name, type: device.type, context: device.context, ip: device.host };
}
