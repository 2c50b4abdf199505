import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, loginInPage } from '../helpers/browser';
import { startRunnerProcess } from '../helpers/runner-process';
import type { RunnerProcess } from '../helpers/runner-process';
import { ADMIN_PASSWORD, seedDataStore } from '../helpers/seed';
import { tempDir } from '../helpers/temp';

const HEADER = 'area;name;type;context;host;location;notes;parent';
/** Lines (1-based, the header is 1) made wrong on purpose, each in its own way. */
const BAD_LINES = new Map<number, string>(
  Array.from({ length: 20 }, (_, i) => {
    const line = 40 + i * 48;
    const kinds = [
      `ITA;BAD-${line};camera;normal;not a host!;;;`,
      `XXX;BAD-${line};camera;normal;127.9.${i}.1;;;`,
      `ITA;BAD-${line};fridge;normal;127.9.${i}.1;;;`,
      `ITA;BAD-${line};camera;normal;127.9.${i}.1;;;NO-SUCH-SWITCH`,
    ];
    return [line, kinds[i % kinds.length]!] as const;
  }),
);

/** 1,000 devices on loopback addresses (never pinged: the runner does not monitor), 20 of them wrong. */
function thousandRows(): Buffer {
  const lines = [HEADER];
  for (let line = 2; line <= 1001; line++) {
    const i = line - 2;
    lines.push(
      BAD_LINES.get(line) ??
        `ITA;CAM-${String(i).padStart(4, '0')};camera;normal;127.${10 + Math.floor(i / 250)}.${i % 250}.1;Pátio ${i % 7};;`,
    );
  }
  // Excel's way: UTF-8 with a BOM, semicolons, CRLF.
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

describe('devices by CSV on the Devices screen (Chromium, runner process)', () => {
  const data = tempDir();
  let runner: RunnerProcess;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;

  beforeAll(async () => {
    await seedDataStore(data.path, { devices: [] });
    runner = await startRunnerProcess(['--data-dir', data.path, '--port', '0', '--no-monitor'], 20_000);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.goto(runner.url);
    await loginInPage(page, 'admin', ADMIN_PASSWORD);
    await page.getByTestId('nav-devices').click();
  });
  afterAll(async () => {
    await browser?.close();
    await runner?.stop();
    data.remove();
  });

  const choose = (name: string, buffer: Buffer) =>
    page.getByTestId('csv-file').setInputFiles({ name, mimeType: 'text/csv', buffer });

  it('shows the 20 bad rows by line, imports the other 980 when asked, and the exported list re-imports with no change', async () => {
    await choose('sala.csv', thousandRows());
    const preview = page.getByTestId('csv-preview');
    await preview.waitFor({ timeout: 20_000 });
    expect(await preview.textContent()).toContain('1000 linhas — 980 novas, 0 iguais às cadastradas, 20 com erro');
    const lines = await page
      .locator('[data-testid=csv-errors] tbody tr')
      .evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-line'))));
    expect(lines).toEqual([...BAD_LINES.keys()]);
    expect(await page.locator('[data-line="40"]').textContent()).toContain('IPv4');
    // "Import all" waits for a clean file; "only the valid ones" goes.
    expect(await page.getByTestId('csv-import-all').isDisabled()).toBe(true);
    await page.getByTestId('csv-import-valid').click();
    await expect
      .poll(() => page.getByTestId('csv-imported').textContent(), { timeout: 30_000 })
      .toContain('Importados 980 dispositivos');
    await expect.poll(() => page.getByTestId('device-count').textContent(), { timeout: 10_000 }).toContain('980');

    const download = page.waitForEvent('download');
    await page.getByTestId('csv-export').click();
    const exported = readFileSync(await (await download).path());
    expect(exported.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    await choose('exportado.csv', exported);
    await expect
      .poll(() => page.getByTestId('csv-preview').textContent(), { timeout: 20_000 })
      .toContain('980 linhas — 0 novas, 980 iguais às cadastradas, 0 com erro');
    expect(await page.getByTestId('csv-import-all').isDisabled()).toBe(true);
  }, 120_000);

  it('refuses a 50 MB file before reading it, naming the limit; reads a Latin-1 file and says so', async () => {
    const huge = join(data.path, 'enorme.csv');
    writeFileSync(huge, Buffer.alloc(50 * 1024 * 1024, 'a'));
    await page.getByTestId('csv-file').setInputFiles(huge);
    await expect.poll(() => page.getByTestId('csv-error').textContent()).toContain('máximo de 5 MB');
    await choose('latin1.csv', Buffer.from(`${HEADER}\nITA;Câmera Doca;camera;normal;127.50.0.1;Pátio;;\n`, 'latin1'));
    await page.getByTestId('csv-preview').waitFor();
    expect(await page.getByTestId('csv-preview').textContent()).toContain('Windows-1252');
    await page.getByTestId('csv-import-all').click();
    await expect.poll(() => page.getByTestId('csv-imported').textContent()).toContain('Importados 1');
    await page.getByTestId('filter-text').fill('Doca');
    await expect.poll(() => page.locator('[data-testid=devices-table]').textContent()).toContain('Câmera Doca');
  }, 60_000);
});
