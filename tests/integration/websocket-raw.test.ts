import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ServerMessage } from '../../src-shared/contract/wire';
import { startTestCentral, transportFor } from '../helpers/central';
import type { TestCentral } from '../helpers/central';

/** A bare socket, as a script or an attacker would open it: no typed client in the way. */
async function rawSocket(url: string, headers: Record<string, string> = {}) {
  const socket = new WebSocket(url, { headers });
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
});
