import type { Device } from '../../../src-shared/domain/device';
import type { Logger } from '../runtime';
import type { SettingsService } from '../settings';
import type { LookContext } from './look';
import { lookAtCamera } from './look';

/** Cameras asked at once: a picture is a few hundred KB and a decode a few tens of ms. */
const AT_ONCE = 4;
/** Per round, so one round never runs for long behind a hundred dead cameras. */
const MOST_PER_ROUND = 60;
const ROUND_EVERY_MS = 60_000;
/** Only cameras that are up are looked at: a down one has no picture to judge, and ping says so already. */
const LOOKED_AT: ReadonlySet<Device['status']> = new Set(['ONLINE']);

export interface VideoCheckerOptions extends LookContext {
  readonly settings: SettingsService;
  readonly logger: Logger;
  /** Whether this copy runs the checks: the holder of the monitor lease, like the alarms. */
  readonly leads: () => boolean;
  /** Told which cameras' health changed, so their screens (of their areas only) refresh. */
  readonly onChanged: (cameras: Device[]) => void;
}

/**
 * The periodic video check: every `videoCheckMinutes` (an alarm setting,
 * 0 for never), each online camera with a saved picture address is looked at
 * and its health kept. Cameras of areas that have an agent are left to the
 * agent's site (not yet built there), not reached over the WAN.
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
    const { store, clock, settings } = this.options;
    const everyMs = settings.alarms().videoCheckMinutes * 60_000;
    if (everyMs === 0 || !this.options.leads()) return;
    const now = clock.now();
    const due = (await store.listCameraChecks()).filter((c) => c.checkedAt === null || now - c.checkedAt >= everyMs);
    if (due.length === 0) return;
    const agentAreas = new Set((await store.listAgents({})).filter((a) => a.keyPrefix !== null).map((a) => a.areaId));
    const devices = new Map((await store.listDevices({})).map((d) => [d.id, d]));
    const cameras = due
      .map((c) => devices.get(c.deviceId))
      .filter((d): d is Device => d !== undefined && LOOKED_AT.has(d.status) && !agentAreas.has(d.areaId))
      .slice(0, MOST_PER_ROUND);
    const changed: Device[] = [];
    for (let i = 0; i < cameras.length; i += AT_ONCE) {
      await Promise.all(cameras.slice(i, i + AT_ONCE).map((camera) => this.look(camera, changed)));
    }
    if (changed.length > 0) this.options.onChanged(changed);
  }

  private async look(camera: Device, changed: Device[]): Promise<void> {
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
