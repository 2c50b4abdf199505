import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenerCertificate } from '../../src-main/core/agent-sync/certificate';
import { CONFIG_FILE, SECRETS_FILE } from '../../src-main/core/setup/installation';
import { enrolSiteInDataStore } from '../helpers/agents';
import { launchBrowser } from '../helpers/browser';
import { closedPort } from '../helpers/catchers';
import { createTestDatabase, MSSQL_URL } from '../helpers/mssql';
import { startRunnerProcess } from '../helpers/runner-process';
import type { RunnerProcess } from '../helpers/runner-process';
import { tempDir } from '../helpers/temp';

async function fill(page: Page, values: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(values)) {
    await page.getByTestId('setup-wizard').locator(`[name="${name}"]`).fill(value);
  }
}

const errorFor = (page: Page, field: string) => page.locator(`[data-error-for="${field}"]`).textContent();

describe('the first-run wizard of `serve` (Chromium, runner processes)', () => {
  const dirs: Array<ReturnType<typeof tempDir>> = [];
  const runners: RunnerProcess[] = [];
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let central: { url: string; key: string; fingerprint: string };

  beforeAll(async () => {
    // A real central with the area ITA enrolled, listening for agents over HTTPS.
    const data = tempDir('vigia-hq-');
    dirs.push(data);
    const { key } = await enrolSiteInDataStore(data.path, ['127.0.9.1'], 60_000);
    const { fingerprint } = await listenerCertificate({ folder: data.path });
    const port = await closedPort();
    runners.push(
      await startRunnerProcess(['--data-dir', data.path, '--port', '0', '--agent-listen', `127.0.0.1:${port}`], 15_000),
    );
    central = { url: `https://127.0.0.1:${port}`, key, fingerprint };
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    for (const runner of runners) await runner.stop();
    for (const dir of dirs) dir.remove();
  });

  async function freshCopy() {
    const data = tempDir('vigia-new-');
    dirs.push(data);
    const runner = await startRunnerProcess(['--data-dir', data.path, '--port', '0'], 15_000);
    runners.push(runner);
    expect(runner.output()).toContain('first-run wizard running at');
    const page = await browser.context.newPage();
    await page.goto(runner.url);
    await page.getByTestId('setup-wizard').waitFor();
    return { data: data.path, runner, page, saved: () => existsSync(join(data.path, CONFIG_FILE)) };
  }

  it('refuses what cannot work, saying what failed beside the field, and saves nothing', async () => {
    const { page, saved } = await freshCopy();
    // SQL Server that does not answer.
    await page.locator('input[name=store][value=mssql]').check();
    await fill(page, { url: `mssql://vigia@127.0.0.1:${await closedPort()}/vigia?encrypt=false`, password: 'x' });
    await page.getByTestId('setup-test').click();
    await expect.poll(() => errorFor(page, 'url'), { timeout: 20_000 }).toMatch(/did not answer/);
    // A URL that is no URL.
    await page.locator('input[name=mode][value=agent]').check();
    await fill(page, { central: 'ftp://central', area: 'ITA', key: central.key, fingerprint: central.fingerprint });
    await page.getByTestId('setup-save').click();
    await expect.poll(() => errorFor(page, 'central'), { timeout: 5000 }).toMatch(/http/);
    // The right central, a wrong key.
    await fill(page, { central: central.url, key: 'vg_wrongwrong_' + 'x'.repeat(40) });
    await page.getByTestId('setup-save').click();
    await expect.poll(() => errorFor(page, 'key'), { timeout: 10_000 }).toBeTruthy();
    // The right key, another certificate's fingerprint: refused before the key is sent.
    const other = central.fingerprint.replace(/^../, central.fingerprint.startsWith('00') ? '11' : '00');
    await fill(page, { key: central.key, fingerprint: other });
    await page.getByTestId('setup-save').click();
    await expect.poll(() => errorFor(page, 'fingerprint'), { timeout: 10_000 }).toMatch(/certificate/);
    expect(saved()).toBe(false);
  }, 90_000);

  it('configures a field site: tested against the central, saved with the key apart, and the agent starts', async () => {
    const { page, saved, data } = await freshCopy();
    await page.locator('input[name=mode][value=agent]').check();
    await fill(page, {
      central: central.url,
      area: 'ita',
      key: central.key,
      fingerprint: central.fingerprint.toLowerCase(),
    });
    await page.getByTestId('setup-test').click();
    await expect.poll(() => page.getByTestId('setup-result').textContent(), { timeout: 10_000 }).toBe('Funcionou.');
    await page.getByTestId('setup-save').click();
    await expect.poll(() => page.getByTestId('setup-result').textContent(), { timeout: 10_000 }).toContain('salva');
    expect(saved()).toBe(true);
    const config = readFileSync(join(data, CONFIG_FILE), 'utf8');
    expect(JSON.parse(config)).toEqual({
      mode: 'agent',
      central: central.url,
      area: 'ITA',
      fingerprint: central.fingerprint,
    });
    expect(config).not.toContain(central.key);
    expect(statSync(join(data, SECRETS_FILE)).mode & 0o777).toBe(0o600);
    // The page reloads onto the agent's status page, on the same address.
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 20_000 }).toContain('ITA');
  }, 90_000);

  it('configures a central on the embedded store, which then asks for its first administrator', async () => {
    const { page, saved, data } = await freshCopy();
    await page.getByTestId('setup-save').click();
    await page.getByTestId('setup').waitFor({ timeout: 20_000 });
    expect(saved()).toBe(true);
    const config = readFileSync(join(data, CONFIG_FILE), 'utf8');
    expect(JSON.parse(config)).toEqual({ mode: 'central', store: 'sqlite' });

    // Later, Settings › Installation says what it is, and lets the administrator try another mode.
    const setup = page.getByTestId('setup');
    await setup.locator('[name=username]').fill('admin');
    await setup.locator('[name=displayName]').fill('Administrador');
    await setup.locator('[name=password]').fill('Vigia-Porto-2026');
    await page.getByTestId('setup-submit').click();
    await page.getByTestId('who').waitFor();
    await page.goto(`${new URL(page.url()).origin}/#/settings`);
    await expect
      .poll(() => page.getByTestId('installation-mode').textContent(), { timeout: 10_000 })
      .toContain('Central');
    await page.getByTestId('installation-change').click();
    await page.locator('input[name=mode][value=console]').check();
    await fill(page, { url: `mssql://vigia@127.0.0.1:${await closedPort()}/vigia?encrypt=false`, password: 'x' });
    // Settings has no separate test: saving tries it first, and a failure is named beside its field.
    expect(await page.getByTestId('setup-test').count()).toBe(0);
    await page.getByTestId('setup-save').click();
    await expect.poll(() => errorFor(page, 'url'), { timeout: 20_000 }).toMatch(/127\.0\.0\.1/);
    expect(readFileSync(join(data, CONFIG_FILE), 'utf8')).toBe(config);
  }, 60_000);

  // Where a SQL Server is at hand (the Babelfish stand-in under .ci/run, SQL Server 2022 in GitHub Actions).
  it.skipIf(!MSSQL_URL)(
    "configures a console over the central's SQL Server: connected, logged in, then serving its screens",
    async () => {
      const database = await createTestDatabase();
      try {
        const address = new URL(MSSQL_URL!);
        const password = decodeURIComponent(address.password);
        address.password = '';
        address.pathname = `/${database.connection.database}`;
        const { page, saved, data } = await freshCopy();
        await page.locator('input[name=mode][value=console]').check();
        await fill(page, { url: address.href, password: 'not-the-password' });
        await page.getByTestId('setup-test').click();
        await expect.poll(() => errorFor(page, 'password'), { timeout: 20_000 }).toMatch(/login failed/);
        expect(saved()).toBe(false);
        await fill(page, { password });
        await page.getByTestId('setup-save').click();
        await page.getByTestId('setup').waitFor({ timeout: 30_000 });
        const config = readFileSync(join(data, CONFIG_FILE), 'utf8');
        expect(JSON.parse(config)).toMatchObject({ mode: 'console', store: 'mssql' });
        expect(config).not.toContain(password);
      } finally {
        for (const runner of runners.splice(1)) await runner.stop();
        await database.drop();
      }
    },
    90_000,
  );
});
