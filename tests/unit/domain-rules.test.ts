import { describe, expect, it } from 'vitest';
import { AreaInput, isTimeZone } from '../../src-shared/domain/area';
import { DeviceInput } from '../../src-shared/domain/device';
import { isDeviceHost } from '../../src-shared/domain/host';
import { edit, emptyGrid, fullGrid, refuseGrant, satisfies, view } from '../../src-shared/domain/permissions';
import type { PermissionGrid, Principal } from '../../src-shared/domain/permissions';

describe('device host', () => {
  it.each(['10.0.0.1', '127.0.1.20', '255.255.255.255', '::1', '2001:db8::10', 'fe80::1', '::ffff:10.0.0.1'])(
    'accepts the address %s',
    (host) => expect(isDeviceHost(host)).toBe(true),
  );
  it.each(['cam-01', 'cam-01.ita.porto.local', 'NVR01.example.com.', 'a'])('accepts the host name %s', (host) =>
    expect(isDeviceHost(host)).toBe(true),
  );
  it.each([
    '',
    '999.1.1.1',
    '10.0.0',
    '10.0.0.1.5',
    '10.0.0.256',
    'cam 01',
    '-cam.local',
    'cam-.local',
    'cam..local',
    'fe80::1%eth0',
    '2001:db8:::1',
    'http://10.0.0.1',
    '10.0.0.1:80',
    'câmera.local',
    `${'a'.repeat(64)}.local`,
  ])('refuses %j', (host) => expect(isDeviceHost(host)).toBe(false));
});

describe('area input', () => {
  it('upper-cases and trims the code', () => {
    expect(AreaInput.parse({ code: ' snt ', name: ' Santos ', timeZone: 'America/Sao_Paulo' })).toEqual({
      code: 'SNT',
      name: 'Santos',
      timeZone: 'America/Sao_Paulo',
    });
  });
  it.each(['I', '1TA', 'IT A', 'ITAJAI-SC', 'ABCDEFGHIJK'])('refuses the code %j', (code) => {
    const result = AreaInput.safeParse({ code, name: 'x', timeZone: 'UTC' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('invalid_area_code');
  });
  it('knows IANA zones and refuses made-up ones', () => {
    expect(isTimeZone('America/Sao_Paulo')).toBe(true);
    expect(isTimeZone('America/Manaus')).toBe(true);
    expect(isTimeZone('America/Santos')).toBe(false);
    expect(isTimeZone(' UTC')).toBe(false);
  });
});

describe('device input', () => {
  const valid = { name: 'CAM-01', type: 'camera', context: 'rfb', host: '10.0.0.1', areaId: 1 };
  it('fills optional text with empty strings', () => {
    expect(DeviceInput.parse(valid)).toEqual({ ...valid, location: '', notes: '', parentId: null });
  });
  it('names each wrong field with its message key', () => {
    const result = DeviceInput.safeParse({ ...valid, type: 'dome', host: 'not a host', name: 'x'.repeat(101) });
    expect(Object.fromEntries(result.error!.issues.map((i) => [i.path.join('.'), i.message]))).toEqual({
      name: 'too_long',
      type: 'invalid_choice',
      host: 'invalid_host',
    });
  });
});

describe('who may grant what (DESIGN.md §9)', () => {
  const holder = (permissions: PermissionGrid, allowedAreaIds: number[] | null = null, isAdmin = false): Principal => ({
    isAdmin,
    permissions,
    allowedAreaIds,
  });
  const manager = holder(
    { ...emptyGrid(), users: { view: true, edit: true }, devices: { view: true, edit: false } },
    [1, 2],
  );

  it('lets an administrator grant anything', () => {
    expect(
      refuseGrant(holder(fullGrid(), null, true), holder(fullGrid(), null, true), holder(fullGrid(), null, true)),
    ).toBeNull();
  });

  it('lets a manager hand out what it holds, in its own areas', () => {
    expect(
      refuseGrant(manager, null, holder({ ...emptyGrid(), devices: { view: true, edit: false } }, [2])),
    ).toBeNull();
    expect(refuseGrant(manager, manager, manager)).toBeNull();
  });

  it('refuses more rights, other areas, every area, the admin flag, and stronger accounts', () => {
    expect(refuseGrant(manager, null, holder({ ...emptyGrid(), devices: { view: true, edit: true } }, [1]))).toBe(
      'grant_beyond_own',
    );
    expect(refuseGrant(manager, manager, holder(fullGrid(), [1]))).toBe('grant_beyond_own');
    expect(refuseGrant(manager, null, holder(emptyGrid(), [3]))).toBe('areas_beyond_own');
    expect(refuseGrant(manager, null, holder(emptyGrid(), null))).toBe('areas_beyond_own');
    expect(refuseGrant(manager, null, holder(emptyGrid(), [1], true))).toBe('admin_only');
    expect(refuseGrant(manager, holder(emptyGrid(), [1], true), null)).toBe('admin_only');
    expect(refuseGrant(manager, holder({ ...emptyGrid(), settings: { view: true, edit: false } }, [1]), null)).toBe(
      'target_beyond_own',
    );
    expect(refuseGrant(manager, holder(emptyGrid(), null), null)).toBe('target_beyond_own');
  });

  it('meets a scoped requirement only for unscoped users or administrators', () => {
    const everything = holder(fullGrid(), null);
    const scoped = holder(fullGrid(), [1]);
    expect(satisfies(everything, edit('settings', 'unscoped'))).toBe(true);
    expect(satisfies(scoped, edit('settings', 'unscoped'))).toBe(false);
    expect(satisfies(scoped, edit('settings'))).toBe(true);
    expect(satisfies(everything, view('users', 'admin'))).toBe(false);
    expect(satisfies(holder(emptyGrid(), null, true), view('users', 'admin'))).toBe(true);
  });
});
