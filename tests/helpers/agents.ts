import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createContractClient } from '../../src-shared/contract/client';
import type { ContractClient } from '../../src-shared/contract/client';
import type { MonitorSettings } from '../../src-shared/domain/settings';
import { DEFAULT_MONITOR_SETTINGS } from '../../src-shared/domain/settings';
import { startAgentInstance } from '../../src-main/core/agent/start';
import type { AgentInstance } from '../../src-main/core/agent/start';
import { createCentral } from '../../src-main/core/central';
import type { Central } from '../../src-main/core/central';
import { Connection } from '../../src-main/core/contract/connection';
import { builtInAdministrator } from '../../src-main/core/contract/session';
import type { Prober } from '../../src-main/core/monitor/probers';
import type { Clock, Logger } from '../../src-main/core/runtime';
import { openSqliteStore } from '../../src-main/core/store/sqlite/sqlite-store';
import type { SqliteStore } from '../../src-main/core/store/sqlite/sqlite-store';
import { createMemoryTransport } from '../../src-main/core/transport/memory';
import { quietLogger } from './central';
import { prepareDataStore } from './seed';
import { APP_ROOT, SQLITE_MIGRATIONS, tempDir } from './temp';

export const AGENT_MIGRATIONS = join(APP_ROOT, 'resources', 'migrations', 'agent');

/**
 * A central on a SQLite file with its agent listener on a loopback port
 * (HTTPS unless asked). `stop` and `start` take it down and bring it back on
 * the same port and file, as a restarted central would be.
 */
export async function startSyncCentral(options: {
  clock: Clock;
  prober: Prober;
  monitor?: boolean;
  plainHttp?: boolean;
  logger?: Logger;
  settings?: Partial<MonitorSettings>;
}) {
  const dir = tempDir('vigia-central-');
  // Kept across a restart, as the embedded store's key file would be.
  const cameraKey = randomBytes(32);
  let port = 0;
  let store: SqliteStore | null = null;
  let central: Central | null = null;
  let client: ContractClient | null = null;
  const start = async () => {
    store = openSqliteStore({
      file: join(dir.path, 'vigia.sqlite'),
      migrationsFolder: SQLITE_MIGRATIONS,
      clock: options.clock,
    });
    central = await createCentral({
      store,
      clock: options.clock,
      prober: options.prober,
      logger: options.logger ?? quietLogger,
      monitor: options.monitor ?? false,
      agentSync: { host: '127.0.0.1', port, plainHttp: options.plainHttp ?? false, certificateFolder: dir.path },
      cameraKey,
    });
    port = central.agentSync!.listener!.port;
    client = createContractClient(
      createMemoryTransport(central.server, new Connection(builtInAdministrator(), options.clock.now())),
    );
    // Manual clocks run hours in a test: the test's own session must not lock as an idle screen would.
    const security = await client.call('settings.security.get', {});
    await client.call('settings.security.update', { ...security, idleLockMinutes: 0 });
    if (options.settings) {
      const current = await client.call('settings.monitor.get', {});
      await client.call('settings.monitor.update', { ...current, ...options.settings });
    }
  };
  await start();
  return {
    dir,
    get store() {
      return store!;
    },
    get central() {
      return central!;
    },
    get client() {
      return client!;
    },
    get url() {
      return central?.agentSync?.listener?.url ?? `https://127.0.0.1:${port}`;
    },
    get fingerprint() {
      return options.plainHttp ? null : central!.agentSync!.listener!.fingerprint;
    },
    /** Area `code` with `count` devices on 127.0.x.y hosts, and the area's key. */
    async enrol(count: number, code = 'ITA') {
      const area = await client!.call('areas.create', { code, name: `Área ${code}`, timeZone: 'America/Sao_Paulo' });
      const devices = [];
      for (let i = 1; i <= count; i++) {
        devices.push(
          await client!.call('devices.create', {
            name: `${code}-CAM-${String(i).padStart(3, '0')}`,
            type: 'camera',
            context: 'normal',
            host: `127.0.${(i >> 8) + 20}.${i & 255}`,
            areaId: area.id,
            location: '',
            notes: '',
          }),
        );
      }
      const issued = await client!.call('agents.issueKey', { areaId: area.id, replacing: null });
      return { area, devices, key: issued.key, issued };
    },
    start,
    /** The central goes away (listener and store closed); its files stay for `start`. */
    async stop() {
      await central?.stop();
      central = null;
    },
    async dispose() {
      await central?.stop();
      central = null;
      dir.remove();
    },
  };
}

/** An agent process's core, in this process, driven by hand (no loops) unless `autoRun`. */
export function startTestAgent(options: {
  url: string;
  fingerprint: string | null;
  key: string;
  areaCode?: string;
  clock: Clock;
  prober: Prober;
  dataDir: string;
  autoRun?: boolean;
  logger?: Logger;
}): Promise<AgentInstance> {
  return startAgentInstance({
    centralUrl: options.url,
    areaCode: options.areaCode ?? 'ITA',
    key: options.key,
    fingerprint: options.fingerprint,
    plainHttp: options.fingerprint === null,
    dataDir: options.dataDir,
    migrationsFolder: AGENT_MIGRATIONS,
    logger: options.logger ?? quietLogger,
    version: 'test',
    localClock: options.clock,
    prober: options.prober,
    statusPage: null,
    autoRun: options.autoRun ?? false,
  });
}

export const FAST_AGENT_SETTINGS: Partial<MonitorSettings> = {
  ...DEFAULT_MONITOR_SETTINGS,
  intervalMs: 60_000,
  timeoutMs: 2_000,
};

/**
 * A central's data folder made ready for a field site, as an administrator
 * would: agent timings short enough for a test (heartbeat 1 s, takeover after
 * 5 s), area ITA with a camera on each host, and the area's key.
 */
export function enrolSiteInDataStore(
  dataDir: string,
  hosts: readonly string[],
  intervalMs: number,
): Promise<{ key: string; areaId: number }> {
  return prepareDataStore(dataDir, async (client) => {
    const monitor = await client.call('settings.monitor.get', {});
    await client.call('settings.monitor.update', {
      ...monitor,
      intervalMs,
      timeoutMs: 500,
      agentHeartbeatMs: 1000,
      agentSilenceMs: 5000,
    });
    const area = await client.call('areas.create', { code: 'ITA', name: 'Itajaí', timeZone: 'America/Sao_Paulo' });
    for (const [i, host] of hosts.entries()) {
      await client.call('devices.create', {
        name: `ITA-CAM-${String(i + 1).padStart(3, '0')}`,
        type: 'camera',
        context: 'normal',
        host,
        areaId: area.id,
        location: '',
        notes: '',
      });
    }
    const issued = await client.call('agents.issueKey', { areaId: area.id, replacing: null });
    return { key: issued.key, areaId: area.id };
  });
}
