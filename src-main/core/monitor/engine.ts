import type { ProberProblem, StatusChangeBatch, SweepSummary } from '../../../src-shared/domain/monitoring';
import type { MonitorSettings } from '../../../src-shared/domain/settings';
import type { ProbedStatus } from '../../../src-shared/domain/status';
import { DomainError } from '../errors';
import type { Clock, Logger } from '../runtime';
import type { MonitorStore, SweepRecord, SweepTarget } from '../store/port';
import { breakContinuity, freshTracking, observe } from './device-tracker';
import type { TrackedDevice } from './device-tracker';
import { mapWithConcurrency } from './pool';
import { RollupBuffer } from './rollup-buffer';
import { ProberUnavailableError } from './probers';
import type { Prober, ProbeResult } from './probers';

/** A console takes over when the lease is not renewed for this long (DESIGN.md §2). */
export const LEASE_TTL_MS = 15_000;
/** The holder renews the lease this often, on its own timer: a long sweep never lets it lapse. */
export const LEASE_RENEW_MS = LEASE_TTL_MS / 3;
const PRUNE_EVERY_MS = 3_600_000;
const DAY = 86_400_000;

type Mutable<T> = T extends ReadonlyArray<infer E> ? E[] : never;
/** One probe's outcome; `problem` set when it could not run at all (then it says nothing about the device). */
type Observed = { readonly target: SweepTarget; readonly at: number } & (
  (ProbeResult & { readonly problem?: undefined }) | { readonly problem: ProberProblem; readonly message: string }
);
export type StatusChangeNotice = StatusChangeBatch['changes'][number];

export interface MonitorOptions {
  /** The central's store, or an agent's outbox: the same engine writes to either. */
  readonly store: MonitorStore;
  readonly prober: Prober;
  readonly clock: Clock;
  /** Waits that `stop()` can cut short; injected so tests can drive sweeps by hand. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly settings: () => MonitorSettings;
  readonly source: string;
  /** Identifies this process in the monitor lease. */
  readonly holder: string;
  readonly logger: Logger;
  /** Every status change of one sweep, at once: one event per sweep, never one per device. */
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
 * overrun. A probe that cannot run (no ping program, no permission) changes
 * no device: its time becomes nodata, and the problem is said once.
 */
export class Monitor {
  private tracked = new Map<number, TrackedDevice>();
  private readonly rollups = new RollupBuffer();
  private epoch: number | null = null;
  private standbyLogged = false;
  private lastPruneAt = 0;
  private reportedProblem: ProberProblem | null = null;
  private readonly stopping = new AbortController();
  private loop: Promise<void> | null = null;
  private renewal: ReturnType<typeof setInterval> | null = null;
  private restartRequested = false;

  constructor(private readonly options: MonitorOptions) {}

  /** True while this instance holds the monitor lease (and so runs the sweeps and the scheduled exports). */
  get holdsLease(): boolean {
    return this.epoch !== null;
  }

  start(): void {
    if (this.loop) return;
    this.loop = this.run();
    this.renewal = setInterval(() => {
      void this.renewLease().catch((error: unknown) =>
        this.options.logger.error('monitor lease renewal failed', error),
      );
    }, LEASE_RENEW_MS);
    this.renewal.unref();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    if (this.renewal) clearInterval(this.renewal);
    await this.loop;
    if (this.epoch !== null) {
      await this.flushMinutes(this.epoch);
      await this.options.store.releaseMonitorLease(this.options.holder, this.epoch);
    }
    this.epoch = null;
  }

  /**
   * Forgets every open segment from the next sweep on: each device's next
   * probe starts a new one. For an agent whose clock estimate stepped, so no
   * segment spans the step.
   */
  restartSegments(): void {
    this.restartRequested = true;
  }

  /**
   * Moves the lease's expiry on, between sweeps and during a long one. If
   * another instance took it (this one was paused), this one stands by.
   */
  async renewLease(): Promise<boolean> {
    const epoch = this.epoch;
    if (epoch === null) return false;
    const renewed = await this.options.store.renewMonitorLease(
      this.options.holder,
      epoch,
      this.options.clock.now() + LEASE_TTL_MS,
    );
    if (!renewed && this.epoch === epoch) {
      this.options.logger.info('monitor lease lost to another instance; standing by');
      this.epoch = null;
      this.tracked.clear();
      this.rollups.clear();
    }
    return renewed;
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
    const { store, clock } = this.options;
    const settings = this.options.settings();
    const startedAt = clock.now();
    if (!(await this.holdLease(startedAt))) return null;
    // The epoch this sweep writes under, whatever the renewal timer learns meanwhile.
    const epoch = this.epoch!;

    const targets = await store.listSweepTargets({
      now: startedAt,
      agentHeartbeatTimeoutMs: settings.agentSilenceMs,
    });
    this.syncTracked(targets);
    const observations = await this.probeAll(targets, settings);
    const record = this.applyObservations(observations, settings);
    const finishedAt = clock.now();
    const minutes = this.rollups.takeOver(finishedAt);
    const notRun = observations.filter((o) => o.problem !== undefined);
    const durationMs = finishedAt - startedAt;
    const summary: SweepSummary = {
      startedAt,
      durationMs,
      devicesProbed: observations.length - notRun.length,
      failures: observations.filter((o) => o.problem === undefined && !o.alive).length,
      overrunMs: Math.max(0, durationMs - settings.intervalMs),
      prober: this.options.prober.name,
      probesNotRun: notRun.length,
      proberProblem: notRun[0]?.problem ?? null,
    };
    this.reportProblem(summary, notRun[0]);

    const applied = await this.write({ ...record.writes, minutes }, summary, finishedAt, settings, epoch);
    if (applied === null) return null;
    const changes = record.changes.filter((c) => applied.has(c.deviceId));
    if (changes.length > 0) this.options.onStatusChanges(changes);
    this.options.onSweep(summary);
    await this.pruneIfDue(finishedAt, settings);
    return summary;
  }

  private async holdLease(now: number): Promise<boolean> {
    if (this.epoch !== null) return true;
    this.epoch = await this.options.store.acquireMonitorLease(this.options.holder, now, LEASE_TTL_MS);
    if (this.epoch === null) {
      if (!this.standbyLogged) this.options.logger.info('another instance is monitoring this store; standing by');
      this.standbyLogged = true;
      return false;
    }
    this.standbyLogged = false;
    this.options.logger.info(`monitoring this store (lease epoch ${this.epoch})`);
    // Whatever happened before we held the lease was not observed by us: start new segments.
    this.tracked.clear();
    this.rollups.clear();
    return true;
  }

  /** Probes every target, unless the prober says it cannot run at all: then nothing is probed. */
  private async probeAll(targets: readonly SweepTarget[], settings: MonitorSettings): Promise<Observed[]> {
    const { prober, clock } = this.options;
    const problem = await prober.check();
    if (problem) {
      const at = clock.now();
      return targets.map((target) => ({ target, at, problem, message: `the ${prober.name} prober cannot run` }));
    }
    return mapWithConcurrency(targets, prober.capacity(settings.concurrency), async (target): Promise<Observed> => {
      const at = clock.now();
      try {
        return { target, at, ...(await prober.probe(target.host, settings.timeoutMs)) };
      } catch (error) {
        const unavailable = error instanceof ProberUnavailableError;
        return {
          target,
          at,
          problem: unavailable ? error.problem : 'prober_failed',
          message: error instanceof Error ? error.message : String(error),
        };
      }
    });
  }

  /** Says in the log, once, that probes cannot run and why, and once that they run again. */
  private reportProblem(summary: SweepSummary, first: Observed | undefined): void {
    const problem = summary.proberProblem;
    if (problem === this.reportedProblem) return;
    this.reportedProblem = problem;
    if (problem && first?.problem) {
      this.options.logger.warn(
        `${summary.probesNotRun} of ${summary.probesNotRun + summary.devicesProbed} probes could not run (${problem}): ${first.message}. ` +
          'No device changes state while probes cannot run; the time counts as no data.',
      );
    } else {
      this.options.logger.info(`the ${summary.prober} prober runs again`);
    }
  }

  /** Writes the sweep; returns the devices whose status change was applied, or null if the lease was lost. */
  private async write(
    writes: Omit<SweepRecord, 'holder' | 'epoch' | 'leaseExpiresAt' | 'source' | 'summary' | 'keepRaw'>,
    summary: SweepSummary,
    finishedAt: number,
    settings: MonitorSettings,
    epoch: number,
  ): Promise<Set<number> | null> {
    try {
      const written = await this.options.store.recordSweep({
        ...writes,
        holder: this.options.holder,
        epoch,
        leaseExpiresAt: finishedAt + LEASE_TTL_MS,
        source: this.options.source,
        summary,
        keepRaw: settings.rawRetentionDays > 0,
      });
      for (const id of written.skippedDevices) this.tracked.delete(id);
      return new Set(written.appliedStatusChanges);
    } catch (error) {
      // Nothing of this sweep was written: forget open segments so the next sweep starts new ones.
      this.tracked.clear();
      if (error instanceof DomainError && error.kind === 'conflict') {
        this.options.logger.info('monitor lease lost to another instance; standing by');
        this.epoch = null;
        this.rollups.clear();
        return null;
      }
      throw error;
    }
  }

  private syncTracked(targets: readonly SweepTarget[]): void {
    if (this.restartRequested) {
      this.restartRequested = false;
      this.tracked.clear();
    }
    const present = new Set<number>();
    for (const target of targets) {
      present.add(target.id);
      const status = target.status as ProbedStatus;
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
    const probes: Mutable<SweepRecord['probes']> = [];
    const keepRaw = settings.rawRetentionDays > 0;
    const changes: StatusChangeNotice[] = [];
    for (const observed of observations) {
      const { target, at } = observed;
      const device = this.tracked.get(target.id)!;
      if (observed.problem !== undefined) {
        // Not observed: the open segment ends where it is, and what follows is nodata.
        this.tracked.set(target.id, breakContinuity(device));
        continue;
      }
      const step = observe(device, { at, alive: observed.alive }, settings);
      if (step.extendTo !== undefined && device.open) {
        extend.push({ deviceId: target.id, startAt: device.open.startAt, endAt: step.extendTo });
      }
      if (step.insert) insert.push({ deviceId: target.id, ...step.insert });
      if (step.change) {
        statusChanges.push({ deviceId: target.id, ...step.change });
        changes.push({ deviceId: target.id, areaId: target.areaId, ...step.change });
      }
      this.tracked.set(target.id, step.next);
      this.rollups.add(target.id, at, observed.alive, observed.rttMs);
      if (keepRaw) probes.push({ deviceId: target.id, at, alive: observed.alive, rttMs: observed.rttMs });
    }
    return { writes: { extend, insert, statusChanges, probes }, changes };
  }

  /** The minute in progress of every device, written as the monitor stops, so a restart loses no figures. */
  private async flushMinutes(epoch: number): Promise<void> {
    const minutes = this.rollups.takeAll();
    if (minutes.length === 0) return;
    try {
      await this.options.store.recordSweep({
        holder: this.options.holder,
        epoch,
        leaseExpiresAt: this.options.clock.now() + LEASE_TTL_MS,
        source: this.options.source,
        summary: null,
        extend: [],
        insert: [],
        statusChanges: [],
        minutes,
        probes: [],
        keepRaw: false,
      });
    } catch (error) {
      this.options.logger.warn(`the last minute's probe figures could not be written: ${String(error)}`);
    }
  }

  private async pruneIfDue(now: number, settings: MonitorSettings): Promise<void> {
    if (now - this.lastPruneAt < PRUNE_EVERY_MS) return;
    this.lastPruneAt = now;
    await this.options.store.pruneObservations({
      rawBefore: now - settings.rawRetentionDays * DAY,
      rollupsBefore: now - settings.rollupRetentionDays * DAY,
      hourlyBefore: now - settings.hourlyRetentionDays * DAY,
    });
  }
}
