import type { AgentSyncOptions } from './agent-sync/start';
import type { ExportWorker } from './bi/service';
import { createCentral } from './central';
import type { Central } from './central';
import type { Prober } from './monitor/probers';
import { summaryOf } from './handlers/setup';
import { cameraKeyOf } from './video/credentials';
import type { ChangeInstallation } from './handlers/setup';
import type { Clock, Logger } from './runtime';
import { systemClock } from './runtime';
import { openStore } from './store/open';
import type { StoreConfig } from './store/open';
import type { Store } from './store/port';

/**
 * What an installed copy runs (DESIGN.md §2). A central monitors and keeps
 * the BI files; a console serves the screens over the same SQL Server and
 * stands by, taking the monitor lease when the central stops renewing it.
 */
export type InstanceMode = 'central' | 'console';

export interface InstanceOptions {
  readonly mode: InstanceMode;
  readonly store: StoreConfig;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Where exports go when none is configured. */
  readonly exportsFolder: string;
  /** The built BI export worker; without it exports run in-process. */
  readonly exportWorkerFile?: string;
  /** Run the sweep loop (off only to serve screens onto a store someone else monitors, or in tests). */
  readonly monitor?: boolean;
  readonly prober?: Prober;
  /** The agent-sync listener of a central (a console listens for no agent: they sync with the central). */
  readonly agentSync?: AgentSyncOptions | null;
  /** How an administrator moves this copy to another mode from Settings (a copy the wizard configured). */
  readonly changeInstallation?: ChangeInstallation;
  /** The embedded store's camera key (a 0600 file headless, sealed by the OS on the desktop); SQL Server derives its own. */
  readonly embeddedCameraKey?: () => Buffer;
  /** Done with the opened store before the instance starts (the demo's seeding). */
  readonly prepare?: (store: Store) => Promise<void>;
}

export interface Instance extends Central {
  readonly mode: InstanceMode;
}

const noEmbeddedKey = (): Buffer => {
  throw new Error('no camera key for the embedded store');
};

/**
 * The one composition root: every shell (the headless runner, the desktop
 * app) opens its store and starts its core here. A store that cannot be
 * opened (SQL Server unreachable, login refused) stops it before anything
 * else starts, with the reason.
 */
export async function startInstance(options: InstanceOptions): Promise<Instance> {
  if (options.mode === 'console' && options.store.dialect !== 'mssql') {
    throw new Error('a console works over the SQL Server its central uses: give it --store mssql://…');
  }
  const clock = options.clock ?? systemClock;
  const store = await openStore(options.store, clock);
  try {
    await options.prepare?.(store);
    const worker: ExportWorker | undefined = options.exportWorkerFile
      ? { file: options.exportWorkerFile, store: options.store }
      : undefined;
    const central = await createCentral({
      mode: options.mode,
      store,
      clock,
      logger: options.logger,
      monitor: options.monitor ?? true,
      // The instance that holds the monitor lease keeps the Power BI files current.
      scheduleExports: options.monitor ?? true,
      exportsFolder: options.exportsFolder,
      ...(worker ? { exportWorker: worker } : {}),
      ...(options.prober ? { prober: options.prober } : {}),
      ...(options.agentSync && options.mode === 'central' ? { agentSync: options.agentSync } : {}),
      ...(options.embeddedCameraKey || options.store.dialect === 'mssql'
        ? { cameraKey: cameraKeyOf(options.store, options.embeddedCameraKey ?? noEmbeddedKey) }
        : {}),
      installation: summaryOf(options.mode, options.store, options.changeInstallation !== undefined),
      ...(options.changeInstallation ? { changeInstallation: options.changeInstallation } : {}),
    });
    if (options.mode === 'console') {
      options.logger.info('console: the monitor stands by while the central renews its lease');
    }
    return Object.assign(central, { mode: options.mode });
  } catch (error) {
    await store.close();
    throw error;
  }
}
