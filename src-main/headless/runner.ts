import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentSyncOptions } from '../core/agent-sync/start';
import type { ChangeInstallation } from '../core/handlers/setup';
import type { Logger } from '../core/runtime';
import { Auditor } from '../core/audit';
import { seedDemo } from '../core/demo';
import { STORE_FILE } from '../core/paths';
import type { SqliteStoreConfig, StoreConfig } from '../core/store/open';
import { startInstance } from '../core/instance';
import type { InstanceMode } from '../core/instance';
import { systemClock } from '../core/runtime';
import type { Clock } from '../core/runtime';
import { startHttpServer } from './http-server';
import { CAMERA_KEY_FILE, keyFromFile } from '../core/video/credentials';

export interface RunnerOptions {
  readonly appRoot: string;
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  readonly demo: boolean;
  /** Run the sweep loop (the default for `vigia serve`). */
  readonly monitor: boolean;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Host names the server also answers to (its DNS name in the control room). */
  readonly allowHosts?: readonly string[];
  /** A console stands by beside the central over their shared SQL Server. */
  readonly mode?: InstanceMode;
  /** The store, when not the embedded SQLite of `dataDir`. */
  readonly store?: StoreConfig;
  /** Where a central listens for agents; none when absent. */
  readonly agentSync?: AgentSyncOptions | null;
  /** Settings may move the copy to another mode (it was configured by the wizard, not the command line). */
  readonly changeInstallation?: ChangeInstallation;
}

export interface RunningCentral {
  readonly url: string;
  stop(): Promise<void>;
}

/** A random password that meets the policy: upper, lower, digit and symbol around random letters. */
function demoPassword(): string {
  return `Vg-${randomBytes(12).toString('base64url')}-7a`;
}

export function sqliteMigrationsFolder(appRoot: string): string {
  return join(appRoot, 'resources', 'migrations', 'sqlite');
}

/** The embedded store of a data folder. */
export function dataStoreConfig(appRoot: string, dataDir: string): SqliteStoreConfig {
  return { dialect: 'sqlite', file: join(dataDir, STORE_FILE), migrationsFolder: sqliteMigrationsFolder(appRoot) };
}

/** The BI export's worker, built beside the bundles by `npm run build`. */
export function exportWorkerFile(appRoot: string): string {
  return join(appRoot, 'dist', 'workers', 'bi-export.mjs');
}

/** Writes the Power BI files of a store once, for scheduled tasks; no server, no monitor. */
export async function exportOnce(options: {
  appRoot: string;
  dataDir: string;
  out: string;
  logger: Logger;
  store?: StoreConfig;
}) {
  const config = options.store ?? dataStoreConfig(options.appRoot, options.dataDir);
  if (config.dialect === 'sqlite' && !existsSync(config.file)) throw new Error(`no Vigia store in ${options.dataDir}`);
  const instance = await startInstance({
    mode: 'central',
    store: config,
    logger: options.logger,
    monitor: false,
    exportsFolder: options.out,
  });
  try {
    return await instance.exports.run(options.out);
  } finally {
    await instance.stop();
  }
}

/**
 * A central (or a console) serving UI and contract on one port: embedded
 * SQLite in `dataDir` unless a SQL Server store is given.
 */
export async function startCentral(options: RunnerOptions): Promise<RunningCentral> {
  const staticDir = join(options.appRoot, 'dist', 'renderer');
  if (!existsSync(join(staticDir, 'index.html'))) {
    throw new Error(`the user interface is not built (${staticDir} is missing): run "npm run build"`);
  }
  mkdirSync(options.dataDir, { recursive: true });
  const clock = options.clock ?? systemClock;
  const instance = await startInstance({
    mode: options.mode ?? 'central',
    store: options.store ?? dataStoreConfig(options.appRoot, options.dataDir),
    logger: options.logger,
    clock,
    monitor: options.monitor,
    exportsFolder: join(options.dataDir, 'exports'),
    ...(options.agentSync ? { agentSync: options.agentSync } : {}),
    ...(options.changeInstallation ? { changeInstallation: options.changeInstallation } : {}),
    embeddedCameraKey: () => keyFromFile(join(options.dataDir, CAMERA_KEY_FILE)),
    // The export runs in a thread of its own: a sweep never waits behind it.
    ...(existsSync(exportWorkerFile(options.appRoot)) ? { exportWorkerFile: exportWorkerFile(options.appRoot) } : {}),
    prepare: async (store) => {
      if (!options.demo) return;
      const seeded = await seedDemo(store, new Auditor(store, clock));
      options.logger.info(
        seeded
          ? `demo: seeded ${seeded.areas} areas and ${seeded.devices} devices`
          : 'demo: the store already has areas; nothing seeded',
      );
    },
  });
  try {
    if (options.demo && (await instance.auth.needsSetup())) {
      const password = demoPassword();
      await instance.auth.setupFirstAdministrator({ username: 'admin', displayName: 'Administrador (demo)', password });
      // Printed once, here; stored only as a scrypt hash.
      options.logger.info(`demo: administrator "admin" created with password ${password} (shown only now)`);
    }
    const http = await startHttpServer({
      central: instance,
      staticDir,
      host: options.host,
      port: options.port,
      logger: options.logger,
      clock,
      allowedHosts: options.allowHosts ?? [],
      // Every connection starts logged out: the session comes from auth.login or auth.resume on that connection.
      sessionFor: () => null,
    });
    return {
      url: http.url,
      async stop() {
        await http.close();
        await instance.stop();
      },
    };
  } catch (error) {
    await instance.stop();
    throw error;
  }
}
