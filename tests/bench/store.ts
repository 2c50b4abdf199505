/**
 * The two dialects side by side at the size of a large control room: the
 * write of one steady-state sweep, and a month's uptime report of one area.
 *
 *   npm run bench -- store --devices 10000 [--dialect sqlite|mssql|both]
 *
 * SQL Server is measured when VIGIA_TEST_MSSQL_URL names one (the Babelfish
 * stand-in here; numbers from a real SQL Server differ).
 */
import { minutesOf } from '../../src-main/core/monitor/rollup-buffer';
import { join } from 'node:path';
import { uptimeReport } from '../../src-main/core/monitor/accounting';
import { openMssqlStore } from '../../src-main/core/store/mssql/mssql-store';
import { openSqliteStore } from '../../src-main/core/store/sqlite/sqlite-store';
import type { Store, SweepRecord } from '../../src-main/core/store/port';
import { auditsFor } from '../helpers/audit';
import { ManualClock } from '../helpers/clock';
import { createTestDatabase, MSSQL_URL } from '../helpers/mssql';
import { APP_ROOT, SQLITE_MIGRATIONS, tempDir } from '../helpers/temp';

const DAY = 86_400_000;
const DAYS = 30;

function summary(at: number, devices: number): SweepRecord['summary'] {
  return {
    startedAt: at,
    durationMs: 2000,
    devicesProbed: devices,
    failures: 0,
    overrunMs: 0,
    prober: 'bench',
    probesNotRun: 0,
    proberProblem: null,
  };
}

/** An area of `devices`, registered a month ago, each with a month of segments; returns the open segments' starts. */
async function seed(
  store: Store,
  clock: ManualClock,
  devices: number,
): Promise<{ areaId: number; ids: number[]; openSince: number }> {
  const audits = auditsFor(store, clock);
  const area = await store.createArea({ code: 'BEN', name: 'Bench', timeZone: 'America/Sao_Paulo' }, audits.area());
  const ids: number[] = [];
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
    ids.push(device.id);
  }
  const start = clock.now();
  const end = start + DAYS * DAY;
  const epoch = (await store.acquireMonitorLease('seed', end, 3_600_000))!;
  // Each day a short outage per device: about sixty segments per device over the month.
  for (let chunk = 0; chunk < ids.length; chunk += 500) {
    const insert: Array<SweepRecord['insert'][number]> = [];
    for (const [n, id] of ids.slice(chunk, chunk + 500).entries()) {
      let t = start;
      for (let d = 0; d < DAYS; d++) {
        const down = start + d * DAY + ((n * 7919) % 80_000) * 1000;
        insert.push(
          { deviceId: id, state: 'online', startAt: t, endAt: down },
          { deviceId: id, state: 'offline', startAt: down, endAt: down + 300_000 },
        );
        t = down + 300_000;
      }
      insert.push({ deviceId: id, state: 'online', startAt: t, endAt: end });
    }
    await store.recordSweep({
      holder: 'seed',
      epoch,
      leaseExpiresAt: end + 3_600_000,
      source: 'central',
      summary: summary(end, 0),
      extend: [],
      insert,
      statusChanges: [],
      minutes: [],
      probes: [],
      keepRaw: false,
    });
  }
  await store.releaseMonitorLease('seed', epoch);
  clock.set(end);
  return { areaId: area.id, ids, openSince: end };
}

async function measure(dialect: 'sqlite' | 'mssql', devices: number): Promise<void> {
  const clock = new ManualClock(Date.UTC(2026, 9, 1, 3));
  const dir = tempDir('vigia-bench-');
  const database = dialect === 'mssql' ? await createTestDatabase() : null;
  const store =
    dialect === 'sqlite'
      ? openSqliteStore({ file: join(dir.path, 'bench.sqlite'), migrationsFolder: SQLITE_MIGRATIONS, clock })
      : await openMssqlStore({
          connection: database!.connection,
          migrationsFolder: join(APP_ROOT, 'resources', 'migrations', 'mssql'),
          clock,
        });
  try {
    let began = Date.now();
    const { areaId, ids, openSince } = await seed(store, clock, devices);
    console.log(
      `# ${dialect}: seeded ${devices} devices with ${DAYS} days of segments in ${Math.round((Date.now() - began) / 1000)} s`,
    );
    const epoch = (await store.acquireMonitorLease('bench', clock.now(), 60_000))!;
    const writes: number[] = [];
    for (let sweep = 1; sweep <= 5; sweep++) {
      const at = openSince + sweep * 5000;
      clock.set(at);
      const record: SweepRecord = {
        holder: 'bench',
        epoch,
        leaseExpiresAt: at + 60_000,
        source: 'central',
        summary: summary(at, devices),
        extend: ids.map((deviceId) => ({ deviceId, startAt: openSince - 1, endAt: at })),
        insert: [],
        statusChanges: [],
        // A minute boundary's write: every device's minute at once (the monitor writes rollups once a minute).
        minutes: minutesOf(ids.map((deviceId) => ({ deviceId, at, alive: true, rttMs: 1.2 }))),
        probes: [],
        keepRaw: false,
      };
      began = performance.now();
      await store.recordSweep(record);
      writes.push(performance.now() - began);
    }
    writes.sort((a, b) => a - b);
    began = performance.now();
    const rows = await uptimeReport(store, {
      from: openSince - DAYS * DAY,
      to: openSince,
      groupBy: 'device',
      filter: { areaId },
      targetPercent: 95,
      now: clock.now(),
    });
    const report = performance.now() - began;
    console.log(
      `store dialect=${dialect} devices=${devices} sweep_write_ms=${Math.round(writes[2]!)} month_report_ms=${Math.round(report)} report_rows=${rows.length}`,
    );
  } finally {
    await store.close();
    await database?.drop();
    dir.remove();
  }
}

export async function storeBench(devices: number, dialect: string): Promise<void> {
  const dialects = dialect === 'both' ? (MSSQL_URL ? ['sqlite', 'mssql'] : ['sqlite']) : [dialect];
  if (dialects.includes('mssql') && !MSSQL_URL) {
    console.error('SQL Server is measured against VIGIA_TEST_MSSQL_URL, which is not set');
    process.exitCode = 2;
    return;
  }
  if (dialect === 'both' && !MSSQL_URL) console.log('# VIGIA_TEST_MSSQL_URL is not set: SQLite only');
  for (const d of dialects) await measure(d as 'sqlite' | 'mssql', devices);
}
