import { spawn } from 'node:child_process';
import type { ProberProblem } from '../../../../src-shared/domain/monitoring';
import { findExecutable } from './executables';
import { ProberUnavailableError } from './prober';
import type { ProbeResult, Prober } from './prober';

const CHECK_EVERY_MS = 30_000;
/** What one process is given at most; more hosts wait for the next process, in the same sweep. */
const HOSTS_PER_PROCESS = 20_000;

interface Waiting {
  readonly host: string;
  readonly resolve: (result: ProbeResult) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * `fping -C1 -q` output, one line per host: `10.0.0.1 : 0.43` for an answer,
 * `10.0.0.9 : -` for none. Hosts it never names (a name that did not
 * resolve) did not answer.
 */
export function parseFpingOutput(output: string): Map<string, number | null> {
  const results = new Map<string, number | null>();
  for (const line of output.split('\n')) {
    const match = /^(\S+)\s+:\s+(-|\d+(?:\.\d+)?)\s*$/.exec(line.trim());
    if (match) results.set(match[1]!, match[2] === '-' ? null : Number(match[2]));
  }
  return results;
}

/**
 * The first fallback on Linux when ICMP sockets are refused: one `fping`
 * process per sweep instead of one `ping` per device. Probes asked for in the
 * same turn of the event loop (a sweep asks for all of them at once) go to
 * one process, the hosts on its standard input.
 */
export class FpingProber implements Prober {
  readonly name = 'fping';
  private checked: { at: number; problem: ProberProblem | null } | null = null;
  private batches = new Map<number, Map<string, Waiting[]>>();
  private scheduled = false;

  constructor(private readonly executable: () => string | null = () => findExecutable('fping')) {}

  capacity(): number {
    return HOSTS_PER_PROCESS;
  }

  async check(): Promise<ProberProblem | null> {
    if (this.checked && this.checked.problem === null && Date.now() - this.checked.at < CHECK_EVERY_MS) return null;
    const problem = this.executable() === null ? 'fping_missing' : await this.selfTest();
    this.checked = { at: Date.now(), problem };
    return problem;
  }

  probe(host: string, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> {
    signal?.throwIfAborted();
    return new Promise((resolve, reject) => {
      const batch = this.batches.get(timeoutMs) ?? new Map<string, Waiting[]>();
      this.batches.set(timeoutMs, batch);
      const waiting = batch.get(host) ?? [];
      waiting.push({ host, resolve, reject });
      batch.set(host, waiting);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batches = this.batches;
    this.batches = new Map();
    for (const [timeoutMs, batch] of batches) void this.run(timeoutMs, batch);
  }

  private async run(timeoutMs: number, batch: Map<string, Waiting[]>): Promise<void> {
    try {
      const output = await this.fping(timeoutMs, [...batch.keys()]);
      const results = parseFpingOutput(output);
      for (const [host, waiting] of batch) {
        const rtt = results.get(host) ?? null;
        for (const w of waiting) w.resolve({ alive: rtt !== null, rttMs: rtt });
      }
    } catch (error) {
      this.checked = null;
      for (const waiting of batch.values()) for (const w of waiting) w.reject(error);
    }
  }

  /** Runs fping over `hosts`; resolves with what it printed, or rejects when it could not run at all. */
  private fping(timeoutMs: number, hosts: readonly string[]): Promise<string> {
    const executable = this.executable();
    if (!executable) return Promise.reject(new ProberUnavailableError('fping_missing', 'fping is not installed'));
    // Without root fping refuses an interval under 1 ms; 1 ms still sends 5,000 probes inside 5 s.
    const interval = process.getuid?.() === 0 ? '0' : '1';
    const args = [
      '-C',
      '1',
      '-q',
      '-B',
      '1',
      '-r',
      '0',
      '-t',
      String(Math.max(50, Math.round(timeoutMs))),
      '-i',
      interval,
    ];
    return new Promise((resolve, reject) => {
      const child = spawn(executable, args, { env: { ...process.env, LANG: 'C', LC_ALL: 'C' } });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('error', (error) =>
        reject(new ProberUnavailableError('prober_failed', `fping could not run: ${error.message}`)),
      );
      // 0: all answered, 1: some did not, 2: some names did not resolve. 3 and 4 are fping's own failures.
      child.once('close', (code) =>
        code !== null && code <= 2
          ? resolve(output)
          : reject(
              new ProberUnavailableError(
                'prober_failed',
                `fping failed (${code ?? 'killed'}): ${output.slice(0, 200)}`,
              ),
            ),
      );
      child.stdin.end(`${hosts.join('\n')}\n`);
    });
  }

  private async selfTest(): Promise<ProberProblem | null> {
    try {
      const results = parseFpingOutput(await this.fping(1000, ['127.0.0.1']));
      return results.get('127.0.0.1') == null ? 'prober_failed' : null;
    } catch (error) {
      return error instanceof ProberUnavailableError ? error.problem : 'prober_failed';
    }
  }
}
