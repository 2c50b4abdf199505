import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContractClient } from '../../src-shared/contract/client';
import type { ContractCallError } from '../../src-shared/contract/errors';
import { fullGrid, SCREENS } from '../../src-shared/domain/permissions';
import type { PermissionGrid } from '../../src-shared/domain/permissions';
import { createTestUser, startTestCentral, transportFor } from '../helpers/central';
import type { TestCentral } from '../helpers/central';
import { failure } from '../helpers/failure';

const ADMIN_PASSWORD = 'Vigia-Porto-2026';
const OPERATOR_PASSWORD = 'Operador#Sala1';

describe('maintenance and shutdown workflows over the contract', () => {
  let test: TestCentral;
  let transport: Awaited<ReturnType<typeof transportFor>>;
  let admin: ContractClient;
  let operator: ContractClient;
  let deviceId: number;

  beforeEach(async () => {
    test = await startTestCentral({ session: () => null });
    transport = await transportFor('websocket', test);
    admin = transport.connect().client;
    await admin.call('auth.setup', { username: 'admin', displayName: 'Admin', password: ADMIN_PASSWORD });
    // These tests move the clock by hours; the idle lock is tested elsewhere.
    await admin.call('settings.security.update', { maxFailedLogins: 5, lockoutMinutes: 15, idleLockMinutes: 0 });
    const area = await admin.call('areas.create', { code: 'ITA', name: 'Itajaí', timeZone: 'UTC' });
    deviceId = (
      await admin.call('devices.create', {
        name: 'CAM-01',
        type: 'camera',
        context: 'normal',
        host: '127.0.0.1',
        areaId: area.id,
      })
    ).id;
    const grid = Object.fromEntries(
      SCREENS.map((s) => [s, { view: true, edit: ['maintenance', 'shutdowns'].includes(s) }]),
    ) as PermissionGrid;
    await createTestUser(test, {
      username: 'operador',
      displayName: 'Operador',
      permissions: grid,
      allowedAreaIds: null,
      password: OPERATOR_PASSWORD,
    });
    operator = transport.connect().client;
    await operator.call('auth.login', { username: 'operador', password: OPERATOR_PASSWORD });
  });
  afterEach(async () => {
    await transport.close();
    await test.stop();
  });

  const status = async () => (await admin.call('devices.get', { id: deviceId })).status;

  it('runs a maintenance case: initial report to MAINTENANCE, final report to OFFLINE', async () => {
    const opened = await operator.call('maintenance.open', {
      deviceId,
      category: 'Power',
      description: 'Sem energia no poste 4',
    });
    expect(opened).toMatchObject({ category: 'Power', openedBy: 'Operador', closedAt: null });
    expect(await status()).toBe('MAINTENANCE');
    const twice = await failure(
      operator.call('maintenance.open', { deviceId, category: 'Other', description: 'de novo' }),
    );
    expect(twice).toMatchObject({ kind: 'conflict', fields: { _: { key: 'case_already_open' } } });
    expect(await failure(operator.call('shutdowns.request', { deviceId, justification: 'x' }))).toMatchObject({
      fields: { _: { key: 'device_in_maintenance' } },
    });

    test.clock.advance(2 * 3_600_000);
    const closed = await operator.call('maintenance.close', { caseId: opened.id, solution: 'Disjuntor religado' });
    expect(closed).toMatchObject({ solution: 'Disjuntor religado', closedBy: 'Operador' });
    expect(await status()).toBe('OFFLINE');
    expect(await failure(operator.call('maintenance.close', { caseId: opened.id, solution: 'de novo' }))).toMatchObject(
      {
        fields: { _: { key: 'no_open_case' } },
      },
    );
    expect(await operator.call('maintenance.list', { open: false })).toHaveLength(1);

    const history = await operator.call('history.list', { deviceId });
    expect(history.changes.map((c) => `${c.from}>${c.to}:${c.userName}`)).toEqual([
      'MAINTENANCE>OFFLINE:Operador',
      'PENDING>MAINTENANCE:Operador',
    ]);
    expect(history.cases).toHaveLength(1);
  });

  it('approves a shutdown request, re-enables the device later, and keeps the whole trail', async () => {
    const request = await operator.call('shutdowns.request', { deviceId, justification: 'Câmera retirada para obra' });
    expect(request).toMatchObject({ status: 'pending', requestedBy: 'Operador' });
    expect(await status()).toBe('PENDING');
    expect(await failure(operator.call('shutdowns.request', { deviceId, justification: 'outra' }))).toMatchObject({
      fields: { _: { key: 'request_pending' } },
    });
    // Only an administrator decides.
    expect(await failure(operator.call('shutdowns.decide', { id: request.id, decision: 'approve' }))).toMatchObject({
      kind: 'forbidden',
      fields: { _: { key: 'admin_only' } },
    });
    expect(await admin.call('shutdowns.decide', { id: request.id, decision: 'approve' })).toMatchObject({
      status: 'approved',
      decidedBy: 'Admin',
    });
    expect(await status()).toBe('SHUTDOWN');
    expect(await failure(admin.call('shutdowns.decide', { id: request.id, decision: 'approve' }))).toMatchObject({
      fields: { _: { key: 'request_not_pending' } },
    });
    expect(
      await failure(operator.call('maintenance.open', { deviceId, category: 'Other', description: 'x' })),
    ).toMatchObject({
      fields: { _: { key: 'device_shut_down' } },
    });

    test.clock.advance(24 * 3_600_000);
    expect(await admin.call('shutdowns.decide', { id: request.id, decision: 'reenable' })).toMatchObject({
      status: 'reenabled',
      reenabledBy: 'Admin',
    });
    expect(await status()).toBe('OFFLINE');

    const trail = (await admin.call('audit.list', { entity: 'device' })).filter((e) => e.entityId === String(deviceId));
    expect(trail.map((e) => `${e.username}:${e.action}`).reverse()).toEqual([
      'admin:device.create',
      'operador:shutdown.request',
      'admin:shutdown.approve',
      'admin:shutdown.reenable',
    ]);
    expect(JSON.parse(trail[0]!.before!)).toMatchObject({ status: 'approved' });
    expect(JSON.parse(trail[0]!.after!)).toMatchObject({ status: 'reenabled' });
  });

  it('rejects a request only with a reason, and leaves the device as it was', async () => {
    const request = await operator.call('shutdowns.request', { deviceId, justification: 'Teste' });
    expect(await failure(admin.call('shutdowns.decide', { id: request.id, decision: 'reject' }))).toMatchObject({
      kind: 'validation',
      fields: { reason: { key: 'required' } },
    });
    expect(
      await admin.call('shutdowns.decide', { id: request.id, decision: 'reject', reason: 'Câmera crítica' }),
    ).toMatchObject({
      status: 'rejected',
      decisionReason: 'Câmera crítica',
    });
    expect(await status()).toBe('PENDING');
    expect(await failure(admin.call('shutdowns.decide', { id: request.id, decision: 'reenable' }))).toMatchObject({
      fields: { _: { key: 'request_not_approved' } },
    });
  });

  it('counts maintenance and shutdown time on neither side of uptime', async () => {
    const start = test.clock.now();
    const opened = await operator.call('maintenance.open', {
      deviceId,
      category: 'Hardware',
      description: 'Troca de lente',
    });
    test.clock.advance(3_600_000);
    await operator.call('maintenance.close', { caseId: opened.id, solution: 'Lente trocada' });
    const [row] = await admin.call('uptime.report', { from: start, to: test.clock.now(), groupBy: 'device' });
    expect(row).toMatchObject({ seconds: { maintenance: 3600, online: 0, offline: 0 }, uptimePercent: null });
  });

  it('lets one of two administrators deciding the same request at once win; the other is told, nothing is half done', async () => {
    const second = transport.connect().client;
    await createTestUser(test, {
      username: 'chefe2',
      displayName: 'Chefe 2',
      isAdmin: true,
      permissions: fullGrid(),
      allowedAreaIds: null,
      password: OPERATOR_PASSWORD,
    });
    await second.call('auth.login', { username: 'chefe2', password: OPERATOR_PASSWORD });
    for (let round = 0; round < 5; round++) {
      const request = await operator.call('shutdowns.request', { deviceId, justification: `rodada ${round}` });
      const outcomes = await Promise.allSettled([
        admin.call('shutdowns.decide', { id: request.id, decision: 'approve' }),
        second.call('shutdowns.decide', { id: request.id, decision: 'reject', reason: 'Não' }),
      ]);
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      expect(won).toHaveLength(1);
      const lost = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect((lost.reason as ContractCallError).error).toMatchObject({
        kind: 'conflict',
        fields: { _: { key: 'request_not_pending' } },
      });
      const decided = (await admin.call('shutdowns.list', { deviceId })).find((r) => r.id === request.id)!;
      const device = await status();
      expect(decided.status === 'approved' ? device === 'SHUTDOWN' : device !== 'SHUTDOWN').toBe(true);
      const decisions = (await admin.call('audit.list', { entity: 'device' })).filter(
        (e) =>
          (e.action === 'shutdown.approve' || e.action === 'shutdown.reject') &&
          (JSON.parse(e.after!) as { id: number }).id === request.id,
      );
      expect(decisions).toHaveLength(1);
      if (decided.status === 'approved') await admin.call('shutdowns.decide', { id: request.id, decision: 'reenable' });
    }
  });
});
