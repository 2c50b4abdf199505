import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { APP_ROOT } from './temp';

/*
 * The parts of Electron the desktop shell touches, recorded so tests can
 * inspect the wiring (Electron cannot run here). A test file installs them with
 *   vi.mock('electron', async () => (await import('../helpers/electron-fake')).electronModule());
 *   vi.mock('electron-store', async () => (await import('../helpers/electron-fake')).electronStoreModule());
 */

function createFake() {
  type Listener = (...args: unknown[]) => void;
  const emitter = () => {
    const listeners = new Map<string, Listener[]>();
    return {
      listeners,
      on: (name: string, listener: Listener) => listeners.set(name, [...(listeners.get(name) ?? []), listener]),
      once: (name: string, listener: Listener) => listeners.set(name, [...(listeners.get(name) ?? []), listener]),
      emit: (name: string, ...args: unknown[]) => (listeners.get(name) ?? []).forEach((l) => l(...args)),
    };
  };
  const windows: Array<{
    options: Record<string, unknown>;
    loaded: string[];
    contents: ReturnType<typeof emitter>;
    events: ReturnType<typeof emitter>;
    visible: () => boolean;
    sent: unknown[][];
  }> = [];
  let nextContentsId = 100;
  class BrowserWindow {
    webContents: ReturnType<typeof emitter> & { id: number; send: Listener; isDestroyed: () => boolean };
    private readonly events = emitter();
    private shown = false;
    sent: unknown[][] = [];
    constructor(options: Record<string, unknown>) {
      this.webContents = {
        ...emitter(),
        id: nextContentsId++,
        send: (...args: unknown[]) => void this.sent.push(args),
        isDestroyed: () => false,
      };
      windows.push({
        options,
        loaded: this.loaded,
        contents: this.webContents,
        events: this.events,
        visible: () => this.shown,
        sent: this.sent,
      });
    }
    loaded: string[] = [];
    once = this.events.once;
    on = this.events.on;
    show = () => void (this.shown = true);
    hide = () => void (this.shown = false);
    focus = () => undefined;
    restore = () => undefined;
    isMinimized = () => false;
    loadFile(file: string) {
      this.loaded.push(file);
      return Promise.resolve();
    }
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
    isDestroyed = () => false;
    static getAllWindows = () => windows;
  }
  const handlers = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  const state: {
    lock: boolean;
    userData: string;
    quit: number;
    menu: unknown;
    exportTo: string;
    messages: string[];
    opened: string[];
    permissionRequest:
      | ((
          contents: unknown,
          permission: string,
          callback: (granted: boolean) => void,
          details: { requestingUrl: string },
        ) => void)
      | null;
    permissionCheck: ((contents: unknown, permission: string, origin: string) => boolean) | null;
    loginItem: { openAtLogin: boolean; args: string[] } | null;
    tray: { tooltip: string; menu: unknown; images: number; destroyed: boolean; click?: () => void } | null;
    dialogs: Array<{ message: string; detail?: string }>;
    dialogAnswer: number;
    exitCode: number | null;
    /** What safeStorage offers: 'basic_text' is Linux without a keyring. */
    encryption: { available: boolean; backend: string };
  } = {
    encryption: { available: true, backend: 'gnome_libsecret' },
    exitCode: null,
    permissionRequest: null,
    permissionCheck: null,
    loginItem: null,
    tray: null,
    dialogs: [],
    dialogAnswer: 0,
    lock: true,
    userData: '',
    quit: 0,
    menu: null,
    exportTo: '',
    messages: [],
    opened: [],
  };
  return {
    windows,
    handlers,
    appEvents: emitter(),
    exposed: new Map<string, unknown>(),
    ipcRendererCalls: [] as unknown[][],
    ipcRendererListeners: new Map<string, Listener>(),
    /** Every core process started through utilityProcess.fork: real Node children running the built entry. */
    coreProcesses: [] as ChildProcess[],
    state,
    BrowserWindow,
  };
}

export const electron = createFake();

/**
 * Quits a test's desktop app as a person would: "Quit", confirmed in the
 * dialog, then Electron's second before-quit, which stops core. Resolves once
 * every core process has exited, with how many had to be killed (none, when
 * core stopped as it should).
 */
export async function quitDesktop(): Promise<number> {
  const quits = electron.state.quit;
  electron.state.dialogAnswer = 0;
  electron.appEvents.emit('before-quit', { preventDefault: () => undefined });
  for (let i = 0; i < 100 && electron.state.quit === quits; i++) await new Promise((r) => setTimeout(r, 20));
  electron.appEvents.emit('before-quit', { preventDefault: () => undefined });
  const running = () => electron.coreProcesses.filter((c) => !exited(c));
  for (let i = 0; i < 250 && running().length > 0; i++) await new Promise((r) => setTimeout(r, 20));
  const left = running().length;
  killCoreProcesses();
  return left;
}

export const exited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

/** Kills whatever core processes are left (a test that failed half-way). */
export function killCoreProcesses(): void {
  for (const child of electron.coreProcesses.splice(0)) if (!exited(child)) child.kill('SIGKILL');
}

export function electronModule() {
  const e = electron;
  const app = {
    requestSingleInstanceLock: () => e.state.lock,
    setLoginItemSettings: (settings: { openAtLogin: boolean; args: string[] }) => (e.state.loginItem = settings),
    quit: () => void e.state.quit++,
    exit: (code: number) => void (e.state.exitCode = code),
    enableSandbox: () => undefined,
    whenReady: () => Promise.resolve(),
    on: e.appEvents.on,
    getAppPath: () => APP_ROOT,
    getPath: () => e.state.userData,
    getLocale: () => 'pt-BR',
    getVersion: () => '0.0.0-test',
    isPackaged: false,
  };
  return {
    app,
    BrowserWindow: e.BrowserWindow,
    ipcMain: {
      handle: (channel: string, handler: (...args: unknown[]) => Promise<unknown>) => e.handlers.set(channel, handler),
      removeHandler: (channel: string) => e.handlers.delete(channel),
    },
    Menu: {
      buildFromTemplate: (template: unknown) => ({ template }),
      setApplicationMenu: (menu: unknown) => (e.state.menu = menu),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: typeof e.state.permissionRequest) =>
          (e.state.permissionRequest = handler),
        setPermissionCheckHandler: (handler: typeof e.state.permissionCheck) => (e.state.permissionCheck = handler),
      },
    },
    Tray: class {
      constructor() {
        e.state.tray = { tooltip: '', menu: null, images: 0, destroyed: false };
      }
      on(name: string, listener: () => void) {
        if (name === 'click') e.state.tray!.click = listener;
      }
      setImage() {
        e.state.tray!.images++;
      }
      setToolTip(text: string) {
        e.state.tray!.tooltip = text;
      }
      setContextMenu(menu: unknown) {
        e.state.tray!.menu = menu;
      }
      destroy() {
        e.state.tray!.destroyed = true;
      }
    },
    nativeImage: { createFromBitmap: (buffer: Buffer) => ({ buffer }) },
    dialog: {
      showOpenDialog: () => Promise.resolve({ canceled: false, filePaths: [e.state.exportTo] }),
      showMessageBox: (_window: unknown, options: { message: string; detail?: string; type?: string }) => {
        if (options.type === 'question') {
          e.state.dialogs.push({ message: options.message, ...(options.detail ? { detail: options.detail } : {}) });
          return Promise.resolve({ response: e.state.dialogAnswer });
        }
        e.state.messages.push(options.message);
        return Promise.resolve({ response: 0 });
      },
      showErrorBox: (_title: string, message: string) => e.state.messages.push(`error: ${message}`),
    },
    shell: { openPath: (path: string) => Promise.resolve(void e.state.opened.push(path)) },
    // A utility process is a Node process talking by structured clone: a forked child is the same thing here.
    utilityProcess: {
      fork: (entry: string) => {
        const child = fork(entry, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        e.coreProcesses.push(child);
        return {
          postMessage: (message: unknown) => {
            if (child.connected) child.send(message as object);
          },
          on: (name: string, listener: (...args: unknown[]) => void) => child.on(name, listener),
          once: (name: string, listener: (...args: unknown[]) => void) => child.once(name, listener),
          kill: () => child.kill('SIGKILL'),
        };
      },
    },
    // Reversible, and never the plain text: enough to prove secrets go through it.
    safeStorage: {
      isEncryptionAvailable: () => e.state.encryption.available,
      getSelectedStorageBackend: () => e.state.encryption.backend,
      encryptString: (text: string) => Buffer.from([...Buffer.from(`sealed:${text}`, 'utf8')].map((b) => b ^ 0x5a)),
      decryptString: (sealed: Buffer) =>
        Buffer.from([...sealed].map((b) => b ^ 0x5a))
          .toString('utf8')
          .replace(/^sealed:/, ''),
    },
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => e.exposed.set(key, api) },
    ipcRenderer: {
      invoke: (...args: unknown[]) => {
        e.ipcRendererCalls.push(args);
        return Promise.resolve({ ok: true, value: 'answer' });
      },
      on: (channel: string, listener: (...args: unknown[]) => void) => e.ipcRendererListeners.set(channel, listener),
      removeListener: (channel: string) => e.ipcRendererListeners.delete(channel),
    },
  };
}

/** electron-store needs Electron's own Node; a map stands in for the preferences file. */
export function electronStoreModule() {
  return {
    default: class {
      private readonly values: Map<string, unknown>;
      constructor(options: { defaults: Record<string, unknown> }) {
        this.values = new Map(Object.entries(options.defaults));
      }
      get(key: string) {
        return this.values.get(key);
      }
      set(key: string, value: unknown) {
        this.values.set(key, value);
      }
    },
  };
}
