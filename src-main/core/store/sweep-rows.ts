import type { SweepMinute, SweepRecord } from './port';
import { hourOf } from './rollup-codec';

/** A sweep's minutes per device and hour, the unit the rollups are stored in. */
export function groupByDeviceHour(
  minutes: readonly SweepMinute[],
): Map<string, { deviceId: number; hourAt: number; minutes: SweepMinute[] }> {
  const groups = new Map<string, { deviceId: number; hourAt: number; minutes: SweepMinute[] }>();
  for (const minute of minutes) {
    const hourAt = hourOf(minute.minuteAt);
    const key = `${minute.deviceId}:${hourAt}`;
    const group = groups.get(key);
    if (group) group.minutes.push(minute);
    else groups.set(key, { deviceId: minute.deviceId, hourAt, minutes: [minute] });
  }
  return groups;
}

/** Every device a sweep writes anything for. */
export function devicesOf(sweep: SweepRecord): number[] {
  const ids = new Set<number>();
  for (const e of sweep.extend) ids.add(e.deviceId);
  for (const s of sweep.insert) ids.add(s.deviceId);
  for (const c of sweep.statusChanges) ids.add(c.deviceId);
  for (const m of sweep.minutes) ids.add(m.deviceId);
  for (const p of sweep.probes) ids.add(p.deviceId);
  return [...ids];
}
