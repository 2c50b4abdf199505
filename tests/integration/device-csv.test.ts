import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContractClient } from '../../src-shared/contract/client';
import { fullGrid, SCREENS } from '../../src-shared/domain/permissions';
import type { PermissionGrid } from '../../src-shared/domain/permissions';
import { createTestUser, startTestCentral, transportFor } from '../helpers/central';
import type { TestCentral } from '../helpers/central';
import { failure } from '../helpers/failure';

const ADMIN_PASSWORD = 'Vigia-Porto-2026';
const USER_PASSWORD = 'Operador#Sala1';
const HEADER = 'area;name;type;context;host;location;notes;parent';
const grid = (grant: Partial<Record<(typeof SCREENS)[number], { view: boolean; edit: boolean }>>): PermissionGrid =>
  ({ ...Object.fromEntries(SCREENS.map((s) => [s, { view: false, edit: false }])), ...grant }) as PermissionGrid;
const file = (...lines: string[]) => Buffer.from([HEADER, ...lines].join('\r\n'), 'utf8').toString('base64');

describe('importing and exporting devices as CSV (over the WebSocket, real logins)', () => {
  let test: TestCentral;
  let transport: Awaited<ReturnType<typeof transportFor>>;
  let admin: ContractClient;

  const connectAs = async (username: string, permissions: PermissionGrid, allowedAreaIds: number[] | null) => {
    await createTestUser(test, { username, permissions, allowedAreaIds, password: USER_PASSWORD });
    const client = transport.connect().client;
    await client.call('auth.login', { username, password: USER_PASSWORD });
    return client;
  };
  const names = async () => (await admin.call('devices.list', {})).map((d) => d.name).sort();

  beforeEach(async () => {
    test = await startTestCentral({ session: () => null });
    transport = await transportFor('websocket', test);
    admin = transport.connect().client;
    await admin.call('auth.setup', { username: 'admin', displayName: 'Admin', password: ADMIN_PASSWORD });
    await admin.call('areas.create', { code: 'ITA', name: 'Itajaí', timeZone: 'America/Sao_Paulo' });
    await admin.call('areas.create', { code: 'SNT', name: 'Santos', timeZone: 'America/Sao_Paulo' });
  });
  afterEach(async () => {
    await transport.close();
    await test.stop();
  });

  it('imports all rows only when none has an error; else only the valid ones when asked, in one audited write', async () => {
    const csv = file(
      'ITA;CAM-1;camera;normal;10.0.0.1;;;',
      'ITA;CAM-2;camera;normal;bad host!;;;',
      `SNT;"=cmd|' /C calc'!A0";access_control;rfb;10.0.0.3;;;`,
    );
    const preview = await admin.call('devices.csvPreview', { file: csv });
    expect(preview).toMatchObject({ rows: 3, valid: 2, invalidRows: 1, delimiter: ';', encoding: 'utf-8' });
    expect(preview.errors).toEqual([expect.objectContaining({ line: 3, column: 'host', key: 'invalid_host' })]);
    // The preview changed nothing, and "import all" is refused while a row is wrong.
    expect(await names()).toEqual([]);
    const refused = await failure(admin.call('devices.csvImport', { file: csv, onlyValid: false }));
    expect(refused).toMatchObject({ kind: 'validation', fields: { _: { key: 'csv_has_errors' } } });
    expect(await names()).toEqual([]);

    expect(await admin.call('devices.csvImport', { file: csv, onlyValid: true })).toEqual({
      created: 2,
      unchanged: 0,
      skipped: 1,
    });
    // The formula is a name like any other: stored as typed, exported so no spreadsheet runs it.
    expect(await names()).toEqual(["=cmd|' /C calc'!A0", 'CAM-1']);
    const { csv: exported } = await admin.call('devices.csvExport', {});
    expect(exported).toContain(`;'=cmd|' /C calc'!A0;`);
    expect(exported).not.toMatch(/(^|;)=cmd/m);
    const trail = await admin.call('audit.list', { action: 'device.import' });
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ username: 'admin', entityLabel: '2' });
    expect(JSON.parse(trail[0]!.after!)).toEqual({ created: 2, unchanged: 0, skipped: 1 });
  });

  it('exports a list that, imported back, changes nothing', async () => {
    await admin.call('devices.csvImport', {
      file: file(
        'ITA;SW-1;access_control;rfb;10.0.0.1;Sala "A"; nota;',
        'ITA;CAM-1;camera;normal;10.0.0.2;Pátio;;SW-1',
      ),
      onlyValid: false,
    });
    const before = await admin.call('devices.list', {});
    const { csv, rows } = await admin.call('devices.csvExport', {});
    expect(rows).toBe(2);
    const again = Buffer.from(csv, 'utf8').toString('base64');
    expect(await admin.call('devices.csvPreview', { file: again })).toMatchObject({
      rows: 2,
      unchanged: 2,
      valid: 0,
      invalidRows: 0,
    });
    expect(await admin.call('devices.csvImport', { file: again, onlyValid: false })).toEqual({
      created: 0,
      unchanged: 2,
      skipped: 0,
    });
    expect(await admin.call('devices.list', {})).toEqual(before);
  });

  it('refuses an import to whoever may not edit devices, and rows of areas outside a scoped user', async () => {
    const csv = file('ITA;CAM-1;camera;normal;10.0.0.1;;;', 'SNT;CAM-2;camera;normal;10.0.0.2;;;');
    const viewer = await connectAs('viewer', grid({ devices: { view: true, edit: false } }), null);
    expect((await failure(viewer.call('devices.csvImport', { file: csv, onlyValid: true }))).kind).toBe('forbidden');
    expect((await failure(viewer.call('devices.csvPreview', { file: csv }))).kind).toBe('forbidden');
    expect(await names()).toEqual([]);

    const areas = await admin.call('areas.list', {});
    const ita = areas.find((a) => a.code === 'ITA')!.id;
    const scoped = await connectAs('ita-only', fullGrid(), [ita]);
    const answer = await scoped.call('devices.csvImport', { file: csv, onlyValid: true });
    expect(answer).toEqual({ created: 1, unchanged: 0, skipped: 1 });
    expect(await names()).toEqual(['CAM-1']);
    // Nor does its export show another area's devices.
    await admin.call('devices.csvImport', { file: csv, onlyValid: true });
    expect((await scoped.call('devices.csvExport', {})).csv).not.toContain('CAM-2');
  });

  it('refuses a file past the size limit, saying the limit, and keeps what was there', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 'a').toString('base64');
    // Sent in-process: a 67 MB frame would be refused by the socket itself before any handler.
    const inMemory = await transportFor('in-memory', test);
    try {
      const client = inMemory.connect().client;
      await client.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD });
      const error = await failure(client.call('devices.csvPreview', { file: big }));
      expect(error).toMatchObject({
        kind: 'validation',
        fields: { file: { key: 'file_too_large', params: { max: 5 } } },
      });
    } finally {
      await inMemory.close();
    }
    expect(await names()).toEqual([]);
  });

  it('lets one of two imports of the same file fired at once create the devices; the other creates none', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => `ITA;CAM-${i};camera;normal;10.1.0.${i + 1};;;`);
    const csv = file(...rows);
    const results = await Promise.allSettled([
      admin.call('devices.csvImport', { file: csv, onlyValid: false }),
      admin.call('devices.csvImport', { file: csv, onlyValid: false }),
    ]);
    const created = results.map((r) => (r.status === 'fulfilled' ? r.value.created : 0));
    expect(created.reduce((a, b) => a + b, 0)).toBe(50);
    expect(await names()).toHaveLength(50);
    expect(await admin.call('audit.list', { action: 'device.import' })).toHaveLength(
      results.filter((r) => r.status === 'fulfilled' && r.value.created > 0).length,
    );
  });
});
