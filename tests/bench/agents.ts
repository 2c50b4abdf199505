/**
 * Agents at a field site's size.
 *
 *   npm run bench -- agent-backlog --devices 500 --hours 24
 *     a day of one agent's observations waiting in its outbox (the central
 *     away), then the time the central (a separate process, the built runner)
 *     takes to have all of it, counted at both ends.
 *   npm run bench -- agent-backlog --agents 10 --devices 500 [--seconds 60]
 *     ten agents syncing in real time; the central process's CPU per minute.
 *
 * Needs `npm run build` first (the central runs from dist/).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { listenerCertificate } from '../../src-main/core/agent-sync/certificate';
import type { AgentInstance } from '../../src-main/core/agent/start';
import type { Prober, ProbeResult } from '../../src-main/core/monitor/probers';
import { systemClock } from '../../src-main/core/runtime';
import { openSqliteStore } from '../../src-main/core/store/sqlite/sqlite-store';
import { startTestAgent } from '../helpers/agents';
import { ManualClock } from '../helpers/clock';
import { startRunnerProcess } from '../helpers/runner-process';
import { prepareDataStore } from '../helpers/seed';
import { SQLITE_MIGRATIONS, tempDir } from '../helpers/temp';

const HOUR = 3_600_000;

/** Every device answers at once, with an RTT that moves; one in fifty is down an hour in five. */
class SiteProber implements Prober {
  readonly name = 'site';
  capacity(configured: number): number {
    return configured;
  }
  constructor(private readonly clock: { now(): number }) {}
  check(): Promise<null> {
    return Promise.resolve(null);
  }
  probe(host: string): Promise<ProbeResult> {
    const n = Number(host.split('.').at(-1));
    const down = n % 50 === 0 && Math.floor(this.clock.now() / HOUR) % 5 === 0;
    return Promise.resolve(down ? { alive: false, rttMs: null } : { alive: true, rttMs: 1 + (n % 17) / 3 });
  }
}

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

/** CPU seconds a process has used, from /proc (utime + stime, 100 ticks a second). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** A central data folder with `agents` areas of `devices` devices each, and a key per area. */
async function prepareCentral(dir: string, agents: number, devices: number, intervalMs: number) {
  return prepareDataStore(dir, async (client) => {
    const monitor = await client.call('settings.monitor.get', {});
    await client.call('settings.monitor.update', { ...monitor, intervalMs });
    const areas: Array<{ code: string; id: number; key: string }> = [];
    for (let a = 0; a < agents; a++) {
      const code = `A${String(a).padStart(2, '0')}`;
      const area = await client.call('areas.create', { code, name: `Area ${code}`, timeZone: 'America/Sao_Paulo' });
      for (let i = 1; i <= devices; i++) {
        await client.call('devices.create', {
          name: `${code}-${i}`,
          type: 'camera',
          context: 'normal',
          host: `10.${a}.${i >> 8}.${i & 255}`,
          areaId: area.id,
          location: '',
          notes: '',
        });
      }
      const { key } = await client.call('agents.issueKey', { areaId: area.id, replacing: null });
      areas.push({ code, id: area.id, key });
    }
    return areas;
  });
}

async function startCentralProcess(dir: string) {
  const { fingerprint } = await listenerCertificate({ folder: dir });
  const port = await freePort();
  const runner = await startRunnerProcess(
    ['--data-dir', dir, '--port', '0', '--agent-listen', `127.0.0.1:${port}`, '--no-monitor'],
    30_000,
  );
  return { runner, url: `https://127.0.0.1:${port}`, fingerprint };
}

async function backlog(devices: number, hours: number): Promise<void> {
  const central = tempDir('vigia-bench-hq-');
  const site = tempDir('vigia-bench-site-');
  try {
    const [area] = await prepareCentral(central.path, 1, devices, 5000);
    const hq = await startCentralProcess(central.path);
    const now = Date.now();
    // The agent learns its devices, then `hours` pass with the central away.
    const first = await startTestAgent({
      url: hq.url,
      fingerprint: hq.fingerprint,
      key: area!.key,
      areaCode: area!.code,
      clock: systemClock,
      prober: new SiteProber(systemClock),
      dataDir: site.path,
    });
    await first.runtime.refreshConfig();
    await first.stop();
    const past = new ManualClock(now - hours * HOUR);
    const generator = await startTestAgent({
      url: hq.url,
      fingerprint: hq.fingerprint,
      key: area!.key,
      areaCode: area!.code,
      clock: past,
      prober: new SiteProber(past),
      dataDir: site.path,
    });
    const began = Date.now();
    while (past.now() < now - 5000) {
      await generator.runtime.monitor.sweepOnce();
      past.advance(5000);
      if ((past.now() - (now - hours * HOUR)) % HOUR < 5000) {
        console.log(
          `# ${Math.round((past.now() - now) / HOUR + hours)} h of ${hours} recorded (${Math.round((Date.now() - began) / 1000)} s)`,
        );
      }
    }
    const waiting = await generator.runtime.status();
    await generator.stop();
    console.log(`# outbox: ${waiting.outbox.rows} rows, ${waiting.observations.recorded} observations`);

    const agent = await startTestAgent({
      url: hq.url,
      fingerprint: hq.fingerprint,
      key: area!.key,
      areaCode: area!.code,
      clock: systemClock,
      prober: new SiteProber(systemClock),
      dataDir: site.path,
    });
    const cpuBefore = cpuSeconds(hq.runner.child.pid!);
    const started = performance.now();
    await agent.runtime.syncOnce();
    const syncedS = (performance.now() - started) / 1000;
    const centralCpu = cpuSeconds(hq.runner.child.pid!) - cpuBefore;
    const counters = (await agent.runtime.status()).observations;
    await agent.stop();
    await hq.runner.stop();

    const store = openSqliteStore({
      file: join(central.path, 'vigia.sqlite'),
      migrationsFolder: SQLITE_MIGRATIONS,
      clock: systemClock,
    });
    const ids = (await store.listDevices({ areaId: area!.id })).map((d) => d.id);
    const counts = await store.probeCounts({ deviceIds: ids, from: 0, to: Date.now() + HOUR });
    await store.close();
    const arrived = counts.filter((c) => c.source === `agent:${area!.code}`).reduce((n, c) => n + c.probes, 0);
    console.log(
      `# central CPU while syncing: ${centralCpu.toFixed(1)} s; acknowledged ${counters.acknowledged} of ${counters.recorded}`,
    );
    console.log(
      `agent-backlog devices=${devices} hours=${hours} observations=${counters.recorded} synced_s=${syncedS.toFixed(1)} lost=${Math.max(0, counters.recorded - arrived)} duplicated=${Math.max(0, arrived - counters.recorded)}`,
    );
  } finally {
    central.remove();
    site.remove();
  }
}

async function steady(agents: number, devices: number, seconds: number): Promise<void> {
  const central = tempDir('vigia-bench-hq-');
  const sites = Array.from({ length: agents }, () => tempDir('vigia-bench-site-'));
  const running: AgentInstance[] = [];
  try {
    const areas = await prepareCentral(central.path, agents, devices, 5000);
    const hq = await startCentralProcess(central.path);
    for (const [i, area] of areas.entries()) {
      const agent = await startTestAgent({
        url: hq.url,
        fingerprint: hq.fingerprint,
        key: area.key,
        areaCode: area.code,
        clock: systemClock,
        prober: new SiteProber(systemClock),
        dataDir: sites[i]!.path,
        autoRun: true,
      });
      running.push(agent);
    }
    console.log(`# ${agents} agents of ${devices} devices sweeping every 5 s; warming up 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 20_000));
    const before = cpuSeconds(hq.runner.child.pid!);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const perMinute = ((cpuSeconds(hq.runner.child.pid!) - before) * 60) / seconds;
    const counters = await Promise.all(running.map(async (a) => (await a.runtime.status()).observations));
    console.log(
      `# acknowledged ${counters.reduce((n, c) => n + c.acknowledged, 0)} of ${counters.reduce((n, c) => n + c.recorded, 0)} observations so far`,
    );
    for (const agent of running.splice(0)) await agent.stop();
    await hq.runner.stop();
    console.log(`agent-steady agents=${agents} devices=${devices} central_cpu_s_per_min=${perMinute.toFixed(2)}`);
  } finally {
    for (const agent of running) await agent.stop();
    central.remove();
    for (const site of sites) site.remove();
  }
}

export async function agentBench(options: { devices: number; hours: number; agents: number; seconds: number }) {
  if (options.agents > 1) await steady(options.agents, options.devices, options.seconds);
  else await backlog(options.devices, options.hours);
}
