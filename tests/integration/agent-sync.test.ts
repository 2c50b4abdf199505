import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_BI_SETTINGS } from '../../src-shared/domain/bi';
import { CENTRAL_SOURCE } from '../../src-shared/domain/uptime';
import { exportBi } from '../../src-main/core/bi/export';
import { uptimeReport } from '../../src-main/core/monitor/accounting';
import { Monitor } from '../../src-main/core/monitor/engine';
import { quietLogger } from '../helpers/central';
import { startSyncCentral, startTestAgent } from '../helpers/agents';
import { ManualClock } from '../helpers/clock';
import { ScriptedProber } from '../helpers/fake-prober';
import { tempDir } from '../helpers/temp';

const S = 1000;
const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 2, 3, 0, 0);

describe('an agent and its central over real HTTPS (manual clocks, scripted prober)', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(options: { skewMs?: number; devices?: number } = {}) {
    const centralClock = new ManualClock(T0);
    // The agent host's clock, off by `skewMs` from the central's, moving with it.
    const agentClock = { now: () => centralClock.now() + (options.skewMs ?? 0) };
    const central = await startSyncCentral({
      clock: centralClock,
      prober: new ScriptedProber(),
      settings: { intervalMs: 5 * S },
    });
    cleanups.push(() => central.dispose());
    const enrolled = await central.enrol(options.devices ?? 3);
    const agentDir = tempDir('vigia-agent-');
    cleanups.push(() => agentDir.remove());
    const prober = new ScriptedProber(2.5);
    const agent = await startTestAgent({
      url: central.url,
      fingerprint: central.fingerprint,
      key: enrolled.key,
      clock: agentClock,
      prober,
      dataDir: agentDir.path,
    });
    cleanups.push(() => agent.stop());
    return { centralClock, agentClock, central, agent, prober, ...enrolled };
  }

  it('pulls its devices, probes them, and lands its observations on the central timeline though its clock is 10 minutes off', async () => {
    const { centralClock, central, agent, prober, devices, area } = await setup({ skewMs: 10 * MIN });
    const runtime = agent.runtime;
    const config = await runtime.refreshConfig();
    expect(config.devices.map((d) => d.id)).toEqual(devices.map((d) => d.id));
    // The first exchange taught it the offset: its engine runs on the central's time.
    expect(runtime.clock.now()).toBe(centralClock.now());
    expect((await runtime.status()).clockOffsetMs).toBe(10 * MIN);

    prober.setReachable(devices[1]!.host, false);
    for (let i = 0; i < 24; i++) {
      await runtime.monitor.sweepOnce();
      centralClock.advance(5 * S);
    }
    // The minute in progress is summed in memory; stopping the monitor writes it to the outbox too.
    await runtime.monitor.stop();
    await runtime.heartbeatOnce();
    await runtime.syncOnce();

    const report = await uptimeReport(central.store, {
      from: T0,
      to: T0 + 2 * MIN,
      groupBy: 'device',
      filter: { areaId: area.id },
      targetPercent: 95,
      now: T0 + 2 * MIN,
    });
    const byId = new Map(report.map((row) => [row.key, row]));
    // 23 intervals of 5 s observed; placed at the central's instants, not 10 minutes ahead.
    expect(byId.get(String(devices[0]!.id))?.seconds.online).toBe(115);
    expect(byId.get(String(devices[1]!.id))?.seconds.offline).toBe(115);
    const listed = await central.client.call('devices.list', { areaId: area.id });
    expect(listed.find((d) => d.id === devices[1]!.id)?.status).toBe('OFFLINE');
    expect(listed.find((d) => d.id === devices[0]!.id)?.status).toBe('ONLINE');

    const [view] = await central.client.call('agents.list', {});
    expect(view).toMatchObject({ areaCode: 'ITA', link: 'online', clockOffsetMs: 10 * MIN, observationsReceived: 72 });
    const status = await runtime.status();
    expect(status.observations).toEqual({ recorded: 72, acknowledged: 72 });
    expect(status.outbox).toEqual({ batches: 0, rows: 0, oldestUnsentAt: null });
  });

  it('replaces what the central concluded through a cut link with what the agent saw: uptime, BI files, history, statuses', async () => {
    const { centralClock, central, agent, prober, devices, area } = await setup({ devices: 4 });
    const runtime = agent.runtime;
    await runtime.refreshConfig();
    await runtime.heartbeatOnce();
    // The central's own engine, sweeping the area only while its agent is silent; it sees every device down.
    const centralProber = new ScriptedProber();
    for (const d of devices) centralProber.setReachable(d.host, false);
    const fallback = new Monitor({
      store: central.store,
      prober: centralProber,
      clock: centralClock,
      settings: () => central.central.settings.monitor(),
      source: CENTRAL_SOURCE,
      holder: 'central-test',
      logger: quietLogger,
      onStatusChanges: () => undefined,
      onSweep: () => undefined,
    });
    const minute = async (linkUp: boolean) => {
      for (let i = 0; i < 12; i++) {
        await runtime.monitor.sweepOnce();
        await fallback.sweepOnce();
        centralClock.advance(5 * S);
      }
      if (linkUp) {
        await runtime.heartbeatOnce();
        await runtime.syncOnce();
      }
    };
    for (let m = 0; m < 5; m++) await minute(true);
    expect(centralProber.callsFor(devices[0]!.host)).toBe(0);
    // One real outage, seen by the agent, during the cut.
    const cutAt = centralClock.now();
    for (let m = 0; m < 10; m++) {
      if (m === 4) prober.setReachable(devices[3]!.host, false);
      if (m === 6) prober.setReachable(devices[3]!.host, true);
      await minute(false);
    }
    // 180 s of silence later the central took the area over and saw everything down.
    expect(centralProber.callsFor(devices[0]!.host)).toBeGreaterThan(50);
    expect((await central.client.call('dashboard.problems', {})).total).toBe(4);
    const [down] = await central.client.call('agents.list', {});
    expect(down).toMatchObject({ link: 'down', centralCovering: true });

    const restoredAt = centralClock.now();
    await runtime.heartbeatOnce();
    await runtime.syncOnce();
    for (let m = 0; m < 2; m++) await minute(true);
    const end = centralClock.now();

    // Statuses: the agent's, at once.
    expect((await central.client.call('dashboard.problems', {})).total).toBe(0);
    // Uptime: no false downtime; the real outage (2 minutes of device 4) stays.
    const report = await central.client.call('uptime.report', {
      from: T0,
      to: end,
      groupBy: 'device',
      areaId: area.id,
    });
    const offline = new Map(report.map((row) => [Number(row.key), row.seconds.offline]));
    expect(offline.get(devices[0]!.id)).toBe(0);
    expect(offline.get(devices[1]!.id)).toBe(0);
    expect(offline.get(devices[2]!.id)).toBe(0);
    expect(offline.get(devices[3]!.id)).toBeGreaterThanOrEqual(115);
    expect(offline.get(devices[3]!.id)).toBeLessThanOrEqual(125);
    // History: the central's fallback changes are kept, marked, and not among the recent changes.
    const history = await central.client.call('history.list', { from: T0, to: end + 1 });
    const fallbackChanges = history.changes.filter((c) => c.source === CENTRAL_SOURCE);
    expect(fallbackChanges.length).toBeGreaterThanOrEqual(4);
    expect(fallbackChanges.every((c) => c.superseded)).toBe(true);
    const agentChanges = history.changes.filter((c) => c.source === 'agent:ITA' && c.deviceId === devices[3]!.id);
    expect(agentChanges.map((c) => [c.from, c.to])).toEqual([
      ['OFFLINE', 'ONLINE'],
      ['ONLINE', 'OFFLINE'],
      ['PENDING', 'ONLINE'],
    ]);
    const recent = await central.client.call('dashboard.recentChanges', { areaId: area.id, limit: 50 });
    expect(recent.some((c) => c.source === CENTRAL_SOURCE)).toBe(false);
    // BI files: the cut does not exist there either.
    const out = join(central.dir.path, 'bi');
    await exportBi(central.store, centralClock, { folder: out, settings: DEFAULT_BI_SETTINGS, targetPercent: 95 });
    const daily = Papa.parse<Record<string, string>>(readFileSync(join(out, 'ITA', 'snapshots_diarios.csv'), 'utf8'), {
      header: true,
      skipEmptyLines: true,
    }).data;
    const offlineSeconds = new Map(daily.map((row) => [row.device, Number(row.seconds_offline)]));
    expect(offlineSeconds.get(devices[0]!.name)).toBe(0);
    expect(offlineSeconds.get(devices[3]!.name)).toBe(offline.get(devices[3]!.id));
    expect(cutAt).toBeLessThan(restoredAt);
  });

  it('keeps a week of observations on disk while the central is down, then delivers every one exactly once', async () => {
    setFlagsFromString('--expose_gc');
    const gc = runInNewContext('gc') as () => void;
    const { centralClock, central, agent, prober, devices, area } = await setup({ devices: 20 });
    await central.client.call('settings.monitor.update', {
      ...(await central.client.call('settings.monitor.get', {})),
      intervalMs: 60 * S,
    });
    const runtime = agent.runtime;
    await runtime.refreshConfig();
    await runtime.heartbeatOnce();
    await central.stop();

    const DAY = 86_400_000;
    const heapAfterDay: number[] = [];
    const flapping = devices[7]!.host;
    let expectedOffline = 0;
    for (let day = 0; day < 7; day++) {
      for (let m = 0; m < 1440; m++) {
        // Device 8 is down one hour a day, at 02:00 of the central's day.
        const down = m >= 120 && m < 180;
        prober.setReachable(flapping, !down);
        await runtime.monitor.sweepOnce();
        centralClock.advance(60 * S);
        if (down) expectedOffline += 60;
        if (m % 360 === 0) await expect(runtime.syncOnce()).rejects.toThrow(/cannot be reached/);
      }
      gc();
      heapAfterDay.push(process.memoryUsage().heapUsed);
    }
    // The last minute is written when the monitor stops, as at a shutdown of the site computer.
    await runtime.monitor.stop();
    const waiting = await runtime.status();
    expect(waiting.link).toBe('failing');
    expect(waiting.observations.recorded).toBe(7 * 1440 * 20);
    expect(waiting.outbox.rows).toBeGreaterThan(7 * 1440 * 20);
    expect(waiting.outbox.oldestUnsentAt).toBe(T0);
    // The backlog is on disk: a week of it costs the heap what a day does.
    expect(heapAfterDay[6]! - heapAfterDay[0]!).toBeLessThan(16 * 1024 * 1024);

    await central.start();
    await runtime.heartbeatOnce();
    await runtime.syncOnce();
    const done = await runtime.status();
    expect(done.outbox).toEqual({ batches: 0, rows: 0, oldestUnsentAt: null });
    expect(done.observations).toEqual({ recorded: 7 * 1440 * 20, acknowledged: 7 * 1440 * 20 });
    const [view] = await central.client.call('agents.list', {});
    expect(view!.observationsReceived).toBe(7 * 1440 * 20);
    // Counted again from the central's rollups: every minute of every device once, none twice.
    for (const device of devices) {
      const points = await central.store.rttRollups({ deviceId: device.id, from: T0, to: centralClock.now() });
      expect(points.length).toBe(7 * 1440);
      expect(points.every((p) => p.probes === 1)).toBe(true);
    }
    const report = await uptimeReport(central.store, {
      from: T0,
      to: T0 + 7 * DAY,
      groupBy: 'device',
      filter: { areaId: area.id },
      targetPercent: 95,
      now: centralClock.now(),
    });
    const flappingRow = report.find((row) => Number(row.key) === devices[7]!.id)!;
    expect(flappingRow.seconds.offline).toBe(expectedOffline);
    expect(report.find((row) => Number(row.key) === devices[0]!.id)!.seconds.offline).toBe(0);
  }, 120_000);
});
