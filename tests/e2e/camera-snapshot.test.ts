import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, loginInPage } from '../helpers/browser';
import { CAMERA_PASSWORD, CAMERA_USER, startCameraServer } from '../helpers/camera-server';
import { startRunnerProcess } from '../helpers/runner-process';
import type { RunnerProcess } from '../helpers/runner-process';
import { ADMIN_PASSWORD, seedDataStore } from '../helpers/seed';
import { tempDir } from '../helpers/temp';

describe("the device page's camera picture (Chromium, runner process, a local camera)", () => {
  const data = tempDir();
  let camera: Awaited<ReturnType<typeof startCameraServer>>;
  let runner: RunnerProcess;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;

  beforeAll(async () => {
    camera = await startCameraServer('127.0.0.1');
    await seedDataStore(data.path, { devices: [{ host: '127.0.0.1', name: 'CAM-PATIO' }] });
    runner = await startRunnerProcess(['--data-dir', data.path, '--port', '0', '--no-monitor'], 20_000);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.goto(runner.url);
    await loginInPage(page, 'admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await browser?.close();
    await runner?.stop();
    await camera?.close();
    data.remove();
  });

  it('saves how the camera is reached, then shows its picture with its time and health', async () => {
    await page.getByTestId('nav-devices').click();
    await page.getByRole('link', { name: 'CAM-PATIO' }).click();
    const form = page.getByTestId('camera-access');
    await form.waitFor();
    // The make's template fills the addresses with the device's own host; the port is this test camera's.
    await page.getByTestId('camera-make').selectOption('axis');
    expect(await form.locator('[name=snapshotUrl]').inputValue()).toBe('http://127.0.0.1/axis-cgi/jpg/image.cgi');
    await form.locator('[name=snapshotUrl]').fill(`${camera.base}/axis-cgi/jpg/image.cgi`);
    await form.locator('[name=rtspUrl]').fill('');
    await form.locator('[name=username]').fill(CAMERA_USER);
    await form.locator('[name=password]').fill(CAMERA_PASSWORD);
    await page.getByTestId('camera-save').click();
    await page.getByTestId('camera-look').waitFor();
    // Saved: the password field is empty again and says one is kept.
    expect(await form.locator('[name=password]').inputValue()).toBe('');
    expect(await form.textContent()).toContain('Há uma senha salva');

    await page.getByTestId('camera-look').click();
    const picture = page.getByTestId('camera-snapshot');
    await picture.waitFor({ timeout: 15_000 });
    await expect.poll(() => picture.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(320);
    expect(await page.getByTestId('video-health').textContent()).toBe('Imagem normal');
    expect(await page.getByTestId('camera-look-result').textContent()).toMatch(/\d{2}\/\d{2}\/\d{4}/);

    // Pointed at a black picture, the camera shows it on its page and, beside its ping state, in the list.
    await form.locator('[name=snapshotUrl]').fill(`${camera.base}/black`);
    await page.getByTestId('camera-save').click();
    await page.getByTestId('camera-look').click();
    await expect.poll(() => page.getByTestId('video-health').textContent()).toBe('Imagem preta');
    await page.getByTestId('nav-devices').click();
    await expect
      .poll(() => page.locator('[data-device-name="CAM-PATIO"] [data-testid=video-problem]').textContent())
      .toBe('Imagem preta');
    // And on the dashboard, in its own list beside what is down.
    await page.getByTestId('nav-dashboard').click();
    await expect
      .poll(() => page.locator('[data-testid=video-problems] [data-video-device="CAM-PATIO"]').textContent())
      .toContain('Imagem preta');
  }, 60_000);
});
