import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';
import { tempDir } from './temp';

/** Debian's Chromium, headless, with a fresh profile and no traffic beyond localhost. */
export async function launchBrowser(
  executablePath = process.env.VIGIA_CHROMIUM ?? '/usr/bin/chromium',
): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = tempDir('vigia-chromium-');
  const context = await chromium.launchPersistentContext(profile.path, {
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
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
