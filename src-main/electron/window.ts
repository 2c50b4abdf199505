import { BrowserWindow } from 'electron';
import type { WebContents, WebPreferences } from 'electron';

export const HARDENED_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
} as const satisfies WebPreferences;

/**
 * Applied to every WebContents the app ever creates: the renderer may not
 * navigate away, open windows or embed webviews, so no remote content can
 * ever run with the preload bridge.
 */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/**
 * The one permission the app's own page gets: desktop notifications, for
 * alarms (Electron shows the renderer's Notification natively). Camera,
 * microphone, location and the rest are refused, and so is any other origin.
 */
export function mayGrantPermission(permission: string, requestingUrl: string): boolean {
  return permission === 'notifications' && requestingUrl.startsWith('file://');
}

export function createMainWindow(options: {
  preload: string;
  indexHtml: string;
  title: string;
  show: boolean;
}): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    title: options.title,
    show: false,
    backgroundColor: '#0f1419',
    webPreferences: { ...HARDENED_WEB_PREFERENCES, preload: options.preload },
  });
  if (options.show) window.once('ready-to-show', () => window.show());
  void window.loadFile(options.indexHtml);
  return window;
}
