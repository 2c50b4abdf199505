import { describe, expect, it } from 'vitest';
import type { SweepSummary } from '../../src-shared/domain/monitoring';
import { probeSpacing } from '../../src-main/core/handlers/monitoring';

const sweepsAt = (starts: number[]): SweepSummary[] =>
  starts.map((startedAt) => ({
    startedAt,
    durationMs: 100,
    devicesProbed: 1,
    failures: 0,
    overrunMs: 0,
    prober: 'ping',
    probesNotRun: 0,
    proberProblem: null,
  }));

describe('how often each device is really probed', () => {
  it('is the spacing of the sweeps: the interval when they fit, their length when they overrun', () => {
    expect(probeSpacing(sweepsAt([0, 5000, 10_000, 15_000]))).toBe(5000);
    expect(probeSpacing(sweepsAt([0, 31_000, 62_000, 93_000]))).toBe(31_000);
  });

  it('is not skewed by the gap of a restart, and unknown before two sweeps', () => {
    expect(probeSpacing(sweepsAt([0, 5000, 10_000, 600_000, 605_000, 610_000]))).toBe(5000);
    expect(probeSpacing(sweepsAt([0]))).toBeNull();
    expect(probeSpacing([])).toBeNull();
  });
});
