import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_BI_SETTINGS } from '../../src-shared/domain/bi';
import { exportBi } from '../../src-main/core/bi/export';
import { DomainError } from '../../src-main/core/errors';
import { openSqliteStore } from '../../src-main/core/store/sqlite/sqlite-store';
import type { SqliteStore } from '../../src-main/core/store/sqlite/sqlite-store';
import { auditsFor } from '../helpers/audit';
import { ManualClock } from '../helpers/clock';
import { SQLITE_MIGRATIONS, tempDir } from '../helpers/temp';

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
    await store.acquireMonitorLease('test', clock.now(), 1e12);
    await store.recordSweep({
      holder: 'test',
      epoch: 1,
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
      },
    ]);
    const monthly = parse(join(out, 'PAR', 'snapshots_mensais.csv'));
    expect(
      monthly.map((r) => [r.month, r.seconds_online, r.seconds_offline, r.uptime_percent, r.ytd_uptime_percent]),
    ).toEqual([
      ['2026-10', String(23 * 3600), '3600', '95.83', '95.83'],
      ['2026-11', String(12 * 3600), '0', '100.00', '97.22'],
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

  it('refuses a missing folder and a read-only one with a clear error, leaving existing files untouched', async () => {
    await store.createArea({ code: 'ITA', name: 'Itajaí', timeZone: 'UTC' }, audits.area());
    const missing = await exportBi(store, clock, {
      folder: join(dir.path, 'nope'),
      settings: DEFAULT_BI_SETTINGS,
      targetPercent: 95,
    }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(DomainError);
    expect((missing as DomainError).fields).toEqual({ folder: { key: 'folder_missing' } });

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
      expect(readFileSync(join(readOnly, 'snapshots_diarios.csv'), 'utf8')).toBe('previous export\r\n');
    } finally {
      execFileSync('umount', [readOnly]);
    }
  });
});
