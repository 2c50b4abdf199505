import type { ProberChoice, ProberProblem } from '../../../../src-shared/domain/monitoring';
import type { Logger } from '../../runtime';
import { FpingProber } from './fping';
import { icmpPermissionHint, IcmpSocketProber } from './icmp-socket';
import type { ProbeResult, Prober } from './prober';
import { SystemPingProber } from './system-ping';
import { WindowsIcmpProber } from './windows-icmp';

export { ProberUnavailableError } from './prober';
export type { ProbeResult, Prober } from './prober';
export { SystemPingProber } from './system-ping';
export { FpingProber } from './fping';
export { IcmpSocketProber } from './icmp-socket';
export { WindowsIcmpProber } from './windows-icmp';
export { findExecutable } from './executables';

/** How long a better prober's refusal stands before it is asked again. */
const RECHECK_REFUSED_MS = 30_000;

/**
 * Picks the best prober this machine allows, in order: on Linux ICMP sockets
 * (thousands in flight from one socket) then fping (one process per sweep);
 * on Windows IcmpSendEcho2; everywhere last the system ping (a process per
 * probe). Asked before every sweep, so a fixed setting or a newly installed
 * program is taken up within half a minute; says in the log when the choice
 * changes and why, with what to change.
 */
export class AutoProber implements Prober {
  private active: Prober;
  private problems = new Map<string, ProberProblem | null>();
  private readonly refusals = new Map<string, { at: number; problem: ProberProblem }>();

  constructor(
    private readonly candidates: readonly Prober[],
    private readonly logger: Logger | undefined,
  ) {
    if (candidates.length === 0) throw new Error('AutoProber needs at least one prober');
    this.active = candidates[candidates.length - 1]!;
  }

  get name(): string {
    return this.active.name;
  }

  capacity(configured: number): number {
    return this.active.capacity(configured);
  }

  probe(host: string, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> {
    return this.active.probe(host, timeoutMs, signal);
  }

  async check(): Promise<ProberProblem | null> {
    const before = this.active;
    // Only what this check tried: a prober after the chosen one was not asked.
    this.problems = new Map();
    let chosen: Prober | null = null;
    const now = Date.now();
    for (const candidate of this.candidates) {
      const problem = await this.checkCandidate(candidate, now);
      this.problems.set(candidate.name, problem);
      if (problem === null) {
        chosen = candidate;
        break;
      }
    }
    this.active = chosen ?? this.candidates[this.candidates.length - 1]!;
    if (!this.announced || this.active !== before || (chosen === null) !== this.failing) {
      this.announce(chosen !== null);
    }
    this.announced = true;
    this.failing = chosen === null;
    return chosen === null ? (this.problems.get(this.active.name) ?? 'prober_failed') : null;
  }

  /**
   * A better prober that was refused is asked again at most every 30 s, not
   * at every sweep (an ICMP socket refused, a PATH searched for fping): a fix
   * is still taken up within half a minute. The last resort is asked every
   * time; it keeps its own pace.
   */
  private async checkCandidate(candidate: Prober, now: number): Promise<ProberProblem | null> {
    const refused = this.refusals.get(candidate.name);
    const last = candidate === this.candidates[this.candidates.length - 1];
    if (refused && !last && now - refused.at < RECHECK_REFUSED_MS) return refused.problem;
    const problem = await candidate.check();
    if (problem === null) this.refusals.delete(candidate.name);
    else this.refusals.set(candidate.name, { at: now, problem });
    return problem;
  }

  /** Which prober runs and why the better ones do not, for Settings and the sweep card. */
  choice(): ProberChoice {
    return {
      active: this.failing ? null : this.active.name,
      candidates: this.candidates.map((candidate) => ({
        name: candidate.name,
        problem: this.problems.has(candidate.name) ? (this.problems.get(candidate.name) ?? null) : null,
        tried: this.problems.has(candidate.name),
      })),
    };
  }

  close(): void {
    for (const candidate of this.candidates) candidate.close?.();
  }

  private failing = false;
  private announced = false;

  private announce(working: boolean): void {
    const skipped = this.candidates
      .filter((c) => this.problems.get(c.name))
      .map((c) => `${c.name}: ${advice(this.problems.get(c.name)!)}`)
      .join('; ');
    if (working) {
      this.logger?.info(`probing with ${this.active.name}${skipped ? ` (not available: ${skipped})` : ''}`);
    } else {
      this.logger?.warn(`no prober can run on this machine (${skipped})`);
    }
  }
}

/** A problem in the words the log gives it, with what to change where that is known. */
function advice(problem: ProberProblem): string {
  if (problem === 'icmp_not_permitted') return icmpPermissionHint();
  if (problem === 'fping_missing') return 'fping is not installed (apt-get install fping)';
  return problem;
}

/** Every prober the product knows, registered here and nowhere else; `auto` picks among them. */
export function createProberRegistry(logger?: Logger): ReadonlyMap<string, Prober> {
  // In order of preference on each platform; the system ping is everywhere the last resort.
  const probers: Prober[] =
    process.platform === 'win32'
      ? [new WindowsIcmpProber(), new SystemPingProber()]
      : [new IcmpSocketProber(), new FpingProber(), new SystemPingProber()];
  const registry = new Map<string, Prober>(probers.map((p) => [p.name, p]));
  registry.set(DEFAULT_PROBER, new AutoProber(probers, logger));
  return registry;
}

export const DEFAULT_PROBER = 'auto';
