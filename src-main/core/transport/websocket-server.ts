import type { IncomingMessage, Server } from 'node:http';
import { WebSocketServer } from 'ws';
import type { RawData } from 'ws';
import { ClientMessage } from '../../../src-shared/contract/wire';
import type { ServerMessage } from '../../../src-shared/contract/wire';
import type { ContractServer } from '../contract/server';
import { Connection } from '../contract/connection';
import type { Session } from '../contract/session';
import { limitedWarnings } from '../runtime';
import type { Clock, Logger } from '../runtime';
import type { HostCheck } from './host-check';

export const WEBSOCKET_PATH = '/ws';
/** Far above any legitimate call: the largest is a device CSV of 5 MB, sent as base64 (under 7 MB). */
const MAX_FRAME_BYTES = 8 * 1024 * 1024;

export interface WebSocketTransportOptions {
  readonly server: ContractServer;
  readonly logger: Logger;
  /** The session a new connection starts with (null: it must log in); it stays with the connection, never with its messages. */
  readonly sessionFor: (request: IncomingMessage) => Session | null;
  readonly clock: Clock;
  /** The names this server answers to (DNS rebinding: a page of another name must not reach the contract). */
  readonly hosts: HostCheck;
}

/**
 * Carries the contract over a WebSocket for the headless runner (tests, wall
 * displays in a browser). Frames are parsed and checked before anything else
 * sees them. A handshake must name this server (Host) and, from a browser,
 * come from a page of this server (Origin): a malicious site the operator
 * visits, even under a name that resolves here, cannot drive the central.
 */
export function attachWebSocketTransport(http: Server, options: WebSocketTransportOptions): { close(): Promise<void> } {
  const warn = limitedWarnings(options.logger, options.clock);
  const wss = new WebSocketServer({
    server: http,
    path: WEBSOCKET_PATH,
    maxPayload: MAX_FRAME_BYTES,
    verifyClient: ({ origin, req }: { origin: string; req: IncomingMessage }) => {
      const refusal = options.hosts.refuse(req.headers.host, origin);
      if (refusal) warn(`refused:${remote(req)}`, `websocket from ${remote(req)} refused: ${refusal}`);
      return refusal === null;
    },
  });

  wss.on('connection', (socket, request) => {
    const connection = new Connection(options.sessionFor(request), options.clock.now(), remote(request));
    const send = (message: ServerMessage) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    const detach = options.server.attach({
      connection,
      send: (name, payload) => send({ type: 'event', name, payload }),
    });
    socket.on('message', (data) => {
      void handleFrame(data, options.server, connection, send);
    });
    socket.on('close', detach);
    // An oversized or malformed frame closes this connection only; one short line says so, not a stack per frame.
    socket.on('error', (error) =>
      warn(`error:${connection.remoteAddress}`, `websocket from ${connection.remoteAddress} closed: ${error.message}`),
    );
  });

  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

function remote(request: IncomingMessage): string {
  return request.socket.remoteAddress ?? 'unknown';
}

async function handleFrame(
  data: RawData,
  server: ContractServer,
  connection: Connection,
  send: (message: ServerMessage) => void,
): Promise<void> {
  let decoded: unknown;
  try {
    decoded = JSON.parse(rawText(data));
  } catch {
    send({ type: 'protocol_error', message: 'frame is not valid JSON' });
    return;
  }
  const message = ClientMessage.safeParse(decoded);
  if (!message.success) {
    send({ type: 'protocol_error', message: 'frame is not a contract call' });
    return;
  }
  const { id, channel, input } = message.data;
  send({ type: 'result', id, result: await server.dispatch(connection, channel, input) });
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}
