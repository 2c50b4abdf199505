import { minutesOf } from '../../src-main/core/monitor/rollup-buffer';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_MONITOR_SETTINGS, MONITOR_SETTINGS_KEY } from '../../src-shared/domain/settings';
import { fullGrid } from '../../src-shared/domain/permissions';
import { hashPassword } from '../../src-main/core/auth/passwords';
import { systemClock } from '../../src-main/core/runtime';
import { CAMERA_KEY_FILE, CredentialSeal, keyFromFile, serverCameraKey } from '../../src-main/core/video/credentials';
import { openMssqlStore } from '../../src-main/core/store/mssql/mssql-store';
import type { MssqlConnection } from '../../src-main/core/store/mssql/config';
import type { Store } from '../../src-main/core/store/port';
import { auditsFor } from '../helpers/audit';
import { createTestDatabase, MSSQL_URL } from '../helpers/mssql';
import { startRunnerProcess } from '../helpers/runner-process';
import type { RunnerProcess } from '../helpers/runner-process';
import { ADMIN_PASSWORD, openDataStore, seedDataStore } from '../helpers/seed';
import { APP_ROOT, tempDir } from '../helpers/temp';

const MIGRATIONS = join(APP_ROOT, 'resources', 'migrations', 'mssql');
const CLI = join(APP_ROOT, 'dist', 'headless', 'cli.mjs');

/** The address of a test database as an installer types it: everything but the password. */
function addressOf(c: MssqlConnection): string {
  const user = c.authentication.user;
  return `mssql://${user}@${c.server}:${c.port ?? 1433}/${c.database}?encrypt=${c.encrypt}&trustServerCertificate=true`;
}

describe.skipIf(!MSSQL_URL)('SQL Server in use (VIGIA_TEST_MSSQL_URL)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let env: NodeJS.ProcessEnv;
  let dirs: Array<ReturnType<typeof tempDir>>;
  const runners: RunnerProcess[] = [];
  const dir = () => {
    const made = tempDir();
    dirs.push(made);
    return made.path;
  };

  beforeEach(async () => {
    database = await createTestDatabase();
    env = { ...process.env, VIGIA_STORE_PASSWORD: database.connection.authentication.password };
    dirs = [];
  });
  afterEach(async () => {
    for (const runner of runners.splice(0)) await runner.stop('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await database.drop();
    for (const d of dirs) d.remove();
  });

  it('refuses to start on a bad server, saying what failed and never the password', () => {
    const c = database.connection;
    const cases: Array<[string, NodeJS.ProcessEnv, RegExp]> = [
      [addressOf(c), { ...env, VIGIA_STORE_PASSWORD: 'Errada#Senha1' }, /the login failed/],
      [addressOf({ ...c, database: 'vigia_nao_existe' }), env, /the database does not exist/],
      [addressOf({ ...c, port: 1 }), env, /the server did not answer/],
    ];
    for (const [address, processEnv, expected] of cases) {
      const run = spawnSync(process.execPath, [CLI, 'serve', '--store', address, '--port', '0', '--data-dir', dir()], {
        env: processEnv,
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(expected);
      expect(run.stdout + run.stderr).not.toContain('running at');
      expect(run.stdout + run.stderr).not.toContain(String(processEnv.VIGIA_STORE_PASSWORD));
    }
    const leaky = spawnSync(process.execPath, [CLI, 'serve', '--store', MSSQL_URL!, '--port', '0'], {
      encoding: 'utf8',
    });
    expect(leaky.status).toBe(1);
    expect(leaky.stderr).toMatch(/must not hold the password/);
  });

  it('says the server’s certificate is not trusted, on a SQL Server that encrypts (not the stand-in)', async (context) => {
    const check = await openMssqlStore({
      connection: database.connection,
      migrationsFolder: MIGRATIONS,
      clock: systemClock,
      readOnly: true,
    });
    const { version } = await check.describeStore();
    await check.close();
    // The Babelfish stand-in speaks TDS without TLS; SQL Server 2022 (GitHub Actions) encrypts with a self-signed certificate.
    if (/Babelfish/i.test(version)) context.skip();
    const run = spawnSync(
      process.execPath,
      [
        CLI,
        'serve',
        '--store',
        addressOf(database.connection)
          .replace('trustServerCertificate=true', 'trustServerCertificate=false')
          .replace('encrypt=false', 'encrypt=true'),
        '--port',
        '0',
        '--data-dir',
        dir(),
      ],
      { env, encoding: 'utf8', timeout: 30_000 },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/certificate is not trusted/);
  });

  it('copies a trial installation into SQL Server with migrate-store: every row, resumable, counted on both sides', async () => {
    const data = dir();
    await seedDataStore(data, { devices: [{ host: '10.1.0.1' }, { host: '10.1.0.2', name: 'CAM-Pátio "norte"' }] });
    const sqlite = openDataStore(data);
    try {
      const epoch = (await sqlite.acquireMonitorLease('trial', Date.now(), 60_000))!;
      const [first] = await sqlite.listDevices({});
      await sqlite.recordSweep({
        holder: 'trial',
        epoch,
        leaseExpiresAt: Date.now() + 60_000,
        source: 'central',
        summary: {
          startedAt: Date.now(),
          durationMs: 10,
          devicesProbed: 1,
          failures: 0,
          overrunMs: 0,
          prober: 'ping',
          probesNotRun: 0,
          proberProblem: null,
        },
        extend: [],
        insert: [{ deviceId: first!.id, state: 'online', startAt: Date.now() - 60_000, endAt: Date.now() }],
        statusChanges: [{ deviceId: first!.id, from: 'PENDING', to: 'ONLINE', at: Date.now() - 60_000 }],
        minutes: minutesOf([{ deviceId: first!.id, at: Date.now(), alive: true, rttMs: 0.7 }]),
        probes: [{ deviceId: first!.id, at: Date.now(), alive: true, rttMs: 0.7 }],
        keepRaw: true,
      });
      // A camera password sealed by the trial store's key file, which SQL Server does not use.
      await sqlite.saveCameraAccess(
        {
          deviceId: first!.id,
          make: 'axis',
          snapshotUrl: 'http://10.1.0.1/axis-cgi/jpg/image.cgi',
          rtspUrl: '',
          username: 'admin',
          passwordSealed: new CredentialSeal(keyFromFile(join(data, CAMERA_KEY_FILE))).seal('Cam#2026-patio'),
        },
        auditsFor(sqlite, systemClock).camera(),
      );
    } finally {
      await sqlite.close();
    }
    const migrate = () =>
      spawnSync(
        process.execPath,
        [CLI, 'migrate-store', '--from', join(data, 'vigia.sqlite'), '--to', addressOf(database.connection)],
        {
          env,
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
    const first = migrate();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('every table has the same rows on both sides');
    expect(first.stdout).toMatch(/devices\t2\t2/);
    expect(first.stdout).toContain('1 camera passwords sealed again for the SQL Server store');
    expect(first.stdout).not.toContain(String(env.VIGIA_STORE_PASSWORD));

    // More happened in the trial store since: a second run copies only that.
    const sqliteAgain = openDataStore(data);
    const [area] = await sqliteAgain.listAreas();
    const nova = await sqliteAgain.createDevice(
      {
        name: 'CAM-NOVA',
        type: 'camera',
        context: 'normal',
        host: '10.1.0.3',
        areaId: area!.id,
        location: '',
        notes: '',
      },
      auditsFor(sqliteAgain, systemClock).device(),
    );
    // A parent after its child in id order: the copy sets parents once every device is there.
    const parent = await sqliteAgain.createDevice(
      {
        name: 'SW-NOVA',
        type: 'camera',
        context: 'normal',
        host: '10.1.0.4',
        areaId: area!.id,
        location: '',
        notes: '',
      },
      auditsFor(sqliteAgain, systemClock).device(),
    );
    await sqliteAgain.updateDevice(
      nova.id,
      {
        name: nova.name,
        type: nova.type,
        context: nova.context,
        host: nova.host,
        areaId: nova.areaId,
        location: nova.location,
        notes: nova.notes,
        parentId: parent.id,
      },
      auditsFor(sqliteAgain, systemClock).device('device.update'),
    );
    const before = {
      devices: await sqliteAgain.listDevices({}),
      users: await sqliteAgain.listUsers(),
      audit: await sqliteAgain.listAudit({ limit: 100 }),
    };
    await sqliteAgain.close();
    const second = migrate();
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/devices\t4\t4/);

    const copy: Store = await openMssqlStore({
      connection: database.connection,
      migrationsFolder: MIGRATIONS,
      clock: systemClock,
    });
    try {
      expect(await copy.listDevices({})).toEqual(before.devices);
      expect(await copy.listUsers()).toEqual(before.users);
      expect(await copy.listAudit({ limit: 100 })).toEqual(before.audit);
      const [device] = before.devices;
      // The camera password opens with the key every copy on this SQL Server derives: nothing to type again.
      const camera = before.devices.find((d) => d.host === '10.1.0.1')!;
      const sealed = (await copy.getCameraAccess(camera.id))!.passwordSealed!;
      expect(new CredentialSeal(serverCameraKey(database.connection)).open(sealed)).toBe('Cam#2026-patio');
      expect(await copy.listSegments({ deviceIds: [device!.id], from: 0, to: Date.now() + 1 })).toHaveLength(1);
      expect(await copy.rttRollups({ deviceId: device!.id, from: 0, to: Date.now() + 1 })).toHaveLength(1);
      // The copied administrator logs in with the same password on the new store.
      expect((await copy.getUserCredentials('admin'))?.passwordHash).toMatch(/^scrypt\$/);
      // Ids go on after the copied ones.
      const audits = auditsFor(copy, systemClock);
      const added = await copy.createDevice(
        {
          name: 'CAM-SQL',
          type: 'camera',
          context: 'normal',
          host: '10.1.0.4',
          areaId: area!.id,
          location: '',
          notes: '',
        },
        audits.device(),
      );
      expect(added.id).toBeGreaterThan(Math.max(...before.devices.map((d) => d.id)));
    } finally {
      await copy.close();
    }
  }, 120_000);

  it('runs one monitor at a time between a central and a console, and the console takes over after kill -9', async () => {
    const store = await openMssqlStore({
      connection: database.connection,
      migrationsFolder: MIGRATIONS,
      clock: systemClock,
    });
    try {
      const audits = auditsFor(store, systemClock);
      const area = await store.createArea({ code: 'ITA', name: 'Itajaí', timeZone: 'UTC' }, audits.area());
      for (const host of ['127.0.8.1', '127.0.8.2', '127.0.8.3']) {
        await store.createDevice(
          { name: host, type: 'camera', context: 'normal', host, areaId: area.id, location: '', notes: '' },
          audits.device(),
        );
      }
      await store.setSetting(MONITOR_SETTINGS_KEY, { ...DEFAULT_MONITOR_SETTINGS, intervalMs: 1000, timeoutMs: 500 });
      await store.createUser(
        {
          username: 'admin',
          displayName: 'Admin',
          isAdmin: true,
          active: true,
          permissions: fullGrid(),
          allowedAreaIds: null,
          passwordHash: await hashPassword(ADMIN_PASSWORD),
          mustChangePassword: false,
        },
        audits.user(),
      );
    } finally {
      await store.close();
    }
    const address = addressOf(database.connection);
    const central = await startRunnerProcess(
      ['--store', address, '--port', '0', '--data-dir', dir()],
      30_000,
      (c) => c,
      env,
    );
    runners.push(central);
    await expect.poll(() => central.output(), { timeout: 10_000 }).toMatch(/monitoring this store \(lease epoch 1\)/);
    const console_ = await startRunnerProcess(
      ['--console', '--store', address, '--port', '0', '--data-dir', dir()],
      30_000,
      (c) => c,
      env,
    );
    runners.push(console_);
    expect(console_.output()).toContain('Vigia console running at');
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect(console_.output()).toContain('standing by');
    expect(console_.output()).not.toMatch(/monitoring this store \(lease/);

    central.child.kill('SIGKILL');
    const killedAt = Date.now();
    await expect
      .poll(() => console_.output(), { timeout: 25_000, interval: 200 })
      .toMatch(/monitoring this store \(lease epoch 2\)/);
    // The lease lapses after 15 s without renewal; the console sweeps once a second.
    expect(Date.now() - killedAt).toBeLessThan(15_000 + 3_000);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await console_.stop('SIGTERM')).toBe(0);

    const check = await openMssqlStore({
      connection: database.connection,
      migrationsFolder: MIGRATIONS,
      clock: systemClock,
    });
    try {
      const sweeps = await check.listSweeps({ since: 0, source: 'central' });
      expect(sweeps.length).toBeGreaterThan(5);
      // One monitor at a time: the sweeps never overlap, so none was counted twice.
      for (let i = 1; i < sweeps.length; i++) {
        expect(sweeps[i]!.startedAt).toBeGreaterThanOrEqual(sweeps[i - 1]!.startedAt + sweeps[i - 1]!.durationMs);
      }
      const devices = await check.listDevices({});
      const segments = await check.listSegments({ deviceIds: devices.map((d) => d.id), from: 0, to: Date.now() });
      for (const device of devices) {
        const own = segments.filter((s) => s.deviceId === device.id).sort((a, b) => a.startAt - b.startAt);
        for (let i = 1; i < own.length; i++) expect(own[i]!.startAt).toBeGreaterThanOrEqual(own[i - 1]!.endAt);
      }
      // The console gave the lease back when it stopped: another instance takes it at once.
      expect(await check.acquireMonitorLease('after', Date.now(), 15_000)).toBe(3);
    } finally {
      await check.close();
    }
  }, 90_000);
});
