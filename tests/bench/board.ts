/**
 * What the operator sees at 10,000 devices: a real central (the built
 * runner) and Debian's Chromium, both inside a namespace of the bench's own
 * where some loopback addresses stop answering.
 *
 *   npm run bench -- detection --devices 10000
 *     hosts made unreachable, then reachable again; p50/p99 from the change
 *     in the network to the dashboard's problems list showing it.
 *   npm run bench -- board --devices 10000
 *     the dashboard and the device list drawn after a reload and a click,
 *     and the time from the sweep that saw a change to the page showing it.
 *
 * Needs `npm run build` first (the central runs from dist/) and root.
 */
import type { Page } from 'playwright-core';
import { DEFAULT_MONITOR_SETTINGS } from '../../src-shared/domain/settings';
import { launchBrowser, loginInPage } from '../helpers/browser';
import { TestNamespace } from '../helpers/netns';
import { startRunnerProcess } from '../helpers/runner-process';
import type { RunnerProcess } from '../helpers/runner-process';
import { ADMIN_PASSWORD, openDataStore, seedDataStore } from '../helpers/seed';
import { tempDir } from '../helpers/temp';

const { intervalMs, timeoutMs } = DEFAULT_MONITOR_SETTINGS;
const hostOf = (i: number) => `127.1.${Math.floor(i / 250)}.${(i % 250) + 1}`;
const nameOf = (i: number) => `CAM-${i + 1}`;
const FALLING = 20;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/**
 * Records in the page when each device first appears in, and last leaves, the
 * problems list. A string, not a function: tsx would wrap a function's inner
 * names in a helper the page does not have.
 */
const WATCH_PROBLEMS = `(() => {
  const shown = new Map();
  const gone = new Map();
  const scan = () => {
    const now = Date.now();
    const present = new Set([...document.querySelectorAll('[data-problem-device]')].map((r) => r.dataset.problemDevice));
    for (const name of present) if (!shown.has(name)) shown.set(name, now);
    for (const name of shown.keys()) if (!present.has(name) && !gone.has(name)) gone.set(name, now);
  };
  new MutationObserver(scan).observe(document.body, { subtree: true, childList: true, attributes: true });
  window.problemLog = () => ({ shown: Object.fromEntries(shown), gone: Object.fromEntries(gone) });
})()`;

async function watchProblems(page: Page): Promise<void> {
  await page.evaluate(WATCH_PROBLEMS);
}

async function problemLog(page: Page): Promise<{ shown: Record<string, number>; gone: Record<string, number> }> {
  return page.evaluate<{ shown: Record<string, number>; gone: Record<string, number> }>('window.problemLog()');
}

async function waitFor(check: () => Promise<boolean>, limitMs: number): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

interface Site {
  readonly ns: TestNamespace;
  readonly runner: RunnerProcess;
  readonly page: Page;
  readonly browser: Awaited<ReturnType<typeof launchBrowser>>;
  readonly dataDir: string;
  close(): Promise<void>;
}

/** Seeds the devices, starts the central and a logged-in dashboard in the namespace, and waits for every device up. */
async function openSite(devices: number): Promise<Site> {
  const ns = new TestNamespace();
  const data = tempDir('vigia-board-');
  let runner: RunnerProcess | undefined;
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  try {
    ns.allowIcmpSockets();
    const started = Date.now();
    await seedDataStore(data.path, { devices: Array.from({ length: devices }, (_, i) => ({ host: hostOf(i) })) });
    console.log(`# seeded ${devices} devices in ${Math.round((Date.now() - started) / 1000)} s`);
    runner = await startRunnerProcess(['--data-dir', data.path, '--port', '0'], 60_000, (c) => ns.wrap(c));
    browser = await launchBrowser(ns.chromiumWrapper(data.path));
    const page = await browser.context.newPage();
    await page.goto(`${runner.url}#/dashboard`);
    await loginInPage(page, 'admin', ADMIN_PASSWORD);
    const allUp = await waitFor(
      async () => (await page.getByTestId('count-total-ONLINE').textContent())?.replace(/\D/g, '') === String(devices),
      120_000,
    );
    if (!allUp) throw new Error('not every device came up within 2 minutes');
    const site = { ns, runner, page, browser, dataDir: data.path };
    return {
      ...site,
      async close() {
        await browser?.close();
        await runner?.stop();
        ns.remove();
        data.remove();
      },
    };
  } catch (error) {
    await browser?.close();
    await runner?.stop();
    ns.remove();
    data.remove();
    throw error;
  }
}

/** Makes `count` devices fall and come back; returns per-device delays from the network change to the page. */
async function fallAndReturn(site: Site, devices: number, count: number) {
  const chosen = Array.from({ length: count }, (_, i) => Math.floor((i * devices) / count) + 1);
  const names = chosen.map(nameOf);
  await watchProblems(site.page);
  const fellAt = Date.now();
  site.ns.setUnreachable(chosen.map(hostOf), true);
  const all = async (key: 'shown' | 'gone') => {
    const log = (await problemLog(site.page))[key];
    return names.every((n) => n in log);
  };
  await waitFor(() => all('shown'), 60_000);
  const returnedAt = Date.now();
  site.ns.setUnreachable(chosen.map(hostOf), false);
  await waitFor(() => all('gone'), 60_000);
  const log = await problemLog(site.page);
  return {
    names,
    fellAt,
    returnedAt,
    shown: names.map((n) => log.shown[n]),
    gone: names.map((n) => log.gone[n]),
  };
}

export async function detectionBench(devices: number): Promise<void> {
  const site = await openSite(devices);
  try {
    // The dashboard lists twenty problems: as many devices fall as it shows.
    const run = await fallAndReturn(site, devices, FALLING);
    const fall = run.shown.filter((at): at is number => at !== undefined).map((at) => at - run.fellAt);
    const back = run.gone.filter((at): at is number => at !== undefined).map((at) => at - run.returnedAt);
    const budget = intervalMs + timeoutMs + 1000;
    console.log(
      `# ${fall.length}/${FALLING} falls and ${back.length}/${FALLING} returns shown; budget interval + timeout + 1 s`,
    );
    console.log(
      `detection devices=${devices} changed=${FALLING} fall_p50_ms=${percentile(fall, 50)} fall_p99_ms=${percentile(fall, 99)} return_p50_ms=${percentile(back, 50)} return_p99_ms=${percentile(back, 99)} budget_ms=${budget} within_budget=${fall.length === FALLING && back.length === FALLING && Math.max(...fall, ...back) <= budget ? 'yes' : 'no'}`,
    );
  } finally {
    await site.close();
  }
}

export async function boardBench(devices: number): Promise<void> {
  const site = await openSite(devices);
  let detection: Awaited<ReturnType<typeof fallAndReturn>> | undefined;
  let dashboardMs = NaN;
  let listMs = NaN;
  try {
    const { page } = site;
    // A reload: the tab takes its session back and draws the dashboard with every figure.
    let began = Date.now();
    await page.reload();
    await waitFor(
      async () => (await page.getByTestId('count-total-ONLINE').textContent())?.replace(/\D/g, '') === String(devices),
      30_000,
    );
    dashboardMs = Date.now() - began;
    // A click to the device list: its first page of rows.
    began = Date.now();
    await page.getByTestId('nav-devices').click();
    await page.locator('tr[data-device-name]').first().waitFor();
    listMs = Date.now() - began;
    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('count-total-ONLINE').waitFor();
    detection = await fallAndReturn(site, devices, 10);
  } finally {
    await site.runner.stop();
  }
  // From the end of the sweep that saw each change to the page showing it, read back from the store.
  const store = openDataStore(site.dataDir);
  const updates: number[] = [];
  try {
    if (!detection) throw new Error('no change was timed');
    const sweeps = await store.listSweeps({ since: detection.fellAt - intervalMs, source: 'central' });
    const changes = (await store.recentStatusChanges({ limit: 100 })).filter((c) => c.at >= detection.fellAt);
    for (const change of changes) {
      const sweep = sweeps.find((s) => s.startedAt <= change.at && change.at <= s.startedAt + s.durationMs);
      const index = detection.names.indexOf(change.deviceName);
      const shown = change.to === 'OFFLINE' ? detection.shown[index] : detection.gone[index];
      if (sweep && shown !== undefined) updates.push(shown - (sweep.startedAt + sweep.durationMs));
    }
  } finally {
    await store.close();
    await site.close();
  }
  console.log(`# ${updates.length} changes timed from their sweep's end to the page`);
  console.log(
    `board devices=${devices} dashboard_reload_ms=${dashboardMs} device_list_ms=${listMs} update_p50_ms=${percentile(updates, 50)} update_p99_ms=${percentile(updates, 99)}`,
  );
}
