import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { AGENT_API, AGENT_AREA_HEADER } from '../../../src-shared/domain/agents';
import type {
  AgentConfigResponse,
  AgentErrorCode,
  AgentHeartbeat,
  AgentVideoReport,
  BatchResponse,
  HeartbeatResponse,
  VideoReportResponse,
} from '../../../src-shared/domain/agents';
import type { Clock } from '../runtime';

const compress = promisify(gzip);
const REQUEST_TIMEOUT_MS = 60_000;
const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

/** Why a request to the central failed, in a form the status page shows and the retry logic reads. */
export class SyncError extends Error {
  constructor(
    message: string,
    /** The listener's refusal code; 'network' when it was never reached, 'certificate' when it was not the pinned one. */
    readonly code: AgentErrorCode | 'network' | 'certificate' | 'bad_answer',
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'SyncError';
  }
}

export interface SyncClientOptions {
  /** https://host:port (or http:// when the central was started for plain HTTP). */
  readonly centralUrl: string;
  readonly areaCode: string;
  readonly key: string;
  /** The SHA-256 of the central's certificate, colon-separated upper-case hex; required for https. */
  readonly fingerprint: string | null;
  /** The host's own clock: request timings feed the clock-offset estimate. */
  readonly localClock: Clock;
  /** Every answer's central time with the request's local send and receive instants. */
  readonly onTiming: (sentAt: number, receivedAt: number, centralTime: number) => void;
}

/**
 * The agent's HTTP client. Over HTTPS the central's certificate is accepted
 * only if its SHA-256 is the pinned one, checked on the TLS socket before a
 * byte of the request (and so the key) is written. Batches travel gzipped.
 */
export class SyncClient {
  private readonly agent: HttpAgent;
  private readonly url: URL;
  lastRoundTripMs: number | null = null;

  constructor(private readonly options: SyncClientOptions) {
    this.url = new URL(options.centralUrl);
    const secure = this.url.protocol === 'https:';
    if (secure && !options.fingerprint) throw new Error('an https central needs its certificate fingerprint pinned');
    this.agent = secure ? new PinnedAgent(options.fingerprint!) : new HttpAgent({ keepAlive: true, maxSockets: 2 });
  }

  async config(): Promise<AgentConfigResponse> {
    return this.send<AgentConfigResponse>('GET', '/config', null);
  }

  heartbeat(heartbeat: AgentHeartbeat): Promise<HeartbeatResponse> {
    return this.send<HeartbeatResponse>('POST', '/heartbeat', Buffer.from(JSON.stringify(heartbeat)));
  }

  /** The latest looks at cameras the central has not had yet. */
  async videoHealth(report: AgentVideoReport): Promise<VideoReportResponse> {
    const body = await compress(Buffer.from(JSON.stringify(report), 'utf8'));
    return this.send<VideoReportResponse>('POST', '/video-health', body, true);
  }

  /** `body` is the sealed batch's JSON, sent byte for byte as sealed. */
  async batch(body: string): Promise<BatchResponse> {
    return this.send<BatchResponse>('POST', '/batches', await compress(Buffer.from(body, 'utf8')), true);
  }

  close(): void {
    this.agent.destroy();
  }

  private send<T extends { centralTime: number }>(
    method: 'GET' | 'POST',
    path: string,
    body: Buffer | null,
    gzipped = false,
  ): Promise<T> {
    const sentAt = this.options.localClock.now();
    return new Promise<T>((resolve, reject) => {
      const request = httpRequest(
        {
          protocol: 'http:',
          host: this.url.hostname.replace(/^\[(.*)\]$/, '$1'),
          port: this.url.port || (this.url.protocol === 'https:' ? 443 : 80),
          method,
          path: `${AGENT_API}${path}`,
          agent: this.agent,
          timeout: REQUEST_TIMEOUT_MS,
          headers: {
            Authorization: `Bearer ${this.options.key}`,
            [AGENT_AREA_HEADER]: this.options.areaCode,
            Accept: 'application/json',
            ...(body ? { 'Content-Type': 'application/json', 'Content-Length': String(body.length) } : {}),
            ...(gzipped ? { 'Content-Encoding': 'gzip' } : {}),
          },
        },
        (response) => {
          readAnswer(response).then(
            (text) => {
              const receivedAt = this.options.localClock.now();
              this.lastRoundTripMs = receivedAt - sentAt;
              let answer: unknown;
              try {
                answer = JSON.parse(text);
              } catch {
                reject(
                  new SyncError(
                    `the central answered ${response.statusCode} with no JSON`,
                    'bad_answer',
                    response.statusCode ?? null,
                  ),
                );
                return;
              }
              const centralTime = (answer as { centralTime?: unknown }).centralTime;
              if (typeof centralTime === 'number') this.options.onTiming(sentAt, receivedAt, centralTime);
              if (response.statusCode === 200) {
                resolve(answer as T);
                return;
              }
              const error = (answer as { error?: { code?: AgentErrorCode; message?: string } }).error;
              reject(
                new SyncError(
                  error?.message ?? `the central answered ${response.statusCode}`,
                  error?.code ?? 'bad_answer',
                  response.statusCode ?? null,
                ),
              );
            },
            (error: unknown) => reject(asSyncError(error)),
          );
        },
      );
      request.on('timeout', () => request.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)));
      request.on('error', (error) => reject(asSyncError(error)));
      request.end(body ?? undefined);
    });
  }
}

function asSyncError(error: unknown): SyncError {
  if (error instanceof SyncError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new SyncError(`the central cannot be reached: ${message}`, 'network', null);
}

async function readAnswer(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_ANSWER_BYTES)
      throw new SyncError('the central answered with more than expected', 'bad_answer', null);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Connections over TLS whose certificate must be the pinned one. The chain is
 * not checked against any authority (the central's certificate is its own,
 * self-signed): the fingerprint is the trust, compared before the socket is
 * handed to the request.
 */
class PinnedAgent extends HttpAgent {
  constructor(private readonly fingerprint: string) {
    super({ keepAlive: true, maxSockets: 2 });
  }

  override createConnection(
    options: { host?: string; port?: number | string },
    callback: (error: Error | null, socket: Duplex) => void,
  ): Duplex {
    const socket: TLSSocket = tlsConnect({
      host: options.host ?? 'localhost',
      port: Number(options.port),
      // No authority vouches for the central's own certificate: its fingerprint is the trust.
      rejectUnauthorized: false,
    });
    socket.once('secureConnect', () => {
      const presented = socket.getPeerCertificate().fingerprint256;
      if (presented !== this.fingerprint) {
        socket.destroy();
        callback(
          new SyncError(
            `the central's certificate is not the pinned one (it presented ${presented || 'none'}): check --central-fingerprint against the Areas screen`,
            'certificate',
            null,
          ),
          socket,
        );
        return;
      }
      callback(null, socket);
    });
    socket.once('error', (error: Error) => callback(error, socket));
    return undefined as unknown as Duplex;
  }
}
