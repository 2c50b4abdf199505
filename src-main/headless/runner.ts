import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createCentral } from '../core/central';
import type { Logger } from '../core/runtime';
import { Auditor } from '../core/audit';
import { seedDemo } from '../core/demo';
import { STORE_FILE } from '../core/paths';
import { openStore } from '../core/store/open';
import type { SqliteStoreConfig } from '../core/store/open';
import { systemClock } from '../core/runtime';
import type { Clock } from '../core/runtime';
import { startHttpServer } from './http-server';

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

/** Writes the Power BI files of the store in `dataDir` once, for scheduled tasks; no server, no monitor. */
export async function exportOnce(options: { appRoot: string; dataDir: string; out: string; logger: Logger }) {
  const config = dataStoreConfig(options.appRoot, options.dataDir);
  if (!existsSync(config.file)) throw new Error(`no Vigia store in ${options.dataDir}`);
  const store = await openStore(config, systemClock);
  const central = await createCentral({ store, logger: options.logger, monitor: false });
  try {
    return await central.exports.run(options.out);
  } finally {
    await central.stop();
  }
}

/** A central with embedded SQLite in `dataDir`, serving UI and contract on one port. */
export async function startCentral(options: RunnerOptions): Promise<RunningCentral> {
  const staticDir = join(options.appRoot, 'dist', 'renderer');
  if (!existsSync(join(staticDir, 'index.html'))) {
    throw new Error(`the user interface is not built (${staticDir} is missing): run "npm run build"`);
  }
  mkdirSync(options.dataDir, { recursive: true });
  const config = dataStoreConfig(options.appRoot, options.dataDir);
  const store = await openStore(config, options.clock ?? systemClock);
  try {
    if (options.demo) {
      const seeded = await seedDemo(store, new Auditor(store, options.clock ?? systemClock));
      options.logger.info(
        seeded
          ? `demo: seeded ${seeded.areas} areas and ${seeded.devices} devices`
          : 'demo: the store already has areas; nothing seeded',
      );
    }
    const central = await createCentral({
      store,
      logger: options.logger,
      monitor: options.monitor,
      // The instance that monitors also keeps the Power BI files current.
      scheduleExports: options.monitor,
      exportsFolder: join(options.dataDir, 'exports'),
      // The export runs in a thread of its own: a sweep never waits behind it.
      ...(existsSync(exportWorkerFile(options.appRoot))
        ? { exportWorker: { file: exportWorkerFile(options.appRoot), store: config } }
        : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    if (options.demo && (await central.auth.needsSetup())) {
      const password = demoPassword();
      await central.auth.setupFirstAdministrator({ username: 'admin', displayName: 'Administrador (demo)', password });
      // Printed once, here; stored only as a scrypt hash.
      options.logger.info(`demo: administrator "admin" created with password ${password} (shown only now)`);
    }
    const http = await startHttpServer({
      central,
      staticDir,
      host: options.host,
      port: options.port,
      logger: options.logger,
      clock: options.clock ?? systemClock,
      allowedHosts: options.allowHosts ?? [],
      // Every connection starts logged out: the session comes from auth.login or auth.resume on that connection.
      sessionFor: () => null,
    });
    return {
      url: http.url,
      async stop() {
        await http.close();
        await central.stop();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
