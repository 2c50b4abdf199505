import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContractClient } from '../../src-shared/contract/client';
import type { Device } from '../../src-shared/domain/device';
import { fullGrid, SCREENS } from '../../src-shared/domain/permissions';
import type { PermissionGrid } from '../../src-shared/domain/permissions';
import { DEFAULT_SECURITY_SETTINGS } from '../../src-shared/domain/settings';
import { createTestUser, startTestCentral, transportFor } from '../helpers/central';
import type { TestCentral } from '../helpers/central';
import { failure } from '../helpers/failure';

const ADMIN_PASSWORD = 'Vigia-Porto-2026';
const USER_PASSWORD = 'Operador#Sala1';

const grid = (grant: Partial<Record<(typeof SCREENS)[number], { view: boolean; edit: boolean }>>): PermissionGrid =>
  ({ ...Object.fromEntries(SCREENS.map((s) => [s, { view: false, edit: false }])), ...grant }) as PermissionGrid;

/** The editable fields of a device, as the form sends them. */
const editable = (d: Device) => ({
  id: d.id,
  name: d.name,
  type: d.type,
  context: d.context,
  host: d.host,
  areaId: d.areaId,
  location: d.location,
  notes: d.notes,
});

describe('access control over the WebSocket (real logins)', () => {
  let test: TestCentral;
  let transport: Awaited<ReturnType<typeof transportFor>>;
  let admin: ContractClient;
  let ita: number;
  let snt: number;

  const connectAs = async (username: string, password: string) => {
    const client = transport.connect().client;
    await client.call('auth.login', { username, password });
    return client;
  };

  const createUser = (
    username: string,
    permissions: PermissionGrid,
    allowedAreaIds: number[] | null,
    mustChange = false,
  ) =>
    createTestUser(test, {
      username,
      permissions,
      allowedAreaIds,
      password: USER_PASSWORD,
      mustChangePassword: mustChange,
    });

  beforeEach(async () => {
    test = await startTestCentral({ session: () => null });
    transport = await transportFor('websocket', test);
    admin = transport.connect().client;
    expect(await admin.call('auth.status', {})).toMatchObject({ needsSetup: true, user: null });
    await admin.call('auth.setup', { username: 'admin', displayName: 'Admin', password: ADMIN_PASSWORD });
    ita = (await admin.call('areas.create', { code: 'ITA', name: 'Itajaí', timeZone: 'America/Sao_Paulo' })).id;
    snt = (await admin.call('areas.create', { code: 'SNT', name: 'Santos', timeZone: 'America/Sao_Paulo' })).id;
    for (const [name, areaId] of [
      ['ITA-CAM-01', ita],
      ['SNT-CAM-01', snt],
    ] as const) {
      await admin.call('devices.create', { name, type: 'camera', context: 'normal', host: '127.0.0.1', areaId });
    }
  });
  afterEach(async () => {
    await transport.close();
    await test.stop();
  });

  it('refuses everything but the public calls to a connection nobody logged in on', async () => {
    const anonymous = transport.connect().client;
    expect(await anonymous.call('auth.status', {})).toMatchObject({ needsSetup: false, user: null });
    expect((await failure(anonymous.call('devices.list', {}))).kind).toBe('forbidden');
    expect(
      (await failure(anonymous.call('auth.setup', { username: 'x', displayName: 'x', password: ADMIN_PASSWORD }))).kind,
    ).toBe('conflict');
    const wrong = await failure(anonymous.call('auth.login', { username: 'admin', password: 'Wrong-Pass-2026' }));
    expect(wrong).toMatchObject({ kind: 'forbidden', fields: { _: { key: 'login_invalid' } } });
  });

  it('refuses an edit call from a view-only user sent straight over the socket, and nothing changes', async () => {
    await createUser(
      'viewer',
      grid({ devices: { view: true, edit: false }, areas: { view: true, edit: false } }),
      null,
    );
    const viewer = await connectAs('viewer', USER_PASSWORD);
    const before = await viewer.call('devices.list', {});
    expect(before).toHaveLength(2);
    const refused = await failure(
      viewer.call('devices.create', {
        name: 'FORGED',
        type: 'camera',
        context: 'normal',
        host: '127.0.0.9',
        areaId: ita,
      }),
    );
    expect(refused.kind).toBe('forbidden');
    expect((await failure(viewer.call('devices.delete', { id: before[0]!.id }))).kind).toBe('forbidden');
    expect((await failure(viewer.call('settings.monitor.get', {}))).kind).toBe('forbidden');
    expect(await admin.call('devices.list', {})).toEqual(before);
  });

  it('shows a user scoped to ITA no device, count, chart, change or event of SNT', async () => {
    await createUser(
      'ita-op',
      grid({
        devices: { view: true, edit: true },
        areas: { view: true, edit: false },
        dashboard: { view: true, edit: false },
      }),
      [ita],
    );
    const op = await connectAs('ita-op', USER_PASSWORD);
    expect((await op.call('devices.list', {})).map((d) => d.name)).toEqual(['ITA-CAM-01']);
    expect(await op.call('devices.list', { areaId: snt })).toEqual([]);
    expect((await op.call('areas.list', {})).map((a) => a.code)).toEqual(['ITA']);
    const counts = await op.call('dashboard.counts', {});
    expect(counts.every((c) => c.areaId === ita)).toBe(true);
    expect(counts.reduce((n, c) => n + c.count, 0)).toBe(1);
    expect((await failure(op.call('dashboard.counts', { areaId: snt }))).kind).toBe('forbidden');
    const sntDevice = (await admin.call('devices.list', { areaId: snt }))[0]!;
    expect((await failure(op.call('devices.get', { id: sntDevice.id }))).kind).toBe('not_found');
    expect((await failure(op.call('devices.detail', { id: sntDevice.id }))).kind).toBe('not_found');
    expect((await failure(op.call('devices.update', { ...editable(sntDevice), location: 'x' }))).kind).toBe(
      'not_found',
    );
    const itaDevice = (await op.call('devices.list', {}))[0]!;
    expect((await failure(op.call('devices.update', { ...editable(itaDevice), areaId: snt }))).kind).toBe('forbidden');
    expect((await op.call('uptime.report', { from: 0, to: Date.now(), groupBy: 'area' })).map((r) => r.key)).toEqual([
      'ITA',
    ]);

    const seen: string[] = [];
    op.on('devices.changed', (p) => seen.push(`changed:${p.ids.join()}`));
    op.on('areas.changed', (p) => seen.push(`area:${p.ids.join()}`));
    // Admin changes in SNT then in ITA; the ITA operator hears of ITA only.
    await admin.call('devices.update', { ...editable(sntDevice), location: 'Cais' });
    await admin.call('devices.update', { ...editable(itaDevice), location: 'Portaria' });
    await op.call('devices.list', {}); // events sent before this answer have arrived
    expect(seen).toEqual([`changed:${itaDevice.id}`, `area:${ita}`]);
  });

  it('lets a user whose password was reset do nothing but change it, to a password the policy accepts', async () => {
    await createUser('reset', grid({ devices: { view: true, edit: false } }), null, true);
    const user = await connectAs('reset', USER_PASSWORD);
    expect((await failure(user.call('devices.list', {}))).kind).toBe('forbidden');
    const weak = await failure(user.call('auth.changePassword', { current: USER_PASSWORD, next: 'fraca' }));
    expect(weak).toMatchObject({ kind: 'validation', fields: { next: { key: 'weak_password' } } });
    const wrong = await failure(user.call('auth.changePassword', { current: 'Nao-E-Esta-1', next: 'Nova#Senha2026' }));
    expect(wrong).toMatchObject({ fields: { current: { key: 'wrong_password' } } });
    await user.call('auth.changePassword', { current: USER_PASSWORD, next: 'Nova#Senha2026' });
    expect(await user.call('devices.list', {})).toHaveLength(2);
  });

  it('locks an idle session until its password is typed again, and logs out', async () => {
    await admin.call('settings.security.update', { ...DEFAULT_SECURITY_SETTINGS, idleLockMinutes: 1 });
    const clock = test.clock;
    clock.advance(61_000);
    expect((await failure(admin.call('devices.list', {}))).message).toMatch(/locked/);
    expect(await admin.call('auth.status', {})).toMatchObject({ locked: true });
    expect((await failure(admin.call('auth.unlock', { password: 'Wrong-Pass-2026' }))).kind).toBe('forbidden');
    await admin.call('auth.unlock', { password: ADMIN_PASSWORD });
    expect(await admin.call('devices.list', {})).toHaveLength(2);
    clock.advance(30_000);
    await admin.call('auth.activity', {});
    clock.advance(40_000);
    expect(await admin.call('devices.list', {})).toHaveLength(2);
    await admin.call('auth.logout', {});
    expect((await failure(admin.call('devices.list', {}))).kind).toBe('forbidden');
  });

  it('keeps accounts from being escalated: only an unscoped administrator grants administrator rights', async () => {
    await createUser('manager', grid({ users: { view: true, edit: true } }), null);
    const manager = await connectAs('manager', USER_PASSWORD);
    const newAdmin = {
      username: 'boss',
      displayName: 'Boss',
      isAdmin: true,
      active: true,
      permissions: fullGrid(),
      allowedAreaIds: null,
      password: ADMIN_PASSWORD,
    };
    expect((await failure(manager.call('users.create', newAdmin))).kind).toBe('forbidden');
    const operator = await manager.call('users.create', {
      ...newAdmin,
      username: 'op2',
      isAdmin: false,
      permissions: grid({}),
    });
    expect(operator).toMatchObject({ isAdmin: false, mustChangePassword: true });
    const self = (await admin.call('auth.status', {})).user!;
    const demote = await failure(
      admin.call('users.update', {
        id: self.id,
        username: self.username,
        displayName: self.displayName,
        isAdmin: false,
        active: true,
        permissions: self.permissions,
        allowedAreaIds: null,
      }),
    );
    expect(demote).toMatchObject({ kind: 'conflict', fields: { _: { key: 'cannot_demote_self' } } });
  });

  it('writes who did what, with before and after, and never a password', async () => {
    const [device] = await admin.call('devices.list', { areaId: ita });
    await admin.call('devices.update', { ...editable(device!), location: 'Gate 2' });
    await admin.call('users.create', {
      username: 'op3',
      displayName: 'Op 3',
      isAdmin: false,
      active: true,
      permissions: grid({}),
      allowedAreaIds: [ita],
      password: USER_PASSWORD,
    });
    const log = await admin.call('audit.list', {});
    const update = log.find((e) => e.action === 'device.update')!;
    expect(update).toMatchObject({ username: 'admin', outcome: 'success', entityId: String(device!.id) });
    expect(JSON.parse(update.before!)).toMatchObject({ location: '' });
    expect(JSON.parse(update.after!)).toMatchObject({ location: 'Gate 2' });
    expect(log.map((e) => e.action)).toEqual(
      expect.arrayContaining(['session.setup', 'area.create', 'device.create', 'user.create']),
    );
    expect(JSON.stringify(log)).not.toContain(USER_PASSWORD);
    expect(JSON.stringify(log)).not.toContain(ADMIN_PASSWORD);
    expect(JSON.stringify(log)).not.toContain('scrypt$');
  });
});
