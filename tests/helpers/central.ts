import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createContractClient } from '../../src-shared/contract/client';
import type { ContractClient } from '../../src-shared/contract/client';
import { createWebSocketTransport } from '../../src-shared/contract/websocket-client';
import { createCentral } from '../../src-main/core/central';
import type { Central } from '../../src-main/core/central';
import type { PermissionGrid } from '../../src-shared/domain/permissions';
import { hashPassword } from '../../src-main/core/auth/passwords';
import type { ThrottleLimits } from '../../src-main/core/auth/throttle';
import { auditsFor } from './audit';
import type { Logger } from '../../src-main/core/runtime';
import { builtInAdministrator } from '../../src-main/core/contract/session';
import type { Session } from '../../src-main/core/contract/session';
import { Connection } from '../../src-main/core/contract/connection';
import { openSqliteStore } from '../../src-main/core/store/sqlite/sqlite-store';
import { startHttpServer } from '../../src-main/headless/http-server';
import { createMemoryTransport } from '../../src-main/core/transport/memory';
import { ManualClock } from './clock';
import { APP_ROOT, SQLITE_MIGRATIONS, tempDir } from './temp';

export const quietLogger: Logger = { error: () => undefined, warn: () => undefined, info: () => undefined };

/** A central on a fresh SQLite file; `session` decides who every new connection starts as (null: logged out). */
export async function startTestCentral(
  options: {
    session?: () => Session | null;
    logger?: Logger;
    loginThrottle?: ThrottleLimits;
    allowedHosts?: readonly string[];
  } = {},
) {
  const dir = tempDir();
  // A manual clock that starts at the real time, so tests can move it (idle lock) while sockets use real time.
  const clock = new ManualClock(Date.now());
  const store = openSqliteStore({ file: join(dir.path, 'vigia.sqlite'), migrationsFolder: SQLITE_MIGRATIONS, clock });
  const central: Central = await createCentral({
    store,
    clock,
    logger: options.logger ?? quietLogger,
    ...(options.loginThrottle ? { loginThrottle: options.loginThrottle } : {}),
    // As a runner's key file would give it: camera passwords can be saved.
    cameraKey: randomBytes(32),
  });
  const session: () => Session | null = options.session ?? builtInAdministrator;
  return {
    central,
    clock,
    session,
    allowedHosts: options.allowedHosts ?? [],
    logger: options.logger ?? quietLogger,
    async stop() {
      await central.stop();
      dir.remove();
    },
  };
}

export interface ConnectedClient {
  readonly client: ContractClient;
  close(): void;
}

export type TransportKind = 'in-memory' | 'websocket';

/** Opens clients of one transport kind on a test central; everything is closed by `stop`. */
export type TestCentral = Awaited<ReturnType<typeof startTestCentral>>;

export async function transportFor(kind: TransportKind, test: TestCentral) {
  const closers: Array<() => void | Promise<void>> = [];
  let url = '';
  if (kind === 'websocket') {
    const http = await startHttpServer({
      central: test.central,
      staticDir: join(APP_ROOT, 'dist', 'renderer'),
      host: '127.0.0.1',
      port: 0,
      logger: test.logger,
      sessionFor: test.session,
      clock: test.clock,
      allowedHosts: test.allowedHosts,
    });
    url = http.url.replace(/^http/, 'ws') + 'ws';
    closers.push(() => http.close());
  }
  /** A client; over the socket it can come from any loopback address (per-address limits). */
  const connect = (options: { localAddress?: string } = {}): ConnectedClient => {
    const transport =
      kind === 'websocket'
        ? createWebSocketTransport({
            url,
            create: (target) =>
              new WebSocket(target, options.localAddress ? { localAddress: options.localAddress } : {}),
            setTimer: (callback, delayMs) => setTimeout(callback, delayMs),
          })
        : createMemoryTransport(
            test.central.server,
            new Connection(test.session(), test.clock.now(), options.localAddress ?? 'local'),
          );
    closers.push(() => transport.close());
    return { client: createContractClient(transport), close: () => transport.close() };
  };
  return {
    connect,
    url,
    async close() {
      for (const close of closers.reverse()) await close();
    },
  };
}

/** An account made straight in the store of a test central (not an administrator unless asked). */
export async function createTestUser(
  test: TestCentral,
  user: {
    username: string;
    permissions: PermissionGrid;
    allowedAreaIds: number[] | null;
    password: string;
    mustChangePassword?: boolean;
    isAdmin?: boolean;
    displayName?: string;
  },
) {
  return test.central.store.createUser(
    {
      username: user.username,
      displayName: user.displayName ?? user.username,
      isAdmin: user.isAdmin ?? false,
      active: true,
      permissions: user.permissions,
      allowedAreaIds: user.allowedAreaIds,
      passwordHash: await hashPassword(user.password),
      mustChangePassword: user.mustChangePassword ?? false,
    },
    auditsFor(test.central.store, test.clock).user(),
  );
}
