import { z } from 'zod';
import { DeviceFilter } from '../domain/device';
import { MAX_DEVICE_CSV_BYTES } from '../domain/device-csv';
import type { DeviceCsvImported, DeviceCsvPreview } from '../domain/device-csv';
import { edit, view } from '../domain/permissions';
import { returns } from './define';
import type { ChannelMap } from './define';

/** The file's bytes in base64 (so main can tell UTF-8 from Latin-1), refused past the size limit with the limit named. */
const CsvFile = z
  .string({ error: 'required' })
  .min(1, { error: 'required' })
  .max(Math.ceil(MAX_DEVICE_CSV_BYTES / 3) * 4, { error: 'file_too_large' })
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: 'invalid' });

/** Devices by the hundred: a CSV in, previewed row by row, imported in one transaction; the list out. */
export const deviceCsvChannels = {
  /** What importing would do, each bad row with its line and reasons; changes nothing. */
  'devices.csvPreview': {
    input: z.object({ file: CsvFile }).strict(),
    output: returns<DeviceCsvPreview>(),
    permission: edit('devices'),
  },
  /**
   * Imports the file: every row, refused while any row has an error, or
   * (`onlyValid`) the valid rows only. One transaction, one audit entry.
   */
  'devices.csvImport': {
    input: z.object({ file: CsvFile, onlyValid: z.boolean() }).strict(),
    output: returns<DeviceCsvImported>(),
    permission: edit('devices'),
  },
  /** The devices the filter shows, in the template's columns (the same file the import takes). */
  'devices.csvExport': {
    input: DeviceFilter,
    output: returns<{ csv: string; rows: number }>(),
    permission: view('devices'),
  },
} as const satisfies ChannelMap;
