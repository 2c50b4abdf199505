import { createRequire } from 'node:module';
import { _electron as electron } from 'playwright-core';
import { expect, it } from 'vitest';
import { APP_ROOT, tempDir } from '../helpers/temp';

/*
 * The real desktop app, run by the Linux job of .github/workflows/ci.yml under
 * Xvfb with Playwright's Electron support (`npm run test:electron`): Electron's
 * binary cannot be downloaded where `.ci/run` runs, so `npm test` leaves this out.
 */
it('starts on the wizard, becomes a central, logs in, shows the dashboard, and survives a crash of core', async () => {
  // The electron package's main export is the path of its binary.
  const executablePath = createRequire(import.meta.url)('electron') as string;
  const userData = tempDir('vigia-electron-');
  const app = await electron.launch({
    executablePath,
    args: [APP_ROOT, '--agent-listen=127.0.0.1:0'],
    // userData (the store, the preferences) in a folder of the test's own: Electron follows XDG on Linux.
    env: { ...process.env, XDG_CONFIG_HOME: userData.path, ELECTRON_ENABLE_LOGGING: '1' },
  });
  try {
    const page = await app.firstWindow();
    // A first run: the wizard, here a central on the embedded store (the default choice).
    await page.getByTestId('setup-wizard').waitFor({ timeout: 30_000 });
    await page.getByTestId('setup-save').click();
    const setup = page.getByTestId('setup');
    await setup.waitFor({ timeout: 30_000 });
    await setup.locator('[name=username]').fill('admin');
    await setup.locator('[name=displayName]').fill('Administrador');
    await setup.locator('[name=password]').fill('Vigia-Porto-2026');
    await page.getByTestId('setup-submit').click();
    await page.getByTestId('who').waitFor({ timeout: 15_000 });
    await page.getByTestId('nav-dashboard').click();
    await expect.poll(() => page.getByTestId('status-cards').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByTestId('alarm-bar').getAttribute('data-count')).toBe('0');

    // Core is a utility process of its own: killed, it is started again and the window says so.
    const corePid = await app.evaluate(
      ({ app: electronApp }) =>
        electronApp.getAppMetrics().find((m) => m.type === 'Utility' && m.name === 'Vigia core')?.pid ?? null,
    );
    expect(corePid).not.toBeNull();
    process.kill(corePid!, 'SIGKILL');
    await page.getByTestId('core-restarted').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 30_000 }).toBe('Conectado');
    expect(await page.getByTestId('who').count()).toBe(1);
  } finally {
    await app.close();
    userData.remove();
  }
}, 180_000);
