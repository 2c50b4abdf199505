import type { ClientTransport } from '../../../src-shared/contract/client';
import type { CallResult } from '../../../src-shared/contract/errors';
import type { ContractServer } from '../contract/server';
import type { Connection } from '../contract/connection';

/**
 * Client and server in one process with a serialisation round trip in
 * between, so that what passes here would also pass a real wire. Used by
 * the contract tests and by anything embedding core without a socket.
 */
export function createMemoryTransport(
  server: ContractServer,
  connection: Connection,
): ClientTransport & { close(): void } {
  const wire = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));
  const listeners = new Set<(name: string, payload: unknown) => void>();
  const detach = server.attach({
    connection,
    send: (name, payload) => {
      const copy = wire(payload);
      queueMicrotask(() => listeners.forEach((l) => l(name, copy)));
    },
  });
  return {
    async call(channel, input): Promise<CallResult<unknown>> {
      return wire(await server.dispatch(connection, channel, wire(input)));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: detach,
  };
}
