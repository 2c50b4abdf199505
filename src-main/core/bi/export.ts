import { randomBytes } from 'node:crypto';
import { accessSync, constants, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { DAILY_COLUMNS, DAILY_FILE, MONTHLY_COLUMNS, MONTHLY_FILE } from '../../../src-shared/domain/bi';
import type { BiExportSettings, ExportResult } from '../../../src-shared/domain/bi';
import { neutraliseRow } from '../../../src-shared/domain/csv';
import { DomainError } from '../errors';
import type { Clock } from '../runtime';
import type { Store } from '../store/port';
import { computeSnapshots } from './snapshots';

function checkFolder(folder: string): void {
  let isDirectory = false;
  try {
    isDirectory = statSync(folder).isDirectory();
  } catch {
    // Reported below as missing.
  }
  if (!isDirectory) {
    throw new DomainError('validation', `export folder ${folder} does not exist`, {
      folder: { key: 'folder_missing' },
    });
  }
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new DomainError('validation', `export folder ${folder} is not writable`, {
      folder: { key: 'folder_not_writable' },
    });
  }
}

function csv(
  columns: readonly string[],
  rows: ReadonlyArray<Record<string, unknown>>,
  settings: BiExportSettings,
): string {
  const body = Papa.unparse(
    { fields: [...columns], data: rows.map((row) => columns.map((c) => neutraliseRow(row)[c])) },
    { delimiter: settings.delimiter, newline: '\r\n' },
  );
  return (settings.bom ? '\ufeff' : '') + body + '\r\n';
}

/**
 * Writes `exports/{AREA}/snapshots_diarios.csv` and `snapshots_mensais.csv` for
 * every area and the all-areas pair at the folder's root. Every file is first
 * written beside its target and then renamed over it, so Power BI never reads
 * half a file; and all are written before any is renamed, so a failure leaves
 * every existing file as it was.
 */
export async function exportBi(
  store: Store,
  clock: Clock,
  options: { folder: string; settings: BiExportSettings; targetPercent: number },
): Promise<ExportResult> {
  const startedAt = clock.now();
  checkFolder(options.folder);
  const format = (value: number) => {
    const text = value.toFixed(2);
    return options.settings.decimalComma ? text.replace('.', ',') : text;
  };
  const areas = await computeSnapshots(store, { now: startedAt, targetPercent: options.targetPercent, format });
  const outputs: Array<{ path: string; content: string; rows: number }> = [];
  for (const area of areas) {
    const dir = join(options.folder, area.areaCode);
    outputs.push({
      path: join(dir, DAILY_FILE),
      content: csv(DAILY_COLUMNS, area.daily, options.settings),
      rows: area.daily.length,
    });
    outputs.push({
      path: join(dir, MONTHLY_FILE),
      content: csv(MONTHLY_COLUMNS, area.monthly, options.settings),
      rows: area.monthly.length,
    });
  }
  const allDaily = areas.flatMap((a) => a.daily);
  const allMonthly = areas.flatMap((a) => a.monthly);
  outputs.push({
    path: join(options.folder, DAILY_FILE),
    content: csv(DAILY_COLUMNS, allDaily, options.settings),
    rows: allDaily.length,
  });
  outputs.push({
    path: join(options.folder, MONTHLY_FILE),
    content: csv(MONTHLY_COLUMNS, allMonthly, options.settings),
    rows: allMonthly.length,
  });

  const suffix = `.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const written: string[] = [];
  try {
    for (const output of outputs) {
      mkdirSync(join(output.path, '..'), { recursive: true });
      writeFileSync(output.path + suffix, output.content, 'utf8');
      written.push(output.path + suffix);
    }
    for (const output of outputs) renameSync(output.path + suffix, output.path);
  } catch (error) {
    for (const temp of written) rmSync(temp, { force: true });
    throw new DomainError('validation', `the export could not be written: ${(error as Error).message}`, {
      folder: { key: 'folder_not_writable' },
    });
  }
  return {
    at: startedAt,
    folder: options.folder,
    files: outputs.map((o) => ({ path: o.path, rows: o.rows })),
    durationMs: clock.now() - startedAt,
  };
}
