import type { RttPoint } from '../../../src-shared/domain/monitoring';

/*
 * Per-minute probe figures, packed one row per device per hour: 60 slots of
 * 10 bytes (probes u8, failures u8, min u16, max u16, sum u32; RTTs in tenths
 * of a millisecond). An hour costs 600 bytes instead of 60 rows with their
 * own keys and index entries, which keeps a device-day near 15 KB: a SQL
 * Server Express database (10 GB cap) holds years of it for thousands of devices.
 */

export const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const SLOT_BYTES = 10;
export const HOUR_BLOB_BYTES = 60 * SLOT_BYTES;
const NO_RTT = 0xffff;
const TENTH = 10;

export interface MinuteFigures {
  probes: number;
  failures: number;
  /** In tenths of a millisecond; null when no probe of the minute succeeded. */
  min: number | null;
  max: number | null;
  sum: number;
}

export function hourOf(at: number): number {
  return Math.floor(at / HOUR_MS) * HOUR_MS;
}

export function emptyHour(): Uint8Array {
  const blob = new Uint8Array(HOUR_BLOB_BYTES);
  const view = new DataView(blob.buffer);
  for (let slot = 0; slot < 60; slot++) {
    view.setUint16(slot * SLOT_BYTES + 2, NO_RTT);
    view.setUint16(slot * SLOT_BYTES + 4, NO_RTT);
  }
  return blob;
}

export function readSlot(blob: Uint8Array, slot: number): MinuteFigures {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const at = slot * SLOT_BYTES;
  const min = view.getUint16(at + 2);
  const max = view.getUint16(at + 4);
  return {
    probes: view.getUint8(at),
    failures: view.getUint8(at + 1),
    min: min === NO_RTT ? null : min,
    max: max === NO_RTT ? null : max,
    sum: view.getUint32(at + 6),
  };
}

function writeSlot(blob: Uint8Array, slot: number, f: MinuteFigures): void {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const at = slot * SLOT_BYTES;
  // Counters saturate rather than wrap: a 1 s interval gives 60 probes a minute, far below 255.
  view.setUint8(at, Math.min(255, f.probes));
  view.setUint8(at + 1, Math.min(255, f.failures));
  view.setUint16(at + 2, f.min === null ? NO_RTT : Math.min(NO_RTT - 1, f.min));
  view.setUint16(at + 4, f.max === null ? NO_RTT : Math.min(NO_RTT - 1, f.max));
  view.setUint32(at + 6, Math.min(0xffffffff, f.sum));
}

/** One minute's figures (the monitor's buffer, an agent's batch), RTTs already in tenths of a millisecond. */
export interface MinuteRow {
  readonly minuteAt: number;
  readonly probes: number;
  readonly failures: number;
  readonly rttMin: number | null;
  readonly rttMax: number | null;
  readonly rttSum: number;
}

/**
 * Adds whole minutes to an hour's blob (a copy is returned). Counts and sums
 * add up, extremes combine: applying the same minutes twice would count them
 * twice, which is why an agent's batch is applied exactly once.
 */
export function addMinutes(existing: Uint8Array | null, minutes: readonly MinuteRow[]): Uint8Array {
  const blob = existing ? Uint8Array.from(existing) : emptyHour();
  for (const minute of minutes) {
    const slot = Math.floor((minute.minuteAt % HOUR_MS) / MINUTE_MS);
    const f = readSlot(blob, slot);
    f.probes += minute.probes;
    f.failures += minute.failures;
    f.min = minute.rttMin === null ? f.min : f.min === null ? minute.rttMin : Math.min(f.min, minute.rttMin);
    f.max = minute.rttMax === null ? f.max : f.max === null ? minute.rttMax : Math.max(f.max, minute.rttMax);
    f.sum += minute.rttSum;
    writeSlot(blob, slot, f);
  }
  return blob;
}

/** One slot's figures as a chart point: the average is over the probes that were answered. */
export function pointOf(at: number, f: MinuteFigures): RttPoint {
  const answered = f.probes - f.failures;
  return {
    minuteAt: at,
    probes: f.probes,
    failures: f.failures,
    rttMinMs: f.min === null ? null : f.min / TENTH,
    rttAvgMs: f.min === null || answered === 0 ? null : Math.round(f.sum / answered) / TENTH,
    rttMaxMs: f.max === null ? null : f.max / TENTH,
  };
}

/** The minutes of one hour row that have probes and fall within [from, to). */
export function minutePoints(hourAt: number, blob: Uint8Array, from: number, to: number): RttPoint[] {
  const points: RttPoint[] = [];
  for (let slot = 0; slot < 60; slot++) {
    const minuteAt = hourAt + slot * MINUTE_MS;
    if (minuteAt < from || minuteAt >= to) continue;
    const f = readSlot(blob, slot);
    if (f.probes > 0) points.push(pointOf(minuteAt, f));
  }
  return points;
}

/** Probes and failures of one hour row within [from, to). */
export function countProbes(
  hourAt: number,
  blob: Uint8Array,
  from: number,
  to: number,
): { probes: number; failures: number } {
  let probes = 0;
  let failures = 0;
  for (const point of minutePoints(hourAt, blob, from, to)) {
    probes += point.probes;
    failures += point.failures;
  }
  return { probes, failures };
}

export interface ProbeTotal {
  deviceId: number;
  source: string;
  probes: number;
  failures: number;
}

/** Counts added up per device and source, sorted by device then source: what both tiers report. */
export function totalsByDeviceAndSource(counts: Iterable<ProbeTotal>): ProbeTotal[] {
  const totals = new Map<string, ProbeTotal>();
  for (const c of counts) {
    const key = `${c.deviceId}\u0000${c.source}`;
    const total = totals.get(key) ?? { deviceId: c.deviceId, source: c.source, probes: 0, failures: 0 };
    total.probes += c.probes;
    total.failures += c.failures;
    totals.set(key, total);
  }
  return [...totals.values()].sort((a, b) => a.deviceId - b.deviceId || a.source.localeCompare(b.source));
}

/** Sums per-hour counts into one row per device and source. */
export function sumProbeCounts(
  rows: ReadonlyArray<{ deviceId: number; source: string; hourAt: number; minutes: Uint8Array }>,
  from: number,
  to: number,
): ProbeTotal[] {
  return totalsByDeviceAndSource(
    rows.map((row) => ({
      deviceId: row.deviceId,
      source: row.source,
      ...countProbes(row.hourAt, row.minutes, from, to),
    })),
  );
}

/** Merges points of the same minute from several sources (central and an agent). */
export function mergeMinutePoints(points: readonly RttPoint[]): RttPoint[] {
  const byMinute = new Map<number, RttPoint & { answered: number }>();
  for (const p of points) {
    const answered = p.probes - p.failures;
    const seen = byMinute.get(p.minuteAt);
    if (!seen) {
      byMinute.set(p.minuteAt, { ...p, answered });
      continue;
    }
    const total = seen.answered + answered;
    byMinute.set(p.minuteAt, {
      minuteAt: p.minuteAt,
      probes: seen.probes + p.probes,
      failures: seen.failures + p.failures,
      rttMinMs: minOf(seen.rttMinMs, p.rttMinMs),
      rttMaxMs: maxOf(seen.rttMaxMs, p.rttMaxMs),
      rttAvgMs: total === 0 ? null : ((seen.rttAvgMs ?? 0) * seen.answered + (p.rttAvgMs ?? 0) * answered) / total,
      answered: total,
    });
  }
  return [...byMinute.values()].sort((a, b) => a.minuteAt - b.minuteAt).map(({ answered: _answered, ...p }) => p);
}

const minOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
