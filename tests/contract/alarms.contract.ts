import { expect, it } from 'vitest';
import type { AlarmOpening } from '../../src-main/core/store/port';
import type { SuiteContext } from './harness';
import { device, ita, operator, rejection, snt } from './harness';

export function alarmsContract(get: () => SuiteContext): void {
  async function setting() {
    const { store, audits } = get();
    const area = await store.createArea(ita, audits.area());
    const other = await store.createArea(snt, audits.area());
    const cam = await store.createDevice(device(area.id), audits.device());
    const far = await store.createDevice(device(other.id, { name: 'CAM-SNT', host: '10.0.1.1' }), audits.device());
    const user = await store.createUser(
      { ...operator({ displayName: 'Ana Souza' }), passwordHash: 'h', mustChangePassword: false },
      audits.user(),
    );
    return { area, other, cam, far, user };
  }
  const offline = (deviceId: number, areaId: number): AlarmOpening => ({
    kind: 'device_offline',
    subjectKey: `device_offline:${deviceId}`,
    severity: 'major',
    areaId,
    deviceId,
    detail: {},
  });

  it('opens one alarm per subject however often it is asked, and clears it when told', async () => {
    const { store, clock } = get();
    const { area, cam } = await setting();
    const first = await store.applyAlarmChanges({ at: clock.now(), open: [offline(cam.id, area.id)], clear: [] });
    expect(first.opened).toMatchObject([
      { kind: 'device_offline', severity: 'major', deviceName: 'CAM-01', areaCode: 'ITA', openedAt: clock.now() },
    ]);
    clock.advance(5000);
    const again = await store.applyAlarmChanges({ at: clock.now(), open: [offline(cam.id, area.id)], clear: [] });
    expect(again.opened).toEqual([]);
    expect(await store.listOpenAlarmKeys()).toEqual([`device_offline:${cam.id}`]);
    const revision = await store.alarmsRevision();

    clock.advance(5000);
    const cleared = await store.applyAlarmChanges({ at: clock.now(), open: [], clear: [`device_offline:${cam.id}`] });
    expect(cleared.cleared).toMatchObject([{ id: first.opened[0]!.id, clearedAt: clock.now() }]);
    expect(await store.listOpenAlarmKeys()).toEqual([]);
    expect(await store.alarmsRevision()).not.toBe(revision);
    // The subject may open again: a new alarm, the old one kept as it was.
    const reopened = await store.applyAlarmChanges({ at: clock.now(), open: [offline(cam.id, area.id)], clear: [] });
    expect(reopened.opened[0]!.id).not.toBe(first.opened[0]!.id);
  });

  it('acknowledges once, with who, when and the note, and its audit entry', async () => {
    const { store, clock, audits } = get();
    const { area, cam, user } = await setting();
    const { opened } = await store.applyAlarmChanges({ at: clock.now(), open: [offline(cam.id, area.id)], clear: [] });
    const id = opened[0]!.id;
    clock.advance(30_000);
    const acked = await store.acknowledgeAlarm({
      id,
      userId: user.id,
      note: 'Técnico a caminho',
      at: clock.now(),
      audit: audits.alarm(),
    });
    expect(acked).toMatchObject({
      acknowledgedAt: clock.now(),
      acknowledgedBy: 'Ana Souza',
      note: 'Técnico a caminho',
    });
    const refused = await rejection(
      store.acknowledgeAlarm({ id, userId: user.id, note: 'outra', at: clock.now() + 1, audit: audits.alarm() }),
    );
    expect(refused).toMatchObject({ kind: 'conflict', fields: { _: { key: 'alarm_already_acknowledged' } } });
    expect(await store.getAlarm(id)).toEqual(acked);
    const trail = await store.listAudit({ action: 'alarm.acknowledge', limit: 10 });
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ entity: 'alarm', entityId: String(id), areaId: area.id });
  });

  it('lets only one of two simultaneous acknowledgements win', async () => {
    const { store, clock, audits } = get();
    const { area, cam, user } = await setting();
    const { opened } = await store.applyAlarmChanges({ at: clock.now(), open: [offline(cam.id, area.id)], clear: [] });
    const second = (await get().harness.second?.()) ?? store;
    const results = await Promise.allSettled([
      store.acknowledgeAlarm({ id: opened[0]!.id, userId: user.id, note: 'a', at: 1, audit: audits.alarm() }),
      second.acknowledgeAlarm({ id: opened[0]!.id, userId: user.id, note: 'b', at: 2, audit: audits.alarm() }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await store.listAudit({ action: 'alarm.acknowledge', limit: 10 })).toHaveLength(1);
  });

  it('keeps on the desk what is open, and what cleared unacknowledged when asked to', async () => {
    const { store, clock, audits } = get();
    const { area, other, cam, far, user } = await setting();
    const sweeps: AlarmOpening = {
      kind: 'sweep_overrun',
      subjectKey: 'sweep_overrun',
      severity: 'minor',
      areaId: null,
      deviceId: null,
      detail: { sweeps: 3 },
    };
    await store.applyAlarmChanges({
      at: clock.now(),
      open: [offline(cam.id, area.id), offline(far.id, other.id), sweeps],
      clear: [],
    });
    clock.advance(1000);
    await store.applyAlarmChanges({ at: clock.now(), open: [], clear: [`device_offline:${far.id}`] });
    const desk = (keep: boolean, areaIds?: number[]) =>
      store.listAlarms({ desk: { keepUnacknowledged: keep }, limit: 100, ...(areaIds ? { areaIds } : {}) });
    expect((await desk(true)).map((a) => a.kind).sort()).toEqual(['device_offline', 'device_offline', 'sweep_overrun']);
    expect((await desk(false)).map((a) => a.deviceId)).not.toContain(far.id);
    // A scoped reader: its area's alarms and the installation-wide ones, never another area's.
    const scoped = await desk(true, [area.id]);
    expect(scoped.map((a) => a.deviceId ?? 'global').sort()).toEqual([cam.id, 'global'].sort());
    expect(scoped[0]!.detail).toBeDefined();
    // Acknowledging the cleared one takes it off the desk.
    const farAlarm = (await desk(true)).find((a) => a.deviceId === far.id)!;
    await store.acknowledgeAlarm({
      id: farAlarm.id,
      userId: user.id,
      note: null,
      at: clock.now(),
      audit: audits.alarm(),
    });
    expect((await desk(true)).map((a) => a.deviceId)).not.toContain(far.id);
    expect((await store.listAlarms({ limit: 100 })).length).toBe(3);
  });

  it('queues deliveries, hands out the due ones, retries and gives up in the open', async () => {
    const { store, clock } = get();
    const { area, cam } = await setting();
    const { opened } = await store.applyAlarmChanges({ at: clock.now(), open: [offline(cam.id, area.id)], clear: [] });
    const alarmId = opened[0]!.id;
    const at = clock.now();
    await store.queueDeliveries([
      { alarmId, ruleName: 'sala', channel: 'email', target: 'a@x.com', payload: '{"s":1}', at },
      { alarmId, ruleName: 'teams', channel: 'webhook', target: 'http://127.0.0.1:1/h', payload: '{"s":2}', at },
    ]);
    expect(await store.lastQueuedDeliveries([alarmId])).toEqual(
      new Map([
        [`${alarmId}:sala`, at],
        [`${alarmId}:teams`, at],
      ]),
    );
    const due = await store.listDueDeliveries(at, 10);
    expect(due.map((d) => d.payload)).toEqual(['{"s":1}', '{"s":2}']);
    await store.finishDeliveryAttempt({ id: due[0]!.id, at, error: null, retryAt: null });
    await store.finishDeliveryAttempt({ id: due[1]!.id, at, error: 'connection refused', retryAt: at + 30_000 });
    expect(await store.listDueDeliveries(at + 1, 10)).toEqual([]);
    expect((await store.listDueDeliveries(at + 30_000, 10)).map((d) => d.attempts)).toEqual([1]);
    await store.finishDeliveryAttempt({ id: due[1]!.id, at, error: 'still refused', retryAt: null });
    const listed = await store.listDeliveries({ limit: 10 });
    expect(listed.map((d) => [d.ruleName, d.status, d.attempts, d.lastError]).sort()).toEqual([
      ['sala', 'sent', 1, null],
      ['teams', 'failed', 2, 'still refused'],
    ]);
    expect(listed[0]).toMatchObject({ deviceName: 'CAM-01', areaCode: 'ITA', alarmKind: 'device_offline' });
    expect(await store.listDeliveries({ limit: 10, areaIds: [999] })).toEqual([]);
  });

  it('keeps the shift log with its authors, newest first, audited', async () => {
    const { store, clock, audits } = get();
    const { user } = await setting();
    await store.addShiftNote({
      userId: user.id,
      text: 'Chuva forte em Itajaí',
      at: clock.now(),
      audit: audits.shiftNote(),
    });
    clock.advance(60_000);
    const later = await store.addShiftNote({
      userId: user.id,
      text: 'Link da SNT instável',
      at: clock.now(),
      audit: audits.shiftNote(),
    });
    expect(later).toMatchObject({ author: 'Ana Souza', text: 'Link da SNT instável' });
    const notes = await store.listShiftNotes({ since: 0, limit: 10 });
    expect(notes.map((n) => n.text)).toEqual(['Link da SNT instável', 'Chuva forte em Itajaí']);
    expect(await store.listShiftNotes({ since: clock.now(), limit: 10 })).toHaveLength(1);
    expect(await store.listAudit({ action: 'shift.note', limit: 10 })).toHaveLength(2);
  });

  it('keeps a device parent, shows its status, and forgets it when the parent is deleted', async () => {
    const { store, audits } = get();
    const { area, cam } = await setting();
    const child = await store.createDevice(
      device(area.id, { name: 'CAM-02', host: '10.0.0.2', parentId: cam.id }),
      audits.device(),
    );
    expect(child).toMatchObject({ parentId: cam.id, parentName: 'CAM-01', parentStatus: 'PENDING' });
    expect((await store.getDevice(cam.id))?.parentId).toBeNull();
    await store.deleteDevice(cam.id, audits.device('device.delete'));
    expect(await store.getDevice(child.id)).toMatchObject({ parentId: null, parentName: null, parentStatus: null });
  });

  it('measures its own size', async () => {
    const { store } = get();
    const { version } = await store.describeStore();
    // The Babelfish stand-in lists no rows in sys.database_files (SQL Server does; SQL Server wins):
    // there the capacity alarm cannot be proven, only that the query runs.
    if (version.includes('Babelfish')) expect(await store.storeSizeBytes()).toBe(0);
    else expect(await store.storeSizeBytes()).toBeGreaterThan(0);
  });
}
