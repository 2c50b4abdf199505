import { pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { BRIDGE_KEY, IPC_CALL, IPC_EVENT } from '../../src-shared/contract/bridge';
import type { PreloadBridge } from '../../src-shared/contract/bridge';
import { Connection } from '../../src-main/core/contract/connection';
import { startTestCentral } from '../helpers/central';
import type { TestCentral } from '../helpers/central';
import { APP_ROOT, tempDir } from '../helpers/temp';

import { electron, quitDesktop } from '../helpers/electron-fake';
import { writeInstallation } from '../../src-main/core/setup/installation';

vi.mock('electron', async () => (await import('../helpers/electron-fake')).electronModule());
vi.mock('electron-store', async () => (await import('../helpers/electron-fake')).electronStoreModule());

// The central listens for agents on a port of its own, as an installer's shortcut may ask.
const LISTEN_FLAG = '--agent-listen=127.0.0.1:0';
beforeAll(() => void process.argv.push(LISTEN_FLAG));
afterAll(() => void process.argv.splice(process.argv.indexOf(LISTEN_FLAG), 1));

describe('Electron window', () => {
  it('is created with context isolation, sandbox and no Node, and loads the built renderer', async () => {
    const { createMainWindow } = await import('../../src-main/electron/window');
    createMainWindow({ preload: '/app/preload.cjs', indexHtml: '/app/index.html', title: 'Vigia', show: true });
    const created = electron.windows.at(-1)!;
    expect(created.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      preload: '/app/preload.cjs',
    });
    expect(created.loaded).toEqual(['/app/index.html']);
  });

  it('denies navigation, redirects, webviews and window.open', async () => {
    const { hardenWebContents } = await import('../../src-main/electron/window');
    const listeners = new Map<string, (event: { preventDefault: () => void }) => void>();
    let openHandler: (() => { action: string }) | undefined;
    const contents = {
      on: (name: string, listener: (event: { preventDefault: () => void }) => void) => listeners.set(name, listener),
      setWindowOpenHandler: (handler: () => { action: string }) => (openHandler = handler),
    };
    hardenWebContents(contents as unknown as WebContents);
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const event = { preventDefault: vi.fn() };
      listeners.get(name)!(event);
      expect(event.preventDefault, name).toHaveBeenCalled();
    }
    expect(openHandler!()).toEqual({ action: 'deny' });
  });
});

describe('Electron IPC bridge', () => {
  let test: TestCentral;
  beforeEach(async () => {
    test = await startTestCentral();
  });
  afterEach(async () => {
    await test.stop();
  });

  async function bridgeHandler() {
    const { registerIpcBridge } = await import('../../src-main/electron/ipc-bridge');
    const registered = new Map<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown>();
    const ipcMain = { handle: (c: string, h: never) => registered.set(c, h), removeHandler: () => undefined };
    registerIpcBridge(ipcMain as unknown as IpcMain, {
      dispatch: (_sender, channel, input) =>
        test.central.server.dispatch(new Connection(test.session(), Date.now()), channel, input),
      trustedUrlPrefix: 'file:///opt/vigia/dist/renderer',
    });
    return registered.get(IPC_CALL)!;
  }

  function eventFrom(url: string | null, topFrame = true): IpcMainInvokeEvent {
    const mainFrame = { url: url ?? '' };
    const senderFrame = url === null ? null : topFrame ? mainFrame : { url };
    return { sender: { mainFrame }, senderFrame } as unknown as IpcMainInvokeEvent;
  }

  it('dispatches a call from our own page to the contract server', async () => {
    const handle = await bridgeHandler();
    const result = await handle(eventFrom('file:///opt/vigia/dist/renderer/index.html'), 'areas.create', {
      code: 'ITA',
      name: 'Itajaí',
      timeZone: 'UTC',
    });
    expect(result).toMatchObject({ ok: true, value: { code: 'ITA' } });
  });

  it('validates input exactly as over any other transport', async () => {
    const handle = await bridgeHandler();
    const result = await handle(eventFrom('file:///opt/vigia/dist/renderer/index.html'), 'areas.create', { code: 1 });
    expect(result).toMatchObject({ ok: false, error: { kind: 'validation' } });
  });

  it('refuses calls from another page, from a subframe, or without a frame', async () => {
    const handle = await bridgeHandler();
    for (const event of [
      eventFrom('https://evil.example/'),
      eventFrom('file:///opt/vigia/dist/renderer/index.html', false),
      eventFrom(null),
    ]) {
      const result = await handle(event, 'areas.create', { code: 'ITA', name: 'Itajaí', timeZone: 'UTC' });
      expect(result).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    }
    expect(await test.central.store.listAreas()).toEqual([]);
  });
});

describe('Electron preload', () => {
  it('exposes exactly one invoke and one subscribe, and nothing of ipcRenderer', async () => {
    await import('../../src-main/electron/preload');
    expect([...electron.exposed.keys()]).toEqual([BRIDGE_KEY]);
    const bridge = electron.exposed.get(BRIDGE_KEY) as PreloadBridge;
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'subscribe']);

    expect(await bridge.invoke('areas.list', {})).toEqual({ ok: true, value: 'answer' });
    expect(electron.ipcRendererCalls).toEqual([[IPC_CALL, 'areas.list', {}]]);

    const seen: unknown[] = [];
    const off = bridge.subscribe((name, payload) => seen.push([name, payload]));
    electron.ipcRendererListeners.get(IPC_EVENT)!({ senderId: 0 }, 'areas.changed', { ids: [1] });
    expect(seen).toEqual([['areas.changed', { ids: [1] }]]);
    off();
    expect(electron.ipcRendererListeners.has(IPC_EVENT)).toBe(false);
  });
});

describe('Electron app start-up', () => {
  it('quits at once when another instance holds the lock', async () => {
    vi.resetModules();
    electron.state.lock = false;
    electron.state.quit = 0;
    const windowsBefore = electron.windows.length;
    const { startDesktop } = await import('../../src-main/electron/app');
    await startDesktop();
    expect(electron.state.quit).toBe(1);
    expect(electron.windows.length).toBe(windowsBefore);
  });

  it('opens the store in userData, registers the bridge, sets the menu and opens one hardened window', async () => {
    vi.resetModules();
    const data = tempDir();
    electron.state.lock = true;
    electron.state.userData = data.path;
    electron.handlers.clear();
    const windowsBefore = electron.windows.length;
    // Configured as the wizard would leave a central on its embedded store.
    writeInstallation(data.path, { mode: 'central', store: 'sqlite' });
    try {
      const { startDesktop } = await import('../../src-main/electron/app');
      await startDesktop();
      expect(electron.handlers.has(IPC_CALL)).toBe(true);
      expect(electron.state.menu).toBeTruthy();
      expect(electron.windows.length).toBe(windowsBefore + 1);
      const created = electron.windows.at(-1)!;
      expect(created.loaded[0]).toBe(join(APP_ROOT, 'dist', 'renderer', 'index.html'));
      // Alarm notifications for our own page; nothing else, and nothing for another origin.
      const granted = (permission: string, url: string) => {
        let answer: boolean | undefined;
        electron.state.permissionRequest!(null, permission, (g) => (answer = g), { requestingUrl: url });
        return [answer, electron.state.permissionCheck!(null, permission, url)];
      };
      const ownUrl = pathToFileURL(join(APP_ROOT, 'dist', 'renderer', 'index.html')).href;
      expect(granted('notifications', ownUrl)).toEqual([true, true]);
      expect(granted('media', ownUrl)).toEqual([false, false]);
      expect(granted('geolocation', ownUrl)).toEqual([false, false]);
      expect(granted('notifications', 'https://example.com/')).toEqual([false, false]);
      expect(created.options.webPreferences).toMatchObject({
        sandbox: true,
        contextIsolation: true,
        preload: join(APP_ROOT, 'dist', 'electron', 'preload.cjs'),
      });
      // The store exists and migrated: the handler answers a real call from our page.
      const handle = electron.handlers.get(IPC_CALL)!;
      const ownPage = pathToFileURL(join(APP_ROOT, 'dist', 'renderer', 'index.html')).href;
      const mainFrame = { url: ownPage };
      const event = { sender: Object.assign(created.contents, { mainFrame }), senderFrame: mainFrame };
      // A window starts logged out: only the public calls answer until someone logs in there.
      expect(await handle(event, 'auth.status', {})).toMatchObject({
        ok: true,
        value: { needsSetup: true, user: null },
      });
      expect(await handle(event, 'areas.list', {})).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
      expect(
        await handle(event, 'auth.setup', { username: 'admin', displayName: 'Admin', password: 'Vigia-Porto-2026' }),
      ).toMatchObject({ ok: true });
      expect(await handle(event, 'areas.list', {})).toEqual({ ok: true, value: [] });

      // File > Export BI CSVs… writes into the folder the user picks; Open exports folder opens the default one.
      const exportTo = tempDir();
      electron.state.exportTo = exportTo.path;
      const file = (electron.state.menu as { template: Array<{ submenu: Array<{ id?: string; click?: () => void }> }> })
        .template[0]!.submenu;
      file.find((item) => item.id === 'export-bi')!.click!();
      await vi.waitFor(() => expect(electron.state.messages).toEqual(['2 CSV, 0 rows']), { timeout: 10_000 });
      expect(existsSync(join(exportTo.path, 'snapshots_diarios.csv'))).toBe(true);
      file.find((item) => item.id === 'open-exports')!.click!();
      expect(electron.state.opened).toEqual([join(data.path, 'exports')]);
      exportTo.remove();
      // Quitting stops core cleanly: nothing is left to kill.
      expect(await quitDesktop()).toBe(0);
    } finally {
      await quitDesktop();
      await new Promise((resolve) => setTimeout(resolve, 50));
      data.remove();
    }
  });
});
