import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import {
  AGENT_API,
  AGENT_AREA_HEADER,
  CENTRAL_TIME_HEADER,
  MAX_BATCH_BODY_BYTES,
  MAX_BATCH_JSON_BYTES,
} from '../../../src-shared/domain/agents';
import type { AgentErrorBody } from '../../../src-shared/domain/agents';
import { TokenBucket } from '../auth/throttle';
import type { BucketLimit } from '../auth/throttle';
import { limitedWarnings } from '../runtime';
import type { Clock, Logger } from '../runtime';
import type { ListenerCertificate } from './certificate';
import { AgentSyncError } from './service';
import type { AgentIdentity, AgentSyncService } from './service';

const inflate = promisify(gunzip);

/** Wrong keys from one address: a few, then one every few seconds. An agent with the right key is never slowed. */
export const DEFAULT_KEY_FAILURE_LIMIT: BucketLimit = { burst: 10, perMinute: 12 };

export interface AgentListenerOptions {
  readonly service: AgentSyncService;
  readonly host: string;
  readonly port: number;
  /** HTTPS with this certificate; null only when plain HTTP was asked for explicitly. */
  readonly certificate: ListenerCertificate | null;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly keyFailures?: BucketLimit;
}

export interface AgentListener {
  /** Where agents reach it, e.g. https://0.0.0.0:7374 (the address it listens on, not a name agents know it by). */
  readonly url: string;
  readonly port: number;
  readonly fingerprint: string | null;
  close(): Promise<void>;
}

type Route = 'config' | 'heartbeat' | 'batches' | 'video-health';
const ROUTES: Record<string, { method: string; route: Route }> = {
  [`${AGENT_API}/config`]: { method: 'GET', route: 'config' },
  [`${AGENT_API}/heartbeat`]: { method: 'POST', route: 'heartbeat' },
  [`${AGENT_API}/batches`]: { method: 'POST', route: 'batches' },
  [`${AGENT_API}/video-health`]: { method: 'POST', route: 'video-health' },
};

/**
 * The agent-sync listener (DESIGN.md §4): HTTPS on its own port and
 * interface, separate from the screens' server so a field link never reaches
 * the UI. Every answer is JSON with the central's time; every refusal a clear
 * status and code, given before anything is applied.
 */
export async function startAgentListener(options: AgentListenerOptions): Promise<AgentListener> {
  const failures = new Map<string, TokenBucket>();
  const limit = options.keyFailures ?? DEFAULT_KEY_FAILURE_LIMIT;
  const warn = limitedWarnings(options.logger, options.clock, 60_000);

  const handle = async (request: IncomingMessage) => {
    const address = request.socket.remoteAddress ?? 'unknown';
    const path = (request.url ?? '').split('?')[0]!;
    const target = ROUTES[path];
    if (!target) throw new AgentSyncError(404, 'not_found', `no such endpoint: ${request.method} ${path}`);
    if (request.method !== target.method) {
      throw new AgentSyncError(404, 'not_found', `${path} answers ${target.method} only`);
    }
    const bucket = failures.get(address);
    const now = options.clock.now();
    if (bucket && !bucket.available(now)) {
      throw new AgentSyncError(429, 'rate_limited', 'too many wrong keys from this address', bucket.retryAfter(now));
    }
    let agent: AgentIdentity;
    try {
      agent = await options.service.authenticate(bearer(request), header(request, AGENT_AREA_HEADER));
    } catch (error) {
      if (error instanceof AgentSyncError && error.status === 401) {
        const counted = failures.get(address) ?? new TokenBucket(limit, now);
        counted.take();
        failures.set(address, counted);
        if (failures.size > 10_000) failures.delete(failures.keys().next().value!);
        warn(`key:${address}`, `agent-sync: wrong agent key from ${address}`);
      }
      throw error;
    }
    if (target.route === 'config') return options.service.config(agent);
    const text = await readBody(request);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new AgentSyncError(400, 'malformed_json', 'the body is not JSON');
    }
    if (target.route === 'heartbeat') return options.service.heartbeat(agent, body);
    if (target.route === 'video-health') return options.service.videoHealth(agent, body);
    return options.service.batch(agent, body, text);
  };

  const onRequest = (request: IncomingMessage, response: ServerResponse) => {
    handle(request).then(
      (answer) => send(response, 200, answer, options.clock),
      (error: unknown) => {
        if (error instanceof AgentSyncError) {
          if (error.retryAfterMs !== undefined) {
            response.setHeader('Retry-After', String(Math.ceil(error.retryAfterMs / 1000)));
          }
          const body: AgentErrorBody = {
            centralTime: options.clock.now(),
            error: { code: error.code, message: error.message },
          };
          send(response, error.status, body, options.clock, error.status === 413);
          return;
        }
        options.logger.error('agent-sync: request failed', error);
        const body: AgentErrorBody = {
          centralTime: options.clock.now(),
          error: { code: 'internal', message: 'the central failed; the batch was not applied' },
        };
        send(response, 500, body, options.clock);
      },
    );
  };

  const server: Server = options.certificate
    ? createHttpsServer({ cert: options.certificate.cert, key: options.certificate.key }, onRequest)
    : createHttpServer(onRequest);
  // A slow or stalled field link must not hold sockets forever.
  server.requestTimeout = 120_000;
  server.headersTimeout = 30_000;
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `${options.certificate ? 'https' : 'http'}://${host}:${address.port}`;
  options.logger.info(
    options.certificate
      ? `agent-sync listener on ${url} (certificate SHA-256 ${options.certificate.fingerprint})`
      : `agent-sync listener on ${url} in plain HTTP, as asked: keys and observations cross the network unencrypted`,
  );
  return {
    url,
    port: address.port,
    fingerprint: options.certificate?.fingerprint ?? null,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function header(request: IncomingMessage, name: string): string | null {
  const value = request.headers[name];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function bearer(request: IncomingMessage): string | null {
  const value = header(request, 'authorization');
  const match = value === null ? null : /^Bearer (\S+)$/.exec(value);
  return match?.[1] ?? null;
}

/** The body as text: capped before it is read whole, gunzipped with a cap on what it inflates to. */
async function readBody(request: IncomingMessage): Promise<string> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (declared > MAX_BATCH_BODY_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BATCH_BODY_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks);
  const encoding = header(request, 'content-encoding');
  if (encoding === null || encoding === 'identity') {
    if (raw.length > MAX_BATCH_JSON_BYTES) throw tooLarge();
    return raw.toString('utf8');
  }
  if (encoding !== 'gzip') throw new AgentSyncError(400, 'malformed_json', `unknown content encoding ${encoding}`);
  try {
    return (await inflate(raw, { maxOutputLength: MAX_BATCH_JSON_BYTES })).toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
    throw new AgentSyncError(400, 'malformed_json', 'the body is not valid gzip');
  }
}

function tooLarge(): AgentSyncError {
  return new AgentSyncError(
    413,
    'too_large',
    `the body is over the cap (${MAX_BATCH_BODY_BYTES} bytes compressed, ${MAX_BATCH_JSON_BYTES} inflated)`,
  );
}

function send(response: ServerResponse, status: number, body: unknown, clock: Clock, close = false): void {
  const text = JSON.stringify(body);
  response.statusCode = status;
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.setHeader(CENTRAL_TIME_HEADER, String(clock.now()));
  response.setHeader('Cache-Control', 'no-store');
  // An oversized body was not read to its end: the connection cannot carry another request.
  if (close) response.setHeader('Connection', 'close');
  response.end(text);
}
