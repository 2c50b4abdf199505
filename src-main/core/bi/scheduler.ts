import { DateTime } from 'luxon';
import type { ExportResult } from '../../../src-shared/domain/bi';
import type { Logger } from '../runtime';
import type { Clock } from '../runtime';

export const EXPORT_EVERY_MS = 20 * 60_000;
const CHECK_EVERY_MS = 30_000;

/**
 * Rewrites the BI files every 20 minutes and as soon as a local day ends in
 * any area's zone (which also closes a month), so the files always hold
 * yesterday complete. One check every 30 s; an export never overlaps another.
 */
export class BiScheduler {
  private lastRunAt: number | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly options: {
      readonly clock: Clock;
      readonly logger: Logger;
      readonly zones: () => Promise<string[]>;
      readonly run: () => Promise<ExportResult>;
      /** Only the instance that monitors keeps the files current; a standing-by console does not. */
      readonly enabled?: () => boolean;
    },
  ) {}

  start(): void {
    const loop = () => {
      this.running = this.tick()
        .then(() => undefined)
        .finally(() => {
          this.running = null;
          if (this.timer !== null) this.timer = setTimeout(loop, CHECK_EVERY_MS);
        });
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One check; public so a test can drive days in milliseconds. Returns whether an export ran. */
  async tick(): Promise<boolean> {
    const now = this.options.clock.now();
    if (this.options.enabled && !this.options.enabled()) return false;
    if (!(await this.due(now))) return false;
    this.lastRunAt = now;
    try {
      await this.options.run();
    } catch (error) {
      this.options.logger.error('scheduled BI export failed', error);
    }
    return true;
  }

  private async due(now: number): Promise<boolean> {
    if (this.lastRunAt === null || now - this.lastRunAt >= EXPORT_EVERY_MS) return true;
    const last = this.lastRunAt;
    const zones = await this.options.zones();
    return zones.some(
      (zone) => DateTime.fromMillis(last, { zone }).toISODate() !== DateTime.fromMillis(now, { zone }).toISODate(),
    );
  }
}
