import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell } from 'electron';
import type { WebContents } from 'electron';
import { CORE_STATE_EVENT, IPC_EVENT } from '../../src-shared/contract/bridge';
import type { CoreStateNotice } from '../../src-shared/contract/bridge';
import type { CoreReady } from '../core/host/protocol';
import type { CoreSupervisor } from '../core/host/supervisor';
import { consoleLogger } from '../core/runtime';
import { desktopCore, locations } from './desktop-core';
import { registerIpcBridge } from './ipc-bridge';
import { buildMenuTemplate, menuLabels } from './menu';
import type { KeepWatching } from './keep-watching';
import { openPreferences } from './preferences';
import { runSmokeTest, SMOKE_TEST_FLAG } from './smoke-test';
import { HIDDEN_FLAG, keepWatchingFromTheTray } from './watch-shell';
import { createMainWindow, hardenWebContents, mayGrantPermission } from './window';
import { HEADLESS_FLAG, runWithoutWindows } from './without-windows';

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

  // Core (store, monitor, contract) runs in a process of its own; main keeps windows, tray, dialogs and secrets.
  const core = desktopCore(paths, consoleLogger);
  core.start();
  if (process.argv.includes(HEADLESS_FLAG)) {
    runWithoutWindows(core, consoleLogger);
    return;
  }
  registerIpcBridge(ipcMain, {
    dispatch: (sender, channel, input) => core.call(sender.id, String(channel), input),
    trustedUrlPrefix: paths.trustedUrlPrefix,
  });
  const windows = windowsOfCore(core, paths);
  const labels = menuLabels(app.getLocale());
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(buildMenuTemplate(app.getLocale(), menuActions(core, labels, windows))),
  );

  if (process.argv.includes(SMOKE_TEST_FLAG)) {
    runSmokeTest(
      windows.open(false),
      core.ready(),
      () => core.stop(),
      (code) => app.exit(code),
    );
    return;
  }
  // Started at login: straight to the tray, monitoring.
  windows.open(!process.argv.includes(HIDDEN_FLAG));
  const watching = keepWatchingFromTheTray({
    core,
    labels,
    preferences: openPreferences(),
    window: windows.main,
    showWindow: windows.show,
  });
  windows.keeper = watching.keeper;

  app.on('second-instance', windows.show);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) windows.open(true);
  });
  // Closing the window hides it: the app lives on in the tray, watching, until someone quits.
  app.on('window-all-closed', () => undefined);
  let stopped = false;
  app.on('before-quit', (event) => {
    if (stopped || !watching.keeper.onBeforeQuit(event)) return;
    event.preventDefault();
    stopped = true;
    watching.tray.destroy();
    void core.stop().finally(() => app.quit());
  });
}

/**
 * The windows and core, wired: each window is one connection of core's,
 * hears its own events, is told when core goes down and comes back, and
 * (on a field agent) shows the agent's status page.
 */
function windowsOfCore(core: CoreSupervisor, paths: ReturnType<typeof locations>) {
  const open = new Map<number, BrowserWindow>();
  let crashedAt: number | null = null;
  let ready: CoreReady | null = null;
  const notice = (): CoreStateNotice => ({ running: core.current().kind === 'running', crashedAt });
  const showPage = (window: BrowserWindow) => {
    if (ready?.statusUrl) void window.loadURL(ready.statusUrl);
  };
  core.onEvent((connection, name, payload) => {
    const contents = open.get(connection)?.webContents;
    if (contents && !contents.isDestroyed()) contents.send(IPC_EVENT, name, payload);
  });
  core.onState((state) => {
    if (state.kind === 'restarting' && state.reason.includes('unexpectedly')) crashedAt = state.at;
    if (state.kind === 'running') {
      ready = state.ready;
      open.forEach(showPage);
    }
    for (const window of open.values()) {
      if (!window.webContents.isDestroyed()) window.webContents.send(IPC_EVENT, CORE_STATE_EVENT, notice());
    }
  });
  let main: BrowserWindow | null = null;
  const shell = {
    keeper: null as KeepWatching | null,
    open: (show: boolean): BrowserWindow => {
      const window = createMainWindow({ preload: paths.preload, indexHtml: paths.indexHtml, title: 'Vigia', show });
      const contents: WebContents = window.webContents;
      const id = contents.id;
      open.set(id, window);
      core.connect(id);
      contents.once('destroyed', () => {
        open.delete(id);
        core.disconnect(id);
      });
      // Set once the tray exists; until then (and in a smoke test) a close simply closes.
      window.on('close', (event) => shell.keeper?.onWindowClose(event, window));
      showPage(window);
      main = window;
      return window;
    },
    main: (): BrowserWindow => main ?? shell.open(true),
    show: () => {
      const window = !main || main.isDestroyed() ? shell.open(true) : main;
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
    },
    ready: () => ready,
  };
  return shell;
}

function menuActions(
  core: CoreSupervisor,
  labels: ReturnType<typeof menuLabels>,
  windows: ReturnType<typeof windowsOfCore>,
) {
  const exportBi = async () => {
    const choice = await dialog.showOpenDialog(windows.main(), {
      title: labels.exportBi,
      properties: ['openDirectory', 'createDirectory'],
    });
    const folder = choice.filePaths[0];
    if (choice.canceled || !folder) return;
    const result = await core.exportBi(folder);
    if (!result.ok) {
      dialog.showErrorBox(labels.exportBi, result.error.message);
      return;
    }
    const { files, folder: written } = result.value as { files: Array<{ rows: number }>; folder: string };
    const rows = files.reduce((n, f) => n + f.rows, 0);
    await dialog.showMessageBox(windows.main(), {
      type: 'info',
      title: labels.exportBi,
      message: `${files.length} CSV, ${rows} rows`,
      detail: written,
    });
  };
  return {
    devTools: !app.isPackaged,
    onExportBi: () => void exportBi(),
    onOpenExports: () => {
      const folder = windows.ready()?.exportsFolder;
      if (folder) void shell.openPath(folder);
    },
  };
}
