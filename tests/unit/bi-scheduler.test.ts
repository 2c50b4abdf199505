import { describe, expect, it } from 'vitest';
import { BiScheduler } from '../../src-main/core/bi/scheduler';
import { ManualClock } from '../helpers/clock';
import { quietLogger } from '../helpers/central';

describe('BI export schedule', () => {
  it('exports at start, every 20 minutes, and right after local midnight in any area’s zone', async () => {
    // 23:50 in São Paulo; 02:50 UTC, so UTC's midnight is long past.
    const clock = new ManualClock(Date.UTC(2026, 10, 30, 2, 50));
    const runs: number[] = [];
    const scheduler = new BiScheduler({
      clock,
      logger: quietLogger,
      zones: () => Promise.resolve(['America/Sao_Paulo', 'UTC']),
      run: () => {
        runs.push(clock.now());
        return Promise.resolve({ at: clock.now(), folder: '', files: [], durationMs: 0 });
      },
    });
    expect(await scheduler.tick()).toBe(true);
    clock.advance(5 * 60_000); // 23:55 local
    expect(await scheduler.tick()).toBe(false);
    clock.advance(5 * 60_000 + 1000); // 00:00:01 local on 1 Dec: month end too
    expect(await scheduler.tick()).toBe(true);
    clock.advance(19 * 60_000);
    expect(await scheduler.tick()).toBe(false);
    clock.advance(60_000);
    expect(await scheduler.tick()).toBe(true);
    expect(runs).toHaveLength(3);
  });

  it('keeps its schedule after a failed export', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const scheduler = new BiScheduler({
      clock,
      logger: quietLogger,
      zones: () => Promise.resolve(['UTC']),
      run: () => {
        calls++;
        return Promise.reject(new Error('disk full'));
      },
    });
    expect(await scheduler.tick()).toBe(true);
    clock.advance(20 * 60_000);
    expect(await scheduler.tick()).toBe(true);
    expect(calls).toBe(2);
  });
});
