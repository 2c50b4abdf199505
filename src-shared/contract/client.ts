import { channels } from './channels';
import type { ChannelName, Channels, EventName, Events } from './channels';
import type { InputOf, OutputOf, PayloadOf } from './define';
import { ContractCallError } from './errors';
import type { CallResult } from './errors';

/**
 * What a transport must offer the client: send one call and get its result,
 * and listen to pushed events. Electron IPC, the WebSocket and the in-memory
 * test transport all implement exactly this.
 */
export interface ClientTransport {
  call(channel: string, input: unknown): Promise<CallResult<unknown>>;
  subscribe(listener: (name: string, payload: unknown) => void): () => void;
}

export interface ContractClient {
  call<K extends ChannelName>(channel: K, input: InputOf<Channels[K]>): Promise<OutputOf<Channels[K]>>;
  on<E extends EventName>(event: E, listener: (payload: PayloadOf<Events[E]>) => void): () => void;
}

export function createContractClient(transport: ClientTransport): ContractClient {
  return {
    async call(channel, input) {
      if (!(channel in channels)) throw new Error(`unknown channel ${String(channel)}`);
      const result = await transport.call(channel, input);
      if (!result.ok) throw new ContractCallError(channel, result.error);
      // The output type is the contract's promise; main built the value from the same contract.
      return result.value as OutputOf<Channels[typeof channel]>;
    },
    on(event, listener) {
      return transport.subscribe((name, payload) => {
        if (name === event) listener(payload as PayloadOf<Events[typeof event]>);
      });
    },
  };
}
