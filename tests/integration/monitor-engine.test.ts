import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SweepSummary } from '../../src-shared/domain/monitoring';
import { DEFAULT_MONITOR_SETTINGS } from '../../src-shared/domain/settings';
import type { MonitorSettings } from '../../src-shared/domain/settings';
import { createContractClient } from '../../src-shared/contract/client';
import { createCentral } from '../../src-main/core/central';
import { Monitor } from '../../src-main/core/monitor/engine';
import type { StatusChangeNotice } from '../../src-main/core/monitor/engine';
import { openSqliteStore } from '../../src-main/core/store/sqlite/sqlite-store';
import type { SqliteStore } from '../../src-main/core/store/sqlite/sqlite-store';
import { Connection } from '../../src-main/core/contract/connection';
import { builtInAdministrator } from '../../src-main/core/contract/session';
import { createMemoryTransport } from '../../src-main/core/transport/memory';
import { ManualClock } from '../helpers/clock';
import { ScriptedProber } from '../helpers/fake-prober';
import { quietLogger } from '../helpers/central';
import { auditsFor, setWorkflowState } from '../helpers/audit';
import { SQLITE_MIGRATIONS, tempDir } from '../helpers/temp';

const S = 1000;
const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 2, 3, 0, 0); // a day that starts at local midnight in America/Sao_Paulo

describe('monitor engine (real SQLite, scripted prober, manual clock)', () => {
  let dir: ReturnType<typeof tempDir>;
  let clock: ManualClock;
  let store: SqliteStore;
  let prober: ScriptedProber;
  let settings: MonitorSettings;
  let changes: StatusChangeNotice[];
  let batches: number;
  let sweeps: SweepSummary[];

  const monitor = (holder = 'test-holder') =>
    new Monitor({
      store,
      prober,
      clock,
      settings: () => settings,
      source: 'central',
      holder,
      logger: quietLogger,
      onStatusChanges: (c) => {
        batches++;
        changes.push(...c);
      },
      onSweep: (s) => sweeps.push(s),
    });

  async function seedDevices(count: number) {
    const audits = auditsFor(store, clock);
    const area = await store.createArea({ code: 'ITA', name: 'Itajaí', timeZone: 'America/Sao_Paulo' }, audits.area());
    const ids: number[] = [];
    for (let i = 1; i <= count; i++) {
      const device = await store.createDevice(
        {
          name: `CAM-${i}`,
          type: 'camera',
          context: 'normal',
          host: `127.0.9.${i}`,
          areaId: area.id,
          location: '',
          notes: '',
        },
        audits.device(),
      );
      ids.push(device.id);
    }
    return ids;
  }

  /** Sweeps every `step` ms from now until `until` inclusive. */
  async function sweepUntil(m: Monitor, until: number, step = settings.intervalMs) {
    while (clock.now() <= until) {
      await m.sweepOnce();
      if (clock.now() + step > until && clock.now() !== until) clock.set(until);
      else clock.advance(step);
    }
    clock.set(until);
  }

  beforeEach(() => {
    dir = tempDir();
    clock = new ManualClock(T0);
    store = openSqliteStore({ file: join(dir.path, 'vigia.sqlite'), migrationsFolder: SQLITE_MIGRATIONS, clock });
    prober = new ScriptedProber();
    settings = { ...DEFAULT_MONITOR_SETTINGS };
    changes = [];
    batches = 0;
    sweeps = [];
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  it('reproduces the worked example of DESIGN.md: 94.74 %, target missed by 0.26 points', async () => {
    const [id] = await seedDevices(1);
    const host = '127.0.9.1';
    let m = monitor('first-run');

    // Online for 10 h (sweeps every 5 s).
    await sweepUntil(m, T0 + 10 * H - 5 * S);
    // Offline for 1 h: the first failed probe is at 10 h exactly.
    clock.set(T0 + 10 * H);
    prober.setReachable(host, false);
    await sweepUntil(m, T0 + 11 * H);
    // Maintenance for 2 h: the device leaves the sweeps.
    await setWorkflowState(store, id!, 'maintenance', T0 + 11 * H);
    const probesBeforeMaintenance = prober.callsFor(host);
    clock.advance(5 * S);
    await sweepUntil(m, T0 + 13 * H - 5 * S, 5 * 60 * S);
    expect(prober.callsFor(host)).toBe(probesBeforeMaintenance);
    await setWorkflowState(store, id!, null, T0 + 13 * H);
    // The application is closed for 3 h.
    await m.stop();
    clock.set(T0 + 16 * H);
    prober.setReachable(host, true);
    // Started again: online for the last 8 h.
    m = monitor('second-run');
    await sweepUntil(m, T0 + 24 * H);
    await m.stop();

    const central = await createCentral({ store, clock, logger: quietLogger });
    const client = createContractClient(
      createMemoryTransport(central.server, new Connection(builtInAdministrator(), clock.now())),
    );
    const [row] = await client.call('uptime.report', { from: T0, to: T0 + 24 * H, groupBy: 'device' });
    expect(row).toMatchObject({
      seconds: { online: 18 * 3600, offline: 3600, maintenance: 2 * 3600, shutdown: 0, nodata: 3 * 3600 },
      uptimePercent: 94.74,
      targetPercent: 95,
      targetMet: false,
      missingPoints: 0.26,
    });
    // The daily chart cuts the same day in the area's zone and agrees.
    // It is now local midnight: yesterday is the full day of the example, today has just begun.
    const daily = await client.call('dashboard.dailyUptime', { areaId: 1, days: 2 });
    expect(daily.timeZone).toBe('America/Sao_Paulo');
    expect(daily.days).toEqual([
      expect.objectContaining({ day: '2026-11-02', uptimePercent: 94.74, targetMet: false }),
      expect.objectContaining({ day: '2026-11-03', uptimePercent: null }),
    ]);
    // Every status change is in the log, with the time it really happened.
    const log = await store.recentStatusChanges({ deviceId: id!, limit: 10 });
    expect(log.map((c) => [c.from, c.to, (c.at - T0) / H, c.source]).reverse()).toEqual([
      ['PENDING', 'ONLINE', 0, 'central'],
      ['ONLINE', 'OFFLINE', 10, 'central'],
      ['OFFLINE', 'MAINTENANCE', 11, 'workflow'],
      ['MAINTENANCE', 'OFFLINE', 13, 'workflow'],
      ['OFFLINE', 'ONLINE', 16, 'central'],
    ]);
  });

  it('with "down after 3", confirms OFFLINE on the third failure and dates it from the first', async () => {
    settings = { ...settings, downAfter: 3 };
    const [id] = await seedDevices(1);
    const m = monitor();
    await sweepUntil(m, T0 + 60 * S);
    prober.setReachable('127.0.9.1', false);
    clock.advance(5 * S);
    await m.sweepOnce();
    clock.advance(5 * S);
    await m.sweepOnce();
    expect((await store.getDevice(id!))?.status).toBe('ONLINE');
    clock.advance(5 * S);
    await m.sweepOnce();
    expect((await store.getDevice(id!))?.status).toBe('OFFLINE');
    expect(changes.at(-1)).toMatchObject({ deviceId: id, from: 'ONLINE', to: 'OFFLINE', at: T0 + 65 * S });
    const segments = await store.listSegments({ deviceIds: [id!], from: T0, to: clock.now() });
    expect(segments.map((s) => [s.state, (s.startAt - T0) / S, (s.endAt - T0) / S])).toEqual([
      ['online', 0, 65],
      ['offline', 65, 75],
    ]);
  });

  it('counts a stall longer than the gap cap as nodata', async () => {
    const [id] = await seedDevices(1);
    const m = monitor();
    await sweepUntil(m, T0 + 60 * S);
    clock.advance(10 * 60 * S); // the machine slept for ten minutes
    await sweepUntil(m, T0 + 11 * 60 * S + 60 * S);
    const central = await createCentral({ store, clock, logger: quietLogger });
    const client = createContractClient(
      createMemoryTransport(central.server, new Connection(builtInAdministrator(), clock.now())),
    );
    const [row] = await client.call('uptime.report', { from: T0, to: clock.now(), groupBy: 'device', areaId: 1 });
    expect(row).toMatchObject({ key: String(id), seconds: { online: 120, offline: 0, nodata: 600 } });
  });

  it('records each sweep, rolls probes up per minute, and tells all of a sweep’s changes at once', async () => {
    const ids = await seedDevices(3);
    prober.setReachable('127.0.9.2', false);
    const m = monitor();
    await sweepUntil(m, T0 + 55 * S);
    expect(sweeps).toHaveLength(12);
    expect(sweeps[0]).toMatchObject({ startedAt: T0, devicesProbed: 3, failures: 1, overrunMs: 0, probesNotRun: 0 });
    // The first sweep sees every new device for the first time: one batch with the three of them.
    expect(batches).toBe(1);
    expect(changes.map((c) => [c.deviceId, c.from, c.to])).toEqual([
      [ids[0], 'PENDING', 'ONLINE'],
      [ids[1], 'PENDING', 'OFFLINE'],
      [ids[2], 'PENDING', 'ONLINE'],
    ]);
    // The minute in progress is summed in memory: twelve sweeps, not one rollup write.
    expect(await store.rttRollups({ deviceId: ids[0]!, from: T0, to: T0 + 60 * S })).toEqual([]);
    // The first sweep of the next minute writes the whole minute at once.
    clock.set(T0 + 60 * S);
    await m.sweepOnce();
    const [rollup, ...none] = await store.rttRollups({ deviceId: ids[0]!, from: T0, to: T0 + 60 * S });
    expect(none).toEqual([]);
    expect(rollup).toMatchObject({ minuteAt: T0, probes: 12, failures: 0, rttMinMs: 0.4, rttMaxMs: 0.4 });
    expect(rollup!.rttAvgMs).toBeCloseTo(0.4, 9);
    const down = await store.rttRollups({ deviceId: ids[1]!, from: T0, to: T0 + 60 * S });
    expect(down).toEqual([{ minuteAt: T0, probes: 12, failures: 12, rttMinMs: null, rttAvgMs: null, rttMaxMs: null }]);
    expect(await store.listSweeps({ since: T0, source: 'central' })).toHaveLength(13);
    // Stopping writes the minute in progress too: a restart loses no figures.
    await m.stop();
    expect(await store.rttRollups({ deviceId: ids[0]!, from: T0 + 60 * S, to: T0 + 120 * S })).toMatchObject([
      { minuteAt: T0 + 60 * S, probes: 1, failures: 0 },
    ]);
  });

  it('lets only one instance monitor a store; a paused holder’s late sweep is refused', async () => {
    await seedDevices(1);
    const first = monitor('first');
    const second = monitor('second');
    expect(await first.sweepOnce()).not.toBeNull();
    expect(await second.sweepOnce()).toBeNull();
    // The first instance pauses longer than the lease; the second takes over.
    clock.advance(20 * S);
    expect(await second.sweepOnce()).not.toBeNull();
    clock.advance(5 * S);
    expect(await first.sweepOnce()).toBeNull();
    const sweepsWritten = await store.listSweeps({ since: 0, source: 'central' });
    expect(sweepsWritten).toHaveLength(2);
  });

  it('keeps the lease on its own timer through a long sweep, and stands by once another instance took it', async () => {
    await seedDevices(1);
    const first = monitor('first');
    const second = monitor('second');
    expect(await first.sweepOnce()).not.toBeNull();
    // A sweep longer than the lease: the renewal timer (every 5 s) keeps it.
    for (let i = 0; i < 6; i++) {
      clock.advance(5 * S);
      expect(await first.renewLease()).toBe(true);
      expect(await second.sweepOnce()).toBeNull();
    }
    // Paused for longer than the lease: the other instance takes over, and the first learns it at its next renewal.
    clock.advance(16 * S);
    expect(await second.sweepOnce()).not.toBeNull();
    expect(first.holdsLease).toBe(true);
    expect(await first.renewLease()).toBe(false);
    expect(first.holdsLease).toBe(false);
    expect(await first.sweepOnce()).toBeNull();
    expect(second.holdsLease).toBe(true);
  });

  it('leaves an area to its healthy agent and takes it back after 180 s of silence', async () => {
    await seedDevices(2);
    // An agent of ITA reporting, as the agent-sync listener records it.
    await store.issueAgentKey(
      { areaId: 1, replacing: null, keyHash: 'a'.repeat(64), keyPrefix: 'prefixaaaa', now: T0 },
      auditsFor(store, clock).agentKey(),
    );
    const [agent] = await store.listAgents({});
    await store.recordAgentHeartbeat({
      agentId: agent!.agentId,
      at: T0,
      version: 'test',
      report: '{}',
      latencyMs: 1,
      devicesOnline: 2,
      outboxRows: 0,
      clockOffsetMs: 0,
    });
    const m = monitor();
    expect(await m.sweepOnce()).toMatchObject({ devicesProbed: 0 });
    clock.advance(179 * S);
    expect(await m.sweepOnce()).toMatchObject({ devicesProbed: 0 });
    clock.advance(2 * S);
    expect(await m.sweepOnce()).toMatchObject({ devicesProbed: 2 });
    expect(prober.callsFor('127.0.9.1')).toBe(1);
  });

  it('skips devices in maintenance or shut down, and probes them again once they return', async () => {
    const [a, b] = await seedDevices(2);
    await setWorkflowState(store, a!, 'shutdown', T0);
    const m = monitor();
    expect(await m.sweepOnce()).toMatchObject({ devicesProbed: 1 });
    expect(prober.callsFor('127.0.9.1')).toBe(0);
    clock.advance(5 * S);
    await setWorkflowState(store, a!, null, clock.now(), 'shutdown');
    expect((await store.getDevice(a!))?.status).toBe('OFFLINE');
    await m.sweepOnce();
    expect(prober.callsFor('127.0.9.1')).toBe(1);
    expect((await store.getDevice(a!))?.status).toBe('ONLINE');
    expect(b).toBeDefined();
  });

  it('folds rollups past the per-minute window into hours, and prunes the sweep log, whole hours only', async () => {
    const [id] = await seedDevices(1);
    settings = { ...settings, rollupRetentionDays: 1 };
    const m = monitor();
    await sweepUntil(m, T0 + 2 * H, 60 * S);
    await store.pruneObservations({ rawBefore: clock.now(), rollupsBefore: T0 + H + 30 * 60 * S, hourlyBefore: 0 });
    const left = await store.rttRollups({ deviceId: id!, from: T0, to: clock.now() });
    // The first hour, sixty sweeps of a minute, is one hourly point now; the second is still minute by minute.
    expect(left[0]).toMatchObject({ minuteAt: T0, probes: 60, failures: 0 });
    expect(left[1]?.minuteAt).toBe(T0 + H);
    expect((await store.listSweeps({ since: 0, source: 'central' }))[0]?.startedAt).toBe(T0 + H + 30 * 60 * S);
  });

  it('keeps a workflow status taken while the sweep was probing, and writes nothing for a device deleted meanwhile', async () => {
    const [kept, taken, deleted] = await seedDevices(3);
    const m = monitor();
    await m.sweepOnce(); // all three ONLINE
    prober.setReachable('127.0.9.1', false);
    prober.setReachable('127.0.9.2', false);
    prober.setReachable('127.0.9.3', false);
    // While this sweep is probing, an operator opens maintenance on one device and deletes another.
    prober.onProbe = async (host) => {
      if (host === '127.0.9.2') await setWorkflowState(store, taken!, 'maintenance', clock.now());
      if (host === '127.0.9.3') await store.deleteDevice(deleted!, auditsFor(store, clock).device('device.delete'));
    };
    clock.advance(5 * S);
    const summary = await m.sweepOnce();
    expect(summary).toMatchObject({ devicesProbed: 3, failures: 3 });
    expect((await store.getDevice(kept!))?.status).toBe('OFFLINE');
    expect((await store.getDevice(taken!))?.status).toBe('MAINTENANCE');
    expect(await store.getDevice(deleted!)).toBeUndefined();
    expect(changes.filter((c) => c.to === 'OFFLINE').map((c) => c.deviceId)).toEqual([kept]);
    // The next sweep goes on normally for what is left.
    prober.onProbe = undefined;
    clock.advance(5 * S);
    expect(await m.sweepOnce()).toMatchObject({ devicesProbed: 1 });
  });

  it('never overlaps sweeps and reports the overrun of a slow one', async () => {
    await seedDevices(2);
    const slow = new ScriptedProber(0.4, 120);
    settings = { ...settings, intervalMs: 1000, timeoutMs: 500, concurrency: 1 };
    const realClock = { now: () => Date.now() };
    const m = new Monitor({
      store,
      prober: slow,
      clock: realClock,
      settings: () => ({ ...settings, intervalMs: 100 }),
      source: 'central',
      holder: 'slow',
      logger: quietLogger,
      onStatusChanges: () => undefined,
      onSweep: (s) => sweeps.push(s),
    });
    m.start();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await m.stop();
    expect(sweeps.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < sweeps.length; i++) {
      expect(sweeps[i]!.startedAt).toBeGreaterThanOrEqual(sweeps[i - 1]!.startedAt + sweeps[i - 1]!.durationMs);
    }
    expect(sweeps.every((s) => s.overrunMs > 0)).toBe(true);
  });

  it('keeps a new device PENDING, with no segment and no status change, until a run of probes confirms it', async () => {
    settings = { ...settings, downAfter: 3 };
    const [id] = await seedDevices(1);
    expect((await store.getDevice(id!))?.status).toBe('PENDING');
    prober.setReachable('127.0.9.1', false);
    const m = monitor();
    await m.sweepOnce();
    clock.advance(5 * S);
    await m.sweepOnce();
    expect((await store.getDevice(id!))?.status).toBe('PENDING');
    expect(await store.listStatusChanges({ deviceId: id!, limit: 10 })).toEqual([]);
    expect(await store.listSegments({ deviceIds: [id!], from: T0, to: clock.now() + 1 })).toEqual([]);
    clock.advance(5 * S);
    await m.sweepOnce();
    expect(await store.getDevice(id!)).toMatchObject({ status: 'OFFLINE', statusSince: T0 });
    expect(changes).toEqual([{ deviceId: id, areaId: 1, from: 'PENDING', to: 'OFFLINE', at: T0 }]);
    // Its account starts at the first probe of the confirming run; nothing before it is downtime.
    const segments = await store.listSegments({ deviceIds: [id!], from: T0, to: clock.now() + 1 });
    expect(segments.map((seg) => [seg.state, seg.startAt - T0, seg.endAt - T0])).toEqual([['offline', 0, 10 * S]]);
  });

  it('changes no device while the prober cannot run, counts that time as nodata, and says so once', async () => {
    const [id] = await seedDevices(1);
    const said: string[] = [];
    const logger = { ...quietLogger, warn: (m: string) => said.push(m), info: (m: string) => said.push(m) };
    const m = new Monitor({
      store,
      prober,
      clock,
      settings: () => settings,
      source: 'central',
      holder: 'h',
      logger,
      onStatusChanges: (c) => changes.push(...c),
      onSweep: (sw) => sweeps.push(sw),
    });
    await sweepUntil(m, T0 + 60 * S); // online for a minute
    prober.problem = 'ping_missing';
    await sweepUntil(m, T0 + 10 * 60 * S); // nine minutes without a working ping
    expect((await store.getDevice(id!))?.status).toBe('ONLINE');
    expect(changes.map((c) => c.to)).toEqual(['ONLINE']);
    expect(sweeps.at(-1)).toMatchObject({
      devicesProbed: 0,
      probesNotRun: 1,
      proberProblem: 'ping_missing',
      prober: 'scripted',
    });
    expect(said.filter((line) => line.includes('could not run'))).toHaveLength(1);
    expect(prober.callsFor('127.0.9.1')).toBe(13);
    prober.problem = null;
    await sweepUntil(m, T0 + 11 * 60 * S);
    expect(said.filter((line) => line.includes('runs again'))).toHaveLength(1);
    const segments = await store.listSegments({ deviceIds: [id!], from: T0, to: clock.now() + 1 });
    // The minutes without probes are a gap (nodata), not online time and not an outage.
    expect(segments.map((seg) => [seg.state, (seg.startAt - T0) / S, (seg.endAt - T0) / S])).toEqual([
      ['online', 0, 60],
      ['online', 600, 660],
    ]);
  });
});
