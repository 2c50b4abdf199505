import { existsSync, mkdirSync } from 'node:fs';
import type { ExportStatus } from '../../../src-shared/contract/channels';
import type { ExportResult } from '../../../src-shared/domain/bi';
import { DomainError } from '../errors';
import type { SettingsService } from '../settings';
import type { Clock } from '../runtime';
import type { Store } from '../store/port';
import { exportBi } from './export';

/** The BI export as the central offers it: to the configured folder or one the desktop user chose. */
export class BiExportService {
  private last: ExportResult | null = null;
  private lastError: string | null = null;
  private running: Promise<ExportResult> | null = null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly settings: SettingsService,
    private readonly defaultFolder: string | null,
    private readonly onFinished: (status: ExportStatus) => void,
  ) {}

  /** The configured folder, else `exports` in the data folder (created on first use). */
  folder(): string {
    const configured = this.settings.bi().folder;
    if (configured) return configured;
    if (!this.defaultFolder)
      throw new DomainError('validation', 'no export folder is configured', { folder: { key: 'folder_missing' } });
    if (!existsSync(this.defaultFolder)) mkdirSync(this.defaultFolder, { recursive: true });
    return this.defaultFolder;
  }

  status(): ExportStatus {
    return {
      folder: this.settings.bi().folder || this.defaultFolder || '',
      last: this.last,
      lastError: this.lastError,
    };
  }

  /** One export at a time: a second request while one runs gets the same result. */
  run(folder?: string): Promise<ExportResult> {
    this.running ??= this.write(folder).finally(() => (this.running = null));
    return this.running;
  }

  private async write(folder?: string): Promise<ExportResult> {
    try {
      const result = await exportBi(this.store, this.clock, {
        folder: folder ?? this.folder(),
        settings: this.settings.bi(),
        targetPercent: this.settings.monitor().targetPercent,
      });
      this.last = result;
      this.lastError = null;
      return result;
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      throw error;
    } finally {
      this.onFinished(this.status());
    }
  }
}
