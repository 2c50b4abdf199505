import { BRIDGE_KEY, CORE_STATE_EVENT } from '../src-shared/contract/bridge';
import type { CoreStateNotice, PreloadBridge } from '../src-shared/contract/bridge';
import type { CallResult } from '../src-shared/contract/errors';
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
  /** On the desktop: when core, a process of its own, last stopped unexpectedly and was restarted. */
  coreRestartedAt(): number | null;
}

/** A dropped socket is tried again quickly: a control room must not wait long after a restart of the central. */
const MAX_RECONNECT_DELAY_MS = 2000;

/** The connection's session is taken back with this tab's token, after a reconnection or a restart of core. */
async function takeSessionBack(call: (channel: string, input: unknown) => Promise<CallResult<unknown>>) {
  const token = sessionToken.get();
  if (!token) return;
  const resumed = await call('auth.resume', { token });
  if (!resumed.ok) sessionToken.lost();
}

/** Inside Electron the preload bridge is there; in a browser we talk to the headless runner's socket. */
export function connect(): Connection {
  const bridge = window[BRIDGE_KEY];
  if (bridge) return desktopConnection(bridge);
  const stateListeners = new Set<(state: ConnectionState) => void>();
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  const transport = createWebSocketTransport({
    url,
    create: (target) => new WebSocket(target),
    setTimer: (callback, delayMs) => window.setTimeout(callback, delayMs),
    maxReconnectDelayMs: MAX_RECONNECT_DELAY_MS,
    onStateChange: (state) => stateListeners.forEach((l) => l(state)),
    // Each socket starts logged out in main: take this tab's session back before anything else.
    handshake: takeSessionBack,
  });
  return {
    client: createContractClient(transport),
    onStateChange(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    state: () => transport.state(),
    coreRestartedAt: () => null,
  };
}

/**
 * The desktop's IPC is always there, but core behind it may be restarting
 * after a crash: main says so, the screen shows it is reconnecting, and once
 * core is back the window takes its session back before saying it is live.
 */
function desktopConnection(bridge: PreloadBridge): Connection {
  const stateListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = 'open';
  let restartedAt: number | null = null;
  const setState = (next: ConnectionState) => {
    state = next;
    stateListeners.forEach((l) => l(next));
  };
  bridge.subscribe((name, payload) => {
    if (name !== CORE_STATE_EVENT) return;
    const notice = payload as CoreStateNotice;
    restartedAt = notice.crashedAt;
    if (!notice.running) setState('connecting');
    else if (state !== 'open')
      void takeSessionBack((channel, input) => bridge.invoke(channel, input)).finally(() => setState('open'));
  });
  const transport: ClientTransport = {
    call: (channel, input) => bridge.invoke(channel, input),
    subscribe: (listener) => bridge.subscribe((name, payload) => name !== CORE_STATE_EVENT && listener(name, payload)),
  };
  return {
    client: createContractClient(transport),
    onStateChange(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    state: () => state,
    coreRestartedAt: () => restartedAt,
  };
}
