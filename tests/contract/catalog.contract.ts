import { describe, expect, it } from 'vitest';
import type { Store } from '../../src-main/core/store/port';
import type { SuiteContext } from './harness';
import { device, ita, rejection, snt } from './harness';

export function catalogContract(get: () => SuiteContext): void {
  describe('areas', () => {
    it('creates an area with timestamps from the clock and no devices, and audits it in the same write', async () => {
      const { store, clock, audits } = get();
      const area = await store.createArea(ita, audits.area());
      expect(area).toMatchObject({ ...ita, deviceCount: 0, createdAt: clock.now(), updatedAt: clock.now() });
      expect(await store.listAreas()).toEqual([area]);
      expect(await store.getArea(area.id)).toEqual(area);
      const [entry] = await store.listAudit({ limit: 10 });
      expect(entry).toMatchObject({
        action: 'area.create',
        entity: 'area',
        entityId: String(area.id),
        entityLabel: 'ITA',
        areaId: area.id,
        username: 'tester',
        before: null,
      });
      expect(JSON.parse(entry!.after!)).toMatchObject({ code: 'ITA', name: 'Itajaí' });
    });

    it('lists areas ordered by code', async () => {
      const { store, audits } = get();
      await store.createArea(snt, audits.area());
      await store.createArea(ita, audits.area());
      expect((await store.listAreas()).map((a) => a.code)).toEqual(['ITA', 'SNT']);
    });

    it('refuses a duplicate code as a conflict on the code field, and saves nothing, not even an audit entry', async () => {
      const { store, audits } = get();
      await store.createArea(ita, audits.area());
      const error = await rejection(store.createArea({ ...ita, name: 'Outra' }, audits.area()));
      expect(error.kind).toBe('conflict');
      expect(error.fields).toEqual({ code: { key: 'duplicate_area_code' } });
      expect(await store.listAreas()).toHaveLength(1);
      expect(await store.listAudit({ limit: 10 })).toHaveLength(1);
    });

    it('updates an area with its before and after in the audit, and refuses to take another area’s code', async () => {
      const { store, clock, audits } = get();
      const first = await store.createArea(ita, audits.area());
      const second = await store.createArea(snt, audits.area());
      clock.advance(60_000);
      const updated = await store.updateArea(first.id, { ...ita, name: 'Itajaí (porto)' }, audits.area('area.update'));
      expect(updated).toMatchObject({ name: 'Itajaí (porto)', createdAt: first.createdAt, updatedAt: clock.now() });
      const [entry] = await store.listAudit({ limit: 1, action: 'area.update' });
      expect(JSON.parse(entry!.before!)).toMatchObject({ name: 'Itajaí' });
      expect(JSON.parse(entry!.after!)).toMatchObject({ name: 'Itajaí (porto)' });
      const error = await rejection(store.updateArea(second.id, { ...snt, code: 'ITA' }, audits.area('area.update')));
      expect(error.kind).toBe('conflict');
      expect((await store.getArea(second.id))?.code).toBe('SNT');
      expect(await store.listAudit({ limit: 10, action: 'area.update' })).toHaveLength(1);
    });

    it('keeps an area’s own camera-check interval, unchanged by an update that does not name it', async () => {
      const { store, audits } = get();
      const created = await store.createArea(ita, audits.area());
      expect(created.videoCheckMinutes).toBeNull();
      const own = await store.updateArea(created.id, { ...ita, videoCheckMinutes: 15 }, audits.area('area.update'));
      expect(own.videoCheckMinutes).toBe(15);
      const renamed = await store.updateArea(
        created.id,
        { ...ita, name: 'Itajaí (porto)' },
        audits.area('area.update'),
      );
      expect(renamed).toMatchObject({ name: 'Itajaí (porto)', videoCheckMinutes: 15 });
      const off = await store.createArea({ ...snt, videoCheckMinutes: 0 }, audits.area());
      expect((await store.getArea(off.id))?.videoCheckMinutes).toBe(0);
      expect(
        (await store.updateArea(created.id, { ...ita, videoCheckMinutes: null }, audits.area('area.update')))
          .videoCheckMinutes,
      ).toBeNull();
    });

    it('answers not found for a missing area', async () => {
      const { store, audits } = get();
      expect(await store.getArea(999)).toBeUndefined();
      expect((await rejection(store.updateArea(999, ita, audits.area('area.update')))).kind).toBe('not_found');
      expect((await rejection(store.deleteArea(999, audits.area('area.delete')))).kind).toBe('not_found');
    });

    it('refuses to delete an area that still has devices, and deletes an empty one', async () => {
      const { store, audits } = get();
      const area = await store.createArea(ita, audits.area());
      const cam = await store.createDevice(device(area.id), audits.device());
      const refused = await rejection(store.deleteArea(area.id, audits.area('area.delete')));
      expect(refused.kind).toBe('conflict');
      expect(refused.fields).toEqual({ _: { key: 'area_has_devices', params: { count: 1 } } });
      expect(await store.getDevice(cam.id)).toBeDefined();
      await store.deleteDevice(cam.id, audits.device('device.delete'));
      await store.deleteArea(area.id, audits.area('area.delete'));
      expect(await store.listAreas()).toEqual([]);
      expect((await store.listAudit({ limit: 10, action: 'area.delete' })).map((e) => e.entityLabel)).toEqual(['ITA']);
    });
  });

  describe('devices', () => {
    it('creates a device PENDING since its creation, with its area code', async () => {
      const { store, clock, audits } = get();
      const area = await store.createArea(ita, audits.area());
      const cam = await store.createDevice(device(area.id), audits.device());
      expect(cam).toMatchObject({ ...device(area.id), areaCode: 'ITA', status: 'PENDING', statusSince: clock.now() });
      expect((await store.getArea(area.id))?.deviceCount).toBe(1);
      expect(await store.listAudit({ limit: 1, action: 'device.create' })).toMatchObject([
        { entityLabel: 'CAM-01', areaId: area.id, entityId: String(cam.id) },
      ]);
    });

    it('refuses a device in an area that does not exist', async () => {
      const { store, audits } = get();
      const error = await rejection(store.createDevice(device(4242), audits.device()));
      expect(error.kind).toBe('validation');
      expect(error.fields).toEqual({ areaId: { key: 'unknown_area' } });
      expect(await store.listDevices({})).toEqual([]);
      expect(await store.listAudit({ limit: 10 })).toEqual([]);
    });

    it('keeps names unique within an area but not across areas', async () => {
      const { store, audits } = get();
      const a = await store.createArea(ita, audits.area());
      const b = await store.createArea(snt, audits.area());
      await store.createDevice(device(a.id), audits.device());
      await store.createDevice(device(b.id), audits.device());
      const error = await rejection(store.createDevice(device(a.id, { host: '10.0.0.2' }), audits.device()));
      expect(error.kind).toBe('conflict');
      expect(error.fields).toEqual({ name: { key: 'duplicate_device_name' } });
      expect(await store.listDevices({})).toHaveLength(2);
    });

    it('updates every field, including moving to another area', async () => {
      const { store, audits } = get();
      const a = await store.createArea(ita, audits.area());
      const b = await store.createArea(snt, audits.area());
      const cam = await store.createDevice(device(a.id), audits.device());
      const changed = device(b.id, {
        name: 'CA-07',
        type: 'access_control',
        context: 'rfb',
        host: 'ca-07.snt.example',
        location: 'Gate 2',
        notes: 'Leitor facial',
      });
      const updated = await store.updateDevice(cam.id, changed, audits.device('device.update'));
      expect(updated).toMatchObject({ ...changed, areaCode: 'SNT' });
      expect((await store.getArea(a.id))?.deviceCount).toBe(0);
      expect((await store.getArea(b.id))?.deviceCount).toBe(1);
      expect((await rejection(store.updateDevice(999, changed, audits.device('device.update')))).kind).toBe(
        'not_found',
      );
    });

    it('filters by area, type, context, status and text (name, host, location, notes)', async () => {
      const { store, audits } = get();
      const a = await store.createArea(ita, audits.area());
      const b = await store.createArea(snt, audits.area());
      await store.createDevice(
        device(a.id, { name: 'CAM-01', host: '10.0.0.1', location: 'Portaria' }),
        audits.device(),
      );
      await store.createDevice(
        device(a.id, { name: 'CA-01', type: 'access_control', host: '10.0.0.2' }),
        audits.device(),
      );
      await store.createDevice(
        device(b.id, { name: 'CAM-02', context: 'rfb', host: 'cam02.local', notes: 'Doca 5' }),
        audits.device(),
      );
      const names = async (filter: Parameters<Store['listDevices']>[0]) =>
        (await store.listDevices(filter)).map((d) => d.name);
      expect(await names({})).toEqual(['CA-01', 'CAM-01', 'CAM-02']);
      expect(await names({ areaId: b.id })).toEqual(['CAM-02']);
      expect(await names({ areaIds: [a.id] })).toEqual(['CA-01', 'CAM-01']);
      expect(await names({ type: 'access_control' })).toEqual(['CA-01']);
      expect(await names({ context: 'rfb' })).toEqual(['CAM-02']);
      expect(await names({ status: 'PENDING' })).toHaveLength(3);
      expect(await names({ status: 'OFFLINE' })).toEqual([]);
      expect(await names({ text: 'portaria' })).toEqual(['CAM-01']);
      expect(await names({ text: 'cam02' })).toEqual(['CAM-02']);
      expect(await names({ text: 'doca' })).toEqual(['CAM-02']);
      expect(await names({ areaId: a.id, type: 'camera', text: 'cam' })).toEqual(['CAM-01']);
    });

    it('treats % and _ in the search text literally', async () => {
      const { store, audits } = get();
      const a = await store.createArea(ita, audits.area());
      await store.createDevice(device(a.id, { name: 'CAM_01' }), audits.device());
      await store.createDevice(device(a.id, { name: 'CAMX01' }), audits.device());
      expect((await store.listDevices({ text: 'CAM_' })).map((d) => d.name)).toEqual(['CAM_01']);
      expect(await store.listDevices({ text: '%' })).toEqual([]);
    });

    it('pages a long list with its total, sorted by name, by status (what needs attention first) or by duration', async () => {
      const { store, clock, audits } = get();
      const a = await store.createArea(ita, audits.area());
      const ids: number[] = [];
      for (let i = 1; i <= 12; i++) {
        ids.push(
          (await store.createDevice(device(a.id, { name: `CAM-${String(i).padStart(2, '0')}` }), audits.device())).id,
        );
        clock.advance(1000);
      }
      // Two devices go ONLINE and one OFFLINE (by the workflow port: no raw SQL), the rest stay PENDING.
      const move = (deviceId: number, to: 'ONLINE' | 'OFFLINE', at: number) =>
        store.transitionDevice({
          deviceId,
          from: ['PENDING'],
          to,
          segment: null,
          at,
          userId: null,
          refusal: 'state_changed',
        });
      await move(ids[0]!, 'ONLINE', clock.now());
      await move(ids[5]!, 'OFFLINE', clock.now() + 10);
      await move(ids[3]!, 'OFFLINE', clock.now() + 20);
      const page = await store.pageDevices({ sort: 'name', offset: 5, limit: 5 });
      expect(page.total).toBe(12);
      expect(page.rows.map((d) => d.name)).toEqual(['CAM-06', 'CAM-07', 'CAM-08', 'CAM-09', 'CAM-10']);
      const byStatus = await store.pageDevices({ sort: 'status', offset: 0, limit: 4 });
      // OFFLINE first, the longest down first; then PENDING, the oldest first; ONLINE last.
      expect(byStatus.rows.map((d) => `${d.name}:${d.status}`)).toEqual([
        'CAM-06:OFFLINE',
        'CAM-04:OFFLINE',
        'CAM-02:PENDING',
        'CAM-03:PENDING',
      ]);
      expect((await store.pageDevices({ sort: 'status', offset: 11, limit: 5 })).rows.map((d) => d.name)).toEqual([
        'CAM-01',
      ]);
      const offline = await store.pageDevices({ status: 'OFFLINE', sort: 'duration', offset: 0, limit: 10 });
      expect(offline).toMatchObject({ total: 2 });
      expect(offline.rows.map((d) => d.name)).toEqual(['CAM-06', 'CAM-04']);
    });

    it('deletes a device with an audit entry and answers not found the second time', async () => {
      const { store, audits } = get();
      const a = await store.createArea(ita, audits.area());
      const cam = await store.createDevice(device(a.id), audits.device());
      await store.deleteDevice(cam.id, audits.device('device.delete'));
      expect(await store.getDevice(cam.id)).toBeUndefined();
      expect((await rejection(store.deleteDevice(cam.id, audits.device('device.delete')))).kind).toBe('not_found');
      const entries = await store.listAudit({ limit: 10, action: 'device.delete' });
      expect(entries).toHaveLength(1);
      expect(JSON.parse(entries[0]!.before!)).toMatchObject({ name: 'CAM-01' });
    });
  });

  describe('camera access and video health', () => {
    it('keeps one access per camera, replaced in place, audited as the screen sees it, never the sealed password', async () => {
      const { store, audits, clock } = get();
      const area = await store.createArea(ita, audits.area());
      const cam = await store.createDevice(device(area.id), audits.device());
      const access = {
        deviceId: cam.id,
        make: 'hikvision' as const,
        snapshotUrl: 'http://10.0.0.1/ISAPI/Streaming/channels/101/picture',
        rtspUrl: '',
        username: 'admin',
        passwordSealed: 'iv.tag.sealed-text',
      };
      expect(await store.saveCameraAccess(access, audits.camera())).toEqual({ ...access, updatedAt: clock.now() });
      clock.advance(1_000);
      await store.saveCameraAccess({ ...access, username: 'operador', passwordSealed: null }, audits.camera());
      expect(await store.getCameraAccess(cam.id)).toMatchObject({ username: 'operador', passwordSealed: null });
      const entries = await store.listAudit({ limit: 10, action: 'camera.update' });
      expect(entries).toHaveLength(2);
      expect(JSON.parse(entries[0]!.before!)).toMatchObject({ username: 'admin', hasPassword: true });
      expect(JSON.stringify(entries)).not.toContain('sealed-text');
    });

    it('keeps the last video check of a camera, replaced at each check, and forgets both with the device', async () => {
      const { store, audits } = get();
      const area = await store.createArea(ita, audits.area());
      const cam = await store.createDevice(device(area.id), audits.device());
      const check = {
        health: 'frozen' as const,
        detail: 'same',
        checkedAt: 10,
        since: 5,
        sameCount: 3,
        thumbnail: 'AAAA',
      };
      expect(await store.recordVideoHealth(cam.id, { ...check, health: 'ok', sameCount: 1, checkedAt: 9 })).toBe(true);
      expect(await store.recordVideoHealth(cam.id, check)).toBe(true);
      expect(await store.getVideoHealth(cam.id)).toEqual(check);
      // A look that started earlier and answered later (a slow camera, an agent's late report) does not win.
      expect(await store.recordVideoHealth(cam.id, { ...check, health: 'ok', checkedAt: 8 })).toBe(false);
      expect(await store.getVideoHealth(cam.id)).toEqual(check);
      expect(await store.listVideoHealths()).toEqual([{ deviceId: cam.id, health: 'frozen', since: 5 }]);
      const access = { make: 'axis' as const, snapshotUrl: '', rtspUrl: '', username: '', passwordSealed: null };
      await store.saveCameraAccess({ deviceId: cam.id, ...access }, audits.camera());
      // Only cameras with a picture address are due for checks, each with its last one.
      expect(await store.listCameraChecks()).toEqual([]);
      await store.saveCameraAccess({ deviceId: cam.id, ...access, snapshotUrl: 'http://10.0.0.1/x' }, audits.camera());
      expect(await store.listCameraChecks()).toEqual([{ deviceId: cam.id, checkedAt: 10 }]);
      // What an area's agent is handed: its own area's cameras with a picture address only.
      const elsewhere = await store.createArea(snt, audits.area());
      const far = await store.createDevice(device(elsewhere.id, { host: '10.0.0.9' }), audits.device());
      await store.saveCameraAccess({ deviceId: far.id, ...access, snapshotUrl: 'http://10.0.0.9/x' }, audits.camera());
      expect((await store.listAreaCameraAccess(area.id)).map((a) => [a.deviceId, a.snapshotUrl])).toEqual([
        [cam.id, 'http://10.0.0.1/x'],
      ]);
      expect((await store.listAreaCameraAccess(elsewhere.id)).map((a) => a.deviceId)).toEqual([far.id]);
      await store.deleteDevice(cam.id, audits.device('device.delete'));
      expect(await store.listAreaCameraAccess(area.id)).toEqual([]);
      expect(await store.getVideoHealth(cam.id)).toBeUndefined();
      expect(await store.getCameraAccess(cam.id)).toBeUndefined();
    });
  });

  describe('device import', () => {
    it('creates every device in one write, parents before children, with one audit entry for the whole import', async () => {
      const { store, audits } = get();
      const area = await store.createArea(ita, audits.area());
      const existing = await store.createDevice(
        device(area.id, { name: 'SW-PATIO', host: '10.0.0.1' }),
        audits.device(),
      );
      const created = await store.importDevices(
        [
          { fields: device(area.id, { name: 'SW-NORTE', host: '10.0.0.2' }), parent: { id: existing.id } },
          { fields: device(area.id, { name: 'CAM-N1', host: '10.0.0.3' }), parent: { index: 0 } },
          { fields: device(area.id, { name: 'CAM-P1', host: '10.0.0.4' }), parent: null },
        ],
        audits.deviceImport(),
      );
      expect(created).toBe(3);
      const byName = new Map((await store.listDevices({})).map((d) => [d.name, d]));
      expect(byName.get('SW-NORTE')).toMatchObject({ parentName: 'SW-PATIO', status: 'PENDING' });
      expect(byName.get('CAM-N1')).toMatchObject({ parentName: 'SW-NORTE' });
      expect(byName.get('CAM-P1')).toMatchObject({ parentId: null });
      const entries = await store.listAudit({ limit: 10, action: 'device.import' });
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ entityLabel: '3', username: 'tester' });
    });

    it('imports nothing, not even its audit entry, when one name is taken (as by someone else meanwhile)', async () => {
      const { store, audits } = get();
      const area = await store.createArea(ita, audits.area());
      await store.createDevice(device(area.id, { name: 'CAM-02', host: '10.0.0.9' }), audits.device());
      const error = await rejection(
        store.importDevices(
          [
            { fields: device(area.id, { name: 'CAM-01', host: '10.0.0.1' }), parent: null },
            { fields: device(area.id, { name: 'CAM-02', host: '10.0.0.2' }), parent: null },
          ],
          audits.deviceImport(),
        ),
      );
      expect(error.kind).toBe('conflict');
      expect((await store.listDevices({})).map((d) => d.name)).toEqual(['CAM-02']);
      expect(await store.listAudit({ limit: 10, action: 'device.import' })).toEqual([]);
    });
  });

  describe('settings', () => {
    it('stores JSON values, overwrites them, and audits the change with the value before', async () => {
      const { store, audits } = get();
      expect(await store.getSetting('monitor')).toBeUndefined();
      const audit = audits.auditor.change({ userId: null, username: 'tester' }, 'settings.update', () => ({
        entityId: 'monitor',
        label: 'monitor',
        areaId: null,
      }));
      await store.setSetting('monitor', { intervalMs: 5000, names: ['ação', 'ç'] });
      await store.setSetting('monitor', { intervalMs: 7000, names: ['ação', 'ç'] }, audit);
      expect(await store.getSetting('monitor')).toEqual({ intervalMs: 7000, names: ['ação', 'ç'] });
      const [entry] = await store.listAudit({ limit: 10 });
      expect(entry).toMatchObject({ action: 'settings.update', entityId: 'monitor', areaId: null });
      expect(JSON.parse(entry!.before!)).toEqual({ intervalMs: 5000, names: ['ação', 'ç'] });
    });
  });
}

export function operationsContract(get: () => SuiteContext): void {
  it('says which database it is and its version', async () => {
    const description = await get().store.describeStore();
    expect(['sqlite', 'mssql']).toContain(description.dialect);
    expect(description.version).toMatch(/\d+\.\d+/);
  });
}
