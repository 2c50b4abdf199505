import type { SweepSummary } from '../../../src-shared/domain/monitoring';
import type { MonitorSettings } from '../../../src-shared/domain/settings';
import type { DeviceStatus } from '../../../src-shared/domain/status';
import type { Logger } from '../runtime';
import { DomainError } from '../errors';
import type { Clock } from '../runtime';
import type { Store, SweepRecord, SweepTarget } from '../store/port';
import { freshTracking, observe } from './device-tracker';
import type { ProbeStatus, TrackedDevice } from './device-tracker';
import { mapWithConcurrency } from './pool';
import type { Prober } from './probers';

/** A console takes over when the lease is not renewed for this long (DESIGN.md §2). */
export const LEASE_TTL_MS = 15_000;
/** An agent silent for this long no longer covers its area: the central pings it itself. */
export const AGENT_HEARTBEAT_TIMEOUT_MS = 180_000;
const PRUNE_EVERY_MS = 3_600_000;

type Mutable<T> = T extends ReadonlyArray<infer E> ? E[] : never;
interface Observed {
  readonly target: SweepTarget;
  readonly at: number;
  readonly alive: boolean;
  readonly rttMs: number | null;
}
const DAY = 86_400_000;

export interface StatusChangeNotice {
  readonly deviceId: number;
  readonly areaId: number;
  readonly from: DeviceStatus;
  readonly to: DeviceStatus;
  readonly at: number;
}

export interface MonitorOptions {
  readonly store: Store;
  readonly prober: Prober;
  readonly clock: Clock;
  /** Waits that `stop()` can cut short; injected so tests can drive sweeps by hand. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly settings: () => MonitorSettings;
  readonly source: string;
  /** Identifies this process in the monitor lease. */
  readonly holder: string;
  readonly logger: Logger;
  readonly onStatusChanges: (changes: readonly StatusChangeNotice[]) => void;
  readonly onSweep: (summary: SweepSummary) => void;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/**
 * The sweep loop. One loop for all devices (not a timer per device): every
 * interval it probes every device due, at most `concurrency` at a time, and
 * writes the sweep in one transaction. The next sweep starts when the
 * previous one ends, so sweeps never overlap; a long one is reported as an
 * overrun.
 */
export class Monitor {
  private tracked = new Map<number, TrackedDevice>();
  private epoch: number | null = null;
  private standbyLogged = false;
  private lastPruneAt = 0;
  private readonly stopping = new AbortController();
  private loop: Promise<void> | null = null;

  constructor(private readonly options: MonitorOptions) {}

  start(): void {
    if (this.loop) return;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    if (this.epoch !== null) await this.options.store.releaseMonitorLease(this.options.holder, this.epoch);
    this.epoch = null;
  }

  private async run(): Promise<void> {
    const sleep = this.options.sleep ?? abortableSleep;
    while (!this.stopping.signal.aborted) {
      const startedAt = this.options.clock.now();
      try {
        await this.sweepOnce();
      } catch (error) {
        this.options.logger.error('sweep failed', error);
      }
      const elapsed = this.options.clock.now() - startedAt;
      await sleep(Math.max(0, this.options.settings().intervalMs - elapsed), this.stopping.signal);
    }
  }

  /** One sweep. Public so tests can drive time by hand; returns null while another instance holds the lease. */
  async sweepOnce(): Promise<SweepSummary | null> {
    const { store, clock, prober, logger } = this.options;
    const settings = this.options.settings();
    const startedAt = clock.now();

    if (this.epoch === null) {
      this.epoch = await store.acquireMonitorLease(this.options.holder, startedAt, LEASE_TTL_MS);
      if (this.epoch === null) {
        if (!this.standbyLogged) logger.info('another instance is monitoring this store; standing by');
        this.standbyLogged = true;
        return null;
      }
      this.standbyLogged = false;
      // Whatever happened before we held the lease was not observed by us: start new segments.
      this.tracked.clear();
    }

    const targets = await store.listSweepTargets({
      now: startedAt,
      agentHeartbeatTimeoutMs: AGENT_HEARTBEAT_TIMEOUT_MS,
    });
    this.syncTracked(targets);

    const observations = await mapWithConcurrency(targets, settings.concurrency, async (target): Promise<Observed> => {
      const at = clock.now();
      try {
        return { target, at, ...(await prober.probe(target.host, settings.timeoutMs)) };
      } catch (error) {
        // A prober that cannot run (bad host name, ping missing) must not stop the sweep.
        logger.error(`probe of ${target.host} failed to run`, error);
        return { target, at, alive: false, rttMs: null };
      }
    });

    const record = this.applyObservations(observations, settings);
    const finishedAt = clock.now();
    const durationMs = finishedAt - startedAt;
    const summary: SweepSummary = {
      startedAt,
      durationMs,
      devicesProbed: observations.length,
      failures: observations.filter((o) => !o.alive).length,
      overrunMs: Math.max(0, durationMs - settings.intervalMs),
    };

    let applied = new Set<number>();
    try {
      const written = await store.recordSweep({
        ...record.writes,
        holder: this.options.holder,
        epoch: this.epoch,
        leaseExpiresAt: finishedAt + LEASE_TTL_MS,
        source: this.options.source,
        summary,
        keepRaw: settings.rawRetentionDays > 0,
      });
      written.insertedSegmentIds.forEach((id, index) => {
        const deviceId = record.insertedFor[index]!;
        const device = this.tracked.get(deviceId);
        if (!device?.open) return;
        if (id === null) this.tracked.delete(deviceId);
        else this.tracked.set(deviceId, { ...device, open: { ...device.open, id } });
      });
      applied = new Set(written.appliedStatusChanges);
    } catch (error) {
      // Nothing of this sweep was written: forget open segments so the next sweep starts new ones.
      this.tracked.clear();
      if (error instanceof DomainError && error.kind === 'conflict') {
        logger.info('monitor lease lost to another instance; standing by');
        this.epoch = null;
        return null;
      }
      throw error;
    }

    const changes = record.changes.filter((c) => applied.has(c.deviceId));
    if (changes.length > 0) this.options.onStatusChanges(changes);
    this.options.onSweep(summary);
    await this.pruneIfDue(finishedAt, settings);
    return summary;
  }

  private syncTracked(targets: readonly SweepTarget[]): void {
    const present = new Set<number>();
    for (const target of targets) {
      present.add(target.id);
      const status = target.status as ProbeStatus;
      const known = this.tracked.get(target.id);
      // A status we did not write (a workflow returned the device to OFFLINE) starts tracking afresh.
      if (!known || known.status !== status) this.tracked.set(target.id, freshTracking(status));
    }
    for (const id of this.tracked.keys()) if (!present.has(id)) this.tracked.delete(id);
  }

  /** Runs every observation through its device's tracker and collects what the sweep must write. */
  private applyObservations(observations: readonly Observed[], settings: MonitorSettings) {
    const extend: Mutable<SweepRecord['extend']> = [];
    const insert: Mutable<SweepRecord['insert']> = [];
    const statusChanges: Mutable<SweepRecord['statusChanges']> = [];
    const insertedFor: number[] = [];
    const changes: StatusChangeNotice[] = [];
    for (const { target, at, alive } of observations) {
      const device = this.tracked.get(target.id)!;
      const step = observe(device, { at, alive }, settings);
      if (step.extendTo !== undefined && device.open?.id != null) {
        extend.push({ segmentId: device.open.id, endAt: step.extendTo });
      }
      if (step.insert) {
        insert.push({ deviceId: target.id, ...step.insert });
        insertedFor.push(target.id);
      }
      if (step.change) {
        statusChanges.push({ deviceId: target.id, ...step.change });
        changes.push({ deviceId: target.id, areaId: target.areaId, ...step.change });
      }
      this.tracked.set(target.id, step.next);
    }
    const probes = observations.map((o) => ({ deviceId: o.target.id, at: o.at, alive: o.alive, rttMs: o.rttMs }));
    return { writes: { extend, insert, statusChanges, probes }, insertedFor, changes };
  }

  private async pruneIfDue(now: number, settings: MonitorSettings): Promise<void> {
    if (now - this.lastPruneAt < PRUNE_EVERY_MS) return;
    this.lastPruneAt = now;
    await this.options.store.pruneObservations({
      rawBefore: now - settings.rawRetentionDays * DAY,
      rollupsBefore: now - settings.rollupRetentionDays * DAY,
    });
  }
}
