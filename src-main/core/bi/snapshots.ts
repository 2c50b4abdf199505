import { DateTime } from 'luxon';
import type { DailyRow, MonthlyRow } from '../../../src-shared/domain/bi';
import type { Device } from '../../../src-shared/domain/device';
import { totalsInSeconds, uptimeFigures } from '../../../src-shared/domain/uptime';
import type { StateTotals } from '../../../src-shared/domain/uptime';
import { accountDevice } from '../monitor/accounting';
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
 * ones of each device's area.
 */
export async function computeSnapshots(
  store: Store,
  options: { now: number; targetPercent: number; format: FormatNumber },
): Promise<AreaSnapshots[]> {
  const areas = await store.listAreas();
  const result: AreaSnapshots[] = [];
  for (const area of areas) {
    const devices = await store.listDevices({ areaId: area.id });
    const daily: DailyRow[] = [];
    const monthly: MonthlyRow[] = [];
    if (devices.length > 0) {
      const from = Math.min(...devices.map((d) => d.createdAt));
      const segments = await store.listSegments({ deviceIds: devices.map((d) => d.id), from, to: options.now });
      const byDevice = new Map<number, DeviceSegment[]>();
      for (const s of segments) byDevice.set(s.deviceId, [...(byDevice.get(s.deviceId) ?? []), s]);
      for (const device of devices) {
        const own = byDevice.get(device.id) ?? [];
        const base = identity(area.code, device);
        for (const day of periods(device.createdAt, options.now, area.timeZone, 'day')) {
          daily.push({
            ...base,
            date: day.label,
            ...figures(accountDevice(device, own, day.start, day.end), options.targetPercent, options.format),
          });
        }
        for (const month of periods(device.createdAt, options.now, area.timeZone, 'month')) {
          const yearStart = DateTime.fromMillis(month.start, { zone: area.timeZone }).startOf('year').toMillis();
          const ytd = uptimeFigures(accountDevice(device, own, yearStart, month.end), options.targetPercent);
          monthly.push({
            ...base,
            month: month.label,
            ...figures(accountDevice(device, own, month.start, month.end), options.targetPercent, options.format),
            ytd_uptime_percent: ytd.uptimePercent === null ? '' : options.format(ytd.uptimePercent),
          });
        }
      }
    }
    result.push({ areaCode: area.code, daily, monthly });
  }
  return result;
}

function identity(areaCode: string, device: Device) {
  return { area: areaCode, device: device.name, type: device.type, context: device.context, ip: device.host };
}
