import type { BrowserWindow } from 'electron';

/** `Vigia.exe --smoke-test`: what CI runs on the installed app. */
export const SMOKE_TEST_FLAG = '--smoke-test';
/** A window that has not loaded in this long has failed the smoke test. */
const SMOKE_TIMEOUT_MS = 60_000;

/**
 * The installed app proves it starts: the store opened and migrated, core
 * started (both before the window exists), then the window loads the built
 * page; it then stops cleanly and exits 0. Anything else exits non-zero.
 */
export function runSmokeTest(window: BrowserWindow, stop: () => Promise<void>, exit: (code: number) => void): void {
  const timer = setTimeout(() => {
    console.error('smoke test: the window did not load in time');
    exit(2);
  }, SMOKE_TIMEOUT_MS);
  window.webContents.once('did-fail-load', (_event, code: number, description: string) => {
    clearTimeout(timer);
    console.error(`smoke test: the window failed to load (${code} ${description})`);
    exit(3);
  });
  window.webContents.once('did-finish-load', () => {
    clearTimeout(timer);
    console.log('smoke test: store, core and window are up');
    stop().then(
      () => exit(0),
      (error: unknown) => {
        console.error('smoke test: core did not stop cleanly', error);
        exit(4);
      },
    );
  });
}
