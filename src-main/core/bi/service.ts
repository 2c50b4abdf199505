import type { ExportStatus } from '../../../src-shared/contract/channels';
import type { ExportResult } from '../../../src-shared/domain/bi';
import type { Clock } from '../runtime';
import type { SettingsService } from '../settings';
import type { StoreConfig } from '../store/open';
import type { Store } from '../store/port';
import { exportBi, prepareFolder } from './export';
import { exportInWorker } from './run-in-worker';

/** Where the export runs when it may run off the central's thread: the built worker and the store to open there. */
export interface ExportWorker {
  readonly file: string;
  readonly store: StoreConfig;
}

export interface BiExportServiceOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly settings: SettingsService;
  /** The data folder's `exports`, used when no folder is configured. */
  readonly defaultFolder: string | null;
  readonly onFinished: (status: ExportStatus) => void;
  /** Present in the shells: exports run in a worker thread, so a sweep never waits behind one. */
  readonly worker?: ExportWorker;
}

/** Hands the thread back between devices when the export runs in-process (tests, tools). */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The BI export as the central offers it: to the configured folder or one the desktop user chose. */
export class BiExportService {
  private last: ExportResult | null = null;
  private lastError: string | null = null;
  private running: { folder: string | undefined; result: Promise<ExportResult> } | null = null;

  constructor(private readonly options: BiExportServiceOptions) {}

  /** The configured folder, else `exports` in the data folder (created when missing, as any export folder is). */
  folder(): string {
    const folder = this.options.settings.bi().folder || this.options.defaultFolder;
    if (!folder) throw new Error('no export folder is configured');
    prepareFolder(folder);
    return folder;
  }

  status(): ExportStatus {
    return {
      folder: this.options.settings.bi().folder || this.options.defaultFolder || '',
      last: this.last,
      lastError: this.lastError,
    };
  }

  /**
   * One export at a time. A request for the folder being written while it
   * runs gets the same result; one for another folder (the desktop menu's
   * choice during a scheduled export) runs after it.
   */
  run(folder?: string): Promise<ExportResult> {
    const current = this.running;
    if (current && current.folder === folder) return current.result;
    const after = current ? current.result.catch(() => undefined) : Promise.resolve();
    const result = after.then(() => this.write(folder));
    const entry = { folder, result };
    this.running = entry;
    void result.then(
      () => this.finish(entry),
      () => this.finish(entry),
    );
    return result;
  }

  private finish(entry: NonNullable<BiExportService['running']>): void {
    if (this.running === entry) this.running = null;
  }

  private async write(folder?: string): Promise<ExportResult> {
    const { settings, clock, worker } = this.options;
    try {
      const request = {
        folder: folder ?? this.folder(),
        settings: settings.bi(),
        targetPercent: settings.monitor().targetPercent,
      };
      const result = worker
        ? await exportInWorker(worker.file, { ...request, store: worker.store, now: clock.now() })
        : await exportBi(this.options.store, clock, { ...request, yieldEvery: breathe });
      this.last = result;
      this.lastError = null;
      return result;
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      throw error;
    } finally {
      this.options.onFinished(this.status());
    }
  }
}
