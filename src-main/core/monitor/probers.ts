import ping from 'ping';

export interface ProbeResult {
  readonly alive: boolean;
  /** Round-trip time of a successful probe; null when it failed or the prober cannot tell. */
  readonly rttMs: number | null;
}

/** One way of asking "does this host answer?". Every prober sits behind this and only this. */
export interface Prober {
  readonly name: string;
  probe(host: string, timeoutMs: number): Promise<ProbeResult>;
}

/**
 * The system ping, through the `ping` package: ping.exe on Windows (works
 * unprivileged), ping on Linux. One process per probe; see TOOLCHAIN.md for
 * its cost. Its timeout is whole seconds, so sub-second values round up.
 */
export class SystemPingProber implements Prober {
  readonly name = 'ping';

  async probe(host: string, timeoutMs: number): Promise<ProbeResult> {
    const answer = await ping.promise.probe(host, {
      timeout: Math.max(1, Math.ceil(timeoutMs / 1000)),
      min_reply: 1,
    });
    const rtt = typeof answer.time === 'number' ? answer.time : Number.parseFloat(String(answer.time));
    return { alive: answer.alive, rttMs: answer.alive && Number.isFinite(rtt) ? rtt : null };
  }
}

/** Every prober the product knows, registered here and nowhere else. */
export function createProberRegistry(): ReadonlyMap<string, Prober> {
  const probers: Prober[] = [new SystemPingProber()];
  return new Map(probers.map((p) => [p.name, p]));
}

export const DEFAULT_PROBER = 'ping';
