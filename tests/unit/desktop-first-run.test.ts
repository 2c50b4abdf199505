import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SafeStorage } from 'electron';
import { CORE_STATE_EVENT, IPC_CALL } from '../../src-shared/contract/bridge';
import { CONFIG_FILE, readInstallation, writeInstallation } from '../../src-main/core/setup/installation';
import { STORE_FILE } from '../../src-main/core/paths';
import { electron, exited, quitDesktop } from '../helpers/electron-fake';
import { createTestDatabase, MSSQL_URL } from '../helpers/mssql';
import { ADMIN_PASSWORD } from '../helpers/seed';
import { APP_ROOT, tempDir } from '../helpers/temp';

vi.mock('electron', async () => (await import('../helpers/electron-fake')).electronModule());
vi.mock('electron-store', async () => (await import('../helpers/electron-fake')).electronStoreModule());

const LISTEN_FLAG = '--agent-listen=127.0.0.1:0';
beforeAll(async () => {
  process.argv.push(LISTEN_FLAG);
  // The mocked module is made once, from the fake this file imported; later module resets keep it.
  await import('electron');
});
afterAll(() => void process.argv.splice(process.argv.indexOf(LISTEN_FLAG), 1));

/** Every file under a folder, read as bytes: where a secret must never be found in plain text. */
function everyFileIn(folder: string): Array<{ file: string; bytes: Buffer }> {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((name) => join(folder, name))
    .filter((file) => statSync(file).isFile())
    .map((file) => ({ file, bytes: readFileSync(file) }));
}

/** Starts the desktop app on a userData folder and returns a caller acting as its window's page. */
async function startOn(userData: string) {
  vi.resetModules();
  electron.state.userData = userData;
  electron.state.lock = true;
  electron.handlers.clear();
  const { startDesktop } = await import('../../src-main/electron/app');
  await startDesktop();
  const window = electron.windows.at(-1)!;
  const mainFrame = { url: pathToFileURL(join(APP_ROOT, 'dist', 'renderer', 'index.html')).href };
  const event = { sender: Object.assign(window.contents, { mainFrame }), senderFrame: mainFrame };
  const call = (channel: string, input: unknown) =>
    electron.handlers.get(IPC_CALL)!(event, channel, input) as Promise<{
      ok: boolean;
      value?: unknown;
      error?: unknown;
    }>;
  return { window, call };
}

describe('the desktop app on its first run', () => {
  it('opens on the wizard; a central on the embedded store is saved and core restarts as it, the window told', async () => {
    const data = tempDir();
    try {
      const { window, call } = await startOn(data.path);
      expect(await call('setup.status', {})).toEqual({ ok: true, value: { needed: true, mode: null } });
      // Nothing else answers until the copy knows what it is.
      expect(await call('auth.status', {})).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
      expect(await call('setup.save', { mode: 'central', store: 'sqlite' })).toEqual({ ok: true, value: { ok: true } });
      expect(JSON.parse(readFileSync(join(data.path, CONFIG_FILE), 'utf8'))).toEqual({
        mode: 'central',
        store: 'sqlite',
      });
      // Core goes down and comes back as a central: the window hears both, and its calls wait meanwhile.
      const notices = () => window.sent.filter((m) => m[1] === CORE_STATE_EVENT).map((m) => m[2]);
      await vi.waitFor(() => expect(notices()).toContainEqual({ running: false, crashedAt: null }), { timeout: 5_000 });
      const down = notices().findIndex((n) => (n as { running: boolean }).running === false);
      await vi.waitFor(() => expect(notices().slice(down)).toContainEqual({ running: true, crashedAt: null }), {
        timeout: 15_000,
      });
      expect(await call('auth.status', {})).toMatchObject({ ok: true, value: { needsSetup: true } });
      expect(existsSync(join(data.path, STORE_FILE))).toBe(true);
      expect(electron.coreProcesses.filter((c) => !exited(c))).toHaveLength(1);
    } finally {
      expect(await quitDesktop()).toBe(0);
      data.remove();
    }
  }, 30_000);

  it('restarts core after a crash and tells every window when it went down', async () => {
    const data = tempDir();
    writeInstallation(data.path, { mode: 'central', store: 'sqlite' });
    try {
      const { window, call } = await startOn(data.path);
      const signedIn = (await call('auth.setup', { username: 'chefe', displayName: 'Chefe', password: ADMIN_PASSWORD }))
        .value as { resumeToken: string };
      electron.coreProcesses.at(-1)!.kill('SIGKILL');
      await vi.waitFor(
        () => {
          const notices = window.sent
            .filter((m) => m[1] === CORE_STATE_EVENT)
            .map((m) => m[2] as { running: boolean; crashedAt: number | null });
          expect(notices.at(-1)).toMatchObject({ running: true, crashedAt: expect.any(Number) as number });
        },
        { timeout: 15_000 },
      );
      // The session was core's: the window takes it back with its token.
      expect(await call('auth.resume', { token: signedIn.resumeToken })).toMatchObject({ ok: true });
      expect(await call('areas.list', {})).toEqual({ ok: true, value: [] });
    } finally {
      expect(await quitDesktop()).toBe(0);
      data.remove();
    }
  }, 30_000);
});

describe('the desktop app with nobody logged in', () => {
  it('runs core without a window or a tray with --headless, and stops it cleanly when told', async () => {
    const data = tempDir();
    writeInstallation(data.path, { mode: 'central', store: 'sqlite' });
    const windowsBefore = electron.windows.length;
    const trayBefore = electron.state.tray;
    electron.state.exitCode = null;
    process.argv.push('--headless');
    try {
      vi.resetModules();
      electron.state.userData = data.path;
      const { startDesktop } = await import('../../src-main/electron/app');
      await startDesktop();
      await vi.waitFor(() => expect(existsSync(join(data.path, STORE_FILE))).toBe(true), { timeout: 10_000 });
      expect(electron.windows.length).toBe(windowsBefore);
      expect(electron.state.tray).toBe(trayBefore);
      // Windows' shutdown (or the task's end) asks to quit: core stops, then the app exits 0.
      electron.appEvents.emit('before-quit', { preventDefault: () => undefined });
      await vi.waitFor(() => expect(electron.state.exitCode).toBe(0), { timeout: 10_000 });
      expect(electron.coreProcesses.filter((c) => !exited(c))).toEqual([]);
    } finally {
      process.argv.splice(process.argv.indexOf('--headless'), 1);
      await quitDesktop();
      data.remove();
    }
  }, 30_000);
});

describe('secrets on the desktop', () => {
  it('go through safeStorage: the files written hold neither the key nor the password in plain text', async () => {
    const { safeStorage } = (await import('electron')) as unknown as { safeStorage: SafeStorage };
    const { osSecrets, ENCRYPTED_SECRETS_FILE } = await import('../../src-main/electron/secrets');
    const data = tempDir();
    try {
      const key = 'agent-key-0123456789-abcdef';
      const agent = {
        mode: 'agent' as const,
        central: 'https://central.example:7374',
        area: 'ITA',
        key,
        fingerprint: Array.from({ length: 32 }, () => 'AB').join(':'),
      };
      writeInstallation(data.path, agent, osSecrets(safeStorage, 'win32'));
      const written = everyFileIn(data.path);
      expect(written.map((w) => w.file.slice(data.path.length + 1)).sort()).toEqual(
        [ENCRYPTED_SECRETS_FILE, CONFIG_FILE].sort(),
      );
      for (const { file, bytes } of written) {
        expect(bytes.includes(Buffer.from(key)), file).toBe(false);
        expect(bytes.includes(Buffer.from(key, 'utf16le')), file).toBe(false);
      }
      if (process.platform !== 'win32')
        expect(statSync(join(data.path, ENCRYPTED_SECRETS_FILE)).mode & 0o777).toBe(0o600);
      // Read back through the same OS encryption, the configuration is whole again.
      expect(readInstallation(data.path, osSecrets(safeStorage, 'win32'))).toEqual(agent);
    } finally {
      data.remove();
    }
  });

  it('are refused, and nothing written, where the OS offers no real encryption', async () => {
    const { safeStorage } = (await import('electron')) as unknown as { safeStorage: SafeStorage };
    const { osSecrets } = await import('../../src-main/electron/secrets');
    const data = tempDir();
    electron.state.encryption = { available: true, backend: 'basic_text' };
    try {
      const console = {
        mode: 'console' as const,
        store: 'mssql' as const,
        url: 'mssql://vigia@sql/vigia',
        password: 'S3nha-forte!',
      };
      expect(() => writeInstallation(data.path, console, osSecrets(safeStorage, 'linux'))).toThrow(
        /no encryption for secrets/,
      );
      expect(readdirSync(data.path)).toEqual([]);
      // The embedded central has no secret to keep: it is saved anyway.
      writeInstallation(data.path, { mode: 'central', store: 'sqlite' }, osSecrets(safeStorage, 'linux'));
      expect(readInstallation(data.path, osSecrets(safeStorage, 'linux'))).toEqual({
        mode: 'central',
        store: 'sqlite',
      });
    } finally {
      electron.state.encryption = { available: true, backend: 'gnome_libsecret' };
      data.remove();
    }
  });

  // Where a SQL Server is at hand (the Babelfish stand-in under .ci/run, SQL Server 2022 in GitHub Actions).
  it.skipIf(!MSSQL_URL)(
    "the wizard's SQL Server password is sealed by the OS, and core runs as a console over it",
    async () => {
      const database = await createTestDatabase();
      const data = tempDir();
      try {
        const address = new URL(MSSQL_URL!);
        const password = decodeURIComponent(address.password);
        address.password = '';
        address.pathname = `/${database.connection.database}`;
        const { call } = await startOn(data.path);
        const saved = await call('setup.save', { mode: 'console', store: 'mssql', url: address.href, password });
        expect(saved).toEqual({ ok: true, value: { ok: true } });
        // Core restarts as a console over that SQL Server, the password handed to it in memory.
        await vi.waitFor(
          async () =>
            expect(await call('setup.status', {})).toEqual({ ok: true, value: { needed: false, mode: 'console' } }),
          { timeout: 30_000, interval: 300 },
        );
        expect(await call('auth.status', {})).toMatchObject({ ok: true, value: { needsSetup: true } });
        for (const { file, bytes } of everyFileIn(data.path)) {
          expect(bytes.includes(Buffer.from(password)), file).toBe(false);
        }
      } finally {
        expect(await quitDesktop()).toBe(0);
        data.remove();
        await database.drop();
      }
    },
    90_000,
  );
});
