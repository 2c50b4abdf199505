import type { BrowserWindow } from 'electron';

/** `Vigia.exe --smoke-test`: what CI runs on the installed app. */
export const SMOKE_TEST_FLAG = '--smoke-test';
/** Core not ready or a window not loaded in this long has failed the smoke test. */
const SMOKE_TIMEOUT_MS = 60_000;

/**
 * The installed app proves it starts: core's process started and opened and
 * migrated its store, and the window loaded the built page; it then stops
 * cleanly and exits 0. Anything else (core never ready, the page not
 * loaded) exits non-zero.
 */
export function runSmokeTest(
  window: BrowserWindow,
  coreReady: Promise<unknown>,
  stop: () => Promise<void>,
  exit: (code: number) => void,
): void {
  const timer = setTimeout(() => {
    console.error('smoke test: core or the window was not up in time');
    exit(2);
  }, SMOKE_TIMEOUT_MS);
  window.webContents.once('did-fail-load', (_event, code: number, description: string) => {
    clearTimeout(timer);
    console.error(`smoke test: the window failed to load (${code} ${description})`);
    exit(3);
  });
  const loaded = new Promise<void>((resolve) => window.webContents.once('did-finish-load', () => resolve()));
  void Promise.all([coreReady, loaded]).then(() => {
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
