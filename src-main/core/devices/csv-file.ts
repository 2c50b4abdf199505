import Papa from 'papaparse';
import { DEVICE_CSV_COLUMNS, REQUIRED_DEVICE_CSV_COLUMNS } from '../../../src-shared/domain/device-csv';
import type { DeviceCsvColumn, DeviceCsvPreview, DeviceCsvRowError } from '../../../src-shared/domain/device-csv';
import { neutraliseCell, restoreCell } from '../../../src-shared/domain/csv';
import type { Device } from '../../../src-shared/domain/device';

/** One data line of the file: its line number and its cells by column, apostrophe-quoting undone. */
export interface CsvDeviceRow {
  readonly line: number;
  readonly cells: Readonly<Record<DeviceCsvColumn, string>>;
}

export interface ReadCsv {
  readonly encoding: DeviceCsvPreview['encoding'];
  readonly delimiter: DeviceCsvPreview['delimiter'];
  readonly rows: readonly CsvDeviceRow[];
  /** Problems of the file's shape (a column missing or unknown, a malformed line). */
  readonly errors: readonly DeviceCsvRowError[];
}

/**
 * Text from the bytes: UTF-8 with or without BOM as Excel and LibreOffice
 * save it; bytes that are not UTF-8 are read as Windows-1252 (Excel's
 * "CSV" on a Brazilian Windows, a superset of Latin-1), and the preview says so.
 */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: ReadCsv['encoding'] } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}

const MAX_CELL_SHOWN = 80;
const shown = (value: string) => (value.length > MAX_CELL_SHOWN ? `${value.slice(0, MAX_CELL_SHOWN)}…` : value);

/** Parses the file with papaparse (Excel's quoting; `,` or `;`); each line keeps its number for the errors. */
export function readDeviceCsv(bytes: Uint8Array): ReadCsv {
  const { text, encoding } = decodeCsv(bytes);
  const parsed = Papa.parse<string[]>(text, { delimitersToGuess: [',', ';'], skipEmptyLines: 'greedy' });
  const delimiter = parsed.meta.delimiter === ';' ? ';' : ',';
  const [header = [], ...lines] = parsed.data;
  const columns = header.map((name) => name.trim().toLowerCase());
  const errors: DeviceCsvRowError[] = [];
  for (const name of columns) {
    if (!(DEVICE_CSV_COLUMNS as readonly string[]).includes(name)) {
      errors.push({ line: 1, column: null, key: 'unknown_column', value: shown(name) });
    }
  }
  for (const name of REQUIRED_DEVICE_CSV_COLUMNS) {
    if (!columns.includes(name)) errors.push({ line: 1, column: name, key: 'missing_column', value: name });
  }
  // Papaparse counts rows from 0 after the header; a quoted cell may span lines, so its row is what we have.
  const malformed = new Set(parsed.errors.map((e) => e.row).filter((row): row is number => row !== undefined));
  const rows: CsvDeviceRow[] = [];
  lines.forEach((cells, index) => {
    const line = index + 2;
    if (malformed.has(index + 1) || cells.length > columns.length) {
      errors.push({ line, column: null, key: 'csv_malformed', value: shown(cells.join(delimiter)) });
      return;
    }
    const byColumn = Object.fromEntries(DEVICE_CSV_COLUMNS.map((c) => [c, ''])) as Record<DeviceCsvColumn, string>;
    columns.forEach((column, i) => {
      if (column in byColumn) byColumn[column as DeviceCsvColumn] = restoreCell((cells[i] ?? '').trim());
    });
    rows.push({ line, cells: byColumn });
  });
  return { encoding, delimiter, rows, errors };
}

/** A device as a row of the template's columns. */
export function deviceCsvCells(device: Device): Record<DeviceCsvColumn, string> {
  return {
    area: device.areaCode,
    name: device.name,
    type: device.type,
    context: device.context,
    host: device.host,
    location: device.location,
    notes: device.notes,
    parent: device.parentName ?? '',
  };
}

/**
 * The device list as a file Excel opens as it is: UTF-8 with a BOM, `;`
 * (Excel's separator where the decimal comma is used, as in Brazil), every
 * cell that could be read as a formula neutralised.
 */
export function writeDeviceCsv(devices: readonly Device[]): string {
  const rows = devices.map((device) => DEVICE_CSV_COLUMNS.map((c) => neutraliseCell(deviceCsvCells(device)[c])));
  return `\uFEFF${Papa.unparse({ fields: [...DEVICE_CSV_COLUMNS], data: rows }, { delimiter: ';', newline: '\r\n' })}\r\n`;
}
