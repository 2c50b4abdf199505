import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { ChannelName, Channels, EventName } from '../src-shared/contract/channels';
import type { ContractClient } from '../src-shared/contract/client';
import type { InputOf, OutputOf } from '../src-shared/contract/define';
import { ContractCallError } from '../src-shared/contract/errors';
import type { ConnectionState } from '../src-shared/contract/websocket-client';
import type { Connection } from './api';

/** What the screen may claim: 'refreshing' while what it shows is being reloaded after a reconnection. */
export type DisplayState = ConnectionState | 'refreshing';

interface ClientState {
  readonly client: ContractClient;
  readonly connectionState: DisplayState;
  /** Goes up each time the connection comes back: everything shown is loaded again. */
  readonly generation: number;
  /** Queries reloading because the connection came back report here, so 'open' is claimed only once they are done. */
  readonly reloads: { begin(): void; end(): void };
  /** On the desktop: when core last stopped unexpectedly (it was restarted). */
  readonly coreRestartedAt: number | null;
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
  const [coreRestartedAt, setCoreRestartedAt] = useState<number | null>(() => connection.coreRestartedAt());
  const [generation, setGeneration] = useState(0);
  const [settledGeneration, setSettledGeneration] = useState(0);
  const pendingReloads = useRef(0);
  const generationRef = useRef(0);
  const reloads = useMemo(
    () => ({
      begin: () => {
        pendingReloads.current++;
      },
      end: () => {
        pendingReloads.current--;
        if (pendingReloads.current === 0) setSettledGeneration(generationRef.current);
      },
    }),
    [],
  );
  // Parents' effects run after their children's: by now every query has begun its reload, or none needed one.
  useEffect(() => {
    generationRef.current = generation;
    if (pendingReloads.current === 0) setSettledGeneration(generation);
  }, [generation]);
  useEffect(() => {
    let wasOpen = connection.state() === 'open';
    // The socket may have opened between the first render and this subscription.
    setConnectionState(connection.state());
    return connection.onStateChange((state) => {
      setConnectionState(state);
      setCoreRestartedAt(connection.coreRestartedAt());
      if (state === 'open' && !wasOpen) setGeneration((g) => g + 1);
      wasOpen = state === 'open';
    });
  }, [connection]);
  // Old data under "connected" would be a lie: until everything shown is reloaded, the screen says it is refreshing.
  const shown: DisplayState =
    connectionState === 'open' && settledGeneration !== generation ? 'refreshing' : connectionState;
  return (
    <ClientContext.Provider
      value={{ client: connection.client, connectionState: shown, generation, reloads, coreRestartedAt }}
    >
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

/** Whether main can be reached now (and what is shown is current), how many times it came back, and when core last restarted. */
export function useConnection(): { state: DisplayState; generation: number; coreRestartedAt: number | null } {
  const { connectionState, generation, coreRestartedAt } = useClientState();
  return { state: connectionState, generation, coreRestartedAt };
}

export interface Query<T> {
  readonly data: T | undefined;
  readonly error: ContractCallError | null;
  readonly loading: boolean;
  reload(): void;
}

/** Events arriving close together are coalesced: never one reload per event. */
const COALESCE_MS = 150;

/**
 * Loads one channel's answer, and loads it again when one of `refreshOn` is
 * pushed by main, or one of `throttled.events` (heavy queries fed by frequent
 * events: no more often than `minIntervalMs`), and whenever the connection
 * comes back. At most one load is in flight; the first event after a quiet
 * spell loads at once and the rest of a burst at most once more. Every open
 * screen follows changes without polling.
 */
export function useQuery<K extends ChannelName>(
  channel: K,
  input: InputOf<Channels[K]>,
  refreshOn: readonly EventName[],
  throttled?: { readonly events: readonly EventName[]; readonly minIntervalMs: number },
): Query<OutputOf<Channels[K]>> {
  const { client, generation, reloads } = useClientState();
  const loadedGeneration = useRef(generation);
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
      // The first event after a quiet spell reloads at once (a fall must show now); the rest of a burst
      // waits out the window, so a burst costs at most two loads.
      const now = Date.now();
      const quietFor = now - s.lastAt;
      const wait = Math.max(quietFor >= COALESCE_MS ? 0 : COALESCE_MS - quietFor, s.lastAt + minIntervalMs - now);
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
    // A load caused by a reconnection keeps the screen from claiming it is live until it is done.
    let reconnecting = loadedGeneration.current !== generation;
    loadedGeneration.current = generation;
    if (reconnecting) reloads.begin();
    const done = () => {
      if (!reconnecting) return;
      reconnecting = false;
      reloads.end();
    };
    const settle = () => {
      done();
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
    // Superseded before it answered (the screen changed its question): it no longer holds the screen back.
    return done;
  }, [client, channel, key, version, generation, requestReload, reloads]);

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
