import { ContractServer, consoleLogger } from './contract/server';
import type { HandlerMap, Logger } from './contract/server';
import { areaHandlers } from './handlers/areas';
import type { HandlerContext } from './handlers/context';
import { deviceHandlers } from './handlers/devices';
import type { Store } from './store/port';

export interface CentralOptions {
  readonly store: Store;
  readonly logger?: Logger;
}

export interface Central {
  readonly server: ContractServer;
  readonly store: Store;
  stop(): Promise<void>;
}

/**
 * The central's core, independent of its shell: the Electron main process and
 * the headless runner both build one of these and attach their transports.
 */
export function createCentral({ store, logger = consoleLogger }: CentralOptions): Central {
  const context: HandlerContext = { store, emit: (name, payload) => server.emit(name, payload) };
  const handlers: HandlerMap = { ...areaHandlers(context), ...deviceHandlers(context) };
  const server = new ContractServer(handlers, logger);
  return {
    server,
    store,
    async stop() {
      await store.close();
    },
  };
}
