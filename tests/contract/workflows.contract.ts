import { describe, expect, it } from 'vitest';
import type { DeviceStatus } from '../../src-shared/domain/status';
import type { ShutdownRequest } from '../../src-shared/domain/workflow';
import { subjectOf } from '../../src-main/core/audit';
import type { DeviceTransition } from '../../src-main/core/store/port';
import type { SuiteContext } from './harness';
import { device, ita, operator, rejection, snt } from './harness';

const PROBED: DeviceStatus[] = ['PENDING', 'ONLINE', 'OFFLINE'];

export function workflowsContract(get: () => SuiteContext): void {
  /** An area, a device in it and a user acting: what every workflow test starts from. */
  async function setting() {
    const { store, audits } = get();
    const area = await store.createArea(ita, audits.area());
    const cam = await store.createDevice(device(area.id), audits.device());
    const user = await store.createUser(
      { ...operator({ displayName: 'Ana Souza' }), passwordHash: 'h', mustChangePassword: false },
      audits.user(),
    );
    const actor = { userId: user.id, username: user.username };
    return { area, cam, user, actor };
  }
  const transition = (deviceId: number, over: Partial<DeviceTransition>): DeviceTransition => ({
    deviceId,
    from: PROBED,
    to: 'MAINTENANCE',
    segment: 'maintenance',
    at: get().clock.now(),
    userId: null,
    refusal: 'state_changed',
    ...over,
  });

  describe('device transitions', () => {
    it('moves a device only from the statuses it is expected in, and writes nothing otherwise', async () => {
      const { store, clock } = get();
      const { cam, user } = await setting();
      await store.transitionDevice(transition(cam.id, { userId: user.id }));
      expect(await store.getDevice(cam.id)).toMatchObject({ status: 'MAINTENANCE', statusSince: clock.now() });
      const refused = await rejection(
        store.transitionDevice(transition(cam.id, { to: 'SHUTDOWN', segment: 'shutdown' })),
      );
      expect(refused).toMatchObject({ kind: 'conflict', fields: { _: { key: 'state_changed' } } });
      expect((await store.getDevice(cam.id))?.status).toBe('MAINTENANCE');
      const changes = await store.listStatusChanges({ deviceId: cam.id, limit: 10 });
      expect(changes).toMatchObject([
        { from: 'PENDING', to: 'MAINTENANCE', source: 'workflow', userName: 'Ana Souza' },
      ]);
      // The workflow segment is open until the device leaves the state.
      clock.advance(60_000);
      await store.transitionDevice(transition(cam.id, { from: ['MAINTENANCE'], to: 'OFFLINE', segment: null }));
      const segments = await store.listSegments({ deviceIds: [cam.id], from: 0, to: clock.now() + 1 });
      expect(segments).toEqual([
        {
          deviceId: cam.id,
          state: 'maintenance',
          source: 'workflow',
          startAt: clock.now() - 60_000,
          endAt: clock.now(),
        },
      ]);
      expect((await rejection(store.transitionDevice(transition(4242, {})))).kind).toBe('not_found');
    });
  });

  describe('maintenance cases', () => {
    it('opens a case, puts the device in maintenance and audits it, all in one transaction', async () => {
      const { store, clock, audits } = get();
      const { cam, user, actor } = await setting();
      const opened = await store.openMaintenanceCase({
        deviceId: cam.id,
        category: 'Power',
        description: 'Fonte queimada',
        userId: user.id,
        at: clock.now(),
        device: transition(cam.id, { userId: user.id }),
        audit: audits.auditor.change(actor, 'maintenance.open', subjectOf.maintenanceCase),
      });
      expect(opened).toMatchObject({
        deviceId: cam.id,
        deviceName: 'CAM-01',
        areaCode: 'ITA',
        category: 'Power',
        openedBy: 'Ana Souza',
        closedAt: null,
        closedBy: null,
      });
      expect(await store.getMaintenanceCase(opened.id)).toEqual(opened);
      expect((await store.getDevice(cam.id))?.status).toBe('MAINTENANCE');
      expect(await store.listAudit({ limit: 10, action: 'maintenance.open' })).toMatchObject([
        { username: 'operador', entityLabel: 'CAM-01', entityId: String(cam.id) },
      ]);
    });

    it('refuses a second open case, and a case whose device moved, leaving no trace of either', async () => {
      const { store, clock, audits } = get();
      const { cam, actor } = await setting();
      const open = (deviceFrom: DeviceStatus[]) =>
        store.openMaintenanceCase({
          deviceId: cam.id,
          category: 'Network',
          description: 'x',
          userId: null,
          at: clock.now(),
          device: transition(cam.id, { from: deviceFrom }),
          audit: audits.auditor.change(actor, 'maintenance.open', subjectOf.maintenanceCase),
        });
      expect((await rejection(open(['ONLINE']))).fields).toEqual({ _: { key: 'state_changed' } });
      expect(await store.listMaintenanceCases({ limit: 10 })).toEqual([]);
      await open(PROBED);
      expect((await rejection(open(['MAINTENANCE']))).fields).toEqual({ _: { key: 'case_already_open' } });
      expect(await store.listMaintenanceCases({ limit: 10 })).toHaveLength(1);
      expect(await store.listAudit({ limit: 10, action: 'maintenance.open' })).toHaveLength(1);
    });

    it('closes a case once: the device returns to OFFLINE; closing it again is a conflict with no audit entry', async () => {
      const { store, clock, audits } = get();
      const { cam, user, actor } = await setting();
      const opened = await store.openMaintenanceCase({
        deviceId: cam.id,
        category: 'Hardware',
        description: 'Lente',
        userId: user.id,
        at: clock.now(),
        device: transition(cam.id, {}),
        audit: audits.auditor.change(actor, 'maintenance.open', subjectOf.maintenanceCase),
      });
      clock.advance(3_600_000);
      const close = () =>
        store.closeMaintenanceCase({
          caseId: opened.id,
          solution: 'Trocada',
          userId: user.id,
          at: clock.now(),
          device: transition(cam.id, { from: ['MAINTENANCE'], to: 'OFFLINE', segment: null }),
          audit: audits.auditor.change(actor, 'maintenance.close', subjectOf.maintenanceCase),
        });
      const closed = await close();
      expect(closed).toMatchObject({ solution: 'Trocada', closedBy: 'Ana Souza', closedAt: clock.now() });
      expect((await store.getDevice(cam.id))?.status).toBe('OFFLINE');
      expect((await rejection(close())).fields).toEqual({ _: { key: 'no_open_case' } });
      expect(await store.listAudit({ limit: 10, action: 'maintenance.close' })).toHaveLength(1);
      expect((await store.listMaintenanceCases({ limit: 10, open: false })).map((c) => c.id)).toEqual([opened.id]);
      expect(await store.listMaintenanceCases({ limit: 10, open: true })).toEqual([]);
      expect(await store.listMaintenanceCases({ limit: 10, category: 'Power' })).toEqual([]);
      const missing = store.closeMaintenanceCase({
        caseId: 999,
        solution: 'x',
        userId: null,
        at: clock.now(),
        device: transition(cam.id, { from: ['MAINTENANCE'], to: 'OFFLINE', segment: null }),
        audit: audits.auditor.change(actor, 'maintenance.close', subjectOf.maintenanceCase),
      });
      expect((await rejection(missing)).kind).toBe('not_found');
    });
  });

  describe('shutdown requests', () => {
    async function requested() {
      const { store, clock, audits } = get();
      const s = await setting();
      const request = await store.createShutdownRequest({
        deviceId: s.cam.id,
        justification: 'Obra no pátio',
        userId: s.user.id,
        at: clock.now(),
        deviceFrom: PROBED,
        audit: audits.auditor.change(s.actor, 'shutdown.request', subjectOf.shutdownRequest),
      });
      return { ...s, request };
    }
    const decide = (request: ShutdownRequest, decision: 'approve' | 'reject' | 'reenable', on = get().store) => {
      const { clock, audits } = get();
      const plan = {
        approve: {
          from: 'pending',
          to: 'approved',
          device: transition(request.deviceId, { to: 'SHUTDOWN', segment: 'shutdown' }),
        },
        reject: { from: 'pending', to: 'rejected', device: null },
        reenable: {
          from: 'approved',
          to: 'reenabled',
          device: transition(request.deviceId, { from: ['SHUTDOWN'], to: 'OFFLINE', segment: null }),
        },
      } as const;
      return on.decideShutdownRequest({
        id: request.id,
        ...plan[decision],
        refusal: decision === 'reenable' ? 'request_not_approved' : 'request_not_pending',
        reason: decision === 'reject' ? 'Não autorizado' : null,
        userId: null,
        at: clock.now(),
        audit: audits.auditor.change(
          { userId: null, username: 'chefe' },
          `shutdown.${decision}`,
          subjectOf.shutdownRequest,
        ),
      });
    };

    it('files a request once per device, and not for a device in maintenance', async () => {
      const { store, clock, audits } = get();
      const { cam, actor, request } = await requested();
      expect(request).toMatchObject({
        status: 'pending',
        requestedBy: 'Ana Souza',
        decidedBy: null,
        deviceName: 'CAM-01',
      });
      const again = await rejection(
        store.createShutdownRequest({
          deviceId: cam.id,
          justification: 'de novo',
          userId: null,
          at: clock.now(),
          deviceFrom: PROBED,
          audit: audits.auditor.change(actor, 'shutdown.request', subjectOf.shutdownRequest),
        }),
      );
      expect(again.fields).toEqual({ _: { key: 'request_pending' } });
      expect(await store.listShutdownRequests({ limit: 10 })).toHaveLength(1);
      expect(await store.listAudit({ limit: 10, action: 'shutdown.request' })).toHaveLength(1);
    });

    it('lets exactly one of an approval and a rejection fired at once from two consoles win, and keeps request and device consistent', async () => {
      const { store, harness } = get();
      const other = (await harness.second?.()) ?? store;
      const { cam, request } = await requested();
      const outcomes = await Promise.allSettled([decide(request, 'approve'), decide(request, 'reject', other)]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const loser = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect(loser.reason).toMatchObject({ kind: 'conflict', fields: { _: { key: 'request_not_pending' } } });
      const after = (await store.getShutdownRequest(request.id))!;
      const status = (await store.getDevice(cam.id))!.status;
      // Either decision may win, but never half of each: approved means SHUTDOWN, rejected leaves the device alone.
      expect(`${after.status}:${status}`).toBe(after.status === 'approved' ? 'approved:SHUTDOWN' : 'rejected:PENDING');
      const decisions = await store.listAudit({ limit: 10, entity: 'device' });
      expect(decisions.filter((e) => e.action === 'shutdown.approve' || e.action === 'shutdown.reject')).toHaveLength(
        1,
      );
    });

    it('approves (SHUTDOWN), refuses a second decision, re-enables (OFFLINE) once', async () => {
      const { store } = get();
      const { cam, request } = await requested();
      const approved = await decide(request, 'approve');
      expect(approved).toMatchObject({ status: 'approved', decidedBy: null });
      expect((await store.getDevice(cam.id))?.status).toBe('SHUTDOWN');
      expect((await rejection(decide(request, 'reject'))).fields).toEqual({ _: { key: 'request_not_pending' } });
      const reenabled = await decide(request, 'reenable');
      expect(reenabled.status).toBe('reenabled');
      expect((await store.getDevice(cam.id))?.status).toBe('OFFLINE');
      expect((await rejection(decide(request, 'reenable'))).fields).toEqual({ _: { key: 'request_not_approved' } });
      expect((await store.listAudit({ limit: 10, entity: 'device' })).map((e) => e.action)).toEqual([
        'shutdown.reenable',
        'shutdown.approve',
        'shutdown.request',
        'device.create',
      ]);
      const changes = await store.listStatusChanges({ deviceId: cam.id, limit: 10 });
      expect(changes.map((c) => `${c.from}>${c.to}`)).toEqual(['SHUTDOWN>OFFLINE', 'PENDING>SHUTDOWN']);
    });

    it('refuses an approval when the device moved meanwhile, leaving the request pending', async () => {
      const { store } = get();
      const { cam, request } = await requested();
      await store.transitionDevice(transition(cam.id, {}));
      expect((await rejection(decide(request, 'approve'))).fields).toEqual({ _: { key: 'state_changed' } });
      expect((await store.getShutdownRequest(request.id))?.status).toBe('pending');
      expect(await store.listAudit({ limit: 10, action: 'shutdown.approve' })).toEqual([]);
    });

    it('lists requests and status changes filtered by area, device, status and time', async () => {
      const { store, clock, audits } = get();
      const { request, actor } = await requested();
      const other = await store.createArea(snt, audits.area());
      const cam2 = await store.createDevice(device(other.id, { name: 'SNT-CAM' }), audits.device());
      clock.advance(10_000);
      await store.createShutdownRequest({
        deviceId: cam2.id,
        justification: 'x',
        userId: null,
        at: clock.now(),
        deviceFrom: PROBED,
        audit: audits.auditor.change(actor, 'shutdown.request', subjectOf.shutdownRequest),
      });
      await decide(request, 'reject');
      expect((await store.listShutdownRequests({ limit: 10 })).map((r) => r.deviceName)).toEqual(['SNT-CAM', 'CAM-01']);
      expect((await store.listShutdownRequests({ limit: 10, areaId: other.id })).map((r) => r.deviceName)).toEqual([
        'SNT-CAM',
      ]);
      expect((await store.listShutdownRequests({ limit: 10, areaIds: [request.areaId] })).map((r) => r.id)).toEqual([
        request.id,
      ]);
      expect((await store.listShutdownRequests({ limit: 10, status: 'rejected' }))[0]).toMatchObject({
        decisionReason: 'Não autorizado',
      });
      expect(await store.listShutdownRequests({ limit: 10, deviceId: cam2.id, from: clock.now() + 1 })).toEqual([]);
      expect(await store.getShutdownRequest(999)).toBeUndefined();
    });
  });
}
