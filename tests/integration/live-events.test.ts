import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createContractClient } from '../../src-shared/contract/client';
import { createWebSocketTransport } from '../../src-shared/contract/websocket-client';
import type { StatusChangeBatch } from '../../src-shared/domain/monitoring';
import { emptyGrid } from '../../src-shared/domain/permissions';
import { DEFAULT_MONITOR_SETTINGS, MONITOR_SETTINGS_KEY } from '../../src-shared/domain/settings';
import { hashPassword } from '../../src-main/core/auth/passwords';
import { createCentral } from '../../src-main/core/central';
import type { Central } from '../../src-main/core/central';
import { openSqliteStore } from '../../src-main/core/store/sqlite/sqlite-store';
import { startHttpServer } from '../../src-main/headless/http-server';
import { systemClock } from '../../src-main/core/runtime';
import { auditsFor } from '../helpers/audit';
import { quietLogger } from '../helpers/central';
import { ScriptedProber } from '../helpers/fake-prober';
import { APP_ROOT, SQLITE_MIGRATIONS, tempDir } from '../helpers/temp';

const PASSWORD = 'Parede#Sala2026';
const DEVICES = 1000;
const host = (i: number) => `10.${Math.floor(i / 250)}.0.${(i % 250) + 1}`;

describe('status events (real monitor loop, scripted prober, real WebSocket)', () => {
  let dir: ReturnType<typeof tempDir>;
  let central: Central;
  let close: () => Promise<void>;
  afterEach(async () => {
    await close();
    await central.stop();
    dir.remove();
  });

  it('tells a WAN cut of a thousand devices in one event per sweep, to a dashboard-only wall display too', async () => {
    dir = tempDir();
    const store = openSqliteStore({
      file: join(dir.path, 'vigia.sqlite'),
      migrationsFolder: SQLITE_MIGRATIONS,
      clock: systemClock,
    });
    const audits = auditsFor(store, systemClock);
    const ita = await store.createArea({ code: 'ITA', name: 'Itajaí', timeZone: 'UTC' }, audits.area());
    const snt = await store.createArea({ code: 'SNT', name: 'Santos', timeZone: 'UTC' }, audits.area());
    for (let i = 0; i < DEVICES; i++) {
      await store.createDevice(
        {
          name: `CAM-${i}`,
          type: 'camera',
          context: 'normal',
          host: host(i),
          areaId: i < 900 ? ita.id : snt.id,
          location: '',
          notes: '',
        },
        audits.device(),
      );
    }
    await store.setSetting(MONITOR_SETTINGS_KEY, {
      ...DEFAULT_MONITOR_SETTINGS,
      intervalMs: 1000,
      timeoutMs: 500,
      concurrency: 500,
    });
    for (const [username, permissions, areas] of [
      ['parede', { ...emptyGrid(), dashboard: { view: true, edit: false } }, null],
      ['snt-op', { ...emptyGrid(), devices: { view: true, edit: false } }, [snt.id]],
    ] as const) {
      await store.createUser(
        {
          username,
          displayName: username,
          isAdmin: false,
          active: true,
          permissions,
          allowedAreaIds: areas,
          passwordHash: await hashPassword(PASSWORD),
          mustChangePassword: false,
        },
        audits.user(),
      );
    }
    // The site is not reachable yet when the central starts.
    const prober = new ScriptedProber();
    for (let i = 0; i < DEVICES; i++) prober.setReachable(host(i), false);
    central = await createCentral({ store, prober, monitor: true, logger: quietLogger });
    const http = await startHttpServer({
      central,
      staticDir: join(APP_ROOT, 'dist', 'renderer'),
      host: '127.0.0.1',
      port: 0,
      logger: quietLogger,
      sessionFor: () => null,
      clock: systemClock,
    });
    const transports: Array<{ close(): void }> = [];
    close = async () => {
      transports.forEach((t) => t.close());
      await http.close();
    };
    const connect = async (username: string) => {
      const transport = createWebSocketTransport({
        url: `${http.url.replace(/^http/, 'ws')}ws`,
        create: (url) => new WebSocket(url),
        setTimer: (callback, ms) => setTimeout(callback, ms),
      });
      transports.push(transport);
      const client = createContractClient(transport);
      await client.call('auth.login', { username, password: PASSWORD });
      const batches: StatusChangeBatch[] = [];
      client.on('devices.statusChanged', (batch) => batches.push(batch));
      return { client, batches };
    };
    const wall = await connect('parede');
    const santos = await connect('snt-op');

    await expect
      .poll(async () => (await wall.client.call('dashboard.problems', { limit: 1 })).total, { timeout: 10_000 })
      .toBe(DEVICES);
    wall.batches.length = 0;
    santos.batches.length = 0;

    // The link comes up: every device answers within one sweep, told in one event, never one per device.
    for (let i = 0; i < DEVICES; i++) prober.setReachable(host(i), true);
    await expect
      .poll(
        async () =>
          (await wall.client.call('dashboard.counts', {}))
            .filter((c) => c.status === 'ONLINE')
            .reduce((n, c) => n + c.count, 0),
        { timeout: 10_000 },
      )
      .toBe(DEVICES);
    const upEvents = wall.batches.length;
    expect(wall.batches.flatMap((b) => b.changes)).toHaveLength(DEVICES);
    expect(upEvents).toBe(1);

    // The WAN link to ITA is cut: its 900 devices stop answering at once.
    for (let i = 0; i < 900; i++) prober.setReachable(host(i), false);
    await expect
      .poll(async () => (await wall.client.call('dashboard.problems', { limit: 5 })).total, { timeout: 10_000 })
      .toBe(900);
    const cut = wall.batches.slice(upEvents);
    expect(cut).toHaveLength(1);
    expect(cut[0]!.changes).toHaveLength(900);
    expect(cut[0]!.changes.every((c) => c.to === 'OFFLINE' && c.areaId === ita.id)).toBe(true);
    // The Santos operator heard of Santos only: nothing of the ITA cut.
    expect(santos.batches.flatMap((b) => b.changes).every((c) => c.areaId === snt.id)).toBe(true);
    expect(santos.batches.flatMap((b) => b.changes)).toHaveLength(100); // its devices coming up, once
    // The problems list: the longest down first, each with its area and since when.
    const problems = await wall.client.call('dashboard.problems', { limit: 3 });
    expect(problems.problems).toHaveLength(3);
    expect(problems.problems[0]).toMatchObject({ areaCode: 'ITA', status: 'OFFLINE' });
  }, 60_000);
});
