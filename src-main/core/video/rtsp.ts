import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import type { Socket } from 'node:net';

export type RtspProblem =
  'bad_url' | 'other_host' | 'unreachable' | 'timeout' | 'unauthorized' | 'rtsp_error' | 'not_rtsp';

export type RtspCheck =
  | { readonly ok: true; readonly detail: string; readonly ms: number }
  | { readonly ok: false; readonly problem: RtspProblem; readonly detail: string; readonly ms: number };

export interface RtspRequest {
  /** rtsp://host[:port]/path — the device's own host only. */
  readonly url: string;
  readonly deviceHost: string;
  readonly username: string;
  readonly password: string;
  readonly timeoutMs?: number;
}

interface RtspResponse {
  readonly status: number;
  readonly reason: string;
  readonly headers: ReadonlyMap<string, string>;
}

export class RtspFailure extends Error {
  constructor(
    readonly problem: RtspProblem,
    message: string,
  ) {
    super(message);
  }
}

const MAX_HEADER_BYTES = 16 * 1024;

/**
 * Does the stream answer? A TCP connection to the camera's RTSP port, then
 * OPTIONS and DESCRIBE as a player would send them, answering a Digest (or
 * Basic) challenge. Nothing is played: the SDP that comes back is enough.
 */
export async function checkRtsp(request: RtspRequest): Promise<RtspCheck> {
  const started = Date.now();
  const timeoutMs = request.timeoutMs ?? 5_000;
  let socket: Socket | null = null;
  const timer = setTimeout(
    () => socket?.destroy(new RtspFailure('timeout', `no answer within ${timeoutMs} ms`)),
    timeoutMs,
  );
  try {
    const url = rtspUrl(request.url, request.deviceHost);
    socket = await open(url, timeoutMs);
    const session = new RtspSession(socket, url.href);
    const options = await session.send('OPTIONS', null);
    if (options.status !== 200 && options.status !== 401) {
      throw new RtspFailure('rtsp_error', `OPTIONS answered ${options.status} ${options.reason}`);
    }
    let describe = await session.send('DESCRIBE', null);
    if (describe.status === 401) {
      const authorization = authorizationFor(describe.headers.get('www-authenticate'), request, url.href);
      describe = await session.send('DESCRIBE', authorization);
      if (describe.status === 401)
        throw new RtspFailure('unauthorized', 'the camera refused the user name or password');
    }
    if (describe.status !== 200) {
      throw new RtspFailure('rtsp_error', `DESCRIBE answered ${describe.status} ${describe.reason}`);
    }
    return { ok: true, detail: 'the stream answers (DESCRIBE 200)', ms: Date.now() - started };
  } catch (error) {
    const failure = asFailure(error, timeoutMs);
    return { ok: false, problem: failure.problem, detail: failure.message, ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
    socket?.destroy();
  }
}

export function rtspUrl(text: string, deviceHost: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RtspFailure('bad_url', `not a URL: ${text}`);
  }
  if (url.protocol !== 'rtsp:') throw new RtspFailure('bad_url', `an RTSP address starts rtsp://, not ${url.protocol}`);
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host !== deviceHost.replace(/^\[|\]$/g, '').toLowerCase()) {
    throw new RtspFailure('other_host', `the URL points at ${host}, not at the device (${deviceHost})`);
  }
  if (url.username || url.password)
    throw new RtspFailure('bad_url', 'credentials go in their own fields, never in the URL');
  return url;
}

function open(url: URL, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port || 554),
      timeout: timeoutMs,
    });
    socket.once('connect', () => resolve(socket));
    socket.once('timeout', () => socket.destroy(new RtspFailure('timeout', `no connection within ${timeoutMs} ms`)));
    socket.once('error', (error) => reject(error));
  });
}

/** One RTSP conversation: requests numbered by CSeq, each answer read up to its blank line (and its body skipped). */
class RtspSession {
  private cseq = 0;
  private buffered = Buffer.alloc(0);
  private waiting: (() => void) | null = null;
  private ended: Error | null = null;

  constructor(
    private readonly socket: Socket,
    private readonly url: string,
  ) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.waiting?.();
    });
    const end = (error?: Error) => {
      this.ended = error ?? new RtspFailure('rtsp_error', 'the camera closed the connection');
      this.waiting?.();
    };
    socket.on('error', end);
    socket.on('close', () => end());
  }

  async send(method: string, authorization: string | null): Promise<RtspResponse> {
    this.cseq++;
    const lines = [`${method} ${this.url} RTSP/1.0`, `CSeq: ${this.cseq}`, 'User-Agent: Vigia'];
    if (method === 'DESCRIBE') lines.push('Accept: application/sdp');
    if (authorization) lines.push(`Authorization: ${authorization}`);
    this.socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    return this.read();
  }

  private async read(): Promise<RtspResponse> {
    for (;;) {
      const end = this.buffered.indexOf('\r\n\r\n');
      if (end >= 0) {
        const head = this.buffered.subarray(0, end).toString('latin1');
        const response = parseHead(head);
        const length = Number(response.headers.get('content-length') ?? 0);
        if (this.buffered.length >= end + 4 + length) {
          this.buffered = this.buffered.subarray(end + 4 + length);
          return response;
        }
      } else if (this.buffered.length > MAX_HEADER_BYTES) {
        throw new RtspFailure('not_rtsp', 'the answer is not RTSP (no end of headers)');
      }
      if (this.ended) throw this.ended;
      await new Promise<void>((resolve) => (this.waiting = resolve));
      this.waiting = null;
    }
  }
}

function parseHead(head: string): RtspResponse {
  const [statusLine = '', ...lines] = head.split('\r\n');
  const match = /^RTSP\/1\.\d (\d{3}) ?(.*)$/.exec(statusLine);
  if (!match) throw new RtspFailure('not_rtsp', `the answer is not RTSP: ${statusLine.slice(0, 60)}`);
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { status: Number(match[1]), reason: match[2] ?? '', headers };
}

/** RTSP Digest as cameras speak it (RFC 2617, MD5, qop when offered), or Basic. */
function authorizationFor(challenge: string | undefined, request: RtspRequest, uri: string): string {
  if (!challenge) throw new RtspFailure('unauthorized', 'the camera asks for authentication without saying which');
  if (/^\s*basic\b/i.test(challenge)) {
    return `Basic ${Buffer.from(`${request.username}:${request.password}`).toString('base64')}`;
  }
  const field = (name: string) => new RegExp(`${name}="?([^",]*)"?`, 'i').exec(challenge)?.[1];
  const realm = field('realm') ?? '';
  const nonce = field('nonce') ?? '';
  const qop = field('qop')?.split(',').includes('auth') ? 'auth' : null;
  const md5 = (text: string) => createHash('md5').update(text).digest('hex');
  const ha1 = md5(`${request.username}:${realm}:${request.password}`);
  const ha2 = md5(`DESCRIBE:${uri}`);
  const cnonce = randomBytes(8).toString('hex');
  const response = qop ? md5(`${ha1}:${nonce}:00000001:${cnonce}:auth:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
  const parts = [
    `username="${request.username}"`,
    `realm="${realm}"`,
    `nonce="${nonce}"`,
    `uri="${uri}"`,
    `response="${response}"`,
  ];
  if (qop) parts.push('qop=auth', 'nc=00000001', `cnonce="${cnonce}"`);
  return `Digest ${parts.join(', ')}`;
}

function asFailure(error: unknown, timeoutMs: number): RtspFailure {
  if (error instanceof RtspFailure) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ETIMEDOUT') return new RtspFailure('timeout', `no answer within ${timeoutMs} ms`);
  return new RtspFailure('unreachable', `the camera's RTSP port could not be reached (${code ?? String(error)})`);
}
