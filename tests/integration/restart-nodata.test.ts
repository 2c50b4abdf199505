import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_MONITOR_SETTINGS } from '../../src-shared/domain/settings';
import { resolveTimeline } from '../../src-shared/domain/uptime';
import { uptimeReport } from '../../src-main/core/monitor/accounting';
import { startRunnerProcess } from '../helpers/runner-process';
import { tempDir } from '../helpers/temp';
import { openDataStore, seedDataStore } from '../helpers/seed';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('restarting the runner', () => {
  let data: ReturnType<typeof tempDir>;

  beforeEach(async () => {
    data = tempDir();
    // Short sweeps keep the test short; the rule under test does not depend on the interval.
    await seedDataStore(data.path, {
      devices: [{ host: '127.0.0.1', name: 'LOOPBACK' }],
      settings: { ...DEFAULT_MONITOR_SETTINGS, intervalMs: 1000, timeoutMs: 500 },
      timeZone: 'UTC',
      admin: false,
    });
  });
  afterEach(() => data.remove());

  it('counts the time it was stopped as nodata, not as uptime', async () => {
    const args = ['--data-dir', data.path, '--port', '0'];
    const windowStart = Date.now();
    const first = await startRunnerProcess(args);
    await sleep(3500);
    expect(await first.stop()).toBe(0);
    const stoppedAt = Date.now();
    await sleep(5000);
    const restartedAt = Date.now();
    const second = await startRunnerProcess(args);
    await sleep(3500);
    expect(await second.stop()).toBe(0);
    const windowEnd = Date.now();

    const store = openDataStore(data.path);
    try {
      const [device] = await store.listDevices({});
      const segments = await store.listSegments({ deviceIds: [device!.id], from: windowStart, to: windowEnd });
      const timeline = resolveTimeline(segments, windowStart, windowEnd);
      // Nothing claims the time the runner was down.
      expect(timeline.filter((s) => s.startAt < restartedAt && s.endAt > stoppedAt)).toEqual([]);
      // Both runs observed the device online.
      expect(timeline.filter((s) => s.state === 'online' && s.endAt <= stoppedAt).length).toBeGreaterThan(0);
      expect(timeline.filter((s) => s.state === 'online' && s.startAt >= restartedAt).length).toBeGreaterThan(0);

      const [row] = await uptimeReport(store, {
        from: windowStart,
        to: windowEnd,
        groupBy: 'device',
        filter: {},
        targetPercent: 95,
        now: windowEnd,
      });
      const gapSeconds = (restartedAt - stoppedAt) / 1000;
      expect(row!.seconds.nodata).toBeGreaterThanOrEqual(Math.floor(gapSeconds));
      expect(row!.seconds.online).toBeLessThanOrEqual(Math.ceil((windowEnd - windowStart) / 1000 - gapSeconds));
      expect(row!.seconds.offline).toBe(0);
      expect(row!.uptimePercent).toBe(100);
    } finally {
      await store.close();
    }
  }, 40_000);
});
