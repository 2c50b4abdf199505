import { describe, expect, it } from 'vitest';
import type { SweepSummary } from '../../src-shared/domain/monitoring';
import { minutesOf } from '../../src-main/core/monitor/rollup-buffer';
import type { SweepRecord } from '../../src-main/core/store/port';
import type { SuiteContext } from './harness';
import { device, ita, rejection, snt } from './harness';

const S = 1000;

function summary(startedAt: number, over: Partial<SweepSummary> = {}): SweepSummary {
  return {
    startedAt,
    durationMs: 40,
    devicesProbed: 1,
    failures: 0,
    overrunMs: 0,
    prober: 'scripted',
    probesNotRun: 0,
    proberProblem: null,
    ...over,
  };
}

export function monitorContract(get: () => SuiteContext): void {
  async function twoDevices() {
    const { store, audits } = get();
    const a = await store.createArea(ita, audits.area());
    const b = await store.createArea(snt, audits.area());
    const first = await store.createDevice(device(a.id, { host: '10.0.0.1' }), audits.device());
    const second = await store.createDevice(device(b.id, { host: '10.0.0.2', name: 'CAM-02' }), audits.device());
    return { a, b, first, second };
  }
  // The probes a test gives are summed per minute as the monitor's buffer does; raw rows only with keepRaw.
  const sweep = (epoch: number, at: number, over: Partial<SweepRecord> = {}): SweepRecord => ({
    holder: 'h1',
    epoch,
    leaseExpiresAt: at + 15 * S,
    source: 'central',
    summary: summary(at),
    extend: [],
    insert: [],
    statusChanges: [],
    probes: [],
    keepRaw: false,
    ...over,
    minutes: over.minutes ?? minutesOf(over.probes ?? []),
  });

  describe('monitor lease', () => {
    it('is taken when free, refused to another holder until it expires, renewed by its holder and released', async () => {
      const { store, clock } = get();
      const now = clock.now();
      expect(await store.acquireMonitorLease('h1', now, 15 * S)).toBe(1);
      expect(await store.acquireMonitorLease('h2', now + 14 * S, 15 * S)).toBeNull();
      expect(await store.acquireMonitorLease('h1', now + 1 * S, 15 * S)).toBe(2);
      expect(await store.acquireMonitorLease('h2', now + 17 * S, 15 * S)).toBe(3);
      await store.releaseMonitorLease('h1', 2); // a stale holder releases nothing
      expect(await store.acquireMonitorLease('h1', now + 18 * S, 15 * S)).toBeNull();
      await store.releaseMonitorLease('h2', 3);
      expect(await store.acquireMonitorLease('h1', now + 18 * S, 15 * S)).toBe(4);
    });

    it('goes to exactly one of two instances racing for it on their own connections, fresh or expired', async () => {
      const { store, clock, harness } = get();
      const other = (await harness.second?.()) ?? store;
      const race = () =>
        Promise.all([
          store.acquireMonitorLease('h1', clock.now(), 15 * S),
          other.acquireMonitorLease('h2', clock.now(), 15 * S),
        ]);
      expect((await race()).filter((epoch) => epoch !== null)).toHaveLength(1);
      clock.advance(16 * S);
      for (let round = 0; round < 5; round++) {
        const won = (await race()).filter((epoch) => epoch !== null);
        // Once taken, the lease stays with its holder; an expired one goes to exactly one of the two.
        expect(won.length).toBeLessThanOrEqual(1);
        clock.advance(16 * S);
      }
    });

    it('is renewed only by its holder with the current epoch', async () => {
      const { store, clock } = get();
      const epoch = (await store.acquireMonitorLease('h1', clock.now(), 15 * S))!;
      expect(await store.renewMonitorLease('h1', epoch, clock.now() + 30 * S)).toBe(true);
      expect(await store.acquireMonitorLease('h2', clock.now() + 20 * S, 15 * S)).toBeNull();
      expect(await store.renewMonitorLease('h1', epoch + 1, clock.now() + 60 * S)).toBe(false);
      expect(await store.renewMonitorLease('h2', epoch, clock.now() + 60 * S)).toBe(false);
      expect(await store.acquireMonitorLease('h2', clock.now() + 31 * S, 15 * S)).toBe(epoch + 1);
      expect(await store.renewMonitorLease('h1', epoch, clock.now() + 90 * S)).toBe(false);
    });
  });

  describe('sweeps', () => {
    it('lists as targets the devices it may probe: pending, online and offline, not in a workflow', async () => {
      const { store, clock } = get();
      const { first, second } = await twoDevices();
      const targets = await store.listSweepTargets({ now: clock.now(), agentHeartbeatTimeoutMs: 180 * S });
      expect(targets).toEqual([
        { id: first.id, host: '10.0.0.1', areaId: first.areaId, status: 'PENDING' },
        { id: second.id, host: '10.0.0.2', areaId: second.areaId, status: 'PENDING' },
      ]);
      await store.transitionDevice({
        deviceId: first.id,
        from: ['PENDING'],
        to: 'MAINTENANCE',
        segment: 'maintenance',
        at: clock.now(),
        userId: null,
        refusal: 'state_changed',
      });
      expect(
        (await store.listSweepTargets({ now: clock.now(), agentHeartbeatTimeoutMs: 180 * S })).map((t) => t.id),
      ).toEqual([second.id]);
    });

    it('writes segments, status changes, rollups and the sweep in one go, and extends a segment by its start', async () => {
      const { store, clock } = get();
      const { first, second } = await twoDevices();
      const t0 = clock.now();
      const epoch = (await store.acquireMonitorLease('h1', t0, 15 * S))!;
      const written = await store.recordSweep(
        sweep(epoch, t0, {
          insert: [
            { deviceId: first.id, state: 'online', startAt: t0, endAt: t0 },
            { deviceId: second.id, state: 'offline', startAt: t0, endAt: t0 },
          ],
          statusChanges: [
            { deviceId: first.id, from: 'PENDING', to: 'ONLINE', at: t0 },
            { deviceId: second.id, from: 'PENDING', to: 'OFFLINE', at: t0 },
          ],
          probes: [
            { deviceId: first.id, at: t0, alive: true, rttMs: 1.5 },
            { deviceId: second.id, at: t0, alive: false, rttMs: null },
          ],
          summary: summary(t0, { devicesProbed: 2, failures: 1 }),
        }),
      );
      expect(written).toEqual({ skippedDevices: [], appliedStatusChanges: [first.id, second.id] });
      const t1 = t0 + 5 * S;
      await store.recordSweep(
        sweep(epoch, t1, {
          extend: [
            { deviceId: first.id, startAt: t0, endAt: t1 },
            { deviceId: second.id, startAt: t0, endAt: t1 },
          ],
          // A change whose device is no longer where the sweep saw it is not applied.
          statusChanges: [{ deviceId: first.id, from: 'OFFLINE', to: 'ONLINE', at: t1 }],
          probes: [{ deviceId: first.id, at: t1, alive: true, rttMs: 2.5 }],
          keepRaw: true,
        }),
      );
      expect(await store.listSegments({ deviceIds: [first.id, second.id], from: t0, to: t1 + 1 })).toEqual([
        { deviceId: first.id, state: 'online', source: 'central', startAt: t0, endAt: t1 },
        { deviceId: second.id, state: 'offline', source: 'central', startAt: t0, endAt: t1 },
      ]);
      expect(await store.getDevice(first.id)).toMatchObject({ status: 'ONLINE', statusSince: t0 });
      expect(await store.getDevice(second.id)).toMatchObject({ status: 'OFFLINE', statusSince: t0 });
      const [minute] = await store.rttRollups({ deviceId: first.id, from: t0, to: t1 + 1 });
      expect(minute).toMatchObject({ probes: 2, failures: 0, rttMinMs: 1.5, rttMaxMs: 2.5 });
      expect(minute!.rttAvgMs).toBeCloseTo(2, 6);
      expect(await store.listSweeps({ since: t0, source: 'central' })).toEqual([
        summary(t0, { devicesProbed: 2, failures: 1 }),
        summary(t1),
      ]);
      expect(await store.lastSweep('central')).toEqual(summary(t1));
      expect(await store.lastSweep('agent:ITA')).toBeUndefined();
      const counts = await store.statusCounts({});
      expect(counts.map((c) => `${c.status}:${c.count}`).sort()).toEqual(['OFFLINE:1', 'ONLINE:1']);
      expect(await store.statusCounts({ areaIds: [first.areaId] })).toMatchObject([{ status: 'ONLINE', count: 1 }]);
      const recent = await store.recentStatusChanges({ limit: 10 });
      expect(recent.map((c) => `${c.deviceName}:${c.from}>${c.to}:${c.source}`).sort()).toEqual([
        'CAM-01:PENDING>ONLINE:central',
        'CAM-02:PENDING>OFFLINE:central',
      ]);
      expect(await store.recentStatusChanges({ limit: 10, areaId: second.areaId })).toMatchObject([
        { deviceId: second.id, userName: null },
      ]);
      expect(await store.listStatusChanges({ limit: 10, type: 'access_control' })).toEqual([]);
      expect(await store.listStatusChanges({ limit: 10, from: t0 + 1 })).toEqual([]);
    });

    it('records a sweep whose probes could not run, with the prober and the problem', async () => {
      const { store, clock } = get();
      await twoDevices();
      const epoch = (await store.acquireMonitorLease('h1', clock.now(), 15 * S))!;
      const broken = summary(clock.now(), {
        devicesProbed: 0,
        probesNotRun: 2,
        proberProblem: 'ping_missing',
        prober: 'ping',
      });
      await store.recordSweep(sweep(epoch, clock.now(), { summary: broken }));
      expect(await store.lastSweep('central')).toEqual(broken);
    });

    it('refuses the whole sweep of a stale epoch: nothing of it is written', async () => {
      const { store, clock } = get();
      const { first } = await twoDevices();
      const t0 = clock.now();
      const old = (await store.acquireMonitorLease('h1', t0, 15 * S))!;
      await store.acquireMonitorLease('h2', t0 + 16 * S, 15 * S);
      const error = await rejection(
        store.recordSweep(
          sweep(old, t0 + 17 * S, {
            insert: [{ deviceId: first.id, state: 'online', startAt: t0, endAt: t0 }],
            statusChanges: [{ deviceId: first.id, from: 'PENDING', to: 'ONLINE', at: t0 }],
            probes: [{ deviceId: first.id, at: t0, alive: true, rttMs: 1 }],
          }),
        ),
      );
      expect(error.kind).toBe('conflict');
      expect(await store.listSegments({ deviceIds: [first.id], from: 0, to: t0 + 60 * S })).toEqual([]);
      expect((await store.getDevice(first.id))?.status).toBe('PENDING');
      expect(await store.listSweeps({ since: 0, source: 'central' })).toEqual([]);
      expect(await store.rttRollups({ deviceId: first.id, from: 0, to: t0 + 60 * S })).toEqual([]);
    });

    it('writes nothing for devices deleted or taken by a workflow while the sweep probed, and says which', async () => {
      const { store, clock, audits } = get();
      const { first, second } = await twoDevices();
      const t0 = clock.now();
      const epoch = (await store.acquireMonitorLease('h1', t0, 15 * S))!;
      await store.transitionDevice({
        deviceId: first.id,
        from: ['PENDING'],
        to: 'SHUTDOWN',
        segment: 'shutdown',
        at: t0,
        userId: null,
        refusal: 'state_changed',
      });
      await store.deleteDevice(second.id, audits.device('device.delete'));
      const written = await store.recordSweep(
        sweep(epoch, t0, {
          insert: [
            { deviceId: first.id, state: 'offline', startAt: t0, endAt: t0 },
            { deviceId: second.id, state: 'offline', startAt: t0, endAt: t0 },
          ],
          statusChanges: [{ deviceId: first.id, from: 'PENDING', to: 'OFFLINE', at: t0 }],
          probes: [{ deviceId: second.id, at: t0, alive: false, rttMs: null }],
        }),
      );
      expect([...written.skippedDevices].sort()).toEqual([first.id, second.id].sort());
      expect(written.appliedStatusChanges).toEqual([]);
      expect((await store.getDevice(first.id))?.status).toBe('SHUTDOWN');
      expect((await store.listSegments({ deviceIds: [first.id], from: 0, to: t0 + 1 })).map((s) => s.source)).toEqual([
        'workflow',
      ]);
    });

    it("takes a stopping monitor's last minutes without a sweep, and adds them to what the hour holds", async () => {
      const { store, clock } = get();
      const { first } = await twoDevices();
      const t0 = clock.now() - (clock.now() % 60_000);
      const epoch = (await store.acquireMonitorLease('h1', t0, 15 * S))!;
      await store.recordSweep(
        sweep(epoch, t0, {
          probes: [
            { deviceId: first.id, at: t0, alive: true, rttMs: 2 },
            { deviceId: first.id, at: t0 + 5 * S, alive: false, rttMs: null },
          ],
        }),
      );
      // The rest of the same minute, written as the monitor stops: no sweep row, the figures added up.
      await store.recordSweep(
        sweep(epoch, t0 + 10 * S, {
          summary: null,
          probes: [{ deviceId: first.id, at: t0 + 10 * S, alive: true, rttMs: 4 }],
        }),
      );
      expect(await store.listSweeps({ since: 0, source: 'central' })).toHaveLength(1);
      const [minute] = await store.rttRollups({ deviceId: first.id, from: t0, to: t0 + 60 * S });
      expect(minute).toMatchObject({ minuteAt: t0, probes: 3, failures: 1, rttMinMs: 2, rttMaxMs: 4, rttAvgMs: 3 });
    });

    it('ages observations: whole hours of minutes fold into the hourly tier with their totals, whole days of hours go last', async () => {
      const { store, clock } = get();
      const { first } = await twoDevices();
      const t0 = clock.now() - (clock.now() % 3_600_000);
      const epoch = (await store.acquireMonitorLease('h1', t0, 15 * S))!;
      for (const at of [t0, t0 + 3_600_000, t0 + 7_200_000]) {
        await store.recordSweep(
          sweep(epoch, at, {
            probes: [{ deviceId: first.id, at, alive: true, rttMs: 1 }],
            keepRaw: true,
            leaseExpiresAt: at + 15 * S,
          }),
        );
      }
      const prune = (hourlyBefore: number) =>
        store.pruneObservations({ rawBefore: t0 + 1, rollupsBefore: t0 + 3_600_000 + 60 * S, hourlyBefore });
      const counted = async () =>
        (await store.probeCounts({ deviceIds: [first.id], from: 0, to: t0 + 8_000_000 }))[0]?.probes ?? 0;
      await prune(0);
      // The first hour now answers from the hourly tier, one point at the hour; the others are still minutes.
      const left = await store.rttRollups({ deviceId: first.id, from: t0, to: t0 + 8_000_000 });
      expect(left.map((p) => [p.minuteAt, p.probes, p.rttAvgMs])).toEqual([
        [t0, 1, 1],
        [t0 + 3_600_000, 1, 1],
        [t0 + 7_200_000, 1, 1],
      ]);
      // Folding again folds nothing twice.
      await prune(0);
      expect(await counted()).toBe(3);
      expect((await store.listSweeps({ since: 0, source: 'central' })).map((s) => s.startedAt)).toEqual([
        t0 + 7_200_000,
      ]);
      // A day of hours goes only once the whole day is older than the cut-off.
      const day = t0 - (t0 % 86_400_000);
      await prune(day + 86_400_000 - 1);
      expect(await counted()).toBe(3);
      await prune(day + 86_400_000);
      expect(await counted()).toBe(2);
    });
  });
}
