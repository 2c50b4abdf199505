import { join } from 'node:path';
import { createContractClient } from '../../src-shared/contract/client';
import type { ContractClient } from '../../src-shared/contract/client';
import { createCentral } from '../../src-main/core/central';
import { Connection } from '../../src-main/core/contract/connection';
import { builtInAdministrator } from '../../src-main/core/contract/session';
import { createMemoryTransport } from '../../src-main/core/transport/memory';
import { fullGrid } from '../../src-shared/domain/permissions';
import { DEFAULT_MONITOR_SETTINGS, MONITOR_SETTINGS_KEY } from '../../src-shared/domain/settings';
import type { MonitorSettings } from '../../src-shared/domain/settings';
import { Auditor, subjectOf } from '../../src-main/core/audit';
import { hashPassword } from '../../src-main/core/auth/passwords';
import { systemClock } from '../../src-main/core/runtime';
import { openSqliteStore } from '../../src-main/core/store/sqlite/sqlite-store';
import type { SqliteStore } from '../../src-main/core/store/sqlite/sqlite-store';
import { SQLITE_MIGRATIONS } from './temp';

export const ADMIN_PASSWORD = 'Vigia-Porto-2026';

/** The store of a runner's data folder, opened from the test's side (before or after the runner). */
export function openDataStore(dataDir: string): SqliteStore {
  return openSqliteStore({
    file: join(dataDir, 'vigia.sqlite'),
    migrationsFolder: SQLITE_MIGRATIONS,
    clock: systemClock,
  });
}

/**
 * Prepares a data folder for a runner process: one area ITA, cameras on the
 * given hosts (named CAM-1, CAM-2… unless named), the monitor settings, and an
 * administrator `admin` with ADMIN_PASSWORD.
 */
export async function seedDataStore(
  dataDir: string,
  options: {
    devices: ReadonlyArray<{ host: string; name?: string }>;
    settings?: MonitorSettings;
    timeZone?: string;
    admin?: boolean;
  },
): Promise<void> {
  const store = openDataStore(dataDir);
  const auditor = new Auditor(store, systemClock);
  const seeder = { userId: null, username: 'seed' };
  try {
    const area = await store.createArea(
      { code: 'ITA', name: 'Itajaí', timeZone: options.timeZone ?? 'America/Sao_Paulo' },
      auditor.change(seeder, 'area.create', subjectOf.area),
    );
    for (const [i, device] of options.devices.entries()) {
      await store.createDevice(
        {
          name: device.name ?? `CAM-${i + 1}`,
          type: 'camera',
          context: 'normal',
          host: device.host,
          areaId: area.id,
          location: '',
          notes: '',
        },
        auditor.change(seeder, 'device.create', subjectOf.device),
      );
    }
    await store.setSetting(MONITOR_SETTINGS_KEY, options.settings ?? DEFAULT_MONITOR_SETTINGS);
    if (options.admin ?? true) {
      await store.createUser(
        {
          username: 'admin',
          displayName: 'Admin',
          isAdmin: true,
          active: true,
          permissions: fullGrid(),
          allowedAreaIds: null,
          passwordHash: await hashPassword(ADMIN_PASSWORD),
          mustChangePassword: false,
        },
        auditor.change(seeder, 'user.create', subjectOf.user),
      );
    }
  } finally {
    await store.close();
  }
}

/**
 * Prepares a data folder through the contract, as an administrator at the
 * screens would: a central on the folder's store in this process (no monitor,
 * no listener) for as long as `prepare` runs, then stopped.
 */
export async function prepareDataStore<T>(
  dataDir: string,
  prepare: (client: ContractClient) => Promise<T>,
): Promise<T> {
  const central = await createCentral({ store: openDataStore(dataDir), logger: silentLogger, monitor: false });
  try {
    const client = createContractClient(
      createMemoryTransport(central.server, new Connection(builtInAdministrator(), systemClock.now())),
    );
    return await prepare(client);
  } finally {
    await central.stop();
  }
}

const silentLogger = { error: () => undefined, warn: () => undefined, info: () => undefined };
