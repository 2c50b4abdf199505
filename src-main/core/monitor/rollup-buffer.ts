import type { SweepMinute } from '../store/port';

const MINUTE_MS = 60_000;
/** RTTs travel in tenths of a millisecond, the unit of the stored rollups, so nothing is rounded twice. */
const TENTH = 10;
/** The largest RTT a rollup slot holds (65,534 tenths: 6.5 s, beyond any timeout). */
const MAX_RTT = 65_534;

type OpenMinute = { -readonly [K in keyof SweepMinute]: SweepMinute[K] };

/**
 * Each device's probes of the current minute, summed in memory. A minute is
 * handed over once it is over (a later probe of the device, or the clock past
 * it), so a sweep every 5 s writes the rollups once a minute instead of
 * reading and rewriting every device's hour at every sweep. What a crash
 * loses is the figures of the minute in progress, never a segment: uptime
 * comes from segments.
 */
export class RollupBuffer {
  private readonly open = new Map<number, OpenMinute>();
  private readonly over: SweepMinute[] = [];

  add(deviceId: number, at: number, alive: boolean, rttMs: number | null): void {
    const minuteAt = Math.floor(at / MINUTE_MS) * MINUTE_MS;
    let minute = this.open.get(deviceId);
    if (minute && minute.minuteAt !== minuteAt) {
      this.over.push(minute);
      minute = undefined;
    }
    if (!minute) {
      minute = { deviceId, minuteAt, probes: 0, failures: 0, rttMin: null, rttMax: null, rttSum: 0 };
      this.open.set(deviceId, minute);
    }
    minute.probes++;
    if (!alive) {
      minute.failures++;
    } else if (rttMs !== null) {
      const rtt = Math.min(MAX_RTT, Math.round(rttMs * TENTH));
      minute.rttMin = minute.rttMin === null ? rtt : Math.min(minute.rttMin, rtt);
      minute.rttMax = minute.rttMax === null ? rtt : Math.max(minute.rttMax, rtt);
      minute.rttSum += rtt;
    }
  }

  /** The minutes that are over at `now`, taken out of the buffer. */
  takeOver(now: number): SweepMinute[] {
    const current = Math.floor(now / MINUTE_MS) * MINUTE_MS;
    for (const [deviceId, minute] of this.open) {
      if (minute.minuteAt < current) {
        this.over.push(minute);
        this.open.delete(deviceId);
      }
    }
    return this.over.splice(0);
  }

  /** Everything, the minute in progress included: for a monitor that stops. */
  takeAll(): SweepMinute[] {
    const all = [...this.over.splice(0), ...this.open.values()];
    this.open.clear();
    return all;
  }

  /** Drops what is buffered: after a lost lease, another instance observes these devices. */
  clear(): void {
    this.open.clear();
    this.over.length = 0;
  }
}

/** Probes summed per device and minute, at once (an agent's outbox, tests). */
export function minutesOf(
  probes: ReadonlyArray<{ deviceId: number; at: number; alive: boolean; rttMs: number | null }>,
): SweepMinute[] {
  const buffer = new RollupBuffer();
  for (const probe of [...probes].sort((a, b) => a.at - b.at)) {
    buffer.add(probe.deviceId, probe.at, probe.alive, probe.rttMs);
  }
  return buffer.takeAll();
}
