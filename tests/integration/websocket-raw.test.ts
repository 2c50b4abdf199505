import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ServerMessage } from '../../src-shared/contract/wire';
import { startTestCentral, transportFor } from '../helpers/central';
import type { TestCentral } from '../helpers/central';

/** A bare socket, as a script or an attacker would open it: no typed client in the way. */
async function rawSocket(url: string, headers: Record<string, string> = {}, maxPayload?: number) {
  const socket = new WebSocket(url, { headers, ...(maxPayload ? { maxPayload } : {}) });
  const inbox: ServerMessage[] = [];
  const waiters: Array<() => void> = [];
  socket.on('message', (data: Buffer) => {
    inbox.push(JSON.parse(data.toString('utf8')) as ServerMessage);
    waiters.splice(0).forEach((w) => w());
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const next = async (): Promise<ServerMessage> => {
    while (inbox.length === 0) await new Promise<void>((resolve) => waiters.push(resolve));
    return inbox.shift()!;
  };
  return { socket, next };
}

describe('WebSocket transport, raw frames', () => {
  let test: TestCentral;
  let transport: Awaited<ReturnType<typeof transportFor>>;

  beforeEach(async () => {
    test = await startTestCentral();
    transport = await transportFor('websocket', test);
  });
  afterEach(async () => {
    await transport.close();
    await test.stop();
  });

  it('refuses a call with invalid input sent straight over the socket, and saves nothing', async () => {
    const { socket, next } = await rawSocket(transport.url);
    socket.send(
      JSON.stringify({ type: 'call', id: 1, channel: 'areas.create', input: { code: 42, timeZone: 'Nowhere' } }),
    );
    const answer = await next();
    expect(answer).toMatchObject({
      type: 'result',
      id: 1,
      result: {
        ok: false,
        error: {
          kind: 'validation',
          fields: { code: { key: 'required' }, name: { key: 'required' }, timeZone: { key: 'invalid_time_zone' } },
        },
      },
    });
    socket.send(JSON.stringify({ type: 'call', id: 2, channel: 'areas.list', input: {} }));
    expect(await next()).toEqual({ type: 'result', id: 2, result: { ok: true, value: [] } });
    socket.close();
  });

  it('refuses fields the contract does not know (no mass assignment of status or ids)', async () => {
    const { socket, next } = await rawSocket(transport.url);
    socket.send(
      JSON.stringify({
        type: 'call',
        id: 1,
        channel: 'areas.create',
        input: { code: 'ITA', name: 'Itajaí', timeZone: 'UTC', id: 99, createdAt: 0 },
      }),
    );
    expect(await next()).toMatchObject({ result: { ok: false, error: { kind: 'validation' } } });
    socket.close();
  });

  it('answers garbage and unknown channels without dropping the connection', async () => {
    const { socket, next } = await rawSocket(transport.url);
    socket.send('{not json');
    expect(await next()).toEqual({ type: 'protocol_error', message: 'frame is not valid JSON' });
    socket.send(JSON.stringify({ type: 'call', id: 'x', channel: 'areas.list' }));
    expect(await next()).toEqual({ type: 'protocol_error', message: 'frame is not a contract call' });
    socket.send(JSON.stringify({ type: 'call', id: 3, channel: 'constructor', input: {} }));
    expect(await next()).toMatchObject({ id: 3, result: { ok: false, error: { kind: 'not_found' } } });
    socket.send(JSON.stringify({ type: 'call', id: 4, channel: 'areas.list', input: {} }));
    expect(await next()).toMatchObject({ id: 4, result: { ok: true } });
    socket.close();
  });

  it('refuses a browser connection from another origin', async () => {
    await expect(rawSocket(transport.url, { Origin: 'http://evil.example' })).rejects.toThrow(/401|403/);
    const sameOrigin = await rawSocket(transport.url, {
      Origin: transport.url.replace(/^ws/, 'http').replace(/\/ws$/, ''),
    });
    sameOrigin.socket.close();
  });

  it('refuses a handshake or a page under a name this server was not started for (DNS rebinding)', async () => {
    const port = new URL(transport.url).port;
    const evil = `evil.example:${port}`;
    // The attacker's page, its name pointed at 127.0.0.1: Host and Origin both say evil.example.
    await expect(rawSocket(transport.url, { Host: evil, Origin: `http://${evil}` })).rejects.toThrow(/401|403/);
    await expect(rawSocket(transport.url, { Host: evil })).rejects.toThrow(/401|403/);
    await expect(rawSocket(transport.url, { Origin: `http://${evil}` })).rejects.toThrow(/401|403/);
    const page = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/', headers: { Host: evil } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(page.status).toBe(421);
    expect(page.body).toMatch(/--allow-host/);
    for (const name of [`localhost:${port}`, `127.0.0.1:${port}`]) {
      const ok = await rawSocket(transport.url, { Host: name, Origin: `http://${name}` });
      ok.socket.close();
    }
  });

  it('accepts a name on the explicit allow-list', async () => {
    await transport.close();
    await test.stop();
    test = await startTestCentral({ allowedHosts: ['vigia.sala.local'] });
    transport = await transportFor('websocket', test);
    const port = new URL(transport.url).port;
    const named = await rawSocket(transport.url, {
      Host: `vigia.sala.local:${port}`,
      Origin: `http://vigia.sala.local:${port}`,
    });
    named.socket.close();
  });

  it('closes a peer that sends oversized frames with one short line in the log, not a stack trace per frame', async () => {
    await transport.close();
    await test.stop();
    const lines: Array<{ level: string; message: string; error?: unknown }> = [];
    test = await startTestCentral({
      logger: {
        error: (message, error) => lines.push({ level: 'error', message, error }),
        warn: (message) => lines.push({ level: 'warn', message }),
        info: (message) => lines.push({ level: 'info', message }),
      },
    });
    transport = await transportFor('websocket', test);
    const big = 'x'.repeat(9 * 1024 * 1024);
    for (let i = 0; i < 20; i++) {
      const { socket } = await rawSocket(transport.url, {}, 16 * 1024 * 1024);
      const closed = new Promise<number>((resolve) => socket.once('close', (code: number) => resolve(code)));
      socket.send(big);
      expect(await closed).toBe(1009);
    }
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    const warnings = lines.filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(/closed: .*payload/i);
    expect(warnings[0]!.message.split('\n')).toHaveLength(1);
    // The server still serves everyone else.
    const { socket, next } = await rawSocket(transport.url);
    socket.send(JSON.stringify({ type: 'call', id: 1, channel: 'areas.list', input: {} }));
    expect(await next()).toMatchObject({ id: 1, result: { ok: true } });
    socket.close();
  });
});
