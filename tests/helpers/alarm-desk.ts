import { join } from 'node:path';
import { createContractClient } from '../../src-shared/contract/client';
import type { ContractClient } from '../../src-shared/contract/client';
import { CENTRAL_SOURCE } from '../../src-shared/domain/uptime';
import { fullGrid } from '../../src-shared/domain/permissions';
import type { PermissionGrid } from '../../src-shared/domain/permissions';
import { createCentral } from '../../src-main/core/central';
import type { Central } from '../../src-main/core/central';
import { Connection } from '../../src-main/core/contract/connection';
import type { Session } from '../../src-main/core/contract/session';
import { Monitor } from '../../src-main/core/monitor/engine';
import { consoleLogger } from '../../src-main/core/runtime';
import { openSqliteStore } from '../../src-main/core/store/sqlite/sqlite-store';
import { createMemoryTransport } from '../../src-main/core/transport/memory';
import { auditsFor } from './audit';
import { quietLogger } from './central';
import { ManualClock } from './clock';
import { ScriptedProber } from './fake-prober';
import { SQLITE_MIGRATIONS, tempDir } from './temp';

/**
 * A central on a real SQLite file that runs the alarm desk, a monitor the test
 * sweeps by hand with a scripted prober, and a manual clock: minutes of
 * alarms in milliseconds.
 */
export async function startAlarmDesk() {
  const dir = tempDir();
  const clock = new ManualClock(Date.UTC(2026, 10, 2, 12, 0, 0));
  const store = openSqliteStore({ file: join(dir.path, 'vigia.sqlite'), migrationsFolder: SQLITE_MIGRATIONS, clock });
  const central: Central = await createCentral({
    store,
    clock,
    logger: process.env.DEBUG_ALARMS ? consoleLogger : quietLogger,
    alarms: true,
  });
  const prober = new ScriptedProber();
  const monitor = new Monitor({
    store,
    prober,
    clock,
    settings: () => central.settings.monitor(),
    source: CENTRAL_SOURCE,
    holder: 'alarm-test',
    logger: quietLogger,
    onStatusChanges: () => undefined,
    onSweep: (summary) => central.alarms.noteSweep(summary),
  });
  const audits = auditsFor(store, clock);
  const clients: Array<{ close(): void }> = [];

  const admin = await store.createUser(
    {
      username: 'chefe',
      displayName: 'Chefe de sala',
      isAdmin: true,
      active: true,
      permissions: fullGrid(),
      allowedAreaIds: null,
      passwordHash: 'x',
      mustChangePassword: false,
    },
    audits.user(),
  );

  return {
    central,
    store,
    clock,
    prober,
    audits,
    admin,
    /** One sweep 5 s after the previous, then the alarm evaluation its changes trigger in the product. */
    async sweep() {
      clock.advance(5000);
      await monitor.sweepOnce();
      await central.alarms.evaluate();
    },
    async area(code: string) {
      return store.createArea({ code, name: code, timeZone: 'America/Sao_Paulo' }, audits.area());
    },
    async device(areaId: number, name: string, host: string, parentId: number | null = null) {
      return store.createDevice(
        { name, type: 'camera', context: 'normal', host, areaId, location: '', notes: '', parentId },
        audits.device(),
      );
    },
    async user(username: string, permissions: PermissionGrid, allowedAreaIds: number[] | null) {
      return store.createUser(
        {
          username,
          displayName: username,
          isAdmin: false,
          active: true,
          permissions,
          allowedAreaIds,
          passwordHash: 'x',
          mustChangePassword: false,
        },
        audits.user(),
      );
    },
    /** A contract client whose connection is logged in as `session` (over the in-memory transport). */
    clientAs(session: Session): ContractClient {
      const transport = createMemoryTransport(central.server, new Connection(session, clock.now(), 'local'));
      clients.push(transport);
      return createContractClient(transport);
    },
    async stop() {
      for (const c of clients) c.close();
      await monitor.stop();
      await central.stop();
      dir.remove();
    },
  };
}

export function sessionOf(user: {
  id: number;
  username: string;
  isAdmin: boolean;
  permissions: PermissionGrid;
  allowedAreaIds: readonly number[] | null;
}): Session {
  return {
    userId: user.id,
    username: user.username,
    isAdmin: user.isAdmin,
    permissions: user.permissions,
    allowedAreaIds: user.allowedAreaIds,
    mustChangePassword: false,
  };
}
