import type { Clock } from '../runtime';

/** An estimate further off than this from the current one is a step (a clock set by hand, a first contact), not drift. */
export const CLOCK_STEP_MS = 1_000;
const SAMPLES = 8;

interface Sample {
  readonly offsetMs: number;
  readonly roundTripMs: number;
}

/**
 * The central's timeline as seen from an agent (DESIGN.md §4). Every answer
 * of the central carries its time; from the request's send and receive
 * instants on the local clock the offset is estimated as
 * `central - (sent + received) / 2`, trusting the sample with the shortest
 * round trip among the last few (a slow answer says less about the time).
 *
 * The agent's engine runs on this clock, so its observations are placed on
 * the central's timeline whatever the host's clock says. It never goes
 * backwards: after a small correction back, it holds still until local time
 * catches up. A large correction is a step, reported to `onStep` so the
 * engine starts new segments instead of stretching one across the step.
 */
export class CentralClock implements Clock {
  private offsetMs: number;
  private samples: Sample[] = [];
  private last = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly local: Clock,
    initialOffsetMs: number,
    private readonly onStep: (fromMs: number, toMs: number) => void = () => undefined,
  ) {
    this.offsetMs = initialOffsetMs;
  }

  now(): number {
    this.last = Math.max(this.last, this.local.now() + this.offsetMs);
    return this.last;
  }

  /** Central time minus local time, as currently applied. */
  get offset(): number {
    return this.offsetMs;
  }

  /** The local host's clock minus the central's: what the agent reports and the screens warn about. */
  get hostClockError(): number {
    return -this.offsetMs;
  }

  /** One request's timing: local instants when it was sent and answered, and the central's time in the answer. */
  observe(sentAt: number, receivedAt: number, centralTime: number): void {
    const sample = { offsetMs: centralTime - (sentAt + receivedAt) / 2, roundTripMs: Math.max(0, receivedAt - sentAt) };
    const current = this.best();
    // Each sample is right to within half its round trip. One that cannot be reconciled with the
    // current estimate means a clock was moved: the older samples no longer describe it.
    if (
      current &&
      Math.abs(sample.offsetMs - current.offsetMs) > CLOCK_STEP_MS + (sample.roundTripMs + current.roundTripMs) / 2
    ) {
      this.samples = [];
    }
    this.samples.push(sample);
    if (this.samples.length > SAMPLES) this.samples.shift();
    const estimate = Math.round(this.best()!.offsetMs);
    const before = this.offsetMs;
    this.offsetMs = estimate;
    if (Math.abs(estimate - before) > CLOCK_STEP_MS) {
      this.last = Math.min(this.last, this.local.now() + estimate);
      this.onStep(before, estimate);
    }
  }

  /** The fastest recent exchange (the newest among equals): the one that says most about the offset. */
  private best(): Sample | undefined {
    return this.samples.reduce<Sample | undefined>(
      (a, b) => (a === undefined || b.roundTripMs <= a.roundTripMs ? b : a),
      undefined,
    );
  }
}
