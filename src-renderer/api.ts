import { BRIDGE_KEY } from '../src-shared/contract/bridge';
import type { PreloadBridge } from '../src-shared/contract/bridge';
import { createContractClient } from '../src-shared/contract/client';
import type { ClientTransport, ContractClient } from '../src-shared/contract/client';
import { createWebSocketTransport } from '../src-shared/contract/websocket-client';
import type { ConnectionState } from '../src-shared/contract/websocket-client';
import { sessionToken } from './session-token';

declare global {
  interface Window {
    [BRIDGE_KEY]?: PreloadBridge;
  }
}

export interface Connection {
  readonly client: ContractClient;
  /** Electron's IPC is always up; the socket can drop and come back. */
  onStateChange(listener: (state: ConnectionState) => void): () => void;
  state(): ConnectionState;
}

/** A dropped socket is tried again quickly: a control room must not wait long after a restart of the central. */
const MAX_RECONNECT_DELAY_MS = 2000;

/** Inside Electron the preload bridge is there; in a browser we talk to the headless runner's socket. */
export function connect(): Connection {
  const bridge = window[BRIDGE_KEY];
  if (bridge) {
    const transport: ClientTransport = {
      call: (channel, input) => bridge.invoke(channel, input),
      subscribe: (listener) => bridge.subscribe(listener),
    };
    return { client: createContractClient(transport), onStateChange: () => () => undefined, state: () => 'open' };
  }
  const stateListeners = new Set<(state: ConnectionState) => void>();
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  const transport = createWebSocketTransport({
    url,
    create: (target) => new WebSocket(target),
    setTimer: (callback, delayMs) => window.setTimeout(callback, delayMs),
    maxReconnectDelayMs: MAX_RECONNECT_DELAY_MS,
    onStateChange: (state) => stateListeners.forEach((l) => l(state)),
    // Each socket starts logged out in main: take this tab's session back before anything else.
    handshake: async (call) => {
      const token = sessionToken.get();
      if (!token) return;
      const resumed = await call('auth.resume', { token });
      if (!resumed.ok) sessionToken.lost();
    },
  });
  return {
    client: createContractClient(transport),
    onStateChange(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    state: () => transport.state(),
  };
}
