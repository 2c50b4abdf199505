import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_BI_SETTINGS } from '../../src-shared/domain/bi';
import { CENTRAL_SOURCE } from '../../src-shared/domain/uptime';
import { listenerCertificate } from '../../src-main/core/agent-sync/certificate';
import { openSqliteOutbox } from '../../src-main/core/agent/outbox/sqlite-outbox';
import { OUTBOX_FILE } from '../../src-main/core/agent/start';
import { exportBi } from '../../src-main/core/bi/export';
import { uptimeReport } from '../../src-main/core/monitor/accounting';
import { systemClock } from '../../src-main/core/runtime';
import { openSqliteStore } from '../../src-main/core/store/sqlite/sqlite-store';
import { AGENT_MIGRATIONS, enrolSiteInDataStore } from '../helpers/agents';
import { TwoSites } from '../helpers/netns';
import { startRunnerProcess } from '../helpers/runner-process';
import type { RunnerProcess } from '../helpers/runner-process';
import { SQLITE_MIGRATIONS, tempDir } from '../helpers/temp';

const DEVICES = 20;

/**
 * A central and an agent as real processes in two network namespaces joined
 * by a veth pair; the area's devices exist in the agent's namespace only.
 * The link is cut for longer than the takeover delay, then restored.
 */
describe('a field site behind a WAN link that is cut and restored (real processes, real HTTPS, real ping)', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('shows no false downtime and loses or doubles no observation', async () => {
    const net = new TwoSites(DEVICES);
    cleanups.push(() => net.remove());
    const central = tempDir('vigia-hq-');
    const site = tempDir('vigia-site-');
    cleanups.push(
      () => central.remove(),
      () => site.remove(),
    );

    // The central's store, made ready as an administrator would: fast settings, the area, its devices, its key.
    const { key, areaId } = await enrolSiteInDataStore(central.path, net.devices, 1000);
    const { fingerprint } = await listenerCertificate({ folder: central.path });
    const keyFile = join(site.path, 'ita.key');
    writeFileSync(keyFile, `${key}\n`, { mode: 0o600 });

    const runners: RunnerProcess[] = [];
    cleanups.push(async () => {
      for (const runner of runners) await runner.stop('SIGKILL');
    });
    const hq = await startRunnerProcess(
      ['--data-dir', central.path, '--port', '0', '--agent-listen', `${net.hqAddress}:0`],
      15_000,
      net.wrap(net.hq),
    );
    runners.push(hq);
    const port = /agent-sync listener on https:\/\/[\d.]+:(\d+)/.exec(hq.output())?.[1];
    expect(port).toBeDefined();
    const agent = await startRunnerProcess(
      [
        '--agent',
        '--central',
        `https://${net.hqAddress}:${port}`,
        '--area',
        'ITA',
        '--key-file',
        keyFile,
        '--central-fingerprint',
        fingerprint,
        '--data-dir',
        site.path,
        '--port',
        '0',
      ],
      15_000,
      net.wrap(net.site),
    );
    runners.push(agent);

    const watch = () =>
      openSqliteStore({
        file: join(central.path, 'vigia.sqlite'),
        migrationsFolder: SQLITE_MIGRATIONS,
        clock: systemClock,
        readOnly: true,
      });
    const look = async () => {
      const store = watch();
      try {
        const [record] = await store.listAgents({});
        const devices = await store.listDevices({ areaId });
        return {
          heardAgo: record?.lastHeartbeatAt ? Date.now() - record.lastHeartbeatAt : Infinity,
          received: record?.observationsReceived ?? 0,
          online: devices.filter((d) => d.status === 'ONLINE').length,
          offline: devices.filter((d) => d.status === 'OFFLINE').length,
        };
      } finally {
        await store.close();
      }
    };

    // The agent is heard, its devices are ONLINE at the central.
    await expect.poll(look, { timeout: 30_000, interval: 500 }).toMatchObject({ online: DEVICES });
    const startedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 3000));

    // The link is cut: after the takeover delay the central pings the area itself and sees every device down.
    net.cut();
    const cutAt = Date.now();
    await expect.poll(look, { timeout: 20_000, interval: 500 }).toMatchObject({ offline: DEVICES });
    expect(Date.now() - cutAt).toBeGreaterThanOrEqual(5000);
    await new Promise((resolve) => setTimeout(resolve, 3000));

    // The link comes back: the agent's week-or-minute of observations replaces the central's conclusion.
    net.restore();
    await expect.poll(look, { timeout: 40_000, interval: 500 }).toMatchObject({ online: DEVICES });
    await expect.poll(async () => (await look()).heardAgo, { timeout: 20_000 }).toBeLessThan(3000);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await agent.stop('SIGTERM')).toBe(0);
    const endedAt = Date.now();
    expect(await hq.stop('SIGTERM')).toBe(0);
    runners.length = 0;

    // Both ends counted: every observation the agent recorded arrived once.
    const outbox = openSqliteOutbox(join(site.path, OUTBOX_FILE), AGENT_MIGRATIONS);
    const counted = await outbox.counters();
    const depth = await outbox.depth();
    await outbox.close();
    expect(depth).toEqual({ batches: 0, rows: 0, oldestUnsentAt: null });
    expect(counted.recorded).toBeGreaterThan(DEVICES * 10);
    expect(counted.acknowledged).toBe(counted.recorded);

    const store = openSqliteStore({
      file: join(central.path, 'vigia.sqlite'),
      migrationsFolder: SQLITE_MIGRATIONS,
      clock: systemClock,
    });
    try {
      const devices = await store.listDevices({ areaId });
      const ids = devices.map((d) => d.id);
      const counts = await store.probeCounts({ deviceIds: ids, from: 0, to: endedAt + 60_000 });
      const agentProbes = counts.filter((c) => c.source === 'agent:ITA').reduce((n, c) => n + c.probes, 0);
      expect(agentProbes).toBe(counted.recorded);
      expect((await store.listAgents({}))[0]!.observationsReceived).toBe(counted.recorded);
      // The central did ping during the cut, and saw nothing answer.
      const fallback = counts.filter((c) => c.source === CENTRAL_SOURCE);
      expect(fallback.reduce((n, c) => n + c.failures, 0)).toBeGreaterThan(0);

      // No false downtime: not in the uptime report, not in the BI files.
      const report = await uptimeReport(store, {
        from: startedAt,
        to: endedAt,
        groupBy: 'device',
        filter: { areaId },
        targetPercent: 95,
        now: endedAt,
      });
      expect(report).toHaveLength(DEVICES);
      for (const row of report) {
        expect(row.seconds.offline, row.label).toBe(0);
        expect(row.seconds.online, row.label).toBeGreaterThan((endedAt - startedAt) / 1000 - 10);
      }
      const out = join(central.path, 'bi');
      await exportBi(store, systemClock, { folder: out, settings: DEFAULT_BI_SETTINGS, targetPercent: 95 });
      const daily = Papa.parse<Record<string, string>>(
        readFileSync(join(out, 'ITA', 'snapshots_diarios.csv'), 'utf8'),
        {
          header: true,
          skipEmptyLines: true,
        },
      ).data;
      expect(daily.length).toBeGreaterThanOrEqual(DEVICES);
      expect(daily.every((row) => row.seconds_offline === '0')).toBe(true);
      // History keeps what the central concluded, marked, and the dashboard does not show it.
      const changes = await store.listStatusChanges({ areaId, limit: 1000 });
      const concluded = changes.filter((c) => c.source === CENTRAL_SOURCE);
      // (Before the agent was first heard, the central saw the devices answer: that stands.)
      const duringCut = concluded.filter((c) => c.at >= cutAt);
      expect(duringCut.filter((c) => c.to === 'OFFLINE')).toHaveLength(DEVICES);
      expect(duringCut.every((c) => c.superseded)).toBe(true);
      const recent = await store.recentStatusChanges({ areaId, limit: 100 });
      expect(recent.filter((c) => c.to === 'OFFLINE')).toEqual([]);
    } finally {
      await store.close();
    }
  }, 180_000);
});
