import type { ClientTransport } from './client';
import type { CallResult } from './errors';
import type { ServerMessage } from './wire';

/** The part of the WebSocket API used here: the browser's, Node 22's global, or the `ws` package's. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface WebSocketTransportOptions {
  readonly url: string;
  readonly create: (url: string) => WebSocketLike;
  /** src-shared has no timers of its own; the host (browser or Node) lends its setTimeout. */
  readonly setTimer: (callback: () => void, delayMs: number) => unknown;
  /** Reconnect delays grow to this ceiling; a wall display must come back on its own after a restart. */
  readonly maxReconnectDelayMs?: number;
  readonly onStateChange?: (state: ConnectionState) => void;
  /**
   * Runs on every new socket before anything else is sent and before the
   * state says 'open': a client whose session lived on the old socket takes it
   * back here (auth.resume), so no call goes out on a socket that is not yet
   * who the screen thinks it is.
   */
  readonly handshake?: (call: (channel: string, input: unknown) => Promise<CallResult<unknown>>) => Promise<void>;
}

const OPEN = 1;

/**
 * Client side of the socket transport. Calls made while disconnected wait for
 * the connection; calls in flight when it drops fail with `internal`, since
 * main may or may not have applied them and only the caller can decide.
 */
export function createWebSocketTransport(
  options: WebSocketTransportOptions,
): ClientTransport & { close(): void; state(): ConnectionState } {
  const listeners = new Set<(name: string, payload: unknown) => void>();
  const pending = new Map<number, (result: CallResult<unknown>) => void>();
  const waitingForOpen: Array<() => void> = [];
  let nextId = 1;
  let socket: WebSocketLike;
  let closedByUser = false;
  let delay = 250;
  let state: ConnectionState = 'connecting';
  const setState = (next: ConnectionState) => {
    state = next;
    options.onStateChange?.(next);
  };

  const send = (channel: string, input: unknown) => {
    const id = nextId++;
    return new Promise<CallResult<unknown>>((resolve) => {
      pending.set(id, resolve);
      socket.send(JSON.stringify({ type: 'call', id, channel, input }));
    });
  };

  const connect = () => {
    setState('connecting');
    socket = options.create(options.url);
    const mine = socket;
    socket.addEventListener('open', () => {
      delay = 250;
      const ready = () => {
        if (socket !== mine || mine.readyState !== OPEN) return;
        setState('open');
        waitingForOpen.splice(0).forEach((go) => go());
      };
      if (!options.handshake) return ready();
      // A failed handshake still opens: the screen then asks who is logged in and shows the login.
      options.handshake(send).then(ready, ready);
    });
    socket.addEventListener('message', (event) => {
      if (typeof event.data !== 'string') return;
      const message = JSON.parse(event.data) as ServerMessage;
      if (message.type === 'result') {
        pending.get(message.id)?.(message.result);
        pending.delete(message.id);
      } else if (message.type === 'event') {
        listeners.forEach((listener) => listener(message.name, message.payload));
      }
    });
    // A refused or dropped socket also closes, and the close retries; Node's `ws` would throw an unheard error.
    socket.addEventListener('error', () => undefined);
    socket.addEventListener('close', () => {
      setState('closed');
      for (const [id, settle] of pending) {
        settle({ ok: false, error: { kind: 'internal', message: 'connection to Vigia was lost' } });
        pending.delete(id);
      }
      if (closedByUser) return;
      options.setTimer(connect, delay);
      delay = Math.min(delay * 2, options.maxReconnectDelayMs ?? 5000);
    });
  };
  connect();

  const whenOpen = () =>
    state === 'open' && socket.readyState === OPEN
      ? Promise.resolve()
      : new Promise<void>((resolve) => waitingForOpen.push(resolve));

  return {
    async call(channel, input) {
      await whenOpen();
      return send(channel, input);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closedByUser = true;
      socket.close();
    },
    state: () => state,
  };
}
