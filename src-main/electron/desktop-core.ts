import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, safeStorage } from 'electron';
import { agentListenOptions } from '../core/agent-sync/listen-options';
import { launchFor } from '../core/host/launch';
import type { InstalledPlaces } from '../core/host/launch';
import { CoreSupervisor } from '../core/host/supervisor';
import type { Logger } from '../core/runtime';
import { systemClock } from '../core/runtime';
import { readInstallation, writeInstallation } from '../core/setup/installation';
import { utilityCore } from './core-process';
import { osCameraKey, osSecrets } from './secrets';

/** Where the built files sit: next to the bundle in development, inside resources when packaged. */
export function locations() {
  const appRoot = app.getAppPath();
  const resources = app.isPackaged
    ? join(process.resourcesPath, 'migrations')
    : join(appRoot, 'resources', 'migrations');
  return {
    indexHtml: join(appRoot, 'dist', 'renderer', 'index.html'),
    preload: join(appRoot, 'dist', 'electron', 'preload.cjs'),
    coreEntry: join(appRoot, 'dist', 'core', 'host.mjs'),
    migrations: { sqlite: join(resources, 'sqlite'), mssql: join(resources, 'mssql'), agent: join(resources, 'agent') },
    trustedUrlPrefix: pathToFileURL(join(appRoot, 'dist', 'renderer')).href,
    // Worker threads read their script from disk: packaged, it sits beside the archive, unpacked.
    exportWorker: join(appRoot.replace(/app\.asar$/, 'app.asar.unpacked'), 'dist', 'workers', 'bi-export.mjs'),
  };
}

/**
 * A desktop central listens for its areas' agents like the headless one
 * (HTTPS on 0.0.0.0:7374, its certificate in userData); the shortcut may say
 * otherwise with `--agent-listen=host:port` or `--no-agent-listener`.
 */
export function desktopAgentListener(argv: readonly string[], dataDir: string) {
  const listen = argv.find((a) => a.startsWith('--agent-listen='))?.slice('--agent-listen='.length);
  return agentListenOptions({ listen, off: argv.includes('--no-agent-listener') }, dataDir);
}

/**
 * Core for this desktop copy: what the wizard saved in userData (secrets
 * decrypted here, in main, and handed to core in memory only), or the
 * wizard itself on a first run. A configuration chosen later (the wizard,
 * or Settings) is kept the same way and core restarts in it.
 */
export function desktopCore(paths: ReturnType<typeof locations>, logger: Logger): CoreSupervisor {
  const dataDir = app.getPath('userData');
  const secrets = osSecrets(safeStorage);
  const places: InstalledPlaces = {
    dataDir,
    migrations: paths.migrations,
    exportWorkerFile: paths.exportWorker,
    version: app.getVersion(),
    agentSync: desktopAgentListener(process.argv, dataDir),
    cameraKey: osCameraKey(safeStorage, dataDir),
  };
  return new CoreSupervisor({
    spawn: () => utilityCore(paths.coreEntry),
    launch: launchFor(readInstallation(dataDir, secrets), places),
    logger,
    clock: systemClock,
    persist: (installation) => {
      writeInstallation(dataDir, installation, secrets);
      return Promise.resolve(launchFor(installation, places));
    },
  });
}
