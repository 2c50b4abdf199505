/**
 * The BI export at the size of a real control room, and what it does to the
 * sweeps running meanwhile.
 *
 *   npm run bench -- export --devices 2000 --days 61
 */
import { join } from 'node:path';
import { DEFAULT_BI_SETTINGS } from '../../src-shared/domain/bi';
import { DEFAULT_MONITOR_SETTINGS } from '../../src-shared/domain/settings';
import { exportBi } from '../../src-main/core/bi/export';
import { exportInWorker } from '../../src-main/core/bi/run-in-worker';
import { Monitor } from '../../src-main/core/monitor/engine';
import type { Prober, ProbeResult } from '../../src-main/core/monitor/probers';
import { openSqliteStore } from '../../src-main/core/store/sqlite/sqlite-store';
import { systemClock } from '../../src-main/core/runtime';
import { auditsFor } from '../helpers/audit';
import { ManualClock } from '../helpers/clock';
import { quietLogger } from '../helpers/central';
import { APP_ROOT, SQLITE_MIGRATIONS, tempDir } from '../helpers/temp';

const DAY = 86_400_000;

/** Answers every probe after a network-like wait, so a sweep's length is waiting, as with real probes. */
class WaitingProber implements Prober {
  readonly name = 'waiting';
  capacity(configured: number): number {
    return configured;
  }
  check(): Promise<null> {
    return Promise.resolve(null);
  }
  probe(): Promise<ProbeResult> {
    return new Promise((resolve) => setTimeout(() => resolve({ alive: true, rttMs: 20 }), 20));
  }
}

/** Devices registered `days` ago, with their history: online, with two outages of a few minutes a day each. */
async function seed(file: string, devices: number, days: number, now: number): Promise<void> {
  const clock = new ManualClock(now - days * DAY);
  const store = openSqliteStore({ file, migrationsFolder: SQLITE_MIGRATIONS, clock });
  const audits = auditsFor(store, clock);
  const area = await store.createArea({ code: 'BEN', name: 'Bench', timeZone: 'America/Sao_Paulo' }, audits.area());
  const start = now - days * DAY;
  const epoch = (await store.acquireMonitorLease('seed', now, 60_000))!;
  for (let i = 0; i < devices; i++) {
    const device = await store.createDevice(
      {
        name: `DEV-${i}`,
        type: 'camera',
        context: 'normal',
        host: `10.${i >> 8}.${i & 255}.1`,
        areaId: area.id,
        location: '',
        notes: '',
      },
      audits.device(),
    );
    const insert: Array<{ deviceId: number; state: 'online' | 'offline'; startAt: number; endAt: number }> = [];
    let t = start;
    for (let d = 0; d < days; d++) {
      for (const hour of [3 + (i % 7), 15 + (i % 5)]) {
        const down = start + d * DAY + hour * 3_600_000;
        const up = down + (1 + ((i * 7 + d) % 29)) * 60_000;
        insert.push({ deviceId: device.id, state: 'online', startAt: t, endAt: down });
        insert.push({ deviceId: device.id, state: 'offline', startAt: down, endAt: up });
        t = up;
      }
    }
    insert.push({ deviceId: device.id, state: 'online', startAt: t, endAt: now });
    await store.recordSweep({
      holder: 'seed',
      epoch,
      leaseExpiresAt: now + 60_000,
      source: 'central',
      summary: {
        startedAt: now,
        durationMs: 1,
        devicesProbed: 0,
        failures: 0,
        overrunMs: 0,
        prober: 'seed',
        probesNotRun: 0,
        proberProblem: null,
      },
      extend: [],
      insert,
      statusChanges: [],
      minutes: [],
      probes: [],
      keepRaw: false,
    });
  }
  await store.releaseMonitorLease('seed', epoch);
  await store.close();
}

/** Sweeps back to back until `until` settles; returns each sweep's length. */
async function sweepWhile(monitor: Monitor, until: Promise<unknown>): Promise<number[]> {
  let done = false;
  void until.finally(() => (done = true));
  const lengths: number[] = [];
  do lengths.push((await monitor.sweepOnce())!.durationMs);
  while (!done);
  return lengths;
}

export async function exportBench(devices: number, days: number): Promise<void> {
  const dir = tempDir('vigia-bench-');
  const file = join(dir.path, 'bench.sqlite');
  const now = Date.now();
  const seeding = Date.now();
  await seed(file, devices, days, now);
  const store = openSqliteStore({ file, migrationsFolder: SQLITE_MIGRATIONS, clock: systemClock });
  try {
    console.log(
      `# seeded ${devices} devices with ${days} days of history in ${Math.round((Date.now() - seeding) / 1000)} s`,
    );
    const folder = join(dir.path, 'exports');
    const request = { folder, settings: DEFAULT_BI_SETTINGS, targetPercent: 95 };
    const worker = join(APP_ROOT, 'dist', 'workers', 'bi-export.mjs');
    const monitor = new Monitor({
      store,
      prober: new WaitingProber(),
      clock: systemClock,
      settings: () => DEFAULT_MONITOR_SETTINGS,
      source: 'central',
      holder: 'bench',
      logger: quietLogger,
      onStatusChanges: () => undefined,
      onSweep: () => undefined,
    });
    await monitor.sweepOnce();
    const idle = await sweepWhile(monitor, new Promise((resolve) => setTimeout(resolve, 3000)));

    let began = Date.now();
    const inWorker = exportInWorker(worker, {
      ...request,
      store: { dialect: 'sqlite', file, migrationsFolder: SQLITE_MIGRATIONS },
      now: Date.now(),
    });
    const duringWorker = await sweepWhile(monitor, inWorker);
    const workerMs = Date.now() - began;
    const rows = (await inWorker).files.reduce((n, f) => n + f.rows, 0);

    began = Date.now();
    const inProcess = exportBi(store, systemClock, {
      ...request,
      yieldEvery: () => new Promise((r) => setImmediate(r)),
    });
    const duringInProcess = await sweepWhile(monitor, inProcess);
    const inProcessMs = Date.now() - began;
    await monitor.stop();

    const max = (list: number[]) => Math.max(...list);
    console.log(`# sweeps of ${devices} devices, 50 probes in flight answering after 20 ms; their lengths in ms:`);
    console.log(`#   idle: ${idle.join(' ')}`);
    console.log(`#   during the export in its worker: ${duringWorker.join(' ')}`);
    console.log(`#   during the export in-process (for comparison): ${duringInProcess.join(' ')}`);
    console.log(
      `export devices=${devices} days=${days} rows=${rows} worker_ms=${workerMs} in_process_ms=${inProcessMs} ` +
        `sweep_idle_max_ms=${max(idle)} sweep_during_worker_export_max_ms=${max(duringWorker)} ` +
        `sweep_during_in_process_export_max_ms=${max(duringInProcess)}`,
    );
  } finally {
    await store.close();
    dir.remove();
  }
}
