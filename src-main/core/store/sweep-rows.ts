import type { SweepRecord } from './port';
import { hourOf } from './rollup-codec';

export type SweepProbe = SweepRecord['probes'][number];

/** A sweep's probes per device and hour, the unit the rollups are stored in. */
export function groupByDeviceHour(
  probes: readonly SweepProbe[],
): Map<string, { deviceId: number; hourAt: number; probes: SweepProbe[] }> {
  const groups = new Map<string, { deviceId: number; hourAt: number; probes: SweepProbe[] }>();
  for (const probe of probes) {
    const hourAt = hourOf(probe.at);
    const key = `${probe.deviceId}:${hourAt}`;
    const group = groups.get(key);
    if (group) group.probes.push(probe);
    else groups.set(key, { deviceId: probe.deviceId, hourAt, probes: [probe] });
  }
  return groups;
}

/** Every device a sweep writes anything for. */
export function devicesOf(sweep: SweepRecord): number[] {
  const ids = new Set<number>();
  for (const e of sweep.extend) ids.add(e.deviceId);
  for (const s of sweep.insert) ids.add(s.deviceId);
  for (const c of sweep.statusChanges) ids.add(c.deviceId);
  for (const p of sweep.probes) ids.add(p.deviceId);
  return [...ids];
}
