import type { ProbedStatus } from '../../../src-shared/domain/status';

/** The statuses a probe can confirm. */
export type ObservedStatus = Exclude<ProbedStatus, 'PENDING'>;
type ProbeState = 'online' | 'offline';

/** What the monitor remembers about one device between sweeps. */
export interface TrackedDevice {
  readonly status: ProbedStatus;
  /**
   * The segment this run of the monitor is extending, known by its start (the
   * store finds it by device, source and start); null after a start, a gap, a
   * probe that could not run, or a write failure.
   */
  readonly open: { readonly state: ProbeState; readonly startAt: number; readonly endAt: number } | null;
  /** Consecutive probes with the same answer that contradict `status` but have not confirmed a change yet. */
  readonly run: { readonly count: number; readonly firstAt: number; readonly alive: boolean } | null;
}

export interface TrackerRules {
  readonly downAfter: number;
  readonly upAfter: number;
  readonly gapCapMs: number;
}

export interface Observation {
  readonly at: number;
  readonly alive: boolean;
}

export interface TrackerStep {
  readonly next: TrackedDevice;
  /** Move the open segment's end forward to this instant. */
  readonly extendTo?: number;
  /** Start a new segment. */
  readonly insert?: { readonly state: ProbeState; readonly startAt: number; readonly endAt: number };
  readonly change?: { readonly from: ProbedStatus; readonly to: ObservedStatus; readonly at: number };
}

const stateOf = (status: ObservedStatus): ProbeState => (status === 'ONLINE' ? 'online' : 'offline');

export function freshTracking(status: ProbedStatus): TrackedDevice {
  return { status, open: null, run: null };
}

/** Forgets the open segment: the next observation starts a new one, and the time in between is nodata. */
export function breakContinuity(device: TrackedDevice): TrackedDevice {
  return { ...device, open: null, run: null };
}

/**
 * One probe result applied to one device. Pure, so every rule is unit-tested:
 * - a change needs `downAfter` failed (or `upAfter` successful) probes in a row;
 * - the new state starts at the first probe of the run that confirmed it;
 * - a run broken before confirming counts as the state the device was in;
 * - a gap longer than `gapCapMs` between observations is left uncovered (nodata);
 * - a PENDING device (never observed) has no segment until a run confirms its
 *   first state: the time before is nobody's.
 */
export function observe(device: TrackedDevice, observation: Observation, rules: TrackerRules): TrackerStep {
  const agrees = device.status !== 'PENDING' && observation.alive === (device.status === 'ONLINE');
  const continuous = (from: number) => device.open !== null && from - device.open.endAt <= rules.gapCapMs;

  if (agrees) {
    const status = device.status;
    const from = device.run?.firstAt ?? observation.at;
    if (device.open && continuous(from)) {
      return {
        next: { ...device, open: { ...device.open, endAt: observation.at }, run: null },
        extendTo: observation.at,
      };
    }
    const insert = { state: stateOf(status), startAt: from, endAt: observation.at };
    return { next: { status, open: insert, run: null }, insert };
  }

  const sameRun = device.run !== null && device.run.alive === observation.alive;
  const run = {
    count: sameRun ? device.run.count + 1 : 1,
    firstAt: sameRun ? device.run.firstAt : observation.at,
    alive: observation.alive,
  };
  const needed = observation.alive ? rules.upAfter : rules.downAfter;
  if (run.count < needed) return { next: { ...device, run } };

  const to: ObservedStatus = observation.alive ? 'ONLINE' : 'OFFLINE';
  const insert = { state: stateOf(to), startAt: run.firstAt, endAt: observation.at };
  return {
    next: { status: to, open: insert, run: null },
    // The old state lasted until the run began, if nothing was missed in between.
    ...(continuous(run.firstAt) ? { extendTo: run.firstAt } : {}),
    insert,
    change: { from: device.status, to, at: run.firstAt },
  };
}
