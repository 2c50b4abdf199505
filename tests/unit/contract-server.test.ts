import { describe, expect, it } from 'vitest';
import { channels } from '../../src-shared/contract/channels';
import { ContractServer } from '../../src-main/core/contract/server';
import type { Logger } from '../../src-main/core/runtime';
import type { HandlerMap } from '../../src-main/core/contract/server';
import { builtInAdministrator } from '../../src-main/core/contract/session';
import { DomainError } from '../../src-main/core/errors';
import { Connection } from '../../src-main/core/contract/connection';

const admin = () => new Connection(builtInAdministrator(), 0);

function serverWith(overrides: Partial<HandlerMap>, logger: Logger) {
  const unused = () => Promise.reject(new Error('not used in this test'));
  const handlers = Object.fromEntries(Object.keys(channels).map((name) => [name, unused])) as unknown as HandlerMap;
  return new ContractServer({ ...handlers, ...overrides }, { logger });
}

describe('ContractServer', () => {
  it('hides the details of an unexpected failure from the caller and logs them in main', async () => {
    const logged: unknown[] = [];
    const server = serverWith(
      { 'areas.list': () => Promise.reject(new Error('SQLITE_IOERR at C:\\ProgramData\\secret\\vigia.sqlite')) },
      { error: (message, error) => logged.push(message, error), warn: () => undefined, info: () => undefined },
    );
    const result = await server.dispatch(admin(), 'areas.list', {});
    expect(result).toEqual({ ok: false, error: { kind: 'internal', message: 'internal error' } });
    expect(JSON.stringify(logged)).toContain('areas.list failed');
  });

  it('passes a domain error through with its kind and fields', async () => {
    const server = serverWith(
      { 'areas.delete': () => Promise.reject(new DomainError('conflict', 'area ITA still has 3 devices')) },
      { error: () => undefined, warn: () => undefined, info: () => undefined },
    );
    expect(await server.dispatch(admin(), 'areas.delete', { id: 1 })).toEqual({
      ok: false,
      error: { kind: 'conflict', message: 'area ITA still has 3 devices', fields: {} },
    });
  });

  it('never reaches a handler with input that fails the schema', async () => {
    let called = false;
    const server = serverWith(
      {
        'devices.get': () => {
          called = true;
          return Promise.reject(new Error('unreachable'));
        },
      },
      { error: () => undefined, warn: () => undefined, info: () => undefined },
    );
    for (const input of [undefined, null, 'x', { id: -1 }, { id: 1.5 }, { id: '1' }, { id: 1, extra: true }]) {
      const result = await server.dispatch(admin(), 'devices.get', input);
      expect(result.ok).toBe(false);
    }
    expect(called).toBe(false);
  });

  it('answers unknown and inherited names as unknown channels', async () => {
    const server = serverWith({}, { error: () => undefined, warn: () => undefined, info: () => undefined });
    for (const name of ['nope', 'toString', '__proto__', 42]) {
      const result = await server.dispatch(admin(), name, {});
      expect(result).toMatchObject({ ok: false, error: { kind: 'not_found' } });
    }
  });
});
