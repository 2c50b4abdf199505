import type { ValidationKey } from './validation';

/**
 * The device list as a spreadsheet: the columns of the template, of the
 * export and of an import are the same, so an exported file imported back
 * changes nothing. Areas and parents are named (area code, parent device's
 * name), never by internal id.
 */
export const DEVICE_CSV_COLUMNS = ['area', 'name', 'type', 'context', 'host', 'location', 'notes', 'parent'] as const;
export type DeviceCsvColumn = (typeof DEVICE_CSV_COLUMNS)[number];
export const REQUIRED_DEVICE_CSV_COLUMNS: readonly DeviceCsvColumn[] = ['area', 'name', 'type', 'context', 'host'];

/** Far above a real site (10,000 devices are about 1.5 MB) and far below what would strain a workstation. */
export const MAX_DEVICE_CSV_BYTES = 5 * 1024 * 1024;

/** What was wrong with one row: its line in the file (the header is line 1), the column and why. */
export interface DeviceCsvRowError {
  readonly line: number;
  readonly column: DeviceCsvColumn | null;
  readonly key: ValidationKey;
  /** The offending cell as read (cut short), to show beside the message. */
  readonly value: string;
}

export interface DeviceCsvPreview {
  /** How the bytes were read: UTF-8 (with or without BOM), or detected as Windows-1252/Latin-1. */
  readonly encoding: 'utf-8' | 'windows-1252';
  readonly delimiter: ',' | ';';
  readonly rows: number;
  /** Rows that would create a device. */
  readonly valid: number;
  /** Rows identical to a device that already exists: nothing to do (an exported list imported back). */
  readonly unchanged: number;
  /** Every row's problems, in line order (the first 1,000). */
  readonly errors: readonly DeviceCsvRowError[];
  /** Lines with at least one problem. */
  readonly invalidRows: number;
}

export interface DeviceCsvImported {
  readonly created: number;
  readonly unchanged: number;
  readonly skipped: number;
}
