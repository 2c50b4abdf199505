import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device } from '../../src-shared/domain/device';
import { DEFAULT_ALARM_SETTINGS } from '../../src-shared/domain/alarms';
import { SettingsService } from '../../src-main/core/settings';
import { openSqliteStore } from '../../src-main/core/store/sqlite/sqlite-store';
import type { Store } from '../../src-main/core/store/port';
import { VideoChecker } from '../../src-main/core/video/checker';
import { centralVideoPlan } from '../../src-main/core/video/central-plan';
import { CredentialSeal } from '../../src-main/core/video/credentials';
import { auditsFor } from '../helpers/audit';
import { CAMERA_PASSWORD, CAMERA_USER, startCameraServer } from '../helpers/camera-server';
import { quietLogger } from '../helpers/central';
import { ManualClock } from '../helpers/clock';
import { SQLITE_MIGRATIONS, tempDir } from '../helpers/temp';

describe('the periodic video check (a real store, a local camera, a clock moved by hand)', () => {
  const folder = tempDir();
  const clock = new ManualClock(Date.now());
  const seal = new CredentialSeal(randomBytes(32));
  let camera: Awaited<ReturnType<typeof startCameraServer>>;
  let store: Store;
  let settings: SettingsService;
  const told: number[][] = [];
  let checker: VideoChecker;
  let live: number;
  let black: number;
  let remote: number;

  beforeAll(async () => {
    camera = await startCameraServer('127.0.0.1');
    const opened = openSqliteStore({
      file: join(folder.path, 'vigia.sqlite'),
      migrationsFolder: SQLITE_MIGRATIONS,
      clock,
    });
    // The monitor would have found these cameras up; here the test says so (a down camera is not looked at).
    store = {
      ...opened,
      listDevices: async (q) => (await opened.listDevices(q)).map((d): Device => ({ ...d, status: 'ONLINE' })),
    };
    const audits = auditsFor(store, clock);
    const ita = await store.createArea({ code: 'ITA', name: 'Itajaí', timeZone: 'America/Sao_Paulo' }, audits.area());
    const snt = await store.createArea({ code: 'SNT', name: 'Santos', timeZone: 'America/Sao_Paulo' }, audits.area());
    const device = async (name: string, areaId: number, path: string) => {
      const created = await store.createDevice(
        { name, type: 'camera', context: 'normal', host: '127.0.0.1', areaId, location: '', notes: '' },
        audits.device(),
      );
      await store.saveCameraAccess(
        {
          deviceId: created.id,
          make: 'hikvision',
          snapshotUrl: `${camera.base}${path}`,
          rtspUrl: '',
          username: CAMERA_USER,
          passwordSealed: seal.seal(CAMERA_PASSWORD),
        },
        audits.camera(),
      );
      return created.id;
    };
    live = await device('CAM-LIVE', ita.id, '/ISAPI/Streaming/channels/101/picture');
    black = await device('CAM-BLACK', ita.id, '/black');
    // SNT has an agent: its cameras are its site's to look at, not the central's over the WAN.
    remote = await device('CAM-SNT', snt.id, '/frozen');
    await store.issueAgentKey(
      { areaId: snt.id, replacing: null, keyHash: 'x'.repeat(64), keyPrefix: 'abcdefghij', now: clock.now() },
      audits.agentKey(),
    );
    settings = await SettingsService.load(store, quietLogger);
    checker = new VideoChecker({
      store,
      clock,
      credentials: seal,
      plan: centralVideoPlan(store, settings),
      logger: quietLogger,
      leads: () => true,
      onChanged: (cameras) => told.push(cameras.map((c) => c.id)),
    });
  });
  afterAll(async () => {
    await checker.stop();
    await store.close();
    await camera.close();
    folder.remove();
  });

  it('looks at nothing while the setting is 0', async () => {
    const before = camera.hits();
    await checker.checkNow();
    expect(camera.hits()).toBe(before);
    expect(await store.getVideoHealth(live)).toBeUndefined();
  });

  it('looks at each due camera every N minutes, keeps its health, and says which changed', async () => {
    await settings.updateAlarms({ ...DEFAULT_ALARM_SETTINGS, videoCheckMinutes: 5 });
    await checker.checkNow();
    expect(await store.getVideoHealth(live)).toMatchObject({ health: 'ok', checkedAt: clock.now() });
    expect(await store.getVideoHealth(black)).toMatchObject({ health: 'black' });
    expect(await store.getVideoHealth(remote)).toBeUndefined();
    expect(told.at(-1)!.sort()).toEqual([live, black].sort());

    // A minute later nothing is due; five minutes later both are looked at again, and nothing changed.
    const hits = camera.hits();
    clock.advance(60_000);
    await checker.checkNow();
    expect(camera.hits()).toBe(hits);
    clock.advance(4 * 60_000);
    told.length = 0;
    await checker.checkNow();
    expect(camera.hits()).toBeGreaterThan(hits);
    expect(await store.getVideoHealth(live)).toMatchObject({ health: 'ok', checkedAt: clock.now() });
    expect(told).toEqual([]);
  });

  it('follows an area’s own interval over the installation’s, and an area set to 0 is not looked at', async () => {
    const audits = auditsFor(store, clock);
    const { id, code, name, timeZone } = (await store.listAreas()).find((a) => a.code === 'ITA')!;
    const ita = { code, name, timeZone };
    await store.updateArea(id, { ...ita, videoCheckMinutes: 30 }, audits.area('area.update'));
    clock.advance(10 * 60_000);
    const hits = camera.hits();
    await checker.checkNow();
    // The installation says 5 minutes and 10 have passed; ITA says 30: nothing is due.
    expect(camera.hits()).toBe(hits);
    clock.advance(20 * 60_000);
    await checker.checkNow();
    expect(await store.getVideoHealth(live)).toMatchObject({ checkedAt: clock.now() });

    await store.updateArea(id, { ...ita, videoCheckMinutes: 0 }, audits.area('area.update'));
    clock.advance(24 * 60 * 60_000);
    const before = camera.hits();
    await checker.checkNow();
    expect(camera.hits()).toBe(before);
    await store.updateArea(id, { ...ita, videoCheckMinutes: null }, audits.area('area.update'));
  });

  it('leaves the checks to the copy that holds the monitor lease', async () => {
    const standby = new VideoChecker({
      store,
      clock,
      credentials: seal,
      plan: centralVideoPlan(store, settings),
      logger: quietLogger,
      leads: () => false,
      onChanged: () => undefined,
    });
    clock.advance(10 * 60_000);
    const hits = camera.hits();
    await standby.checkNow();
    expect(camera.hits()).toBe(hits);
  });
});
