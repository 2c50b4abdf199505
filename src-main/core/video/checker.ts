import type { Logger } from '../runtime';
import type { LookContext } from './look';
import { lookAtCamera } from './look';

/** Cameras asked at once: a picture is a few hundred KB and a decode a few tens of ms. */
const AT_ONCE = 4;
/** Per round, so one round never runs for long behind a hundred dead cameras. */
const MOST_PER_ROUND = 60;
const ROUND_EVERY_MS = 60_000;

/** A camera as the periodic check needs it: where it is, and whose screens to tell. */
export interface CameraTarget {
  readonly id: number;
  readonly name: string;
  readonly host: string;
  readonly areaId: number;
}

/**
 * Which cameras are due for a look now: on the central, those of areas
 * without an agent, each at its area's interval; on an agent, its area's.
 * The longest unchecked first, so a round cut at its limit leaves the
 * freshest for the next.
 */
export interface VideoCheckPlan {
  due(now: number): Promise<CameraTarget[]>;
}

export interface VideoCheckerOptions extends LookContext {
  readonly plan: VideoCheckPlan;
  readonly logger: Logger;
  /** Whether this copy runs the checks: the holder of the monitor lease, like the alarms. */
  readonly leads: () => boolean;
  /** Told which cameras' health changed (once per round), so their screens refresh or the agent reports. */
  readonly onChanged: (cameras: CameraTarget[]) => void;
}

/**
 * The periodic video check: once a minute, the cameras the plan says are
 * due are looked at, a few at a time, and their health kept.
 */
export class VideoChecker {
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> = Promise.resolve();

  constructor(private readonly options: VideoCheckerOptions) {}

  start(): void {
    this.timer ??= setInterval(() => void this.checkNow(), ROUND_EVERY_MS);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.round;
  }

  /** One round now (rounds never overlap). */
  checkNow(): Promise<void> {
    this.round = this.round
      .then(() => this.check())
      .catch((error: unknown) => this.options.logger.error('video check failed', error));
    return this.round;
  }

  private async check(): Promise<void> {
    if (!this.options.leads()) return;
    const cameras = (await this.options.plan.due(this.options.clock.now())).slice(0, MOST_PER_ROUND);
    const changed: CameraTarget[] = [];
    for (let i = 0; i < cameras.length; i += AT_ONCE) {
      await Promise.all(cameras.slice(i, i + AT_ONCE).map((camera) => this.look(camera, changed)));
    }
    if (changed.length > 0) this.options.onChanged(changed);
  }

  private async look(camera: CameraTarget, changed: CameraTarget[]): Promise<void> {
    try {
      const { at, health } = await lookAtCamera(this.options, camera);
      // A health that changed (or a first one) starts its `since` at this look.
      if (health.since === at) changed.push(camera);
    } catch (error) {
      // A password sealed elsewhere, an address removed meanwhile: said once per round, the others go on.
      this.options.logger.warn(
        `video check of ${camera.name}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

/** What is due of `checks`, the longest unchecked first; `everyMs` of a camera 0 or less: never. */
export function dueCameras<T extends { readonly checkedAt: number | null }>(
  checks: readonly T[],
  now: number,
  everyMs: (check: T) => number,
): T[] {
  return checks
    .filter((c) => {
      const every = everyMs(c);
      return every > 0 && (c.checkedAt === null || now - c.checkedAt >= every);
    })
    .sort((a, b) => (a.checkedAt ?? -1) - (b.checkedAt ?? -1));
}
