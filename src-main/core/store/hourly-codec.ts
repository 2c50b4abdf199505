import type { RttPoint } from '../../../src-shared/domain/monitoring';
import { HOUR_MS, pointOf, readSlot, totalsByDeviceAndSource } from './rollup-codec';
import type { ProbeTotal } from './rollup-codec';

/*
 * The coarser tier of the rollups: per-hour figures, packed one row per
 * device per day: 24 slots of 12 bytes (probes u16, failures u16, min u16,
 * max u16, sum u32; RTTs in tenths of a millisecond, as the minute tier).
 * 288 bytes a device-day instead of the minute tier's 14,400.
 */

export const DAY_MS = 86_400_000;
const SLOT_BYTES = 12;
export const DAY_BLOB_BYTES = 24 * SLOT_BYTES;
const NO_RTT = 0xffff;

export interface HourFigures {
  readonly hourAt: number;
  readonly probes: number;
  readonly failures: number;
  readonly rttMin: number | null;
  readonly rttMax: number | null;
  readonly rttSum: number;
}

export function dayOf(at: number): number {
  return Math.floor(at / DAY_MS) * DAY_MS;
}

function emptyDay(): Uint8Array {
  const blob = new Uint8Array(DAY_BLOB_BYTES);
  const view = new DataView(blob.buffer);
  for (let slot = 0; slot < 24; slot++) {
    view.setUint16(slot * SLOT_BYTES + 4, NO_RTT);
    view.setUint16(slot * SLOT_BYTES + 6, NO_RTT);
  }
  return blob;
}

function readHour(view: DataView, slot: number) {
  const at = slot * SLOT_BYTES;
  const min = view.getUint16(at + 4);
  const max = view.getUint16(at + 6);
  return {
    probes: view.getUint16(at),
    failures: view.getUint16(at + 2),
    min: min === NO_RTT ? null : min,
    max: max === NO_RTT ? null : max,
    sum: view.getUint32(at + 8),
  };
}

/** One hour of the minute tier summed into one figure; null when the hour had no probe. */
export function hourOfMinutes(hourAt: number, minutes: Uint8Array): HourFigures | null {
  let probes = 0;
  let failures = 0;
  let rttMin: number | null = null;
  let rttMax: number | null = null;
  let rttSum = 0;
  for (let slot = 0; slot < 60; slot++) {
    const f = readSlot(minutes, slot);
    probes += f.probes;
    failures += f.failures;
    if (f.min !== null) rttMin = rttMin === null ? f.min : Math.min(rttMin, f.min);
    if (f.max !== null) rttMax = rttMax === null ? f.max : Math.max(rttMax, f.max);
    rttSum += f.sum;
  }
  return probes === 0 ? null : { hourAt, probes, failures, rttMin, rttMax, rttSum };
}

/** Adds hours to a day's blob (a copy is returned). Counts and sums add up and saturate; extremes combine. */
export function addHours(existing: Uint8Array | null, hours: readonly HourFigures[]): Uint8Array {
  const blob = existing ? Uint8Array.from(existing) : emptyDay();
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  for (const hour of hours) {
    const slot = Math.floor((hour.hourAt % DAY_MS) / HOUR_MS);
    const f = readHour(view, slot);
    const min = hour.rttMin === null ? f.min : f.min === null ? hour.rttMin : Math.min(f.min, hour.rttMin);
    const max = hour.rttMax === null ? f.max : f.max === null ? hour.rttMax : Math.max(f.max, hour.rttMax);
    const at = slot * SLOT_BYTES;
    view.setUint16(at, Math.min(0xffff, f.probes + hour.probes));
    view.setUint16(at + 2, Math.min(0xffff, f.failures + hour.failures));
    view.setUint16(at + 4, min === null ? NO_RTT : Math.min(NO_RTT - 1, min));
    view.setUint16(at + 6, max === null ? NO_RTT : Math.min(NO_RTT - 1, max));
    view.setUint32(at + 8, Math.min(0xffffffff, f.sum + hour.rttSum));
  }
  return blob;
}

/** The hours of one day row that have probes and start within [from, to), as points dated at the hour. */
export function hourPoints(dayAt: number, blob: Uint8Array, from: number, to: number): RttPoint[] {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const points: RttPoint[] = [];
  for (let slot = 0; slot < 24; slot++) {
    const hourAt = dayAt + slot * HOUR_MS;
    if (hourAt < from || hourAt >= to) continue;
    const f = readHour(view, slot);
    if (f.probes > 0) points.push(pointOf(hourAt, f));
  }
  return points;
}

/**
 * The minute rows of a prune, folded into day rows: per device, source and
 * day, the hours to add. The caller adds them to the stored day and deletes
 * the minute rows in the same transaction.
 */
export function foldIntoDays(
  rows: ReadonlyArray<{ deviceId: number; source: string; hourAt: number; minutes: Uint8Array }>,
): Array<{ deviceId: number; source: string; dayAt: number; hours: HourFigures[] }> {
  const days = new Map<string, { deviceId: number; source: string; dayAt: number; hours: HourFigures[] }>();
  for (const row of rows) {
    const hour = hourOfMinutes(row.hourAt, row.minutes);
    if (!hour) continue;
    const dayAt = dayOf(row.hourAt);
    const key = `${row.deviceId}:${row.source}:${dayAt}`;
    const day = days.get(key) ?? { deviceId: row.deviceId, source: row.source, dayAt, hours: [] };
    day.hours.push(hour);
    days.set(key, day);
  }
  return [...days.values()];
}

/** Probes and failures of day rows within [from, to), added to per-device-and-source totals. */
export function addHourlyCounts(
  totals: readonly ProbeTotal[],
  rows: ReadonlyArray<{ deviceId: number; source: string; dayAt: number; hours: Uint8Array }>,
  from: number,
  to: number,
): ProbeTotal[] {
  const hourly = rows.flatMap((row) =>
    hourPoints(row.dayAt, row.hours, from, to).map((p) => ({
      deviceId: row.deviceId,
      source: row.source,
      probes: p.probes,
      failures: p.failures,
    })),
  );
  return totalsByDeviceAndSource([...totals, ...hourly]);
}
