import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { ChannelName, Channels, EventName } from '../src-shared/contract/channels';
import type { ContractClient } from '../src-shared/contract/client';
import type { InputOf, OutputOf } from '../src-shared/contract/define';
import { ContractCallError } from '../src-shared/contract/errors';
import type { ConnectionState } from '../src-shared/contract/websocket-client';
import type { Connection } from './api';

interface ClientState {
  readonly client: ContractClient;
  readonly connectionState: ConnectionState;
  /** Goes up each time the connection comes back: everything shown is loaded again. */
  readonly generation: number;
}

const ClientContext = createContext<ClientState | null>(null);

const forbiddenListeners = new Set<() => void>();
/** Told whenever main refuses a screen's query: the session may have been locked or closed. */
export function onForbidden(listener: () => void): () => void {
  forbiddenListeners.add(listener);
  return () => forbiddenListeners.delete(listener);
}

export function ClientProvider({ connection, children }: { connection: Connection; children: ReactNode }) {
  const [connectionState, setConnectionState] = useState<ConnectionState>(() => connection.state());
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let wasOpen = connection.state() === 'open';
    // The socket may have opened between the first render and this subscription.
    setConnectionState(connection.state());
    return connection.onStateChange((state) => {
      setConnectionState(state);
      if (state === 'open' && !wasOpen) setGeneration((g) => g + 1);
      wasOpen = state === 'open';
    });
  }, [connection]);
  return (
    <ClientContext.Provider value={{ client: connection.client, connectionState, generation }}>
      {children}
    </ClientContext.Provider>
  );
}

function useClientState(): ClientState {
  const state = useContext(ClientContext);
  if (!state) throw new Error('useClient outside ClientProvider');
  return state;
}

export function useClient(): ContractClient {
  return useClientState().client;
}

/** Whether main can be reached now, and how many times it came back. */
export function useConnection(): { state: ConnectionState; generation: number } {
  const { connectionState, generation } = useClientState();
  return { state: connectionState, generation };
}

export interface Query<T> {
  readonly data: T | undefined;
  readonly error: ContractCallError | null;
  readonly loading: boolean;
  reload(): void;
}

/** Events arriving close together cause one reload, never one per event. */
const COALESCE_MS = 150;

/**
 * Loads one channel's answer, and loads it again when one of `refreshOn` is
 * pushed by main, or one of `throttled.events` (heavy queries fed by frequent
 * events: no more often than `minIntervalMs`), and whenever the connection
 * comes back. At most one load is in flight and bursts of events cause one
 * reload. Every open screen follows changes without polling.
 */
export function useQuery<K extends ChannelName>(
  channel: K,
  input: InputOf<Channels[K]>,
  refreshOn: readonly EventName[],
  throttled?: { readonly events: readonly EventName[]; readonly minIntervalMs: number },
): Query<OutputOf<Channels[K]>> {
  const { client, generation } = useClientState();
  const [data, setData] = useState<OutputOf<Channels[K]>>();
  const [error, setError] = useState<ContractCallError | null>(null);
  const [loading, setLoading] = useState(true);
  const [version, setVersion] = useState(0);
  const key = JSON.stringify(input);
  const latest = useRef(0);
  const schedule = useRef({ inFlight: false, dirty: false, timer: undefined as number | undefined, lastAt: 0 });

  const bump = useCallback(() => setVersion((v) => v + 1), []);
  const requestReload = useCallback(
    (minIntervalMs = 0) => {
      const s = schedule.current;
      if (s.inFlight) {
        s.dirty = true;
        return;
      }
      if (s.timer !== undefined) return;
      const wait = Math.max(COALESCE_MS, s.lastAt + minIntervalMs - Date.now());
      s.timer = window.setTimeout(() => {
        s.timer = undefined;
        bump();
      }, wait);
    },
    [bump],
  );

  useEffect(() => {
    const ticket = ++latest.current;
    const s = schedule.current;
    s.inFlight = true;
    s.lastAt = Date.now();
    setLoading(true);
    const settle = () => {
      s.inFlight = false;
      if (s.dirty) {
        s.dirty = false;
        requestReload();
      }
    };
    client.call(channel, JSON.parse(key) as InputOf<Channels[K]>).then(
      (value) => {
        if (ticket !== latest.current) return;
        setData(value);
        setError(null);
        setLoading(false);
        settle();
      },
      (reason: unknown) => {
        if (ticket !== latest.current) return;
        if (reason instanceof ContractCallError && reason.error.kind === 'forbidden')
          forbiddenListeners.forEach((l) => l());
        setError(
          reason instanceof ContractCallError
            ? reason
            : new ContractCallError(channel, { kind: 'internal', message: String(reason) }),
        );
        setLoading(false);
        settle();
      },
    );
  }, [client, channel, key, version, generation, requestReload]);

  const events = refreshOn.join(',');
  const slowEvents = throttled?.events.join(',') ?? '';
  const minIntervalMs = throttled?.minIntervalMs ?? 0;
  useEffect(() => {
    const names = (list: string) => (list ? (list.split(',') as EventName[]) : []);
    const offs = [
      ...names(events).map((name) => client.on(name, () => requestReload())),
      ...names(slowEvents).map((name) => client.on(name, () => requestReload(minIntervalMs))),
    ];
    const s = schedule.current;
    return () => {
      offs.forEach((off) => off());
      window.clearTimeout(s.timer);
      s.timer = undefined;
    };
  }, [client, events, slowEvents, minIntervalMs, requestReload]);

  return { data, error, loading, reload: bump };
}
