import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContractClient } from '../../src-shared/contract/client';
import { fullGrid, SCREENS } from '../../src-shared/domain/permissions';
import type { PermissionGrid } from '../../src-shared/domain/permissions';
import { builtInAdministrator } from '../../src-main/core/contract/session';
import type { Session } from '../../src-main/core/contract/session';
import { startTestCentral, transportFor } from '../helpers/central';
import type { TestCentral } from '../helpers/central';
import type { TransportKind } from '../helpers/central';
import { failure } from '../helpers/failure';

function nextEvent<T>(subscribe: (listener: (payload: T) => void) => () => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no event within 2 s')), 2000);
    const off = subscribe((payload) => {
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

const viewOnlyGrid: PermissionGrid = Object.fromEntries(
  SCREENS.map((s) => [s, { view: true, edit: false }]),
) as PermissionGrid;
const viewer: Session = { ...builtInAdministrator(), username: 'viewer', isAdmin: false, permissions: viewOnlyGrid };

for (const kind of ['in-memory', 'websocket'] as const satisfies readonly TransportKind[]) {
  describe(`contract over ${kind}`, () => {
    let test: TestCentral;
    let transport: Awaited<ReturnType<typeof transportFor>>;
    let client: ContractClient;

    beforeEach(async () => {
      test = await startTestCentral();
      transport = await transportFor(kind, test);
      client = transport.connect().client;
    });
    afterEach(async () => {
      await transport.close();
      await test.stop();
    });

    it('creates and lists areas and devices, normalising what the operator typed', async () => {
      const area = await client.call('areas.create', { code: ' ita ', name: 'Itajaí', timeZone: 'America/Sao_Paulo' });
      expect(area).toMatchObject({ code: 'ITA', name: 'Itajaí', deviceCount: 0 });
      const cam = await client.call('devices.create', {
        name: 'CAM-01',
        type: 'camera',
        context: 'rfb',
        host: ' 2001:db8::10 ',
        areaId: area.id,
      });
      expect(cam).toMatchObject({ host: '2001:db8::10', areaCode: 'ITA', location: '', notes: '', status: 'PENDING' });
      expect(await client.call('devices.list', { areaId: area.id })).toEqual([cam]);
      expect(await client.call('devices.get', { id: cam.id })).toEqual(cam);
      expect((await client.call('areas.list', {}))[0]?.deviceCount).toBe(1);
    });

    it('refuses invalid input with per-field keys and saves nothing', async () => {
      const error = await failure(client.call('areas.create', { code: 'I', name: '', timeZone: 'Mars/Olympus' }));
      expect(error.kind).toBe('validation');
      expect(error.kind === 'validation' && error.fields).toEqual({
        code: { key: 'invalid_area_code' },
        name: { key: 'required' },
        timeZone: { key: 'invalid_time_zone' },
      });
      const area = await client.call('areas.create', { code: 'ITA', name: 'Itajaí', timeZone: 'UTC' });
      const badHost = await failure(
        client.call('devices.create', {
          name: 'CAM',
          type: 'camera',
          context: 'normal',
          host: '999.1.1.1',
          areaId: area.id,
        }),
      );
      expect(badHost.kind === 'validation' && badHost.fields).toEqual({ host: { key: 'invalid_host' } });
      expect(await client.call('devices.list', {})).toEqual([]);
      expect(await client.call('areas.list', {})).toHaveLength(1);
    });

    it('answers a duplicate area code with a conflict on the code field', async () => {
      await client.call('areas.create', { code: 'SNT', name: 'Santos', timeZone: 'UTC' });
      const error = await failure(client.call('areas.create', { code: 'snt', name: 'Outra', timeZone: 'UTC' }));
      expect(error).toMatchObject({ kind: 'conflict', fields: { code: { key: 'duplicate_area_code' } } });
      expect(await client.call('areas.list', {})).toHaveLength(1);
    });

    it('answers not found for a missing record', async () => {
      expect((await failure(client.call('devices.get', { id: 12345 }))).kind).toBe('not_found');
      expect((await failure(client.call('areas.delete', { id: 12345 }))).kind).toBe('not_found');
    });

    it('pushes change events to every other connected client', async () => {
      const other = transport.connect().client;
      await other.call('areas.list', {}); // the socket is open once a call has gone through
      const event = nextEvent<{ ids: number[] }>((listener) => other.on('areas.changed', listener));
      const area = await client.call('areas.create', { code: 'PAR', name: 'Paranaguá', timeZone: 'UTC' });
      expect(await event).toEqual({ ids: [area.id] });
    });
  });

  describe(`permissions over ${kind}`, () => {
    it('refuses an edit call from a view-only session and changes nothing', async () => {
      const test = await startTestCentral({ session: () => viewer });
      const transport = await transportFor(kind, test);
      try {
        const client = transport.connect().client;
        expect(await client.call('areas.list', {})).toEqual([]);
        const error = await failure(client.call('areas.create', { code: 'ITA', name: 'Itajaí', timeZone: 'UTC' }));
        expect(error.kind).toBe('forbidden');
        expect(await client.call('areas.list', {})).toEqual([]);
      } finally {
        await transport.close();
        await test.stop();
      }
    });

    it('does not send events to a session without the screen’s view permission', async () => {
      const blind: Session = {
        ...viewer,
        permissions: { ...fullGrid(), users: { view: false, edit: false } },
      };
      let current: Session = builtInAdministrator();
      const test = await startTestCentral({ session: () => current });
      const transport = await transportFor(kind, test);
      try {
        const admin = transport.connect().client;
        await admin.call('devices.list', {});
        current = blind;
        const watcher = transport.connect().client;
        await watcher.call('devices.list', {});
        const seen: unknown[] = [];
        watcher.on('users.changed', (payload) => seen.push(payload));
        const adminSaw = nextEvent((listener) => admin.on('users.changed', listener));
        await admin.call('users.create', {
          username: 'novo',
          displayName: 'Novo',
          isAdmin: false,
          active: true,
          permissions: fullGrid(),
          allowedAreaIds: null,
          password: 'Senha-Forte#2026',
        });
        await adminSaw;
        await watcher.call('devices.list', {}); // anything queued before this answer has arrived
        expect(seen).toEqual([]);
      } finally {
        await transport.close();
        await test.stop();
      }
    });
  });
}
