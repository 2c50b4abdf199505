import WebSocket from 'ws';
import { createContractClient } from '../../src-shared/contract/client';
import type { ContractClient } from '../../src-shared/contract/client';
import { createWebSocketTransport } from '../../src-shared/contract/websocket-client';
import { startCentral } from '../../src-main/headless/runner';
import type { RunningCentral } from '../../src-main/headless/runner';
import { quietLogger } from './central';
import { APP_ROOT } from './temp';

/**
 * Typed clients of a running server over its real WebSocket, as another
 * console or a script would connect: a second, independent look at what the
 * UI did. `close` ends them all.
 */
export function apiClients(serverUrl: string) {
  const closers: Array<() => void> = [];
  return {
    connect(): ContractClient {
      const transport = createWebSocketTransport({
        url: `${serverUrl.replace(/^http/, 'ws')}ws`,
        create: (url) => new WebSocket(url),
        setTimer: (callback, ms) => setTimeout(callback, ms),
      });
      closers.push(() => transport.close());
      return createContractClient(transport);
    },
    close(): void {
      closers.splice(0).forEach((close) => close());
    },
  };
}

/** The headless runner in this process, without sweeps, on a free port of 127.0.0.1. */
export function startQuietRunner(dataDir: string): Promise<RunningCentral> {
  return startCentral({
    appRoot: APP_ROOT,
    dataDir,
    host: '127.0.0.1',
    port: 0,
    demo: false,
    monitor: false,
    logger: quietLogger,
  });
}
