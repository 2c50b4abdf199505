import type { ProberProblem } from '../../src-shared/domain/monitoring';
import type { Prober, ProbeResult } from '../../src-main/core/monitor/probers';

/** A prober whose answers the test sets per host, and which counts what it was asked. */
export class ScriptedProber implements Prober {
  readonly name = 'scripted';
  capacity(configured: number): number {
    return configured;
  }
  private readonly down = new Set<string>();
  readonly calls = new Map<string, number>();
  /** What `check` answers: set it to play a prober that cannot run (no ping program, say). */
  problem: ProberProblem | null = null;
  /** Runs while a probe is in flight: lets a test change the world in the middle of a sweep. */
  onProbe: ((host: string) => Promise<void>) | undefined;

  constructor(
    private readonly rttMs = 0.4,
    private readonly delayMs = 0,
  ) {}

  setReachable(host: string, reachable: boolean): void {
    if (reachable) this.down.delete(host);
    else this.down.add(host);
  }

  callsFor(host: string): number {
    return this.calls.get(host) ?? 0;
  }

  check(): Promise<ProberProblem | null> {
    return Promise.resolve(this.problem);
  }

  async probe(host: string): Promise<ProbeResult> {
    this.calls.set(host, this.callsFor(host) + 1);
    await this.onProbe?.(host);
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    return this.down.has(host) ? { alive: false, rttMs: null } : { alive: true, rttMs: this.rttMs };
  }
}
