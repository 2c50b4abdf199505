import { z } from 'zod';

/** Stable headers: Power BI models bind to these names, so they never change. */
export const DAILY_COLUMNS = [
  'area',
  'device',
  'type',
  'context',
  'ip',
  'date',
  'seconds_online',
  'seconds_offline',
  'seconds_maintenance',
  'seconds_shutdown',
  'seconds_nodata',
  'uptime_percent',
  'target_percent',
  'target_met',
  'missing_points',
  /** A camera's video health as of the export (ok, black, uniform, frozen, no_image), on the current day's row only. */
  'video_health',
] as const;

export const MONTHLY_COLUMNS = [
  'area',
  'device',
  'type',
  'context',
  'ip',
  'month',
  'seconds_online',
  'seconds_offline',
  'seconds_maintenance',
  'seconds_shutdown',
  'seconds_nodata',
  'uptime_percent',
  'target_percent',
  'target_met',
  'missing_points',
  'ytd_uptime_percent',
  /** As in the daily file: on the current month's row only. */
  'video_health',
] as const;

export type DailyRow = Record<(typeof DAILY_COLUMNS)[number], string | number>;
export type MonthlyRow = Record<(typeof MONTHLY_COLUMNS)[number], string | number>;

export const DAILY_FILE = 'snapshots_diarios.csv';
export const MONTHLY_FILE = 'snapshots_mensais.csv';

export const BiExportSettings = z
  .object({
    /** Where the scheduled export writes; empty: `exports` inside the data folder. */
    folder: z.string().trim().max(1000, { error: 'too_long' }),
    delimiter: z.enum([',', ';', '\t'], { error: 'invalid_choice' }),
    /** A UTF-8 byte-order mark, for Excel to read accents right. */
    bom: z.boolean(),
    /** Decimal comma instead of the dot (a Brazilian-locale Excel reading a ';' file). */
    decimalComma: z.boolean(),
  })
  .strict();
export type BiExportSettings = z.output<typeof BiExportSettings>;

export const DEFAULT_BI_SETTINGS: BiExportSettings = {
  folder: '',
  delimiter: ',',
  bom: false,
  decimalComma: false,
};
export const BI_SETTINGS_KEY = 'bi';

export interface ExportResult {
  readonly at: number;
  readonly folder: string;
  readonly files: ReadonlyArray<{ readonly path: string; readonly rows: number }>;
  readonly durationMs: number;
}
