import { randomBytes } from 'node:crypto';
import { accessSync, constants, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { DAILY_COLUMNS, DAILY_FILE, MONTHLY_COLUMNS, MONTHLY_FILE } from '../../../src-shared/domain/bi';
import type { BiExportSettings, ExportResult } from '../../../src-shared/domain/bi';
import { neutraliseCell } from '../../../src-shared/domain/csv';
import { DomainError } from '../errors';
import type { Clock } from '../runtime';
import type { Store } from '../store/port';
import { computeSnapshots } from './snapshots';

/** Temporary files of an export: `<file>.<pid>.<random>.tmp`, renamed over `<file>` when complete. */
const TEMP_FILE = /^snapshots_(diarios|mensais)\.csv\.(\d+)\.[0-9a-f]{8}\.tmp$/;
/** A temporary file this old belongs to no export still running, whoever made it. */
const STALE_TEMP_MS = 3_600_000;

/**
 * Creates the folder when it does not exist yet (a scheduled task's first
 * run), and refuses only one that cannot be created or written, saying why.
 */
export function prepareFolder(folder: string): void {
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new DomainError('validation', `export folder ${folder} cannot be created (${reason})`, {
      folder: { key: 'folder_not_writable' },
    });
  }
  if (!statSync(folder).isDirectory()) {
    throw new DomainError('validation', `export folder ${folder} is a file, not a folder`, {
      folder: { key: 'folder_missing' },
    });
  }
  try {
    accessSync(folder, constants.W_OK);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'no write permission';
    throw new DomainError('validation', `export folder ${folder} is not writable (${reason})`, {
      folder: { key: 'folder_not_writable' },
    });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes what a killed export left behind: temporary files of processes that
 * no longer run (or older than an hour), in the folder and its area folders.
 * A temporary file of an export running now in another process is left alone.
 */
export function removeLeftovers(folder: string, now: number): string[] {
  const removed: string[] = [];
  const visit = (dir: string, depth: number) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && depth === 0) visit(path, 1);
      const match = entry.isFile() ? TEMP_FILE.exec(entry.name) : null;
      if (!match) continue;
      const pid = Number(match[2]);
      if (pid === process.pid || !alive(pid) || now - statSync(path).mtimeMs > STALE_TEMP_MS) {
        rmSync(path, { force: true });
        removed.push(path);
      }
    }
  };
  visit(folder, 0);
  return removed;
}

/** One CSV: each row read once, each cell neutralised once (formulas stay text in Excel and Power BI). */
function csv(columns: readonly string[], rows: ReadonlyArray<Record<string, unknown>>, settings: BiExportSettings) {
  const data = rows.map((row) => columns.map((column) => neutraliseCell(row[column])));
  const body = Papa.unparse({ fields: [...columns], data }, { delimiter: settings.delimiter, newline: '\r\n' });
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
  options: {
    folder: string;
    settings: BiExportSettings;
    targetPercent: number;
    /** Lets a long export hand the thread back now and then (the export in-process, for tests and tools). */
    yieldEvery?: () => Promise<void>;
  },
): Promise<ExportResult> {
  const startedAt = clock.now();
  prepareFolder(options.folder);
  removeLeftovers(options.folder, startedAt);
  const format = (value: number) => {
    const text = value.toFixed(2);
    return options.settings.decimalComma ? text.replace('.', ',') : text;
  };
  const areas = await computeSnapshots(store, {
    now: startedAt,
    targetPercent: options.targetPercent,
    format,
    ...(options.yieldEvery ? { yieldEvery: options.yieldEvery } : {}),
  });
  const outputs: Array<{ path: string; content: string; rows: number }> = [];
  const add = (path: string, columns: readonly string[], rows: ReadonlyArray<Record<string, unknown>>) =>
    outputs.push({ path, content: csv(columns, rows, options.settings), rows: rows.length });
  for (const area of areas) {
    add(join(options.folder, area.areaCode, DAILY_FILE), DAILY_COLUMNS, area.daily);
    add(join(options.folder, area.areaCode, MONTHLY_FILE), MONTHLY_COLUMNS, area.monthly);
  }
  add(
    join(options.folder, DAILY_FILE),
    DAILY_COLUMNS,
    areas.flatMap((a) => a.daily),
  );
  add(
    join(options.folder, MONTHLY_FILE),
    MONTHLY_COLUMNS,
    areas.flatMap((a) => a.monthly),
  );

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
