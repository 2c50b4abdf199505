import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { tempDir } from './temp';

/** Debian's Chromium, headless, with a fresh profile and no traffic beyond localhost. */
export async function launchBrowser(
  executablePath = process.env.VIGIA_CHROMIUM ?? '/usr/bin/chromium',
  options: { locale?: string; args?: readonly string[] } = {},
): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = tempDir('vigia-chromium-');
  const context = await chromium.launchPersistentContext(profile.path, {
    executablePath,
    headless: true,
    ...(options.locale ? { locale: options.locale } : {}),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(options.args ?? []),
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      profile.remove();
    },
  };
}

/** Logs in on a page (each page is its own connection, so each logs in), and waits for the shell. */
export async function loginInPage(page: Page, username: string, password: string): Promise<void> {
  const form = page.getByTestId('login');
  await form.waitFor();
  await form.locator('[name=username]').fill(username);
  await form.locator('[name=password]').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('who').waitFor();
}
