import type { SweepRecord } from '../../store/port';

const MINUTE_MS = 60_000;
/** RTTs travel in tenths of a millisecond, the unit of the central's rollups, so nothing is rounded twice. */
const TENTH = 10;

export interface MinuteFigures {
  readonly deviceId: number;
  readonly minuteAt: number;
  readonly probes: number;
  readonly failures: number;
  readonly rttMin: number | null;
  readonly rttMax: number | null;
  readonly rttSum: number;
}

/** A sweep's probes summed per device and minute. */
export function minuteFigures(probes: SweepRecord['probes']): MinuteFigures[] {
  const byKey = new Map<string, { -readonly [K in keyof MinuteFigures]: MinuteFigures[K] }>();
  for (const probe of probes) {
    const minuteAt = Math.floor(probe.at / MINUTE_MS) * MINUTE_MS;
    const key = `${probe.deviceId}:${minuteAt}`;
    let figures = byKey.get(key);
    if (!figures) {
      figures = { deviceId: probe.deviceId, minuteAt, probes: 0, failures: 0, rttMin: null, rttMax: null, rttSum: 0 };
      byKey.set(key, figures);
    }
    figures.probes++;
    if (!probe.alive) {
      figures.failures++;
    } else if (probe.rttMs !== null) {
      const rtt = Math.min(65_534, Math.round(probe.rttMs * TENTH));
      figures.rttMin = figures.rttMin === null ? rtt : Math.min(figures.rttMin, rtt);
      figures.rttMax = figures.rttMax === null ? rtt : Math.max(figures.rttMax, rtt);
      figures.rttSum += rtt;
    }
  }
  return [...byKey.values()];
}
