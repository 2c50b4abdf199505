import type { ProberChoice, ProberProblem } from '../../../../src-shared/domain/monitoring';

export interface ProbeResult {
  readonly alive: boolean;
  /** Round-trip time of a successful probe; null when it failed or the prober cannot tell. */
  readonly rttMs: number | null;
}

/**
 * A probe that could not run at all (the program is missing, not permitted).
 * It says nothing about the device, so it must never count as an outage.
 */
export class ProberUnavailableError extends Error {
  constructor(
    readonly problem: ProberProblem,
    message: string,
  ) {
    super(message);
    this.name = 'ProberUnavailableError';
  }
}

/** One way of asking "does this host answer?". Every prober sits behind this and only this. */
export interface Prober {
  readonly name: string;
  /**
   * How many probes it holds in flight at once. A prober that costs a process
   * per probe honours the operator's setting; one socket or one process per
   * sweep holds thousands, whatever the setting says.
   */
  capacity(configured: number): number;
  /**
   * Throws ProberUnavailableError when the probe cannot run; a host that does
   * not answer is `alive: false`. An aborted probe rejects with the signal's
   * reason: it says nothing about the host.
   */
  probe(host: string, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult>;
  /** Whether the prober can run on this machine now; asked before a sweep, so a broken one probes nothing. */
  check(): Promise<ProberProblem | null>;
  /** Which of several probers runs and why (only a prober that chooses among others has this). */
  choice?(): ProberChoice;
  /** Releases what it holds (sockets); probes after this fail as unavailable. */
  close?(): void;
}
