import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';
import type { Central } from '../core/central';
import type { Logger } from '../core/runtime';
import type { Session } from '../core/contract/session';
import type { Clock } from '../core/runtime';
import { createHostCheck } from '../core/transport/host-check';
import { attachWebSocketTransport } from '../core/transport/websocket-server';

export interface HttpServerOptions {
  /** The central, or the first-run wizard: only its contract server is served. */
  readonly central: Pick<Central, 'server'>;
  readonly staticDir: string;
  readonly host: string;
  readonly port: number;
  readonly logger: Logger;
  /** The session a new connection starts with: null (log in first), except in tests. */
  readonly sessionFor: () => Session | null;
  readonly clock: Clock;
  /** Host names accepted besides the loopback names and `host` (see host-check.ts). */
  readonly allowedHosts?: readonly string[];
}

export interface RunningHttpServer {
  readonly url: string;
  close(): Promise<void>;
}

const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

/** Serves the built renderer and the contract (WebSocket at /ws) from one origin. */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const assets = sirv(options.staticDir, { single: true, etag: true, dev: false });
  const hosts = createHostCheck(options.host, options.allowedHosts);
  const http = createServer((request, response) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    // A page served under a foreign name (DNS rebinding) would run with this server's origin: serve none.
    const refusal = hosts.refuse(request.headers.host, undefined);
    if (refusal) {
      response.statusCode = 421;
      response.end(`${refusal}; start Vigia with --allow-host <name> to accept it`);
      return;
    }
    if (request.url === '/healthz') {
      response.setHeader('Content-Type', 'application/json');
      response.end(JSON.stringify({ ok: true }));
      return;
    }
    assets(request, response, () => {
      response.statusCode = 404;
      response.end('not found');
    });
  });
  const sockets = attachWebSocketTransport(http, {
    server: options.central.server,
    logger: options.logger,
    sessionFor: options.sessionFor,
    clock: options.clock,
    hosts,
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const address = http.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    async close() {
      await sockets.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
