import { videoCheckMinutesOf } from '../../../src-shared/domain/area';
import { agentLink } from '../../../src-shared/domain/agents';
import type { Alarm } from '../../../src-shared/domain/alarms';
import type { SweepSummary } from '../../../src-shared/domain/monitoring';
import type { Clock, Logger } from '../runtime';
import type { SettingsService } from '../settings';
import type { Store } from '../store/port';
import { alarmsThatHold } from './conditions';
import type { AlarmFacts } from './conditions';
import { AlarmDeliverer } from './deliveries';

/** Flapping windows end and agents fall silent without any event: look again this often. */
const RECHECK_EVERY_MS = 15_000;
/** A console that does not run the alarms sees another instance's changes within this long. */
const FOLLOW_EVERY_MS = 2_000;
/** The store's size moves slowly; asking SQL Server for it every few seconds would be waste. */
const SIZE_EVERY_MS = 10 * 60_000;
const GB = 1024 ** 3;
const MAX_FLAP_CHANGES_READ = 20_000;

export interface AlarmServiceOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly settings: SettingsService;
  readonly timeZone: string;
  /** This instance runs the alarms (it holds the monitor lease); the others follow the store. */
  readonly leads: () => boolean;
  /** The desk changed: every screen asks for its (scoped) desk again. */
  readonly onChanged: () => void;
  readonly onDeliveriesChanged: () => void;
}

/**
 * Runs the alarm desk: evaluates the conditions after every sweep that
 * changed something, every agent batch and workflow step, and every 15 s;
 * opens and clears alarms in the store; hands the open ones to the
 * deliverer. Evaluations never overlap; asked again while one runs, it runs
 * once more after.
 */
export class AlarmService {
  private overrunStreak = 0;
  private storeUsedPercent: number | null = null;
  private sizeCheckedAt = -Infinity;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setInterval> | null = null;
  private follower: ReturnType<typeof setInterval> | null = null;
  private revision: string | null = null;
  readonly deliverer: AlarmDeliverer;

  constructor(private readonly options: AlarmServiceOptions) {
    this.deliverer = new AlarmDeliverer({
      store: options.store,
      clock: options.clock,
      logger: options.logger,
      settings: () => options.settings.delivery(),
      timeZone: options.timeZone,
      onChanged: options.onDeliveriesChanged,
    });
  }

  start(): void {
    this.timer = setInterval(() => void this.evaluate(), RECHECK_EVERY_MS);
    this.timer.unref();
    this.follower = setInterval(() => void this.follow(), FOLLOW_EVERY_MS);
    this.follower.unref();
    // The desk as it is now is what the screens load first: later changes are measured from it.
    void this.follow();
    void this.evaluate();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.follower) clearInterval(this.follower);
    this.timer = this.follower = null;
    await this.running;
  }

  /** A sweep ended: sweeps that keep overrunning are an alarm of their own. */
  noteSweep(summary: SweepSummary): void {
    const before = this.overrunStreak;
    this.overrunStreak = summary.overrunMs > 0 ? this.overrunStreak + 1 : 0;
    const threshold = this.options.settings.alarms().overrunSweeps;
    if (before < threshold !== this.overrunStreak < threshold) void this.evaluate();
  }

  /** Something changed that may open or clear alarms; coalesced with any evaluation in progress. */
  evaluate(): Promise<void> {
    this.again = true;
    this.running ??= this.evaluateWhileAsked();
    return this.running;
  }

  private async evaluateWhileAsked(): Promise<void> {
    // Yield once, so `running` is set before this can end: an evaluation asked for is never lost.
    await Promise.resolve();
    try {
      while (this.again) {
        this.again = false;
        try {
          if (this.options.leads()) await this.evaluateOnce();
        } catch (error) {
          this.options.logger.error('alarm evaluation failed', error);
        }
      }
    } finally {
      this.running = null;
    }
  }

  private async evaluateOnce(): Promise<void> {
    const { store, clock, settings } = this.options;
    const now = clock.now();
    const holding = alarmsThatHold(await this.facts(now), settings.alarms());
    const open = new Set(await store.listOpenAlarmKeys());
    const wanted = new Set(holding.map((a) => a.subjectKey));
    const toOpen = holding.filter((a) => !open.has(a.subjectKey));
    const toClear = [...open].filter((key) => !wanted.has(key));
    if (toOpen.length > 0 || toClear.length > 0) {
      const { opened, cleared } = await store.applyAlarmChanges({ at: now, open: toOpen, clear: toClear });
      this.announce([...opened, ...cleared]);
    }
    const desk = await store.listAlarms({ desk: { keepUnacknowledged: false }, limit: 5000 });
    await this.deliverer.run(desk);
  }

  private announce(changed: readonly Alarm[]): void {
    if (changed.length === 0) return;
    for (const alarm of changed) {
      const what = [alarm.kind, alarm.areaCode, alarm.deviceName].filter(Boolean).join(' ');
      this.options.logger.info(`alarm ${alarm.clearedAt === null ? 'opened' : 'cleared'}: ${what}`);
    }
    this.options.onChanged();
  }

  private async facts(now: number): Promise<AlarmFacts> {
    const { store, settings } = this.options;
    const alarmSettings = settings.alarms();
    const monitor = settings.monitor();
    const devices = await store.listDevices({});
    const changes = await store.listStatusChanges({
      from: now - alarmSettings.flapWindowMinutes * 60_000,
      limit: MAX_FLAP_CHANGES_READ,
    });
    const changesInWindow = new Map<number, number>();
    for (const c of changes) {
      if (!c.superseded) changesInWindow.set(c.deviceId, (changesInWindow.get(c.deviceId) ?? 0) + 1);
    }
    const timing = { heartbeatMs: monitor.agentHeartbeatMs, silenceMs: monitor.agentSilenceMs };
    const silentAgentAreaIds = (await store.listAgents({}))
      .filter((a) => a.keyPrefix !== null && agentLink(a.lastHeartbeatAt, now, timing) === 'down')
      .map((a) => a.areaId);
    if (now - this.sizeCheckedAt >= SIZE_EVERY_MS) {
      this.sizeCheckedAt = now;
      const bytes = await store.storeSizeBytes();
      this.storeUsedPercent = bytes > 0 ? (100 * bytes) / (alarmSettings.storeCapacityGb * GB) : null;
    }
    // Only where the periodic check runs: a look on demand long ago must not hold an alarm open.
    const checkedAreas = new Set(
      (await store.listAreas())
        .filter((a) => videoCheckMinutesOf(a, alarmSettings.videoCheckMinutes) > 0)
        .map((a) => a.id),
    );
    const areaOf = new Map(devices.map((d) => [d.id, d.areaId]));
    const badVideo =
      checkedAreas.size > 0
        ? (await store.listVideoHealths()).filter(
            (v) => v.health !== 'ok' && checkedAreas.has(areaOf.get(v.deviceId) ?? 0),
          )
        : [];
    return {
      devices,
      changesInWindow,
      silentAgentAreaIds,
      overrunStreak: this.overrunStreak,
      storeUsedPercent: this.storeUsedPercent,
      badVideo,
    };
  }

  /** On an instance that does not lead: tell the screens when the instance that does changed the desk. */
  private async follow(): Promise<void> {
    if (this.options.leads()) return;
    try {
      const revision = await this.options.store.alarmsRevision();
      if (this.revision !== null && revision !== this.revision) this.options.onChanged();
      this.revision = revision;
    } catch (error) {
      this.options.logger.warn(`could not follow the alarm desk: ${String(error)}`);
    }
  }
}
