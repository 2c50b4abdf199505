import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { MAX_BATCH_ROWS } from '../../../src-shared/domain/agents';
import type { AgentConfig, AgentHeartbeat } from '../../../src-shared/domain/agents';
import type { SweepSummary } from '../../../src-shared/domain/monitoring';
import { DEFAULT_MONITOR_SETTINGS } from '../../../src-shared/domain/settings';
import type { MonitorSettings } from '../../../src-shared/domain/settings';
import { agentSource } from '../../../src-shared/domain/uptime';
import { Monitor } from '../monitor/engine';
import type { Prober } from '../monitor/probers';
import type { Clock, Logger } from '../runtime';
import { VideoChecker } from '../video/checker';
import type { CredentialSeal } from '../video/credentials';
import { CentralClock } from './central-clock';
import { HostStats } from './host-stats';
import type { OutboxStore } from './outbox/port';
import { SyncError } from './sync-client';
import type { SyncClient } from './sync-client';
import { Backoff, wait } from './backoff';
import { NO_VIDEO } from './outbox/camera-book';
import { agentVideoPlan, reportVideoHealth, sealedPasswords } from './video';

/** Without status changes to hurry it, what is pending goes to the central this often. */
export const SYNC_EVERY_MS = 10_000;
/** How long a stopping agent may spend sending what is pending. */
const FINAL_SYNC_MS = 5_000;

export interface AgentOptions {
  readonly areaCode: string;
  readonly outbox: OutboxStore;
  /** Made with the agent's clock-timing callback (see `timing`). */
  readonly client: (timing: (sentAt: number, receivedAt: number, centralTime: number) => void) => SyncClient;
  readonly prober: Prober;
  /** Seals the cameras' passwords in the outbox, and opens them to ask the cameras. */
  readonly credentials: CredentialSeal;
  /** The host's own clock; the engine runs on the central's timeline estimated from it. */
  readonly localClock: Clock;
  readonly logger: Logger;
  readonly version: string;
  readonly dataDir: string;
  /** Run the loops (sweeps, heartbeats, sync). Off in tests that drive each step by hand. */
  readonly autoRun?: boolean;
}

/** What the status page shows, and what tests read. */
export interface AgentStatus {
  readonly areaCode: string;
  readonly areaName: string | null;
  readonly devices: number;
  readonly link: 'unknown' | 'ok' | 'failing';
  /** When the central last answered (central time). */
  readonly lastContactAt: number | null;
  readonly lastError: { readonly code: string; readonly message: string; readonly at: number } | null;
  readonly clockOffsetMs: number;
  readonly outbox: { readonly batches: number; readonly rows: number; readonly oldestUnsentAt: number | null };
  readonly observations: { readonly recorded: number; readonly acknowledged: number };
  /** The area's cameras here: how often they are looked at, how many look bad, how many looks the central lacks. */
  readonly cameras: {
    readonly total: number;
    readonly everyMinutes: number;
    readonly bad: number;
    readonly unreported: number;
  };
  readonly lastSweep: SweepSummary | null;
  readonly now: number;
}

/**
 * Agent mode (DESIGN.md §4): the central's monitor engine, run locally over
 * the area's devices into an on-disk outbox, a heartbeat, and a sync loop
 * that sends sealed batches in order and deletes each only once the central
 * acknowledged it. Works on with its last configuration when the central is
 * away, for as long as the disk lasts.
 */
export class AgentRuntime {
  readonly clock: CentralClock;
  readonly monitor: Monitor;
  readonly video: VideoChecker;
  private readonly client: SyncClient;
  private readonly hostStats: HostStats;
  private configuration: AgentConfig | null = null;
  private machineId = '';
  private lastContactAt: number | null = null;
  private lastError: AgentStatus['lastError'] = null;
  private persistedOffset: number;
  private readonly stopping = new AbortController();
  private loops: Promise<void>[] = [];
  private wake: (() => void) | null = null;
  private syncing: Promise<void> | null = null;

  private constructor(
    private readonly options: AgentOptions,
    initialOffset: number,
  ) {
    this.persistedOffset = initialOffset;
    this.clock = new CentralClock(options.localClock, initialOffset, (from, to) => {
      options.logger.warn(`the clock estimate stepped by ${Math.round((to - from) / 1000)} s: segments start afresh`);
      this.monitor.restartSegments();
    });
    this.client = options.client((sentAt, receivedAt, centralTime) => {
      this.clock.observe(sentAt, receivedAt, centralTime);
      this.lastContactAt = centralTime;
    });
    this.hostStats = new HostStats(options.dataDir);
    this.monitor = new Monitor({
      store: options.outbox,
      prober: options.prober,
      clock: this.clock,
      settings: () => this.monitorSettings(),
      source: agentSource(options.areaCode),
      holder: `${hostname()}:${process.pid}:${randomUUID()}`,
      logger: options.logger,
      // A device that fell is news for the control room now, not at the next sync (unless the link is failing:
      // then the retries keep their pace).
      onStatusChanges: () => {
        if (!this.lastError) this.wake?.();
      },
      onSweep: () => undefined,
    });
    this.video = new VideoChecker({
      store: options.outbox,
      clock: this.clock,
      credentials: options.credentials,
      plan: agentVideoPlan(options.outbox, () => this.configuration),
      logger: options.logger,
      leads: () => this.monitor.holdsLease,
      // A picture that went bad is news for the control room now, like a fall.
      onChanged: () => {
        if (!this.lastError) this.wake?.();
      },
    });
  }

  static async start(options: AgentOptions): Promise<AgentRuntime> {
    const offset = Number((await options.outbox.getValue('clock_offset')) ?? '0');
    const agent = new AgentRuntime(options, Number.isFinite(offset) ? offset : 0);
    agent.machineId = (await options.outbox.getValue('machine_id')) ?? randomUUID();
    await options.outbox.setValue('machine_id', agent.machineId);
    agent.configuration = await options.outbox.config();
    if (options.autoRun ?? true) agent.run();
    return agent;
  }

  get config(): AgentConfig | null {
    return this.configuration;
  }

  /** Asks the central for the area's devices and settings, and keeps them. */
  async refreshConfig(): Promise<AgentConfig> {
    const answer = await this.track(this.client.config());
    if (answer.config.area.code !== this.options.areaCode) {
      throw new SyncError(`the central sent the configuration of ${answer.config.area.code}`, 'wrong_area', null);
    }
    // A central from before cameras were handed to agents sends none.
    const config = answer.config.video ? answer.config : { ...answer.config, video: NO_VIDEO };
    await this.options.outbox.numberAfter(answer.lastSequence);
    await this.options.outbox.replaceConfig(config, sealedPasswords(answer.cameraPasswords, this.options.credentials));
    if (this.configuration?.version !== config.version) {
      this.options.logger.info(
        `configuration ${config.version}: ${config.devices.length} devices and ${config.video.cameras.length} cameras of ${config.area.code}`,
      );
    }
    this.configuration = config;
    return config;
  }

  async heartbeatOnce(): Promise<void> {
    const [depth, lastSweep, devicesOnline, host] = await Promise.all([
      this.options.outbox.depth(),
      this.options.outbox.lastSweep(),
      this.options.outbox.devicesOnline(),
      this.hostStats.read(),
    ]);
    const heartbeat: AgentHeartbeat = {
      agentVersion: this.options.version,
      machineId: this.machineId,
      hostName: hostname().slice(0, 253) || 'unknown',
      configVersion: this.configuration?.version ?? null,
      host,
      outbox: depth,
      lastSweep: lastSweep && {
        startedAt: lastSweep.startedAt,
        durationMs: lastSweep.durationMs,
        devicesProbed: lastSweep.devicesProbed,
        failures: lastSweep.failures,
      },
      devicesOnline,
      clockOffsetMs: this.clock.hostClockError,
      lastRoundTripMs: this.client.lastRoundTripMs,
    };
    const answer = await this.track(this.client.heartbeat(heartbeat));
    if (answer.configVersion !== this.configuration?.version) await this.refreshConfig();
  }

  /**
   * Sends what is pending, batch after batch, until nothing is left or the
   * central refuses or cannot be reached (then the batch stays, and the error
   * is shown). Never two at once.
   */
  syncOnce(): Promise<void> {
    this.syncing ??= this.drain().finally(() => (this.syncing = null));
    return this.syncing;
  }

  status = async (): Promise<AgentStatus> => {
    const [outbox, observations, lastSweep, cameras] = await Promise.all([
      this.options.outbox.depth(),
      this.options.outbox.counters(),
      this.options.outbox.lastSweep(),
      this.options.outbox.cameraSummary(),
    ]);
    return {
      areaCode: this.options.areaCode,
      areaName: this.configuration?.area.name ?? null,
      devices: this.configuration?.devices.length ?? 0,
      link: this.lastError ? 'failing' : this.lastContactAt === null ? 'unknown' : 'ok',
      lastContactAt: this.lastContactAt,
      lastError: this.lastError,
      clockOffsetMs: this.clock.hostClockError,
      outbox,
      observations,
      cameras: { ...cameras, everyMinutes: this.configuration?.video.everyMinutes ?? 0 },
      lastSweep,
      now: this.clock.now(),
    };
  };

  async stop(): Promise<void> {
    this.stopping.abort();
    this.wake?.();
    await Promise.all(this.loops);
    await this.monitor.stop();
    await this.video.stop();
    await this.syncing;
    // A clean stop hands over what is pending while the central answers; a failing link is not waited for.
    if (this.configuration && this.lastContactAt !== null && !this.lastError) {
      const limit = new AbortController();
      await Promise.race([this.drain(true).catch(() => undefined), wait(FINAL_SYNC_MS, limit.signal)]);
      limit.abort();
    }
    this.client.close();
  }

  private async drain(final = false): Promise<void> {
    for (;;) {
      const batch = await this.options.outbox.nextBatch({ sealedAt: this.clock.now(), maxRows: MAX_BATCH_ROWS });
      if (!batch) break;
      const answer = await this.track(this.client.batch(batch.body));
      if (answer.sequence !== batch.sequence) {
        throw new SyncError(`the central acknowledged ${answer.sequence}, not ${batch.sequence}`, 'bad_answer', 200);
      }
      await this.options.outbox.acknowledge(batch.sequence);
      // A stop does not wait for a long backlog: the final flush below has its own time limit.
      if (this.stopping.signal.aborted && !final) return;
    }
    // The cameras' pictures after the observations: a state, so only each camera's latest look goes.
    await reportVideoHealth(
      this.options.outbox,
      (report) => this.track(this.client.videoHealth(report)),
      () => this.stopping.signal.aborted && !final,
    );
  }

  /** Notes the outcome of every exchange: the last error for the status page, the clock offset to disk. */
  private async track<T>(exchange: Promise<T>): Promise<T> {
    try {
      const answer = await exchange;
      if (this.lastError) {
        this.options.logger.info('the central answers again');
        this.lastError = null;
        // The link is back: what waited for it goes now, not after the rest of a back-off.
        this.wake?.();
      }
      if (Math.abs(this.clock.offset - this.persistedOffset) > 100) {
        this.persistedOffset = this.clock.offset;
        await this.options.outbox.setValue('clock_offset', String(this.clock.offset));
      }
      return answer;
    } catch (error) {
      const failure = error instanceof SyncError ? error : new SyncError(String(error), 'network', null);
      if (this.lastError?.message !== failure.message) this.options.logger.warn(`sync: ${failure.message}`);
      this.lastError = { code: failure.code, message: failure.message, at: this.clock.now() };
      throw failure;
    }
  }

  private monitorSettings(): MonitorSettings {
    const m = this.configuration?.monitor;
    return m ? { ...DEFAULT_MONITOR_SETTINGS, ...m, agentHeartbeatMs: m.heartbeatMs } : DEFAULT_MONITOR_SETTINGS;
  }

  private run(): void {
    const signal = this.stopping.signal;
    this.loops.push(
      (async () => {
        // The first start needs the device list: nothing to probe before the central has sent it once.
        const backoff = new Backoff();
        while (!this.configuration && !signal.aborted) {
          await this.refreshConfig().catch(() => wait(backoff.next(), signal));
        }
        if (signal.aborted) return;
        this.monitor.start();
        this.video.start();
        this.loops.push(this.heartbeatLoop(signal), this.syncLoop(signal));
      })(),
    );
  }

  private async heartbeatLoop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.heartbeatOnce().catch(() => undefined);
      await wait(this.monitorSettings().agentHeartbeatMs, signal);
    }
  }

  private async syncLoop(signal: AbortSignal): Promise<void> {
    const backoff = new Backoff();
    while (!signal.aborted) {
      let pause = SYNC_EVERY_MS;
      try {
        await this.syncOnce();
        backoff.reset();
      } catch {
        pause = backoff.next();
      }
      await this.pause(pause, signal);
    }
  }

  /** Until the next round, or sooner when woken (a device changed, the link came back). */
  private async pause(ms: number, signal: AbortSignal): Promise<void> {
    const woken = new AbortController();
    const wake = () => woken.abort();
    signal.addEventListener('abort', wake, { once: true });
    this.wake = wake;
    await wait(ms, woken.signal);
    this.wake = null;
    signal.removeEventListener('abort', wake);
  }
}
