import { app } from 'electron';
import type { CoreSupervisor } from '../core/host/supervisor';
import type { Logger } from '../core/runtime';
import { SMOKE_TEST_FLAG } from './smoke-test';

/**
 * `Vigia.exe --headless`: the installed app with no window and no tray, for
 * a field agent (or a central) that must run with nobody logged in — started
 * at boot by the scheduled task the README's one command creates. Core is
 * supervised exactly as with windows: crashes are logged and core restarted.
 */
export const HEADLESS_FLAG = '--headless';

export function runWithoutWindows(core: CoreSupervisor, logger: Logger): void {
  core.onState((state) => {
    if (state.kind === 'running') {
      const where = state.ready.statusUrl ? `, status at ${state.ready.statusUrl}` : '';
      logger.info(`running without windows${where}`);
    }
    if (state.kind === 'restarting') logger.warn(`${state.reason}; starting again in ${state.retryInMs} ms`);
  });
  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    void core.stop().finally(() => app.exit(code));
  };
  // A copy with windows started meanwhile (a login) finds the lock taken and quits: this one keeps watching.
  app.on('second-instance', () => logger.info('another copy was started; this one runs without windows and goes on'));
  app.on('before-quit', (event) => {
    event.preventDefault();
    stop(0);
  });
  process.once('SIGTERM', () => stop(0));
  process.once('SIGINT', () => stop(0));
  // Proves the installed app can run this way (CI): core up, then a clean stop.
  if (process.argv.includes(SMOKE_TEST_FLAG)) void core.ready().then(() => stop(0));
}
