import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_CALL, IPC_EVENT } from '../../src-shared/contract/bridge';
import { watchState } from '../../src-shared/domain/alarms';
import { fullGrid } from '../../src-shared/domain/permissions';
import { hashPassword } from '../../src-main/core/auth/passwords';
import { KeepWatching } from '../../src-main/electron/keep-watching';
import { stateBitmap } from '../../src-main/electron/tray';
import { STORE_FILE } from '../../src-main/core/paths';
import { openSqliteStore } from '../../src-main/core/store/sqlite/sqlite-store';
import { auditsFor } from '../helpers/audit';
import { ManualClock } from '../helpers/clock';
import { electron, exited, quitDesktop } from '../helpers/electron-fake';
import { writeInstallation } from '../../src-main/core/setup/installation';
import { APP_ROOT, SQLITE_MIGRATIONS, tempDir } from '../helpers/temp';

vi.mock('electron', async () => (await import('../helpers/electron-fake')).electronModule());
vi.mock('electron-store', async () => (await import('../helpers/electron-fake')).electronStoreModule());

// Each test's central listens for agents on a port of its own, as an installer's shortcut may ask.
const LISTEN_FLAG = '--agent-listen=127.0.0.1:0';
beforeAll(() => void process.argv.push(LISTEN_FLAG));
afterAll(() => void process.argv.splice(process.argv.indexOf(LISTEN_FLAG), 1));

describe('keeping the desktop app watching', () => {
  it('hides the window on close, asks before quitting, and quits only when told to', async () => {
    const answers = [false, true];
    const quit = vi.fn();
    const keeper = new KeepWatching({ confirmQuit: () => Promise.resolve(answers.shift()!), quit });
    const window = { hide: vi.fn() };
    const close = { preventDefault: vi.fn() };
    keeper.onWindowClose(close, window);
    expect(close.preventDefault).toHaveBeenCalled();
    expect(window.hide).toHaveBeenCalled();
    // The OS or the menu asks to quit: held, and asked; "cancel" keeps it running.
    const first = { preventDefault: vi.fn() };
    expect(keeper.onBeforeQuit(first)).toBe(false);
    expect(first.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(answers).toHaveLength(1));
    expect(quit).not.toHaveBeenCalled();
    await keeper.requestQuit();
    expect(quit).toHaveBeenCalledTimes(1);
    // Confirmed: the quit that follows goes through, and the window may close.
    expect(keeper.onBeforeQuit({ preventDefault: vi.fn() })).toBe(true);
    const last = { preventDefault: vi.fn() };
    keeper.onWindowClose(last, window);
    expect(last.preventDefault).not.toHaveBeenCalled();
  });

  it('colours the tray by the worst state of the desk', () => {
    const open = { clearedAt: null, acknowledgedAt: null };
    const acknowledged = { clearedAt: null, acknowledgedAt: 1 };
    expect(watchState([])).toBe('ok');
    expect(watchState([acknowledged])).toBe('warning');
    expect(watchState([acknowledged, open])).toBe('alarm');
    const pixel = (state: Parameters<typeof stateBitmap>[0]) => [
      ...stateBitmap(state).subarray(8 * 16 * 4 + 32, 8 * 16 * 4 + 36),
    ];
    expect(pixel('alarm')).toEqual([75, 83, 229, 255]);
    expect(pixel('ok')).toEqual([67, 160, 46, 255]);
    expect([...stateBitmap('ok').subarray(0, 4)]).toEqual([0, 0, 0, 0]);
  });

  it('runs from the tray: follows the desk, mutes every window, starts at login, and quitting asks', async () => {
    vi.resetModules();
    const data = tempDir();
    // A central elsewhere holds the monitor and has an alarm open: this copy follows the shared store.
    const clock = new ManualClock(Date.now());
    const shared = openSqliteStore({ file: join(data.path, STORE_FILE), migrationsFolder: SQLITE_MIGRATIONS, clock });
    const audits = auditsFor(shared, clock);
    const area = await shared.createArea({ code: 'ITA', name: 'Itajaí', timeZone: 'America/Sao_Paulo' }, audits.area());
    const cam = await shared.createDevice(
      { name: 'CAM-1', type: 'camera', context: 'normal', host: '127.0.0.1', areaId: area.id, location: '', notes: '' },
      audits.device(),
    );
    await shared.acquireMonitorLease('central-elsewhere', Date.now(), 3_600_000);
    const { opened } = await shared.applyAlarmChanges({
      at: Date.now(),
      open: [
        {
          kind: 'device_offline',
          subjectKey: `device_offline:${cam.id}`,
          severity: 'major',
          areaId: area.id,
          deviceId: cam.id,
          detail: {},
        },
      ],
      clear: [],
    });
    electron.state.userData = data.path;
    electron.state.lock = true;
    const quitsBefore = electron.state.quit;
    try {
      const { startDesktop } = await import('../../src-main/electron/app');
      await startDesktop();
      const tray = () => electron.state.tray!;
      await vi.waitFor(() => expect(tray().tooltip).toMatch(/unacknowledged alarm|alarme sem reconhecimento/), {
        timeout: 10_000,
      });
      expect(electron.state.loginItem).toEqual({ openAtLogin: true, args: ['--hidden'] });

      // Closing the window hides it; the app keeps running.
      const window = electron.windows.at(-1)!;
      const close = { preventDefault: vi.fn() };
      window.events.emit('close', close);
      expect(close.preventDefault).toHaveBeenCalled();
      expect(window.visible()).toBe(false);
      tray().click!();
      expect(window.visible()).toBe(true);

      // Acknowledged at the central: the tray turns amber within the console's follow interval.
      const user = await shared.createUser(
        {
          username: 'ana',
          displayName: 'Ana',
          isAdmin: false,
          active: true,
          permissions: fullGrid(),
          allowedAreaIds: null,
          passwordHash: 'x',
          mustChangePassword: false,
        },
        audits.user(),
      );
      await shared.acknowledgeAlarm({
        id: opened[0]!.id,
        userId: user.id,
        note: null,
        at: Date.now(),
        audit: audits.alarm(),
      });
      await vi.waitFor(() => expect(tray().tooltip).toMatch(/alarms open|alarmes em aberto/), { timeout: 6000 });

      // The tray's menu: mute reaches the logged-in window, auto-start can be switched off.
      await shared.createUser(
        {
          username: 'chefe',
          displayName: 'Chefe',
          isAdmin: true,
          active: true,
          permissions: fullGrid(),
          allowedAreaIds: null,
          passwordHash: await hashPassword('Vigia-Porto-2026'),
          mustChangePassword: false,
        },
        audits.user(),
      );
      const mainFrame = { url: pathToFileURL(join(APP_ROOT, 'dist', 'renderer', 'index.html')).href };
      const event = { sender: Object.assign(window.contents, { mainFrame }), senderFrame: mainFrame };
      const call = electron.handlers.get(IPC_CALL)!;
      expect(await call(event, 'auth.login', { username: 'chefe', password: 'Vigia-Porto-2026' })).toMatchObject({
        ok: true,
      });
      const items = () => (tray().menu as { template: Array<{ id?: string; click?: () => void }> }).template;
      window.sent.length = 0;
      items().find((i) => i.id === 'mute')!.click!();
      expect(items().find((i) => i.id === 'mute')).toMatchObject({ checked: true });
      await vi.waitFor(() => expect(window.sent).toContainEqual([IPC_EVENT, 'alarms.muteRequested', { muted: true }]));
      items().find((i) => i.id === 'auto-start')!.click!();
      expect(electron.state.loginItem).toEqual({ openAtLogin: false, args: ['--hidden'] });

      // Quit from the tray asks, saying monitoring stops; "cancel" keeps it, "quit" quits.
      electron.state.dialogAnswer = 1;
      items().find((i) => i.id === 'quit')!.click!();
      await vi.waitFor(() => expect(electron.state.dialogs).toHaveLength(1));
      expect(electron.state.dialogs[0]!.detail).toMatch(/monitor/i);
      expect(electron.state.quit).toBe(quitsBefore);
      electron.state.dialogAnswer = 0;
      items().find((i) => i.id === 'quit')!.click!();
      await vi.waitFor(() => expect(electron.state.quit).toBe(quitsBefore + 1));
      // Electron then emits before-quit: core stops and the tray goes.
      electron.appEvents.emit('before-quit', { preventDefault: () => undefined });
      await vi.waitFor(() => expect(tray().destroyed).toBe(true));
      await vi.waitFor(() => expect(electron.coreProcesses.every(exited)).toBe(true), { timeout: 10_000 });
    } finally {
      await quitDesktop();
      await shared.close();
      await new Promise((resolve) => setTimeout(resolve, 100));
      data.remove();
    }
  }, 20_000);

  it('starts with --smoke-test: store, core and window up, then stops cleanly and exits 0', async () => {
    vi.resetModules();
    const data = tempDir();
    electron.state.userData = data.path;
    electron.state.exitCode = null;
    writeInstallation(data.path, { mode: 'central', store: 'sqlite' });
    process.argv.push('--smoke-test');
    try {
      const { startDesktop } = await import('../../src-main/electron/app');
      await startDesktop();
      const window = electron.windows.at(-1)!;
      expect(window.visible()).toBe(false);
      expect(electron.state.exitCode).toBeNull();
      window.contents.emit('did-finish-load');
      await vi.waitFor(() => expect(electron.state.exitCode).toBe(0), { timeout: 10_000 });
      // The store core opened is there, migrated, and core stopped with the app.
      expect(existsSync(join(data.path, STORE_FILE))).toBe(true);
      expect(electron.coreProcesses.every(exited)).toBe(true);
    } finally {
      await quitDesktop();
      process.argv.splice(process.argv.indexOf('--smoke-test'), 1);
      data.remove();
    }
  });
});
