/**
 * Benchmarks. They print figures; they never pass or fail on timing.
 *
 *   npm run bench -- sweep --devices 10000 --unreachable 10 [--prober auto|icmp-socket|fping|ping]
 *   npm run bench -- storage --devices 500 --days 30
 *   npm run bench -- export --devices 2000 --days 61
 *   npm run bench -- store --devices 10000 [--dialect sqlite|mssql|both]
 *   npm run bench -- agent-backlog --devices 500 --hours 24 [--agents 10 --seconds 60]
 *   npm run bench -- detection --devices 10000
 *   npm run bench -- board --devices 10000
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_MONITOR_SETTINGS } from '../../src-shared/domain/settings';
import type { MonitorSettings } from '../../src-shared/domain/settings';
import { Monitor } from '../../src-main/core/monitor/engine';
import { createProberRegistry } from '../../src-main/core/monitor/probers';
import type { Prober, ProbeResult } from '../../src-main/core/monitor/probers';
import { openSqliteStore } from '../../src-main/core/store/sqlite/sqlite-store';
import type { SqliteStore } from '../../src-main/core/store/sqlite/sqlite-store';
import { systemClock } from '../../src-main/core/runtime';
import type { Clock } from '../../src-main/core/runtime';
import { ManualClock } from '../helpers/clock';
import { auditsFor } from '../helpers/audit';
import { quietLogger } from '../helpers/central';
import { agentBench } from './agents';
import { boardBench, detectionBench } from './board';
import { exportBench } from './export';
import { storeBench } from './store';
import { TestNamespace } from '../helpers/netns';
import { APP_ROOT, SQLITE_MIGRATIONS, tempDir } from '../helpers/temp';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    devices: { type: 'string', default: '1000' },
    unreachable: { type: 'string', default: '10' },
    days: { type: 'string', default: '30' },
    concurrency: { type: 'string', default: String(DEFAULT_MONITOR_SETTINGS.concurrency) },
    inside: { type: 'boolean', default: false },
    dialect: { type: 'string', default: 'both' },
    hours: { type: 'string', default: '24' },
    agents: { type: 'string', default: '1' },
    seconds: { type: 'string', default: '60' },
    prober: { type: 'string', default: 'auto' },
  },
});

function positiveInt(name: string, raw: string | undefined, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max) {
    console.error(`--${name} must be a whole number from 0 to ${max}`);
    process.exit(2);
  }
  return value;
}

/** 127.1.0.1, 127.1.0.2, …: loopback addresses, one per device. */
const hostOf = (i: number) => `127.1.${Math.floor(i / 250)}.${(i % 250) + 1}`;

async function seed(store: SqliteStore, devices: number): Promise<void> {
  const audits = auditsFor(store, systemClock);
  const area = await store.createArea({ code: 'BEN', name: 'Bench', timeZone: 'UTC' }, audits.area());
  for (let i = 0; i < devices; i++) {
    await store.createDevice(
      {
        name: `DEV-${i}`,
        type: i % 4 === 0 ? 'access_control' : 'camera',
        context: i % 3 === 0 ? 'rfb' : 'normal',
        host: hostOf(i),
        areaId: area.id,
        location: '',
        notes: '',
      },
      audits.device(),
    );
  }
}

function monitor(store: SqliteStore, prober: Prober, clock: Clock, settings: MonitorSettings): Monitor {
  return new Monitor({
    store,
    prober,
    clock,
    settings: () => settings,
    source: 'central',
    holder: 'bench',
    logger: quietLogger,
    onStatusChanges: () => undefined,
    onSweep: () => undefined,
  });
}

/** CPU of this process and of the ping processes it waited for, in ms. */
function cpuMs(): number {
  const own = process.cpuUsage();
  // Fields after the command name: utime stime cutime cstime are the 12th to 15th (in clock ticks, 100/s).
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  const children = (Number(fields[13]) + Number(fields[14])) * 10;
  return (own.user + own.system) / 1000 + children;
}

/** The reference: `fping -i0` over the same hosts, one process, its wall time and CPU. */
async function fpingReference(hosts: readonly string[], timeoutMs: number): Promise<{ ms: number; cpuMs: number }> {
  const cpuBefore = cpuMs();
  const startedAt = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn('fping', ['-C', '1', '-q', '-B', '1', '-r', '0', '-i', '0', '-t', String(timeoutMs)], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    child.once('error', reject);
    child.once('close', () => resolve());
    child.stdin.end(`${hosts.join('\n')}\n`);
  });
  return { ms: Date.now() - startedAt, cpuMs: Math.round(cpuMs() - cpuBefore) };
}

async function sweepInside(devices: number, unreachable: number): Promise<void> {
  const dir = tempDir('vigia-bench-');
  const store = openSqliteStore({
    file: join(dir.path, 'bench.sqlite'),
    migrationsFolder: SQLITE_MIGRATIONS,
    clock: systemClock,
  });
  const prober = createProberRegistry().get(values.prober ?? 'auto');
  if (!prober) {
    console.error(`--prober must be one of: ${[...createProberRegistry().keys()].join(', ')}`);
    process.exit(2);
  }
  try {
    await seed(store, devices);
    const settings = { ...DEFAULT_MONITOR_SETTINGS, concurrency: positiveInt('concurrency', values.concurrency, 500) };
    // Real time, shifted on demand: the third sweep is made the first of a new minute, the one that writes the rollups.
    let shift = 0;
    const clock: Clock = { now: () => Date.now() + shift };
    const m = monitor(store, prober, clock, settings);
    const measured = async () => {
      const before = cpuMs();
      const result = (await m.sweepOnce())!;
      return { summary: result, cpu: Math.round(cpuMs() - before) };
    };
    // The first sweep creates every segment; the second is the steady state the product lives in.
    await m.sweepOnce();
    shift = 60_000 - (clock.now() % 60_000) - 20_000;
    const { summary, cpu: ordinary } = await measured();
    shift += 60_000 - (clock.now() % 60_000) + 100;
    const { cpu: boundary } = await measured();
    // At a 5 s interval a minute has eleven ordinary sweeps and one that writes the minute.
    const perMinute = 60_000 / settings.intervalMs;
    const cpu = Math.round(((perMinute - 1) * ordinary + boundary) / perMinute);
    console.log(
      `# CPU of an ordinary sweep ${ordinary} ms, of the sweep that writes the minute's rollups ${boundary} ms`,
    );
    // Only the dropped addresses may fail: any other failure is a reply lost on the way in.
    const lost = Math.max(0, summary.failures - unreachable);
    const reference = await fpingReference(
      Array.from({ length: devices }, (_, i) => hostOf(i)),
      settings.timeoutMs,
    );
    console.log(
      `# prober ${summary.prober}, ${prober.capacity(settings.concurrency)} in flight, ${settings.timeoutMs} ms timeout, ${settings.intervalMs} ms interval, failures seen: ${summary.failures}`,
    );
    console.log(`# reference fping -i0: ${reference.ms} ms, ${reference.cpuMs} ms of CPU`);
    console.log(
      `sweep devices=${devices} unreachable=${unreachable} duration_ms=${summary.durationMs} cpu_ms=${cpu} fits_interval=${summary.durationMs <= settings.intervalMs ? 'yes' : 'no'} prober=${summary.prober} replies_lost=${lost} fping_ms=${reference.ms} fping_cpu_ms=${reference.cpuMs} cpu_ratio_to_fping=${reference.cpuMs > 0 ? (cpu / reference.cpuMs).toFixed(2) : 'n/a'}`,
    );
  } finally {
    prober.close?.();
    await store.close();
    dir.remove();
  }
}

function sweep(devices: number, percent: number): void {
  const unreachable = Math.round((devices * percent) / 100);
  if (values.inside) {
    void sweepInside(devices, unreachable);
    return;
  }
  // Run the measurement inside a namespace of our own, where an nftables set makes
  // the chosen loopback addresses drop echo requests; the host's network is untouched.
  const ns = new TestNamespace();
  try {
    // As an administrator sets it up on a Linux central (README): unprivileged ICMP sockets allowed.
    ns.allowIcmpSockets();
    const addresses = Array.from({ length: unreachable }, (_, i) => hostOf(Math.floor((i * devices) / unreachable)));
    for (let i = 0; i < addresses.length; i += 200) ns.setUnreachable(addresses.slice(i, i + 200), true);
    const tsx = join(APP_ROOT, 'node_modules', '.bin', 'tsx');
    const [program, ...args] = ns.wrap([
      tsx,
      join(APP_ROOT, 'tests/bench/run.ts'),
      'sweep',
      '--inside',
      '--devices',
      String(devices),
      '--unreachable',
      String(percent),
      '--concurrency',
      String(values.concurrency),
      '--prober',
      String(values.prober),
    ]);
    const child = spawnSync(program!, args, { stdio: 'inherit' });
    process.exitCode = child.status ?? 1;
  } finally {
    ns.remove();
  }
}

/** Deterministic pseudo-random numbers, so two runs simulate the same month. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Answers from a simulated month: most devices fail about once a day for a
 * few minutes, one in twenty flaps a dozen times a day, RTTs wander.
 */
class SimulatedProber implements Prober {
  readonly name = 'simulated';
  capacity(configured: number): number {
    return configured;
  }
  check(): Promise<null> {
    return Promise.resolve(null);
  }
  private readonly outages = new Map<string, Array<[number, number]>>();
  private readonly random = mulberry32(42);

  constructor(
    private readonly clock: Clock,
    hosts: readonly string[],
    from: number,
    days: number,
  ) {
    for (const [i, host] of hosts.entries()) {
      const perDay = i % 20 === 0 ? 12 : 1;
      const spans: Array<[number, number]> = [];
      for (let d = 0; d < days * perDay; d++) {
        const start = from + this.random() * days * 86_400_000;
        spans.push([start, start + (1 + this.random() * 29) * 60_000]);
      }
      this.outages.set(host, spans);
    }
  }

  probe(host: string): Promise<ProbeResult> {
    const now = this.clock.now();
    const down = this.outages.get(host)?.some(([a, b]) => now >= a && now < b) ?? false;
    return Promise.resolve(down ? { alive: false, rttMs: null } : { alive: true, rttMs: 0.3 + this.random() * 20 });
  }
}

/**
 * A year of 10,000 devices at a 5 s interval, projected from what the
 * simulated days took, with the default tiers: per-minute rollups for their
 * window, per-hour figures (measured after folding the whole simulation into
 * them) for the rest of the year, the sweep log (one row per sweep, shared
 * by all devices: twelve times more at 5 s than the simulation's minute) for
 * the minute window, the timelines (segments, status changes) for the whole
 * year, and the rest (devices, audit) once.
 */
function yearAtTenThousand(
  before: Array<[string, number]>,
  folded: Array<[string, number]>,
  devices: number,
  days: number,
): { tiered: number; minutesOnly: number } {
  const window = DEFAULT_MONITOR_SETTINGS.rollupRetentionDays;
  const of = (sizes: Array<[string, number]>, match: (name: string) => boolean) =>
    sizes.filter(([name]) => match(name)).reduce((total, [, size]) => total + size, 0);
  const isMinutes = (name: string) => name.includes('probe_rollups') && !name.includes('hourly');
  const perDeviceDay = (bytes: number) => bytes / (devices * days);
  const minutes = perDeviceDay(of(before, isMinutes));
  const hours = perDeviceDay(of(folded, (name) => name.includes('probe_rollups_hourly')));
  const sweepLog = of(before, (name) => name.startsWith('sweeps'));
  const timelines = of(before, (name) => name.startsWith('state_segments') || name.startsWith('status_changes'));
  const rest = of(before, () => true) - of(before, (name) => name.includes('probe_rollups')) - sweepLog - timelines;
  const common = 10_000 * (perDeviceDay(timelines) * 365 + rest / devices) + (sweepLog / days) * 12 * window;
  return {
    tiered: (common + 10_000 * (minutes * window + hours * (365 - window))) / 1e9,
    minutesOnly: (common + 10_000 * minutes * 365) / 1e9,
  };
}

async function storage(devices: number, days: number): Promise<void> {
  const dir = tempDir('vigia-bench-');
  const file = join(dir.path, 'bench.sqlite');
  const start = Date.UTC(2026, 9, 1);
  const clock = new ManualClock(start);
  const store = openSqliteStore({ file, migrationsFolder: SQLITE_MIGRATIONS, clock });
  let year = { tiered: NaN, minutesOnly: NaN };
  try {
    await seed(store, devices);
    // Per-minute rollups make storage independent of the interval as long as it is a minute or
    // less; sweeping once a minute keeps a month's simulation to minutes of wall time.
    const settings: MonitorSettings = {
      ...DEFAULT_MONITOR_SETTINGS,
      intervalMs: 60_000,
      rollupRetentionDays: Math.max(days, 1),
    };
    const prober = new SimulatedProber(
      clock,
      Array.from({ length: devices }, (_, i) => hostOf(i)),
      start,
      days,
    );
    const m = monitor(store, prober, clock, settings);
    const end = start + days * 86_400_000;
    const began = Date.now();
    for (let day = 0; clock.now() < end;) {
      await m.sweepOnce();
      clock.advance(settings.intervalMs);
      const today = Math.floor((clock.now() - start) / 86_400_000);
      if (today !== day) {
        day = today;
        console.log(`# day ${day}/${days} simulated (${Math.round((Date.now() - began) / 1000)} s)`);
      }
    }
    await m.stop();
    // Tables and indexes of a page or two are the empty ones; list what takes room.
    const sizes = store.tableSizes();
    for (const [table, size] of sizes.filter(([, size]) => size > 16_384)) {
      console.log(`# ${table}: ${size} bytes (${Math.round(size / (devices * days))} per device-day)`);
    }
    // Everything folded into the hourly tier, to measure what a device-day costs there.
    await store.pruneObservations({ rawBefore: end, rollupsBefore: end, hourlyBefore: 0 });
    year = yearAtTenThousand(sizes, store.tableSizes(), devices, days);
  } finally {
    await store.close();
  }
  const bytes = statSync(file).size;
  console.log(`# ${bytes} bytes in the file; simulated with one sweep a minute: rollups and segments do not depend on`);
  console.log(
    `# the interval; the sweep log, shared by all devices, is 12 times longer at 5 s and kept for the rollup retention`,
  );
  console.log(
    `# year_10k_gb: a year of 10,000 devices at 5 s with the default tiers (per-minute ${DEFAULT_MONITOR_SETTINGS.rollupRetentionDays} days, then per-hour); per-minute all year it would be ${year.minutesOnly.toFixed(1)} GB`,
  );
  console.log(
    `storage devices=${devices} days=${days} bytes_per_device_day=${Math.round(bytes / (devices * days))} year_10k_gb=${year.tiered.toFixed(1)}`,
  );
  dir.remove();
}

const [command] = positionals;
if (command === 'sweep') {
  sweep(positiveInt('devices', values.devices, 60_000), positiveInt('unreachable', values.unreachable, 100));
} else if (command === 'storage') {
  void storage(positiveInt('devices', values.devices, 20_000), positiveInt('days', values.days, 400));
} else if (command === 'store') {
  if (!['sqlite', 'mssql', 'both'].includes(values.dialect)) {
    console.error('--dialect is sqlite, mssql or both');
    process.exitCode = 2;
  } else void storeBench(positiveInt('devices', values.devices, 50_000), values.dialect);
} else if (command === 'export') {
  void exportBench(positiveInt('devices', values.devices, 20_000), positiveInt('days', values.days, 400));
} else if (command === 'detection') {
  void detectionBench(positiveInt('devices', values.devices, 60_000));
} else if (command === 'board') {
  void boardBench(positiveInt('devices', values.devices, 60_000));
} else if (command === 'agent-backlog') {
  void agentBench({
    devices: positiveInt('devices', values.devices, 5000),
    hours: positiveInt('hours', values.hours, 24 * 14),
    agents: positiveInt('agents', values.agents, 50),
    seconds: positiveInt('seconds', values.seconds, 3600),
  });
} else {
  console.error(
    'usage: npm run bench -- sweep --devices N --unreachable P [--prober auto|icmp-socket|fping|ping] | storage --devices N --days D | export --devices N --days D | store --devices N [--dialect sqlite|mssql|both] | agent-backlog --devices N --hours H [--agents A --seconds S] | detection --devices N | board --devices N',
  );
  process.exitCode = 2;
}
