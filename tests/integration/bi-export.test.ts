import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_BI_SETTINGS } from '../../src-shared/domain/bi';
import { exportBi } from '../../src-main/core/bi/export';
import { exportInWorker } from '../../src-main/core/bi/run-in-worker';
import { DomainError } from '../../src-main/core/errors';
import { openSqliteStore } from '../../src-main/core/store/sqlite/sqlite-store';
import type { SqliteStore } from '../../src-main/core/store/sqlite/sqlite-store';
import { auditsFor } from '../helpers/audit';
import { ManualClock } from '../helpers/clock';
import { APP_ROOT, SQLITE_MIGRATIONS, tempDir } from '../helpers/temp';

const H = 3_600_000;
/** 2026-10-31 00:00 in America/Sao_Paulo (UTC-3). */
const OCT31 = Date.UTC(2026, 9, 31, 3, 0, 0);

describe('Power BI export', () => {
  let dir: ReturnType<typeof tempDir>;
  let clock: ManualClock;
  let store: SqliteStore;
  let out: string;
  let audits: ReturnType<typeof auditsFor>;

  /** Writes a timeline for one device straight through the store, as a monitor would have. */
  async function timeline(deviceId: number, pieces: Array<['online' | 'offline', number, number]>) {
    const epoch = (await store.acquireMonitorLease('test', clock.now(), 1e12))!;
    await store.recordSweep({
      holder: 'test',
      epoch,
      leaseExpiresAt: 1e15,
      source: 'central',
      summary: {
        startedAt: OCT31,
        durationMs: 1,
        devicesProbed: 1,
        failures: 0,
        overrunMs: 0,
        prober: 'test',
        probesNotRun: 0,
        proberProblem: null,
      },
      extend: [],
      insert: pieces.map(([state, startAt, endAt]) => ({ deviceId, state, startAt, endAt })),
      statusChanges: [],
      minutes: [],
      probes: [],
      keepRaw: false,
    });
  }

  beforeEach(() => {
    dir = tempDir();
    out = join(dir.path, 'exports');
    mkdirSync(out);
    clock = new ManualClock(OCT31);
    store = openSqliteStore({ file: join(dir.path, 'vigia.sqlite'), migrationsFolder: SQLITE_MIGRATIONS, clock });
    audits = auditsFor(store, clock);
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  const run = (settings = DEFAULT_BI_SETTINGS) => exportBi(store, clock, { folder: out, settings, targetPercent: 95 });
  const parse = (path: string) =>
    Papa.parse<Record<string, string>>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true }).data;

  it('writes exactly the expected daily and monthly rows across a month boundary, in the area’s local days', async () => {
    const area = await store.createArea(
      { code: 'PAR', name: 'Paranaguá', timeZone: 'America/Sao_Paulo' },
      audits.area(),
    );
    const device = await store.createDevice(
      {
        name: 'PAR-CAM-01',
        type: 'camera',
        context: 'rfb',
        host: '10.9.0.1',
        areaId: area.id,
        location: '',
        notes: '',
      },
      audits.device(),
    );
    // Online from local midnight; at 01:30 UTC on 1 Nov (22:30 local on 31 Oct) it falls for 1 h;
    // then online until the export at local noon on 1 Nov. In UTC days the outage would be on 1 Nov;
    // in the area's days it is on 31 Oct.
    const fall = Date.UTC(2026, 10, 1, 1, 30);
    await timeline(device.id, [
      ['online', OCT31, fall],
      ['offline', fall, fall + H],
      ['online', fall + H, OCT31 + 36 * H],
    ]);
    clock.set(OCT31 + 36 * H);
    // Its picture froze this morning: a state of now, so only today's and this month's rows carry it.
    const frozen = {
      health: 'frozen' as const,
      detail: '',
      checkedAt: clock.now(),
      since: clock.now(),
      sameCount: 3,
      thumbnail: null,
    };
    await store.recordVideoHealth(device.id, frozen);
    const result = await run();

    const daily = parse(join(out, 'PAR', 'snapshots_diarios.csv'));
    const identity = { area: 'PAR', device: 'PAR-CAM-01', type: 'camera', context: 'rfb', ip: '10.9.0.1' };
    const none = { seconds_maintenance: '0', seconds_shutdown: '0', seconds_nodata: '0', target_percent: '95.00' };
    expect(daily).toEqual([
      {
        ...identity,
        ...none,
        date: '2026-10-31',
        seconds_online: String(23 * 3600),
        seconds_offline: '3600',
        uptime_percent: '95.83',
        target_met: 'true',
        missing_points: '0.00',
        video_health: '',
      },
      {
        ...identity,
        ...none,
        date: '2026-11-01',
        seconds_online: String(12 * 3600),
        seconds_offline: '0',
        uptime_percent: '100.00',
        target_met: 'true',
        missing_points: '0.00',
        video_health: 'frozen',
      },
    ]);
    const monthly = parse(join(out, 'PAR', 'snapshots_mensais.csv'));
    expect(
      monthly.map((r) => [
        r.month,
        r.seconds_online,
        r.seconds_offline,
        r.uptime_percent,
        r.ytd_uptime_percent,
        r.video_health,
      ]),
    ).toEqual([
      ['2026-10', String(23 * 3600), '3600', '95.83', '95.83', ''],
      ['2026-11', String(12 * 3600), '0', '100.00', '97.22', 'frozen'],
    ]);
    // The all-areas pair holds the same rows.
    expect(parse(join(out, 'snapshots_diarios.csv'))).toEqual(daily);
    expect(result.files.map((f) => [f.path.slice(out.length + 1), f.rows])).toEqual([
      ['PAR/snapshots_diarios.csv', 2],
      ['PAR/snapshots_mensais.csv', 2],
      ['snapshots_diarios.csv', 2],
      ['snapshots_mensais.csv', 2],
    ]);
  });

  it('round-trips awkward names, neutralises formulas, and honours delimiter, BOM and decimal comma', async () => {
    const area = await store.createArea({ code: 'ITA', name: 'Itajaí', timeZone: 'UTC' }, audits.area());
    await store.createDevice(
      {
        name: '=HYPERLINK("x")',
        type: 'camera',
        context: 'normal',
        host: '10.0.0.1',
        areaId: area.id,
        location: '',
        notes: '',
      },
      audits.device(),
    );
    const named = await store.createDevice(
      {
        name: 'Câmera, "pátio"\nnorte',
        type: 'access_control',
        context: 'normal',
        host: '10.0.0.2',
        areaId: area.id,
        location: '',
        notes: '',
      },
      audits.device(),
    );
    await timeline(named.id, [
      ['online', OCT31, OCT31 + 2 * H],
      ['offline', OCT31 + 2 * H, OCT31 + 3 * H],
    ]);
    clock.set(OCT31 + 3 * H);
    await run({ ...DEFAULT_BI_SETTINGS, delimiter: ';', bom: true, decimalComma: true });
    const raw = readFileSync(join(out, 'ITA', 'snapshots_diarios.csv'), 'utf8');
    expect(raw.startsWith('\ufeffarea;device;')).toBe(true);
    const rows = Papa.parse<Record<string, string>>(raw, { header: true, skipEmptyLines: true, delimiter: ';' }).data;
    expect(rows.map((r) => r.device)).toEqual(['\'=HYPERLINK("x")', 'Câmera, "pátio"\nnorte']);
    expect(rows[1]).toMatchObject({ uptime_percent: '66,67', missing_points: '28,33', target_met: 'false' });
    expect(rows[0]).toMatchObject({ uptime_percent: '', target_met: '', seconds_nodata: String(3 * 3600) });
  });

  it('never lets a reader see half a file while exports repeat', async () => {
    const area = await store.createArea({ code: 'SNT', name: 'Santos', timeZone: 'UTC' }, audits.area());
    for (let i = 0; i < 40; i++) {
      await store.createDevice(
        {
          name: `SNT-CAM-${i}`,
          type: 'camera',
          context: 'normal',
          host: `10.1.0.${i + 1}`,
          areaId: area.id,
          location: 'x'.repeat(150),
          notes: '',
        },
        audits.device(),
      );
    }
    clock.set(OCT31 + 20 * 24 * H); // 20 days: 800 daily rows, some 100 KB a file
    await run();
    const file = join(out, 'SNT', 'snapshots_diarios.csv');
    const expected = readFileSync(file, 'utf8');
    // A reader in another process opens the file as fast as it can until told to stop.
    const reader = spawn(
      process.execPath,
      [
        '-e',
        `const fs = require('fs'); let reads = 0, bad = 0; const stop = Date.now() + 4000;
         while (Date.now() < stop) { let t; try { t = fs.readFileSync(process.argv[1], 'utf8'); } catch { continue; }
           reads++; if (!t.startsWith('area,') || !t.endsWith('\\r\\n') || t.split('\\r\\n').length !== ${expected.split('\r\n').length}) bad++; }
         console.log(JSON.stringify({ reads, bad }));`,
        file,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    reader.stdout.on('data', (c: Buffer) => (output += c.toString()));
    const done = new Promise((resolve) => reader.once('exit', resolve));
    let exports = 0;
    const until = Date.now() + 3000;
    while (Date.now() < until && exports < 200) {
      await run();
      exports++;
    }
    await done;
    const { reads, bad } = JSON.parse(output) as { reads: number; bad: number };
    expect(exports).toBeGreaterThan(5);
    expect(reads).toBeGreaterThan(50);
    expect(bad).toBe(0);
  });

  it('creates a folder that does not exist yet, and refuses only one that cannot be created or written, saying why', async () => {
    await store.createArea({ code: 'ITA', name: 'Itajaí', timeZone: 'UTC' }, audits.area());
    const fresh = join(dir.path, 'novo', 'powerbi');
    const made = await exportBi(store, clock, { folder: fresh, settings: DEFAULT_BI_SETTINGS, targetPercent: 95 });
    expect(made.files.map((f) => f.path)).toContain(join(fresh, 'snapshots_diarios.csv'));

    writeFileSync(join(dir.path, 'arquivo'), 'x');
    const underFile = await exportBi(store, clock, {
      folder: join(dir.path, 'arquivo', 'sub'),
      settings: DEFAULT_BI_SETTINGS,
      targetPercent: 95,
    }).catch((e: unknown) => e);
    expect(underFile).toBeInstanceOf(DomainError);
    expect((underFile as DomainError).message).toMatch(/cannot be created \(ENOTDIR\)/);

    const readOnly = join(dir.path, 'ro');
    mkdirSync(readOnly);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', readOnly]);
    try {
      writeFileSync(join(readOnly, 'snapshots_diarios.csv'), 'previous export\r\n');
      execFileSync('mount', ['-o', 'remount,ro', readOnly]);
      const refused = await exportBi(store, clock, {
        folder: readOnly,
        settings: DEFAULT_BI_SETTINGS,
        targetPercent: 95,
      }).catch((e: unknown) => e);
      expect((refused as DomainError).fields).toEqual({ folder: { key: 'folder_not_writable' } });
      expect((refused as DomainError).message).toMatch(/not writable \(EROFS\)/);
      expect(readFileSync(join(readOnly, 'snapshots_diarios.csv'), 'utf8')).toBe('previous export\r\n');
    } finally {
      execFileSync('umount', [readOnly]);
    }
  });

  it('removes what a killed export left behind, and not the temporary files of an export running elsewhere', async () => {
    await store.createArea({ code: 'ITA', name: 'Itajaí', timeZone: 'UTC' }, audits.area());
    const other = spawn('sleep', ['30']);
    try {
      mkdirSync(join(out, 'ITA'), { recursive: true });
      const dead = join(out, 'ITA', 'snapshots_diarios.csv.999999.0badc0de.tmp');
      const running = join(out, `snapshots_mensais.csv.${other.pid}.0badc0de.tmp`);
      const foreign = join(out, 'notes.tmp');
      for (const path of [dead, running, foreign]) writeFileSync(path, 'half a file');
      await run();
      expect(existsSync(dead)).toBe(false);
      expect(existsSync(running)).toBe(true);
      expect(existsSync(foreign)).toBe(true);
    } finally {
      other.kill();
    }
  });

  it('judges the target on the exact uptime (94.996 % prints 95.00 and misses it) and never loses a second of a day', async () => {
    const area = await store.createArea({ code: 'NYC', name: 'New York', timeZone: 'America/New_York' }, audits.area());
    const device = await store.createDevice(
      {
        name: 'NYC-CAM-01',
        type: 'camera',
        context: 'normal',
        host: '10.2.0.1',
        areaId: area.id,
        location: '',
        notes: '',
      },
      audits.device(),
    );
    // 1 Nov 2026 in New York is 25 hours long (DST ends). Its boundaries fall on half seconds:
    // nodata 3,600.5 s, online 82,076 s, offline 4,323.5 s. Rounded one by one they make 90,001 s.
    const dayStart = Date.UTC(2026, 10, 1, 4, 0, 0);
    const dayEnd = Date.UTC(2026, 10, 2, 5, 0, 0);
    const offline = 4_323_500; // online 82,076,000 of 86,399,500 ms observed: 94.9959 %
    clock.set(dayStart - 60_000);
    await timeline(device.id, [
      ['online', dayStart + 3_600_500, dayEnd - offline],
      ['offline', dayEnd - offline, dayEnd],
    ]);
    clock.set(dayEnd);
    await exportBi(store, clock, { folder: out, settings: DEFAULT_BI_SETTINGS, targetPercent: 95 });
    const [day] = parse(join(out, 'NYC', 'snapshots_diarios.csv')).filter((r) => r.date === '2026-11-01');
    const seconds = ['online', 'offline', 'maintenance', 'shutdown', 'nodata'].map((s) => Number(day![`seconds_${s}`]));
    expect(seconds.reduce((a, b) => a + b, 0)).toBe(25 * 3600);
    expect(day).toMatchObject({ uptime_percent: '95.00', target_met: 'false', missing_points: '0.01' });
  });

  it('writes the same files from a worker thread with its own connection as in-process', async () => {
    const area = await store.createArea(
      { code: 'PAR', name: 'Paranaguá', timeZone: 'America/Sao_Paulo' },
      audits.area(),
    );
    for (let i = 0; i < 5; i++) {
      const device = await store.createDevice(
        {
          name: `PAR-CAM-${i}`,
          type: 'camera',
          context: 'rfb',
          host: `10.9.0.${i + 1}`,
          areaId: area.id,
          location: '',
          notes: '',
        },
        audits.device(),
      );
      await timeline(device.id, [
        ['online', OCT31, OCT31 + (10 + i) * H],
        ['offline', OCT31 + (10 + i) * H, OCT31 + 30 * H],
      ]);
    }
    clock.set(OCT31 + 40 * H);
    const inProcess = await run();
    const contents = inProcess.files.map((f) => readFileSync(f.path, 'utf8'));
    const inWorker = await exportInWorker(join(APP_ROOT, 'dist', 'workers', 'bi-export.mjs'), {
      store: { dialect: 'sqlite', file: join(dir.path, 'vigia.sqlite'), migrationsFolder: SQLITE_MIGRATIONS },
      folder: out,
      settings: DEFAULT_BI_SETTINGS,
      targetPercent: 95,
      now: clock.now(),
    });
    expect(inWorker.files).toEqual(inProcess.files);
    expect(inWorker.files.map((f) => readFileSync(f.path, 'utf8'))).toEqual(contents);
    const refused = await exportInWorker(join(APP_ROOT, 'dist', 'workers', 'bi-export.mjs'), {
      store: { dialect: 'sqlite', file: join(dir.path, 'vigia.sqlite'), migrationsFolder: SQLITE_MIGRATIONS },
      folder: join(out, 'PAR', 'snapshots_diarios.csv', 'sub'),
      settings: DEFAULT_BI_SETTINGS,
      targetPercent: 95,
      now: clock.now(),
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).fields).toEqual({ folder: { key: 'folder_not_writable' } });
  });
});
