import { describe, expect, it } from 'vitest';
import { addProbes, HOUR_BLOB_BYTES, mergeMinutePoints, minutePoints } from '../../src-main/core/store/rollup-codec';

const HOUR = Date.UTC(2026, 10, 22, 14);
const at = (minute: number, second = 0) => HOUR + minute * 60_000 + second * 1000;

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
