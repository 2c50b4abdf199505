import { request } from 'node:https';
import { request as plainRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { AGENT_API, AGENT_AREA_HEADER } from '../../src-shared/domain/agents';

export interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: { centralTime?: number; error?: { code: string; message: string }; [key: string]: unknown };
}

/**
 * One request to an agent listener as an attacker or a broken agent would
 * send it: any body, any headers, from a chosen loopback address. The
 * certificate is not checked here (the agent's own client pins it).
 */
export function rawAgentRequest(
  url: string,
  path: string,
  options: {
    key?: string | null;
    area?: string | null;
    method?: string;
    body?: string | Buffer;
    gzip?: boolean;
    localAddress?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<RawAnswer> {
  const target = new URL(url);
  const raw = options.body === undefined ? undefined : Buffer.from(options.body);
  const payload = raw && options.gzip ? gzipSync(raw) : raw;
  const send = target.protocol === 'https:' ? request : plainRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      {
        host: target.hostname,
        port: target.port,
        method: options.method ?? (payload ? 'POST' : 'GET'),
        path: path.startsWith('/') ? path : `${AGENT_API}/${path}`,
        rejectUnauthorized: false,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
        headers: {
          ...(options.key ? { Authorization: `Bearer ${options.key}` } : {}),
          ...(options.area ? { [AGENT_AREA_HEADER]: options.area } : {}),
          ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) } : {}),
          ...(options.gzip ? { 'Content-Encoding': 'gzip' } : {}),
          ...options.headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: RawAnswer['body'];
          try {
            body = JSON.parse(text) as RawAnswer['body'];
          } catch {
            body = { text };
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
