import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listenerCertificate } from '../../src-main/core/agent-sync/certificate';
import { openSqliteOutbox } from '../../src-main/core/agent/outbox/sqlite-outbox';
import { OUTBOX_FILE } from '../../src-main/core/agent/start';
import { systemClock } from '../../src-main/core/runtime';
import { openSqliteStore } from '../../src-main/core/store/sqlite/sqlite-store';
import { AGENT_MIGRATIONS, enrolSiteInDataStore, startTestAgent } from '../helpers/agents';
import { ManualClock } from '../helpers/clock';
import { ScriptedProber } from '../helpers/fake-prober';
import { startRunnerProcess } from '../helpers/runner-process';
import type { RunnerProcess } from '../helpers/runner-process';
import { SQLITE_MIGRATIONS, tempDir } from '../helpers/temp';

const DEVICES = 80;
const DAY = 86_400_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Two days of an agent's observations waiting in its outbox, then delivered
 * by real processes while each end is killed with SIGKILL in the middle:
 * the agent mid-upload, the central mid-apply.
 */
describe('kill -9 of the agent and of the central while a backlog syncs (real processes)', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('delivers every observation exactly once', async () => {
    const central = tempDir('vigia-hq-');
    const site = tempDir('vigia-site-');
    cleanups.push(
      () => central.remove(),
      () => site.remove(),
    );
    const hosts = Array.from({ length: DEVICES }, (_, i) => `127.0.41.${i + 1}`);
    const { key, areaId } = await enrolSiteInDataStore(central.path, hosts, 2000);
    const { fingerprint } = await listenerCertificate({ folder: central.path });
    const port = await freePort();
    const url = `https://127.0.0.1:${port}`;
    const keyFile = join(site.path, 'ita.key');
    writeFileSync(keyFile, key);

    const runners = new Set<RunnerProcess>();
    cleanups.push(async () => {
      for (const runner of runners) await runner.stop('SIGKILL');
    });
    const startCentral = async () => {
      const runner = await startRunnerProcess(
        ['--data-dir', central.path, '--port', '0', '--agent-listen', `127.0.0.1:${port}`],
        15_000,
      );
      runners.add(runner);
      return runner;
    };
    const startAgent = async () => {
      const runner = await startRunnerProcess(
        [
          '--agent',
          '--central',
          url,
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
      );
      runners.add(runner);
      return runner;
    };
    const kill = async (runner: RunnerProcess) => {
      await runner.stop('SIGKILL');
      runners.delete(runner);
    };
    const received = async () => {
      const store = openSqliteStore({
        file: join(central.path, 'vigia.sqlite'),
        migrationsFolder: SQLITE_MIGRATIONS,
        clock: systemClock,
        readOnly: true,
      });
      try {
        return (await store.listAgents({}))[0]?.observationsReceived ?? 0;
      } finally {
        await store.close();
      }
    };

    let hq = await startCentral();
    // The agent learns its devices once, then two days pass with the central out of reach (sweeps every minute).
    const now = Date.now();
    const configured = await startTestAgent({
      url,
      fingerprint,
      key,
      clock: systemClock,
      prober: new ScriptedProber(),
      dataDir: site.path,
    });
    await configured.runtime.refreshConfig();
    await configured.stop();
    const past = new ManualClock(now - 2 * DAY);
    const prober = new ScriptedProber(3.3);
    const generator = await startTestAgent({ url, fingerprint, key, clock: past, prober, dataDir: site.path });
    while (past.now() < now - 60_000) {
      prober.setReachable('127.0.41.7', Math.floor(past.now() / 3_600_000) % 5 !== 0);
      await generator.runtime.monitor.sweepOnce();
      past.advance(60_000);
    }
    await generator.stop();
    const backlog = DEVICES * 2 * 1440 - DEVICES;
    expect(backlog).toBeGreaterThan(200_000);

    // The agent is killed while batches are going up…
    let agent = await startAgent();
    await expect.poll(received, { timeout: 60_000, interval: 100 }).toBeGreaterThan(0);
    const atAgentKill = await received();
    await kill(agent);
    expect(atAgentKill).toBeLessThan(backlog);
    agent = await startAgent();

    // …and the central while it applies them.
    await expect.poll(received, { timeout: 60_000, interval: 100 }).toBeGreaterThan(atAgentKill + 20_000);
    await kill(hq);
    const atCentralKill = await received();
    expect(atCentralKill).toBeLessThan(backlog);
    hq = await startCentral();

    await expect.poll(received, { timeout: 120_000, interval: 500 }).toBeGreaterThanOrEqual(backlog);
    expect(await agent.stop('SIGTERM')).toBe(0);
    runners.delete(agent);
    expect(await hq.stop('SIGTERM')).toBe(0);
    runners.delete(hq);

    const outbox = openSqliteOutbox(join(site.path, OUTBOX_FILE), AGENT_MIGRATIONS);
    const counted = await outbox.counters();
    expect(await outbox.depth()).toMatchObject({ batches: 0, rows: 0 });
    await outbox.close();
    expect(counted.acknowledged).toBe(counted.recorded);

    const store = openSqliteStore({
      file: join(central.path, 'vigia.sqlite'),
      migrationsFolder: SQLITE_MIGRATIONS,
      clock: systemClock,
    });
    try {
      const ids = (await store.listDevices({ areaId })).map((d) => d.id);
      const counts = await store.probeCounts({ deviceIds: ids, from: 0, to: Date.now() + 60_000 });
      expect(counts.filter((c) => c.source === 'agent:ITA').reduce((n, c) => n + c.probes, 0)).toBe(counted.recorded);
      expect((await store.listAgents({}))[0]!.observationsReceived).toBe(counted.recorded);
      // Minute by minute, too: no minute of the backlog counted twice.
      const points = await store.rttRollups({ deviceId: ids[0]!, from: now - 2 * DAY, to: now - 120_000 });
      expect(points.every((p) => p.probes === 1)).toBe(true);
      expect(points.length).toBeGreaterThanOrEqual(2 * 1440 - 3);
    } finally {
      await store.close();
    }
  }, 300_000);
});
