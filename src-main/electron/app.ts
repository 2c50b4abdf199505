import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell } from 'electron';
import type { WebContents } from 'electron';
import { DEFAULT_AGENT_SYNC_PORT } from '../core/agent-sync/start';
import type { Central } from '../core/central';
import { startInstance } from '../core/instance';
import { consoleLogger } from '../core/runtime';
import { Connection } from '../core/contract/connection';
import { STORE_FILE } from '../core/paths';
import { systemClock } from '../core/runtime';
import type { StoreConfig } from '../core/store/open';
import { forwardEvents, registerIpcBridge } from './ipc-bridge';
import { buildMenuTemplate, menuLabels } from './menu';
import type { KeepWatching } from './keep-watching';
import { openPreferences } from './preferences';
import { runSmokeTest, SMOKE_TEST_FLAG } from './smoke-test';
import { HIDDEN_FLAG, keepWatchingFromTheTray } from './watch-shell';
import { createMainWindow, hardenWebContents, mayGrantPermission } from './window';

/** Where the built files sit: next to the bundle in development, inside resources when packaged. */
function locations() {
  const appRoot = app.getAppPath();
  const indexHtml = join(appRoot, 'dist', 'renderer', 'index.html');
  return {
    indexHtml,
    preload: join(appRoot, 'dist', 'electron', 'preload.cjs'),
    migrations: app.isPackaged
      ? join(process.resourcesPath, 'migrations', 'sqlite')
      : join(appRoot, 'resources', 'migrations', 'sqlite'),
    trustedUrlPrefix: pathToFileURL(join(appRoot, 'dist', 'renderer')).href,
    // Worker threads read their script from disk: packaged, it sits beside the archive, unpacked.
    exportWorker: join(appRoot.replace(/app\.asar$/, 'app.asar.unpacked'), 'dist', 'workers', 'bi-export.mjs'),
  };
}

export async function startDesktop(): Promise<void> {
  // A second copy would fight the first over the store and the monitor; hand focus to the first instead.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

  await app.whenReady();
  const paths = locations();
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(mayGrantPermission(permission, details.requestingUrl)),
  );
  session.defaultSession.setPermissionCheckHandler((_contents, permission, origin) =>
    mayGrantPermission(permission, origin),
  );

  const config: StoreConfig = {
    dialect: 'sqlite',
    file: join(app.getPath('userData'), STORE_FILE),
    migrationsFolder: paths.migrations,
  };
  const central: Central = await startInstance({
    mode: 'central',
    store: config,
    logger: consoleLogger,
    exportsFolder: join(app.getPath('userData'), 'exports'),
    exportWorkerFile: paths.exportWorker,
    // The desktop central listens for its areas' agents like the headless one, its certificate in userData.
    agentSync: {
      host: '0.0.0.0',
      port: DEFAULT_AGENT_SYNC_PORT,
      plainHttp: false,
      certificateFolder: app.getPath('userData'),
    },
  });
  // The login issue replaces this with the session of whoever logs in to each window.
  // Each window is one connection: whoever logs in there, and only there.
  const connections = new Map<number, Connection>();
  const connectionFor = (contents: WebContents) => {
    let connection = connections.get(contents.id);
    if (!connection) {
      connection = new Connection(null, systemClock.now());
      connections.set(contents.id, connection);
      contents.once('destroyed', () => connections.delete(contents.id));
    }
    return connection;
  };
  registerIpcBridge(ipcMain, {
    server: central.server,
    connectionFor,
    trustedUrlPrefix: paths.trustedUrlPrefix,
  });

  const labels = menuLabels(app.getLocale());
  const exportBi = async () => {
    const choice = await dialog.showOpenDialog(mainWindow, {
      title: labels.exportBi,
      properties: ['openDirectory', 'createDirectory'],
    });
    const folder = choice.filePaths[0];
    if (choice.canceled || !folder) return;
    try {
      const result = await central.exports.run(folder);
      const rows = result.files.reduce((n, f) => n + f.rows, 0);
      await dialog.showMessageBox(mainWindow, {
        type: 'info',
        title: labels.exportBi,
        message: `${result.files.length} CSV, ${rows} rows`,
        detail: result.folder,
      });
    } catch (error) {
      dialog.showErrorBox(labels.exportBi, error instanceof Error ? error.message : String(error));
    }
  };
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate(app.getLocale(), {
        devTools: !app.isPackaged,
        onExportBi: () => void exportBi(),
        onOpenExports: () => void shell.openPath(central.exports.folder()),
      }),
    ),
  );

  // Set once the tray exists; until then (and in a smoke test) a close simply closes.
  let keeper: KeepWatching | null = null;
  const openWindow = (show: boolean) => {
    const window = createMainWindow({ preload: paths.preload, indexHtml: paths.indexHtml, title: 'Vigia', show });
    forwardEvents(central.server, window.webContents, connectionFor(window.webContents));
    window.on('close', (event) => keeper?.onWindowClose(event, window));
    return window;
  };
  if (process.argv.includes(SMOKE_TEST_FLAG)) {
    runSmokeTest(
      openWindow(false),
      () => central.stop(),
      (code) => app.exit(code),
    );
    return;
  }
  // Started at login: straight to the tray, monitoring.
  let mainWindow = openWindow(!process.argv.includes(HIDDEN_FLAG));
  const showWindow = () => {
    if (mainWindow.isDestroyed()) mainWindow = openWindow(true);
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  };
  const watching = keepWatchingFromTheTray({
    central,
    labels,
    preferences: openPreferences(),
    window: () => mainWindow,
    showWindow,
    logger: consoleLogger,
  });
  keeper = watching.keeper;
  const { tray } = watching;

  app.on('second-instance', showWindow);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = openWindow(true);
  });
  // Closing the window hides it: the app lives on in the tray, watching, until someone quits.
  app.on('window-all-closed', () => undefined);
  let stopped = false;
  app.on('before-quit', (event) => {
    if (stopped || !watching.keeper.onBeforeQuit(event)) return;
    event.preventDefault();
    stopped = true;
    tray.destroy();
    void central.stop().finally(() => app.quit());
  });
}
