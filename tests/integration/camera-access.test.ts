import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ContractClient } from '../../src-shared/contract/client';
import { fullGrid, SCREENS } from '../../src-shared/domain/permissions';
import type { PermissionGrid } from '../../src-shared/domain/permissions';
import { CAMERA_PASSWORD, CAMERA_USER, startCameraServer } from '../helpers/camera-server';
import { createTestUser, startTestCentral, transportFor } from '../helpers/central';
import type { TestCentral } from '../helpers/central';
import { failure } from '../helpers/failure';

const ADMIN_PASSWORD = 'Vigia-Porto-2026';
const USER_PASSWORD = 'Operador#Sala1';
const grid = (grant: Partial<Record<(typeof SCREENS)[number], { view: boolean; edit: boolean }>>): PermissionGrid =>
  ({ ...Object.fromEntries(SCREENS.map((s) => [s, { view: false, edit: false }])), ...grant }) as PermissionGrid;

describe("a camera's picture over the contract (a local server plays the camera)", () => {
  let camera: Awaited<ReturnType<typeof startCameraServer>>;
  let test: TestCentral;
  let transport: Awaited<ReturnType<typeof transportFor>>;
  let admin: ContractClient;
  let cam: number;
  let other: number;
  const access = (path: string) => ({
    deviceId: cam,
    make: 'hikvision' as const,
    snapshotUrl: `${camera.base}${path}`,
    rtspUrl: '',
    username: CAMERA_USER,
    password: CAMERA_PASSWORD,
  });

  beforeAll(async () => {
    camera = await startCameraServer('127.0.0.1');
  });
  afterAll(async () => {
    await camera.close();
  });
  beforeEach(async () => {
    test = await startTestCentral({ session: () => null });
    transport = await transportFor('websocket', test);
    admin = transport.connect().client;
    await admin.call('auth.setup', { username: 'admin', displayName: 'Admin', password: ADMIN_PASSWORD });
    const ita = await admin.call('areas.create', { code: 'ITA', name: 'Itajaí', timeZone: 'America/Sao_Paulo' });
    const snt = await admin.call('areas.create', { code: 'SNT', name: 'Santos', timeZone: 'America/Sao_Paulo' });
    const device = (name: string, areaId: number) =>
      admin.call('devices.create', { name, type: 'camera', context: 'normal', host: '127.0.0.1', areaId });
    cam = (await device('ITA-CAM-01', ita.id)).id;
    other = (await device('SNT-CAM-01', snt.id)).id;
  });
  afterEach(async () => {
    await transport.close();
    await test.stop();
  });

  it('keeps the password sealed, never shows it back, and never writes it to the audit', async () => {
    const saved = await admin.call('cameras.saveAccess', access('/ISAPI/Streaming/channels/101/picture'));
    expect(saved).toMatchObject({ hasPassword: true, username: CAMERA_USER });
    expect(JSON.stringify(saved)).not.toContain(CAMERA_PASSWORD);
    expect(JSON.stringify(await admin.call('cameras.access', { deviceId: cam }))).not.toContain(CAMERA_PASSWORD);
    expect((await admin.call('cameras.access', { deviceId: cam })).health).toBeNull();
    const stored = await test.central.store.getCameraAccess(cam);
    expect(stored!.passwordSealed).not.toContain(CAMERA_PASSWORD);
    expect(stored!.passwordSealed).not.toContain(Buffer.from(CAMERA_PASSWORD).toString('base64'));
    // Saved again without a password: the sealed one stays and still opens the camera.
    const { password: _omitted, ...withoutPassword } = access('/ISAPI/Streaming/channels/101/picture');
    await admin.call('cameras.saveAccess', { ...withoutPassword, username: CAMERA_USER });
    const look = await admin.call('cameras.look', { deviceId: cam });
    expect(look).toMatchObject({ health: { health: 'ok' } });
    expect(Buffer.from(look.image!, 'base64').subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    const trail = await admin.call('audit.list', { action: 'camera.update' });
    expect(trail).toHaveLength(2);
    expect(JSON.stringify(trail)).not.toContain(CAMERA_PASSWORD);
  });

  it('tells a black and a frozen picture, and keeps the health between looks', async () => {
    await admin.call('cameras.saveAccess', access('/black'));
    expect(await admin.call('cameras.look', { deviceId: cam })).toMatchObject({ health: { health: 'black' } });
    // The device list's page learns which of its cameras have a bad picture.
    expect(await admin.call('cameras.videoProblems', { deviceIds: [cam, other] })).toEqual([
      { deviceId: cam, health: 'black' },
    ]);
    await admin.call('cameras.saveAccess', access('/frozen'));
    const healths: string[] = [];
    for (let i = 0; i < 3; i++) healths.push((await admin.call('cameras.look', { deviceId: cam })).health.health);
    expect(healths).toEqual(['ok', 'ok', 'frozen']);
  });

  it("sends a saved password only to the host it was typed for, even after the device's address changes", async () => {
    const elsewhere = await startCameraServer('127.0.0.2');
    try {
      await admin.call('cameras.saveAccess', { ...access('/axis-cgi/jpg/image.cgi'), make: 'axis' });
      // Someone who may edit devices moves the camera to a server of their own and points the picture there.
      const device = await admin.call('devices.get', { id: cam });
      await admin.call('devices.update', {
        id: cam,
        name: device.name,
        type: device.type,
        context: device.context,
        host: '127.0.0.2',
        areaId: device.areaId,
        location: device.location,
        notes: device.notes,
      });
      const { password: _typed, ...kept } = access('/axis-cgi/jpg/image.cgi');
      const moved = await admin.call('cameras.saveAccess', {
        ...kept,
        make: 'axis',
        snapshotUrl: `${elsewhere.base}/axis-cgi/jpg/image.cgi`,
      });
      expect(moved.hasPassword).toBe(false);
      expect(await admin.call('cameras.look', { deviceId: cam })).toMatchObject({ health: { health: 'no_image' } });
      expect(elsewhere.authorizations().join(' ')).not.toContain(
        Buffer.from(`${CAMERA_USER}:${CAMERA_PASSWORD}`).toString('base64'),
      );
    } finally {
      await elsewhere.close();
    }
  });

  it('refuses an address on another host, a user without edit, and a camera of an area outside the user', async () => {
    const elsewhere = { ...access('/black'), snapshotUrl: 'http://127.0.0.2/picture' };
    const refused = await failure(admin.call('cameras.saveAccess', elsewhere));
    expect(refused).toMatchObject({ kind: 'validation', fields: { snapshotUrl: { key: 'url_other_host' } } });
    expect((await admin.call('cameras.access', { deviceId: cam })).access).toBeNull();

    await createTestUser(test, {
      username: 'viewer',
      permissions: grid({ devices: { view: true, edit: false } }),
      allowedAreaIds: null,
      password: USER_PASSWORD,
    });
    const viewer = transport.connect().client;
    await viewer.call('auth.login', { username: 'viewer', password: USER_PASSWORD });
    expect((await failure(viewer.call('cameras.saveAccess', access('/black')))).kind).toBe('forbidden');

    const areas = await admin.call('areas.list', {});
    await createTestUser(test, {
      username: 'ita-only',
      permissions: fullGrid(),
      allowedAreaIds: [areas.find((a) => a.code === 'ITA')!.id],
      password: USER_PASSWORD,
    });
    const scoped = transport.connect().client;
    await scoped.call('auth.login', { username: 'ita-only', password: USER_PASSWORD });
    const theirs = { ...access('/black'), deviceId: other };
    // SNT's camera has a bad picture; a user of ITA only is not told, even asking by its id.
    await admin.call('cameras.saveAccess', theirs);
    await admin.call('cameras.look', { deviceId: other });
    expect(await admin.call('cameras.videoProblems', { deviceIds: [other] })).toHaveLength(1);
    expect(await scoped.call('cameras.videoProblems', { deviceIds: [other] })).toEqual([]);
    expect((await admin.call('cameras.videoProblemList', {})).map((p) => p.deviceName)).toEqual(['SNT-CAM-01']);
    expect(await scoped.call('cameras.videoProblemList', {})).toEqual([]);
    expect((await failure(scoped.call('cameras.saveAccess', theirs))).kind).toBe('not_found');
    expect((await failure(scoped.call('cameras.look', { deviceId: other }))).kind).toBe('not_found');
    expect((await admin.call('cameras.access', { deviceId: other })).access).toMatchObject({
      snapshotUrl: theirs.snapshotUrl,
    });
  });
});
