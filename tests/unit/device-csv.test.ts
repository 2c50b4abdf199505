import { describe, expect, it } from 'vitest';
import type { Area } from '../../src-shared/domain/area';
import type { Device } from '../../src-shared/domain/device';
import { readDeviceCsv, writeDeviceCsv } from '../../src-main/core/devices/csv-file';
import { planDeviceImport } from '../../src-main/core/devices/csv-import';

const HEADER = 'area,name,type,context,host,location,notes,parent';
const area = (id: number, code: string): Area => ({
  id,
  code,
  name: code,
  timeZone: 'America/Sao_Paulo',
  videoCheckMinutes: null,
  deviceCount: 0,
  createdAt: 0,
  updatedAt: 0,
});
const AREAS = [area(1, 'ITA'), area(2, 'SNT')];

function stored(overrides: Partial<Device>): Device {
  return {
    id: 1,
    name: 'CAM-1',
    type: 'camera',
    context: 'normal',
    host: '10.0.0.1',
    areaId: 1,
    areaCode: 'ITA',
    location: '',
    notes: '',
    status: 'ONLINE',
    statusSince: 0,
    parentId: null,
    parentName: null,
    parentStatus: null,
    createdAt: 0,
    updatedAt: 0,
    ...overrides,
  };
}

const csv = (...lines: string[]) => Buffer.from([HEADER, ...lines].join('\r\n'), 'utf8');
const plan = (bytes: Uint8Array, devices: Device[] = [], allowed: number[] | null = null) =>
  planDeviceImport(readDeviceCsv(bytes), { areas: AREAS, devices }, allowed);

describe('reading a device CSV', () => {
  it("reads Excel's file: BOM, semicolons, quoted cells with the separator, quotes and a line break", () => {
    const text = `\uFEFF${HEADER.replaceAll(',', ';')}\r\nITA;"Câmera; pátio ""norte""";camera;normal;10.0.0.5;"Portão 1\r\nlado B";;\r\n`;
    const read = readDeviceCsv(Buffer.from(text, 'utf8'));
    expect(read).toMatchObject({ encoding: 'utf-8', delimiter: ';', errors: [] });
    expect(read.rows[0]!.cells).toMatchObject({ name: 'Câmera; pátio "norte"', location: 'Portão 1\r\nlado B' });
  });

  it('tells a Latin-1 (Windows-1252) file apart and reads its accents right', () => {
    const bytes = Buffer.from(`${HEADER}\nITA,Câmera Pátio,camera,normal,10.0.0.5,Ré,,\n`, 'latin1');
    const read = readDeviceCsv(bytes);
    expect(read.encoding).toBe('windows-1252');
    expect(read.rows[0]!.cells).toMatchObject({ name: 'Câmera Pátio', location: 'Ré' });
  });

  it('names an unknown or a missing column, and a line with more cells than the header', () => {
    const read = readDeviceCsv(Buffer.from('area,name,kind,host\nITA,CAM,camera,10.0.0.1,extra\n', 'utf8'));
    expect(read.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 1, key: 'unknown_column', value: 'kind' }),
        expect.objectContaining({ line: 1, key: 'missing_column', column: 'type' }),
        expect.objectContaining({ line: 2, key: 'csv_malformed' }),
      ]),
    );
  });

  it('writes cells a spreadsheet would run as formulas as text, and reads them back as they were', () => {
    const devices = [
      stored({ name: '=cmd|"/c calc"!A1', notes: "'já com apóstrofo", location: '+55 47' }),
      stored({ id: 2, name: 'SW-1', host: '10.0.0.2' }),
    ];
    const written = writeDeviceCsv(devices);
    expect(written.startsWith('\uFEFFarea;name;')).toBe(true);
    expect(written).toContain(`'=cmd|""/c calc""!A1`);
    expect(written).not.toMatch(/[;\n]=cmd/);
    const back = readDeviceCsv(Buffer.from(written, 'utf8')).rows.map((r) => r.cells);
    expect(back[0]).toMatchObject({ name: '=cmd|"/c calc"!A1', notes: "'já com apóstrofo", location: '+55 47' });
  });
});

describe('planning a device import', () => {
  it('refuses each bad row with its line, column and reason, and keeps the rest', () => {
    const result = plan(
      csv(
        'ITA,CAM-1,camera,normal,10.0.0.1,,,',
        'ITA,CAM-2,camera,normal,not a host!,,,',
        'XXX,CAM-3,camera,normal,10.0.0.3,,,',
        'ITA,CAM-4,fridge,normal,10.0.0.4,,,',
        'ITA,CAM-5,camera,secret,10.0.0.5,,,',
        'ITA,CAM-1,camera,normal,10.0.0.6,,,',
        'SNT,CAM-7,camera,normal,10.0.0.1,,,',
        'ITA,CAM-8,camera,normal,10.9.9.9,,,',
        'ITA,CAM-9,camera,normal,10.0.0.9,,,NO-SUCH-PARENT',
      ),
      [stored({ id: 50, name: 'OLD', host: '10.9.9.9' })],
    );
    const byLine = Object.fromEntries(result.preview.errors.map((e) => [e.line, [e.column, e.key]]));
    expect(byLine).toEqual({
      3: ['host', 'invalid_host'],
      4: ['area', 'unknown_area'],
      5: ['type', 'invalid_choice'],
      6: ['context', 'invalid_choice'],
      7: ['name', 'duplicate_in_file'],
      8: ['host', 'duplicate_in_file'],
      9: ['host', 'duplicate_host'],
      10: ['parent', 'unknown_parent'],
    });
    expect(result.preview).toMatchObject({ rows: 9, valid: 1, invalidRows: 8, unchanged: 0 });
    expect(result.creates.map((c) => c.fields.name)).toEqual(['CAM-1']);
  });

  it('counts a row identical to a stored device as unchanged, and refuses one that differs', () => {
    const existing = [stored({ id: 7, name: 'CAM-1', host: '10.0.0.1' })];
    const same = plan(csv('ITA,CAM-1,camera,normal,10.0.0.1,,,'), existing);
    expect(same.preview).toMatchObject({ unchanged: 1, valid: 0, invalidRows: 0 });
    const other = plan(csv('ITA,CAM-1,camera,normal,10.0.0.1,Portão,,'), existing);
    expect(other.preview.errors).toEqual([
      expect.objectContaining({ line: 2, column: 'name', key: 'exists_different' }),
    ]);
  });

  it('links parents in the file or the store, whatever their order, and refuses loops and orphans of refused rows', () => {
    const result = plan(
      csv(
        'ITA,CAM-1,camera,normal,10.0.0.1,,,SW-1',
        'ITA,SW-1,camera,normal,10.0.0.2,,,SW-PATIO',
        'ITA,A,camera,normal,10.0.0.3,,,B',
        'ITA,B,camera,normal,10.0.0.4,,,A',
        'ITA,SELF,camera,normal,10.0.0.5,,,SELF',
        'ITA,BAD,camera,normal,bad host!,,,',
        'ITA,CHILD,camera,normal,10.0.0.7,,,BAD',
      ),
      [stored({ id: 9, name: 'SW-PATIO', host: '10.9.0.1' })],
    );
    expect(result.creates.map((c) => [c.fields.name, c.parent])).toEqual([
      ['SW-1', { id: 9 }],
      ['CAM-1', { index: 0 }],
    ]);
    const byLine = Object.fromEntries(result.preview.errors.map((e) => [e.line, e.key]));
    expect(byLine).toEqual({
      4: 'parent_cycle',
      5: 'parent_cycle',
      6: 'parent_is_self',
      7: 'invalid_host',
      8: 'unknown_parent',
    });
  });

  it("refuses rows of areas outside the user's own", () => {
    const result = plan(csv('ITA,CAM-1,camera,normal,10.0.0.1,,,', 'SNT,CAM-2,camera,normal,10.0.0.2,,,'), [], [1]);
    expect(result.preview.errors).toEqual([
      expect.objectContaining({ line: 3, column: 'area', key: 'areas_beyond_own' }),
    ]);
    expect(result.creates).toHaveLength(1);
  });
});
