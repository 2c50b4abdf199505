import { describe, expect, it } from 'vitest';
import { minutesOf, RollupBuffer } from '../../src-main/core/monitor/rollup-buffer';
import { addHours, DAY_BLOB_BYTES, foldIntoDays, hourPoints } from '../../src-main/core/store/hourly-codec';
import { addMinutes, HOUR_BLOB_BYTES, mergeMinutePoints, minutePoints } from '../../src-main/core/store/rollup-codec';

const HOUR = Date.UTC(2026, 10, 22, 14);
const at = (minute: number, second = 0) => HOUR + minute * 60_000 + second * 1000;
type Probe = { at: number; alive: boolean; rttMs: number | null };
/** Probes of one device summed per minute as the monitor does, then added to the hour's blob. */
const addProbes = (blob: Uint8Array | null, probes: Probe[]) =>
  addMinutes(blob, minutesOf(probes.map((p) => ({ deviceId: 1, ...p }))));

describe('hourly rollup blob', () => {
  it('keeps per-minute probes, failures and RTT min/avg/max in 0.1 ms', () => {
    let blob = addProbes(null, [
      { at: at(0, 0), alive: true, rttMs: 1.24 },
      { at: at(0, 5), alive: true, rttMs: 3.01 },
      { at: at(0, 10), alive: false, rttMs: null },
    ]);
    blob = addProbes(blob, [
      { at: at(0, 15), alive: true, rttMs: 2.0 },
      { at: at(59, 55), alive: false, rttMs: null },
    ]);
    expect(blob.byteLength).toBe(HOUR_BLOB_BYTES);
    expect(minutePoints(HOUR, blob, HOUR, HOUR + 3_600_000)).toEqual([
      { minuteAt: at(0), probes: 4, failures: 1, rttMinMs: 1.2, rttAvgMs: 2.1, rttMaxMs: 3 },
      { minuteAt: at(59), probes: 1, failures: 1, rttMinMs: null, rttAvgMs: null, rttMaxMs: null },
    ]);
  });

  it('does not change the blob it is given', () => {
    const first = addProbes(null, [{ at: at(1), alive: true, rttMs: 1 }]);
    const copy = Uint8Array.from(first);
    addProbes(first, [{ at: at(1, 5), alive: true, rttMs: 9 }]);
    expect(first).toEqual(copy);
  });

  it('returns only the minutes inside the window asked for', () => {
    const blob = addProbes(
      null,
      [1, 2, 3].map((m) => ({ at: at(m), alive: true, rttMs: 1 })),
    );
    expect(minutePoints(HOUR, blob, at(2), at(3)).map((p) => p.minuteAt)).toEqual([at(2)]);
  });

  it('merges the same minute seen by the central and by an agent', () => {
    const merged = mergeMinutePoints([
      { minuteAt: at(0), probes: 2, failures: 0, rttMinMs: 1, rttAvgMs: 2, rttMaxMs: 3 },
      { minuteAt: at(0), probes: 2, failures: 1, rttMinMs: 0.5, rttAvgMs: 5, rttMaxMs: 5 },
      { minuteAt: at(1), probes: 1, failures: 1, rttMinMs: null, rttAvgMs: null, rttMaxMs: null },
    ]);
    expect(merged).toEqual([
      { minuteAt: at(0), probes: 4, failures: 1, rttMinMs: 0.5, rttAvgMs: 3, rttMaxMs: 5 },
      { minuteAt: at(1), probes: 1, failures: 1, rttMinMs: null, rttAvgMs: null, rttMaxMs: null },
    ]);
  });

  it('clamps an RTT beyond the range instead of wrapping it', () => {
    const blob = addProbes(null, [{ at: at(0), alive: true, rttMs: 99_999 }]);
    expect(minutePoints(HOUR, blob, HOUR, at(1))[0]?.rttMaxMs).toBe(6553.4);
  });
});

describe("the monitor's rollup buffer", () => {
  it('hands a minute over once the device is probed in the next one, or the clock is past it', () => {
    const buffer = new RollupBuffer();
    buffer.add(1, at(0, 0), true, 1.5);
    buffer.add(2, at(0, 0), false, null);
    buffer.add(1, at(0, 30), true, 2.5);
    expect(buffer.takeOver(at(0, 55))).toEqual([]);
    buffer.add(1, at(1, 0), true, 1);
    expect(buffer.takeOver(at(1, 0))).toEqual([
      { deviceId: 1, minuteAt: at(0), probes: 2, failures: 0, rttMin: 15, rttMax: 25, rttSum: 40 },
      // Device 2 was not probed again (taken into maintenance, say): its minute is over by the clock.
      { deviceId: 2, minuteAt: at(0), probes: 1, failures: 1, rttMin: null, rttMax: null, rttSum: 0 },
    ]);
    expect(buffer.takeAll()).toEqual([
      { deviceId: 1, minuteAt: at(1), probes: 1, failures: 0, rttMin: 10, rttMax: 10, rttSum: 10 },
    ]);
    expect(buffer.takeAll()).toEqual([]);
  });
});

describe('the hourly tier', () => {
  const DAY = Date.UTC(2026, 10, 22);
  it('folds an hour of minutes into one figure with the same totals and extremes, dated at the hour', () => {
    const minutes = addProbes(null, [
      { at: at(0), alive: true, rttMs: 1 },
      { at: at(30), alive: true, rttMs: 3 },
      { at: at(59, 30), alive: false, rttMs: null },
    ]);
    const [day] = foldIntoDays([{ deviceId: 7, source: 'central', hourAt: HOUR, minutes }]);
    expect(day).toMatchObject({ deviceId: 7, source: 'central', dayAt: DAY });
    const blob = addHours(null, day!.hours);
    expect(blob.byteLength).toBe(DAY_BLOB_BYTES);
    expect(hourPoints(DAY, blob, DAY, DAY + 86_400_000)).toEqual([
      { minuteAt: HOUR, probes: 3, failures: 1, rttMinMs: 1, rttAvgMs: 2, rttMaxMs: 3 },
    ]);
    // An hour with no probe is no figure at all.
    expect(foldIntoDays([{ deviceId: 7, source: 'central', hourAt: HOUR, minutes: addProbes(null, []) }])).toEqual([]);
  });

  it('adds hours up without changing the blob it is given, counting beyond what a minute slot holds', () => {
    const hour = { hourAt: HOUR, probes: 720, failures: 20, rttMin: 5, rttMax: 90, rttSum: 7000 };
    const first = addHours(null, [hour]);
    const copy = Uint8Array.from(first);
    const twice = addHours(first, [{ ...hour, rttMin: 2, rttMax: 40 }]);
    expect(first).toEqual(copy);
    expect(hourPoints(DAY, twice, HOUR, HOUR + 1)).toEqual([
      { minuteAt: HOUR, probes: 1440, failures: 40, rttMinMs: 0.2, rttAvgMs: 1, rttMaxMs: 9 },
    ]);
  });
});
