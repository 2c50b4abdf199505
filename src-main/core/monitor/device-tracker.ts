import type { DeviceStatus } from '../../../src-shared/domain/status';

export type ProbeStatus = Extract<DeviceStatus, 'ONLINE' | 'OFFLINE'>;
type ProbeState = 'online' | 'offline';

/** What the monitor remembers about one device between sweeps. */
export interface TrackedDevice {
  readonly status: ProbeStatus;
  /** The segment this run of the monitor is extending; null after a start, a gap or a write failure. */
  readonly open: { readonly id: number | null; readonly state: ProbeState; readonly endAt: number } | null;
  /** Consecutive probes that contradict `status` but have not confirmed a change yet. */
  readonly run: { readonly count: number; readonly firstAt: number } | null;
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
  /** Start a new segment (its id is learnt once the sweep is written). */
  readonly insert?: { readonly state: ProbeState; readonly startAt: number; readonly endAt: number };
  readonly change?: { readonly from: ProbeStatus; readonly to: ProbeStatus; readonly at: number };
}

const stateOf = (status: ProbeStatus): ProbeState => (status === 'ONLINE' ? 'online' : 'offline');

export function freshTracking(status: ProbeStatus): TrackedDevice {
  return { status, open: null, run: null };
}

/**
 * One probe result applied to one device. Pure, so every rule is unit-tested:
 * - a change needs `downAfter` failed (or `upAfter` successful) probes in a row;
 * - the new state starts at the first probe of the run that confirmed it;
 * - a run broken before confirming counts as the state the device was in;
 * - a gap longer than `gapCapMs` between observations is left uncovered (nodata).
 */
export function observe(device: TrackedDevice, observation: Observation, rules: TrackerRules): TrackerStep {
  const agrees = observation.alive === (device.status === 'ONLINE');
  const continuous = (from: number) => device.open !== null && from - device.open.endAt <= rules.gapCapMs;

  if (agrees) {
    const from = device.run?.firstAt ?? observation.at;
    if (device.open && continuous(from)) {
      return {
        next: { ...device, open: { ...device.open, endAt: observation.at }, run: null },
        extendTo: observation.at,
      };
    }
    const insert = { state: stateOf(device.status), startAt: from, endAt: observation.at };
    return {
      next: { status: device.status, open: { id: null, state: insert.state, endAt: insert.endAt }, run: null },
      insert,
    };
  }

  const run = { count: (device.run?.count ?? 0) + 1, firstAt: device.run?.firstAt ?? observation.at };
  const needed = observation.alive ? rules.upAfter : rules.downAfter;
  if (run.count < needed) return { next: { ...device, run } };

  const to: ProbeStatus = observation.alive ? 'ONLINE' : 'OFFLINE';
  const insert = { state: stateOf(to), startAt: run.firstAt, endAt: observation.at };
  return {
    next: { status: to, open: { id: null, state: insert.state, endAt: insert.endAt }, run: null },
    // The old state lasted until the run began, if nothing was missed in between.
    ...(continuous(run.firstAt) ? { extendTo: run.firstAt } : {}),
    insert,
    change: { from: device.status, to, at: run.firstAt },
  };
}
