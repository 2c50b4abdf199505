import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AreaFields } from '../../src-shared/domain/area';
import type { DeviceFields } from '../../src-shared/domain/device';
import { DomainError } from '../../src-main/core/errors';
import type { Store, UserFields } from '../../src-main/core/store/port';
import { SCREENS } from '../../src-shared/domain/permissions';
import type { PermissionGrid } from '../../src-shared/domain/permissions';
import { ManualClock } from '../helpers/clock';

export interface StoreHarness {
  readonly store: Store;
  /** Closes and opens the same database again, to prove data outlives the connection. */
  reopen(): Promise<Store>;
  dispose(): Promise<void>;
}

export type StoreFactory = (clock: ManualClock) => Promise<StoreHarness>;

const ita: AreaFields = { code: 'ITA', name: 'Itajaí', timeZone: 'America/Sao_Paulo' };
const snt: AreaFields = { code: 'SNT', name: 'Santos', timeZone: 'America/Sao_Paulo' };

function device(areaId: number, overrides: Partial<DeviceFields> = {}): DeviceFields {
  return {
    name: 'CAM-01',
    type: 'camera',
    context: 'normal',
    host: '10.0.0.1',
    areaId,
    location: '',
    notes: '',
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

/**
 * What every Store adapter must do, whatever its dialect. Run it from a
 * `*.test.ts` per adapter; SQL Server joins when VIGIA_TEST_MSSQL_URL is set.
 */
export function storeContract(adapterName: string, open: StoreFactory): void {
  describe(`Store contract: ${adapterName}`, () => {
    let clock: ManualClock;
    let harness: StoreHarness;
    let store: Store;

    beforeEach(async () => {
      clock = new ManualClock();
      harness = await open(clock);
      store = harness.store;
    });
    afterEach(async () => {
      await harness.dispose();
    });

    describe('areas', () => {
      it('creates an area with timestamps from the clock and no devices', async () => {
        const area = await store.createArea(ita);
        expect(area).toMatchObject({ ...ita, deviceCount: 0, createdAt: clock.now(), updatedAt: clock.now() });
        expect(await store.listAreas()).toEqual([area]);
        expect(await store.getArea(area.id)).toEqual(area);
      });

      it('lists areas ordered by code', async () => {
        await store.createArea(snt);
        await store.createArea(ita);
        expect((await store.listAreas()).map((a) => a.code)).toEqual(['ITA', 'SNT']);
      });

      it('refuses a duplicate code as a conflict on the code field and saves nothing', async () => {
        await store.createArea(ita);
        const error = await rejection(store.createArea({ ...ita, name: 'Outra' }));
        expect(error.kind).toBe('conflict');
        expect(error.fields).toEqual({ code: { key: 'duplicate_area_code' } });
        expect(await store.listAreas()).toHaveLength(1);
      });

      it('updates an area and refuses to take another area’s code', async () => {
        const first = await store.createArea(ita);
        const second = await store.createArea(snt);
        clock.advance(60_000);
        const updated = await store.updateArea(first.id, { ...ita, name: 'Itajaí (porto)' });
        expect(updated).toMatchObject({ name: 'Itajaí (porto)', createdAt: first.createdAt, updatedAt: clock.now() });
        const error = await rejection(store.updateArea(second.id, { ...snt, code: 'ITA' }));
        expect(error.kind).toBe('conflict');
        expect((await store.getArea(second.id))?.code).toBe('SNT');
      });

      it('answers not found for a missing area', async () => {
        expect(await store.getArea(999)).toBeUndefined();
        expect((await rejection(store.updateArea(999, ita))).kind).toBe('not_found');
        expect((await rejection(store.deleteArea(999))).kind).toBe('not_found');
      });

      it('refuses to delete an area that still has devices, and deletes an empty one', async () => {
        const area = await store.createArea(ita);
        const cam = await store.createDevice(device(area.id));
        const refused = await rejection(store.deleteArea(area.id));
        expect(refused.kind).toBe('conflict');
        expect(refused.fields).toEqual({ _: { key: 'area_has_devices', params: { count: 1 } } });
        expect(await store.getDevice(cam.id)).toBeDefined();
        await store.deleteDevice(cam.id);
        await store.deleteArea(area.id);
        expect(await store.listAreas()).toEqual([]);
      });
    });

    describe('devices', () => {
      it('creates a device OFFLINE since creation, with its area code', async () => {
        const area = await store.createArea(ita);
        const cam = await store.createDevice(device(area.id));
        expect(cam).toMatchObject({
          ...device(area.id),
          areaCode: 'ITA',
          status: 'OFFLINE',
          statusSince: clock.now(),
        });
        expect((await store.getArea(area.id))?.deviceCount).toBe(1);
      });

      it('refuses a device in an area that does not exist', async () => {
        const error = await rejection(store.createDevice(device(4242)));
        expect(error.kind).toBe('validation');
        expect(error.fields).toEqual({ areaId: { key: 'unknown_area' } });
        expect(await store.listDevices({})).toEqual([]);
      });

      it('keeps names unique within an area but not across areas', async () => {
        const a = await store.createArea(ita);
        const b = await store.createArea(snt);
        await store.createDevice(device(a.id));
        await store.createDevice(device(b.id));
        const error = await rejection(store.createDevice(device(a.id, { host: '10.0.0.2' })));
        expect(error.kind).toBe('conflict');
        expect(error.fields).toEqual({ name: { key: 'duplicate_device_name' } });
        expect(await store.listDevices({})).toHaveLength(2);
      });

      it('updates every field, including moving to another area', async () => {
        const a = await store.createArea(ita);
        const b = await store.createArea(snt);
        const cam = await store.createDevice(device(a.id));
        const changed = device(b.id, {
          name: 'CA-07',
          type: 'access_control',
          context: 'rfb',
          host: 'ca-07.snt.example',
          location: 'Gate 2',
          notes: 'Leitor facial',
        });
        const updated = await store.updateDevice(cam.id, changed);
        expect(updated).toMatchObject({ ...changed, areaCode: 'SNT' });
        expect((await store.getArea(a.id))?.deviceCount).toBe(0);
        expect((await store.getArea(b.id))?.deviceCount).toBe(1);
        expect((await rejection(store.updateDevice(999, changed))).kind).toBe('not_found');
      });

      it('filters by area, type, context and text (name, host, location, notes)', async () => {
        const a = await store.createArea(ita);
        const b = await store.createArea(snt);
        await store.createDevice(device(a.id, { name: 'CAM-01', host: '10.0.0.1', location: 'Portaria' }));
        await store.createDevice(device(a.id, { name: 'CA-01', type: 'access_control', host: '10.0.0.2' }));
        await store.createDevice(
          device(b.id, { name: 'CAM-02', context: 'rfb', host: 'cam02.local', notes: 'Doca 5' }),
        );
        const names = async (filter: Parameters<Store['listDevices']>[0]) =>
          (await store.listDevices(filter)).map((d) => d.name);
        expect(await names({})).toEqual(['CA-01', 'CAM-01', 'CAM-02']);
        expect(await names({ areaId: b.id })).toEqual(['CAM-02']);
        expect(await names({ type: 'access_control' })).toEqual(['CA-01']);
        expect(await names({ context: 'rfb' })).toEqual(['CAM-02']);
        expect(await names({ text: 'portaria' })).toEqual(['CAM-01']);
        expect(await names({ text: 'cam02' })).toEqual(['CAM-02']);
        expect(await names({ text: 'doca' })).toEqual(['CAM-02']);
        expect(await names({ areaId: a.id, type: 'camera', text: 'cam' })).toEqual(['CAM-01']);
      });

      it('treats % and _ in the search text literally', async () => {
        const a = await store.createArea(ita);
        await store.createDevice(device(a.id, { name: 'CAM_01' }));
        await store.createDevice(device(a.id, { name: 'CAMX01' }));
        expect((await store.listDevices({ text: 'CAM_' })).map((d) => d.name)).toEqual(['CAM_01']);
        expect(await store.listDevices({ text: '%' })).toEqual([]);
      });

      it('deletes a device and answers not found the second time', async () => {
        const a = await store.createArea(ita);
        const cam = await store.createDevice(device(a.id));
        await store.deleteDevice(cam.id);
        expect(await store.getDevice(cam.id)).toBeUndefined();
        expect((await rejection(store.deleteDevice(cam.id))).kind).toBe('not_found');
      });
    });

    describe('settings', () => {
      it('stores JSON values and overwrites them', async () => {
        expect(await store.getSetting('monitor')).toBeUndefined();
        await store.setSetting('monitor', { intervalMs: 5000, names: ['ação', 'ç'] });
        await store.setSetting('monitor', { intervalMs: 7000, names: ['ação', 'ç'] });
        expect(await store.getSetting('monitor')).toEqual({ intervalMs: 7000, names: ['ação', 'ç'] });
      });
    });

    describe('users', () => {
      const viewDevices = {
        ...Object.fromEntries(SCREENS.map((screen) => [screen, { view: false, edit: false }])),
        devices: { view: true, edit: false },
      } as PermissionGrid;
      const operator = (over: Partial<UserFields> = {}): UserFields => ({
        username: 'operador',
        displayName: 'Operador da sala',
        isAdmin: false,
        active: true,
        permissions: viewDevices,
        allowedAreaIds: null,
        ...over,
      });

      it('creates a user with its permission grid and allowed areas, and never returns the hash', async () => {
        const area = await store.createArea(ita);
        expect(await store.countUsers()).toBe(0);
        const user = await store.createUser({
          ...operator({ allowedAreaIds: [area.id] }),
          passwordHash: 'scrypt$hash',
          mustChangePassword: true,
        });
        expect(user).toMatchObject({
          username: 'operador',
          mustChangePassword: true,
          allowedAreaIds: [area.id],
          lockedUntil: null,
        });
        expect(user.permissions.devices).toEqual({ view: true, edit: false });
        expect(user.permissions.users).toEqual({ view: false, edit: false });
        expect(JSON.stringify(user)).not.toContain('scrypt$hash');
        expect(await store.countUsers()).toBe(1);
        expect(await store.getUserCredentials('operador')).toMatchObject({
          id: user.id,
          passwordHash: 'scrypt$hash',
          failedAttempts: 0,
        });
        expect(await store.getUserCredentials('ninguem')).toBeUndefined();
      });

      it('refuses a duplicate username as a conflict on that field', async () => {
        await store.createUser({ ...operator(), passwordHash: 'h', mustChangePassword: false });
        const error = await rejection(
          store.createUser({ ...operator(), passwordHash: 'h', mustChangePassword: false }),
        );
        expect(error).toMatchObject({ kind: 'conflict', fields: { username: { key: 'duplicate_username' } } });
        expect(await store.countUsers()).toBe(1);
      });

      it('updates grants and areas wholesale; no areas means every area', async () => {
        const a = await store.createArea(ita);
        const b = await store.createArea(snt);
        const user = await store.createUser({
          ...operator({ allowedAreaIds: [a.id, b.id] }),
          passwordHash: 'h',
          mustChangePassword: false,
        });
        const updated = await store.updateUser(
          user.id,
          operator({ allowedAreaIds: [], isAdmin: true, displayName: 'Chefe' }),
        );
        expect(updated).toMatchObject({ isAdmin: true, displayName: 'Chefe', allowedAreaIds: null });
        expect((await rejection(store.updateUser(999, operator()))).kind).toBe('not_found');
      });

      it('counts failed logins, locks, and clears both on success', async () => {
        const user = await store.createUser({ ...operator(), passwordHash: 'h', mustChangePassword: false });
        expect(await store.recordLoginFailure(user.id, null)).toBe(1);
        expect(await store.recordLoginFailure(user.id, null)).toBe(2);
        expect(await store.recordLoginFailure(user.id, clock.now() + 900_000)).toBe(0);
        expect((await store.getUser(user.id))?.lockedUntil).toBe(clock.now() + 900_000);
        await store.recordLoginSuccess(user.id);
        expect(await store.getUserCredentials('operador')).toMatchObject({ lockedUntil: null, failedAttempts: 0 });
        await store.setPasswordHash(user.id, 'new-hash', true);
        expect(await store.getUserCredentials('operador')).toMatchObject({
          passwordHash: 'new-hash',
          mustChangePassword: true,
        });
      });
    });

    describe('audit log', () => {
      it('appends entries and lists them newest first, filtered', async () => {
        const base = {
          userId: 1,
          username: 'admin',
          entityId: '7',
          outcome: 'success' as const,
          before: null,
          after: '{"code":"ITA"}',
        };
        await store.appendAudit({ ...base, at: clock.now(), action: 'create', entity: 'area' });
        await store.appendAudit({
          ...base,
          at: clock.now() + 1000,
          action: 'login',
          entity: 'session',
          outcome: 'failure',
        });
        await store.appendAudit({
          ...base,
          at: clock.now() + 2000,
          action: 'update',
          entity: 'area',
          userId: 2,
          username: 'op',
        });
        expect((await store.listAudit({ limit: 10 })).map((e) => e.action)).toEqual(['update', 'login', 'create']);
        expect((await store.listAudit({ limit: 10, entity: 'area', userId: 1 })).map((e) => e.action)).toEqual([
          'create',
        ]);
        expect(
          (await store.listAudit({ limit: 10, from: clock.now() + 1000, to: clock.now() + 2000 })).map((e) => e.action),
        ).toEqual(['login']);
        expect(await store.listAudit({ limit: 1 })).toHaveLength(1);
      });
    });

    it('keeps everything after the connection is closed and opened again', async () => {
      const area = await store.createArea(ita);
      const cam = await store.createDevice(device(area.id, { name: 'Câmera — Pátio "norte"' }));
      await store.setSetting('theme', 'dark');
      store = await harness.reopen();
      expect(await store.getDevice(cam.id)).toEqual(cam);
      expect(await store.getSetting('theme')).toBe('dark');
    });
  });
}
