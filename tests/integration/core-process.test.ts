import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallResult } from '../../src-shared/contract/errors';
import { CoreSupervisor } from '../../src-main/core/host/supervisor';
import type { CoreState } from '../../src-main/core/host/supervisor';
import type { CoreLaunch } from '../../src-main/core/host/protocol';
import type { Logger } from '../../src-main/core/runtime';
import { systemClock } from '../../src-main/core/runtime';
import { nodeCoreSpawner } from '../helpers/core-child';
import { ADMIN_PASSWORD } from '../helpers/seed';
import { SQLITE_MIGRATIONS, tempDir } from '../helpers/temp';

const WINDOW = 7;
const logged: string[] = [];
const logger: Logger = {
  error: (message) => logged.push(`error ${message}`),
  warn: (message) => logged.push(`warn ${message}`),
  info: (message) => logged.push(`info ${message}`),
};

function centralLaunch(folder: string): CoreLaunch {
  return {
    kind: 'instance',
    mode: 'central',
    store: { dialect: 'sqlite', file: join(folder, 'vigia.db'), migrationsFolder: SQLITE_MIGRATIONS },
    exportsFolder: join(folder, 'exports'),
    agentSync: null,
  };
}

function valueOf<T>(result: CallResult<unknown>): T {
  if (!result.ok) throw new Error(`call failed: ${result.error.message}`);
  return result.value as T;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  logged.length = 0;
});

function supervise(launch: CoreLaunch, backoffMs = [200, 400], callWaitMs = 20_000) {
  const spawner = nodeCoreSpawner();
  const supervisor = new CoreSupervisor({
    spawn: spawner.spawn,
    launch,
    logger,
    clock: systemClock,
    backoffMs,
    callWaitMs,
    persist: () => Promise.reject(new Error('not in this test')),
  });
  const states: CoreState[] = [];
  supervisor.onState((state) => states.push(state));
  cleanups.push(async () => {
    await supervisor.stop();
    for (const child of spawner.processes)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { supervisor, states, processes: spawner.processes };
}

describe('core in a process of its own', () => {
  it('comes back after a crash: the crash is logged and told, the window resumes its session, nothing stored is lost', async () => {
    const folder = tempDir();
    cleanups.push(folder.remove);
    const { supervisor, states, processes } = supervise(centralLaunch(folder.path));
    const events: string[] = [];
    supervisor.onEvent((connection, name) => events.push(`${connection}:${name}`));
    supervisor.connect(WINDOW);
    supervisor.start();
    await supervisor.ready();

    const signedIn = valueOf<{ resumeToken: string }>(
      await supervisor.call(WINDOW, 'auth.setup', {
        username: 'admin',
        displayName: 'Admin',
        password: ADMIN_PASSWORD,
      }),
    );
    valueOf(
      await supervisor.call(WINDOW, 'areas.create', { code: 'ITA', name: 'Itaguaí', timeZone: 'America/Sao_Paulo' }),
    );
    // Events reach the window that made the change, through main.
    await expect.poll(() => events).toContain(`${WINDOW}:areas.changed`);

    const first = processes[0]!;
    first.kill('SIGKILL');
    await expect.poll(() => states.map((s) => s.kind)).toContain('restarting');
    const crash = states.find((s) => s.kind === 'restarting');
    expect(crash).toMatchObject({ reason: expect.stringContaining('stopped unexpectedly') as string, attempt: 1 });
    expect(logged.some((line) => line.startsWith('error core stopped unexpectedly'))).toBe(true);

    // A call made while core is down waits for it instead of failing.
    const whileDown = supervisor.call(WINDOW, 'auth.status', {});
    await supervisor.ready();
    expect(processes).toHaveLength(2);
    expect(valueOf<{ user: unknown }>(await whileDown).user).toBeNull();

    // The session lived in the dead process; the window's resume token brings it back.
    valueOf(await supervisor.call(WINDOW, 'auth.resume', { token: signedIn.resumeToken }));
    const areas = valueOf<Array<{ code: string }>>(await supervisor.call(WINDOW, 'areas.list', {}));
    expect(areas.map((a) => a.code)).toEqual(['ITA']);
  });

  it('answers a call that was in flight when core died with the reason, never silently', async () => {
    const folder = tempDir();
    cleanups.push(folder.remove);
    const { supervisor, processes } = supervise(centralLaunch(folder.path));
    supervisor.connect(WINDOW);
    supervisor.start();
    await supervisor.ready();
    // The export is slow enough to be in flight when the process is killed.
    const inFlight = supervisor.exportBi(join(folder.path, 'out'));
    processes[0]!.kill('SIGKILL');
    const answer = await inFlight;
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(answer.error.message).toMatch(/stopped unexpectedly.*effect is unknown/);
  });

  it('keeps retrying, ever more slowly, while its store cannot be opened, saying why', async () => {
    const { supervisor, states } = supervise(
      {
        kind: 'instance',
        mode: 'central',
        store: {
          dialect: 'sqlite',
          file: '/proc/vigia-cannot-be-here/vigia.db',
          migrationsFolder: SQLITE_MIGRATIONS,
        },
        exportsFolder: '/tmp',
        agentSync: null,
      },
      [100, 300],
      500,
    );
    supervisor.start();
    await expect
      .poll(() => states.filter((s) => s.kind === 'restarting').length, { timeout: 15_000 })
      .toBeGreaterThanOrEqual(3);
    const retries = states.filter((s): s is Extract<CoreState, { kind: 'restarting' }> => s.kind === 'restarting');
    expect(retries.map((r) => r.retryInMs).slice(0, 3)).toEqual([100, 300, 300]);
    expect(retries[0]!.reason).toMatch(/vigia-cannot-be-here|ENOENT|directory/i);
    // A window asking meanwhile waits a while, then is told core is not running, and why.
    const answer = await supervisor.call(WINDOW, 'auth.status', {});
    expect(answer.ok).toBe(false);
    if (!answer.ok)
      expect(answer.error.message).toMatch(/core is not running: .*(vigia-cannot-be-here|ENOENT|directory)/i);
  });
});
