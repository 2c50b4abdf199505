import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { ChannelName, Channels, EventName } from '../src-shared/contract/channels';
import type { ContractClient } from '../src-shared/contract/client';
import type { InputOf, OutputOf } from '../src-shared/contract/define';
import { ContractCallError } from '../src-shared/contract/errors';
import type { Connection } from './api';

const ClientContext = createContext<ContractClient | null>(null);

const forbiddenListeners = new Set<() => void>();
/** Told whenever main refuses a screen's query: the session may have been locked or closed. */
export function onForbidden(listener: () => void): () => void {
  forbiddenListeners.add(listener);
  return () => forbiddenListeners.delete(listener);
}

export function ClientProvider({ connection, children }: { connection: Connection; children: ReactNode }) {
  return <ClientContext.Provider value={connection.client}>{children}</ClientContext.Provider>;
}

export function useClient(): ContractClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient outside ClientProvider');
  return client;
}

export interface Query<T> {
  readonly data: T | undefined;
  readonly error: ContractCallError | null;
  readonly loading: boolean;
  reload(): void;
}

/**
 * Loads one channel's answer and loads it again whenever one of `refreshOn`
 * is pushed by main, so every open screen follows changes without polling.
 */
export function useQuery<K extends ChannelName>(
  channel: K,
  input: InputOf<Channels[K]>,
  refreshOn: readonly EventName[],
  /** Events that reload at most once per `minIntervalMs` (heavy queries fed by frequent events). */
  throttled?: { readonly events: readonly EventName[]; readonly minIntervalMs: number },
): Query<OutputOf<Channels[K]>> {
  const client = useClient();
  const [data, setData] = useState<OutputOf<Channels[K]>>();
  const [error, setError] = useState<ContractCallError | null>(null);
  const [loading, setLoading] = useState(true);
  const [version, setVersion] = useState(0);
  const key = JSON.stringify(input);
  const latest = useRef(0);

  useEffect(() => {
    const ticket = ++latest.current;
    setLoading(true);
    client.call(channel, JSON.parse(key) as InputOf<Channels[K]>).then(
      (value) => {
        if (ticket !== latest.current) return;
        setData(value);
        setError(null);
        setLoading(false);
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
      },
    );
  }, [client, channel, key, version]);

  const events = refreshOn.join(',');
  useEffect(() => {
    const reload = () => setVersion((v) => v + 1);
    const offs = (events ? (events.split(',') as EventName[]) : []).map((name) => client.on(name, reload));
    return () => offs.forEach((off) => off());
  }, [client, events]);

  const slowEvents = throttled?.events.join(',') ?? '';
  const minReloadIntervalMs = throttled?.minIntervalMs ?? 0;
  useEffect(() => {
    let lastReload = 0;
    let timer: number | undefined;
    const reload = () => {
      const wait = lastReload + minReloadIntervalMs - Date.now();
      if (wait <= 0) {
        lastReload = Date.now();
        setVersion((v) => v + 1);
      } else if (timer === undefined) {
        timer = window.setTimeout(() => {
          timer = undefined;
          lastReload = Date.now();
          setVersion((v) => v + 1);
        }, wait);
      }
    };
    const offs = (slowEvents ? (slowEvents.split(',') as EventName[]) : []).map((name) => client.on(name, reload));
    return () => {
      offs.forEach((off) => off());
      window.clearTimeout(timer);
    };
  }, [client, slowEvents, minReloadIntervalMs]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { data, error, loading, reload };
}
