import { afterEach, describe, expect, it } from 'vitest';
import type { ContractClient } from '../../src-shared/contract/client';
import type { ContractCallError, ContractError } from '../../src-shared/contract/errors';
import { emptyGrid, fullGrid } from '../../src-shared/domain/permissions';
import type { PermissionGrid } from '../../src-shared/domain/permissions';
import { DEFAULT_MONITOR_SETTINGS, DEFAULT_SECURITY_SETTINGS } from '../../src-shared/domain/settings';
import { createTestUser, startTestCentral, transportFor } from '../helpers/central';
import { failure } from '../helpers/failure';

const ADMIN_PASSWORD = 'Vigia-Porto-2026';
const USER_PASSWORD = 'Operador#Sala1';
const GENEROUS = { perConnection: { burst: 1000, perMinute: 1000 }, perAddress: { burst: 1000, perMinute: 1000 } };

const grid = (grant: Partial<PermissionGrid>): PermissionGrid => ({ ...emptyGrid(), ...grant });

/** The refusal of a call that must fail; its field keys are flattened into `fields` for every kind. */

/** A central over a real WebSocket with an administrator, areas ITA and SNT, and a device in each. */
async function setting(options: Parameters<typeof startTestCentral>[0] = {}) {
  const test = await startTestCentral({ session: () => null, ...options });
  const transport = await transportFor('websocket', test);
  const admin = transport.connect().client;
  await admin.call('auth.setup', { username: 'admin', displayName: 'Admin', password: ADMIN_PASSWORD });
  const ita = (await admin.call('areas.create', { code: 'ITA', name: 'Itajaí', timeZone: 'UTC' })).id;
  const snt = (await admin.call('areas.create', { code: 'SNT', name: 'Santos', timeZone: 'UTC' })).id;
  for (const [name, areaId] of [
    ['ITA-CAM-01', ita],
    ['SNT-CAM-01', snt],
  ] as const) {
    await admin.call('devices.create', { name, type: 'camera', context: 'normal', host: '127.0.0.1', areaId });
  }
  const createUser = (username: string, permissions: PermissionGrid, allowedAreaIds: number[] | null) =>
    createTestUser(test, { username, permissions, allowedAreaIds, password: USER_PASSWORD });
  const connectAs = async (username: string, localAddress?: string): Promise<ContractClient> => {
    const client = transport.connect(localAddress ? { localAddress } : {}).client;
    await client.call('auth.login', { username, password: USER_PASSWORD });
    return client;
  };
  return {
    test,
    transport,
    admin,
    ita,
    snt,
    createUser,
    connectAs,
    async stop() {
      await transport.close();
      await test.stop();
    },
  };
}

describe('security, from the attacker’s side (real WebSocket, real SQLite)', () => {
  let world: Awaited<ReturnType<typeof setting>>;
  afterEach(async () => {
    await world.stop();
  });

  it('locks the account when thirty wrong passwords and the right one arrive at once, on one connection or many', async () => {
    world = await setting({ loginThrottle: GENEROUS });
    await world.createUser('alvo', grid({ devices: { view: true, edit: false } }), null);
    const guesses = Array.from({ length: 31 }, (_, i) => (i === 15 ? USER_PASSWORD : `Errada-${i}-Senha!`));
    const one = world.transport.connect().client;
    const pipelined = await Promise.allSettled(
      guesses.map((password) => one.call('auth.login', { username: 'alvo', password })),
    );
    expect(pipelined.filter((o) => o.status === 'fulfilled')).toEqual([]);
    expect((await failure(one.call('auth.login', { username: 'alvo', password: USER_PASSWORD }))).fields).toMatchObject(
      {
        _: { key: 'login_locked' },
      },
    );

    await world.createUser('alvo2', grid({ devices: { view: true, edit: false } }), null);
    const many = await Promise.allSettled(
      guesses.map((password) => world.transport.connect().client.call('auth.login', { username: 'alvo2', password })),
    );
    expect(many.filter((o) => o.status === 'fulfilled')).toEqual([]);
    const users = await world.admin.call('users.list', {});
    expect(users.find((u) => u.username === 'alvo2')!.lockedUntil).toBeGreaterThan(Date.now());
  });

  it('answers an unknown username exactly as a real one, wrong password after wrong password, until both are locked', async () => {
    world = await setting({ loginThrottle: GENEROUS });
    await world.createUser('real', grid({}), null);
    const answers = async (username: string) => {
      const client = world.transport.connect().client;
      const seen: ContractError[] = [];
      for (let i = 0; i < 6; i++)
        seen.push(await failure(client.call('auth.login', { username, password: 'Errada-1-Senha!' })));
      return seen;
    };
    const real = await answers('real');
    const ghost = await answers('fantasma');
    expect(ghost).toEqual(real);
    expect(real.at(-1)).toMatchObject({ kind: 'forbidden', fields: { _: { key: 'login_locked' } } });
  });

  it('cuts a flood of anonymous logins short, lets a real login from elsewhere through, and audits the flood once', async () => {
    world = await setting();
    await world.createUser('operador', grid({ devices: { view: true, edit: false } }), null);
    const flooder = world.transport.connect({ localAddress: '127.0.0.2' }).client;
    const flood = Promise.allSettled(
      Array.from({ length: 200 }, (_, i) => flooder.call('auth.login', { username: `ninguem${i}`, password: 'x' })),
    );
    // While the flood is answered, a real operator on another machine logs in.
    const operator = await world.connectAs('operador', '127.0.0.3');
    expect((await operator.call('devices.list', {})).length).toBe(2);
    const answers = await flood;
    const refused = answers.map((a) => (a.status === 'rejected' ? (a.reason as ContractCallError).error : null));
    expect(refused.filter((e) => e?.kind === 'rate_limited')).toHaveLength(195);
    expect(refused.at(-1)).toMatchObject({ kind: 'rate_limited', fields: { _: { key: 'login_rate_limited' } } });
    expect((refused.at(-1) as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
    world.test.clock.advance(61_000);
    await world.test.central.auth.flushFloods();
    const log = await world.admin.call('audit.list', { limit: 1000 });
    expect(log.filter((e) => e.action === 'session.login' && e.outcome === 'failure')).toHaveLength(5);
    const floods = log.filter((e) => e.action === 'session.rate_limited');
    expect(floods).toHaveLength(1);
    expect(floods[0]).toMatchObject({ entityLabel: '127.0.0.2', reason: 'rate_limited' });
    expect(JSON.parse(floods[0]!.after!)).toMatchObject({ refused: 195 });
  });

  it('keeps a manager from granting itself or others more than it holds, and from taking over stronger accounts', async () => {
    world = await setting();
    const managerGrid = grid({ users: { view: true, edit: true }, devices: { view: true, edit: false } });
    const self = await world.createUser('gerente', managerGrid, null);
    await world.createUser('forte', fullGrid(), null);
    const manager = await world.connectAs('gerente');
    const before = await world.admin.call('users.list', {});
    const fields = (over: object = {}) => ({
      username: 'novo',
      displayName: 'Novo',
      isAdmin: false,
      active: true,
      permissions: grid({ devices: { view: true, edit: false } }),
      allowedAreaIds: null,
      ...over,
    });
    const refusals = [
      await failure(
        manager.call('users.update', { id: self.id, ...fields({ username: 'gerente', permissions: fullGrid() }) }),
      ),
      await failure(manager.call('users.update', { id: self.id, ...fields({ username: 'gerente', isAdmin: true }) })),
      await failure(
        manager.call('users.create', {
          ...fields({ permissions: grid({ settings: { view: true, edit: true } }) }),
          password: USER_PASSWORD,
        }),
      ),
      await failure(manager.call('users.create', { ...fields({ isAdmin: true }), password: USER_PASSWORD })),
      await failure(
        manager.call('users.resetPassword', {
          id: before.find((u) => u.username === 'forte')!.id,
          password: 'Tomada#Conta99',
        }),
      ),
      await failure(
        manager.call('users.resetPassword', {
          id: before.find((u) => u.username === 'admin')!.id,
          password: 'Tomada#Conta99',
        }),
      ),
    ];
    expect(
      refusals.map((r) => `${r.kind}:${(r as { fields: Record<string, { key: string }> }).fields._!.key}`),
    ).toEqual([
      'forbidden:grant_beyond_own',
      'forbidden:admin_only',
      'forbidden:grant_beyond_own',
      'forbidden:admin_only',
      'forbidden:target_beyond_own',
      'forbidden:admin_only',
    ]);
    expect(await world.admin.call('users.list', {})).toEqual(before);
    // What it holds, it may hand out.
    expect(await manager.call('users.create', { ...fields(), password: USER_PASSWORD })).toMatchObject({
      username: 'novo',
    });

    // A manager scoped to ITA hands out ITA only, and sees the accounts within ITA only.
    await world.createUser('gerente-ita', managerGrid, [world.ita]);
    const scoped = await world.connectAs('gerente-ita');
    const outside = await failure(
      scoped.call('users.create', {
        ...fields({ username: 'snt-op', allowedAreaIds: [world.snt] }),
        password: USER_PASSWORD,
      }),
    );
    expect(outside).toMatchObject({ kind: 'forbidden', fields: { _: { key: 'areas_beyond_own' } } });
    const everywhere = await failure(
      scoped.call('users.create', { ...fields({ username: 'all-op' }), password: USER_PASSWORD }),
    );
    expect(everywhere).toMatchObject({ fields: { _: { key: 'areas_beyond_own' } } });
    await scoped.call('users.create', {
      ...fields({ username: 'ita-op', allowedAreaIds: [world.ita] }),
      password: USER_PASSWORD,
    });
    expect((await scoped.call('users.list', {})).map((u) => u.username).sort()).toEqual(['gerente-ita', 'ita-op']);
  });

  it('keeps an area-scoped user away from global settings, the export and area creation, and from other areas’ audit', async () => {
    world = await setting();
    await world.createUser('ita-chefe', { ...fullGrid() }, [world.ita]);
    const scoped = await world.connectAs('ita-chefe');
    const settingsBefore = await world.admin.call('settings.monitor.get', {});
    const securityBefore = await world.admin.call('settings.security.get', {});
    const attempts = [
      scoped.call('settings.monitor.update', { ...DEFAULT_MONITOR_SETTINGS, intervalMs: 600_000 }),
      scoped.call('settings.security.update', { ...DEFAULT_SECURITY_SETTINGS, maxFailedLogins: 20 }),
      scoped.call('settings.exports.update', { folder: '/tmp/x', delimiter: ';', bom: true, decimalComma: true }),
      scoped.call('settings.monitor.get', {}),
      scoped.call('exports.run', {}),
      scoped.call('exports.status', {}),
      scoped.call('areas.create', { code: 'PAR', name: 'Paranaguá', timeZone: 'UTC' }),
    ];
    for (const attempt of attempts) expect((await failure(attempt)).kind).toBe('forbidden');
    expect(await world.admin.call('settings.monitor.get', {})).toEqual(settingsBefore);
    expect(await world.admin.call('settings.security.get', {})).toEqual(securityBefore);
    expect((await world.admin.call('areas.list', {})).map((a) => a.code)).toEqual(['ITA', 'SNT']);

    await world.admin.call('settings.monitor.update', { ...DEFAULT_MONITOR_SETTINGS, intervalMs: 6000 });
    const trail = await scoped.call('audit.list', { limit: 1000 });
    expect(trail.length).toBeGreaterThan(0);
    expect(trail.every((e) => e.areaId === world.ita)).toBe(true);
    expect(trail.map((e) => e.entityLabel)).toContain('ITA-CAM-01');
    expect(trail.map((e) => e.entityLabel)).not.toContain('SNT-CAM-01');
    expect(trail.map((e) => e.action)).not.toContain('settings.update');
    expect(trail.map((e) => e.action)).not.toContain('session.login');
  });

  it('applies a change of a user to its open connections at once: fewer rights, fewer areas, deactivation', async () => {
    world = await setting();
    const user = await world.createUser(
      'op',
      grid({ devices: { view: true, edit: false }, dashboard: { view: true, edit: false } }),
      null,
    );
    const first = await world.connectAs('op');
    const second = await world.connectAs('op');
    const told: unknown[] = [];
    second.on('auth.changed', (p) => told.push(p));
    expect(await first.call('devices.list', {})).toHaveLength(2);
    const edit = (over: object) =>
      world.admin.call('users.update', {
        id: user.id,
        username: 'op',
        displayName: 'op',
        isAdmin: false,
        active: true,
        permissions: grid({ devices: { view: true, edit: false }, dashboard: { view: true, edit: false } }),
        allowedAreaIds: null,
        ...over,
      });

    await edit({ allowedAreaIds: [world.snt] });
    expect((await first.call('devices.list', {})).map((d) => d.name)).toEqual(['SNT-CAM-01']);
    await edit({ allowedAreaIds: [world.snt], permissions: grid({ dashboard: { view: true, edit: false } }) });
    expect((await failure(first.call('devices.list', {}))).kind).toBe('forbidden');
    expect(await second.call('dashboard.counts', {})).toEqual(expect.any(Array));
    expect(told).toEqual([{ signedOut: false }, { signedOut: false }]);

    await edit({ active: false });
    expect((await failure(first.call('dashboard.counts', {}))).message).toMatch(/log in/);
    expect((await failure(second.call('dashboard.counts', {}))).message).toMatch(/log in/);
    expect(told.at(-1)).toEqual({ signedOut: true });
    expect((await first.call('auth.status', {})).user).toBeNull();
  });

  it('ends every session of a user whose password an administrator reset; the old resume token no longer works', async () => {
    world = await setting();
    const user = await world.createUser('op', grid({ devices: { view: true, edit: false } }), null);
    const client = world.transport.connect().client;
    const { resumeToken } = await client.call('auth.login', { username: 'op', password: USER_PASSWORD });
    await world.admin.call('users.resetPassword', { id: user.id, password: 'Nova#Senha2026' });
    expect((await failure(client.call('devices.list', {}))).kind).toBe('forbidden');
    const other = world.transport.connect().client;
    expect((await failure(other.call('auth.resume', { token: resumeToken }))).kind).toBe('forbidden');
  });

  it('lets a client take its session back after the connection drops, and not after logging out', async () => {
    world = await setting();
    await world.createUser('op', grid({ devices: { view: true, edit: false } }), null);
    const client = world.transport.connect().client;
    const { resumeToken } = await client.call('auth.login', { username: 'op', password: USER_PASSWORD });
    const reconnected = world.transport.connect().client;
    expect((await failure(reconnected.call('devices.list', {}))).kind).toBe('forbidden');
    expect(await reconnected.call('auth.resume', { token: resumeToken })).toMatchObject({ username: 'op' });
    expect(await reconnected.call('devices.list', {})).toHaveLength(2);
    await reconnected.call('auth.logout', {});
    const third = world.transport.connect().client;
    expect((await failure(third.call('auth.resume', { token: resumeToken }))).kind).toBe('forbidden');
    expect((await failure(third.call('auth.resume', { token: 'x'.repeat(43) }))).kind).toBe('forbidden');
  });
});
