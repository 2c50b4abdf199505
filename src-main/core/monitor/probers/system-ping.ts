import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import ping from 'ping';
import type { ProberProblem } from '../../../../src-shared/domain/monitoring';
import { findExecutable } from './executables';
import { ProberUnavailableError } from './prober';
import type { ProbeResult, Prober } from './prober';

function systemPingPath(): string | null {
  if (process.platform === 'win32') return join(process.env.SystemRoot ?? 'C:\\Windows', 'System32', 'ping.exe');
  if (process.platform === 'darwin') return '/sbin/ping';
  return findExecutable('ping');
}

/** Runs one ping of the loopback address and reads how it failed, if it did. */
function pingLoopback(executable: string): Promise<ProberProblem | null> {
  const args =
    process.platform === 'win32' ? ['-n', '1', '-w', '1000', '127.0.0.1'] : ['-c', '1', '-W', '1', '127.0.0.1'];
  return new Promise((resolve) => {
    const child = spawn(executable, args, {
      env: { ...process.env, LANG: 'C', LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error: NodeJS.ErrnoException) =>
      resolve(
        error.code === 'ENOENT' ? 'ping_missing' : error.code === 'EACCES' ? 'ping_not_permitted' : 'prober_failed',
      ),
    );
    child.once('close', () =>
      resolve(/operation not permitted|permission denied|socket:/i.test(output) ? 'ping_not_permitted' : null),
    );
  });
}

const CHECK_EVERY_MS = 30_000;

/**
 * What the `ping` package is asked for. The packet size is explicit because
 * its Windows parser finds the time as the field after `bytes=<size>`, the
 * only anchor that holds in every language of ping.exe (“tempo=14ms”,
 * “temps=14 ms”, “время=14мс”).
 */
export function pingConfig(timeoutMs: number) {
  return { timeout: Math.max(1, Math.ceil(timeoutMs / 1000)), min_reply: 1, packetSize: 32 };
}

/**
 * The system ping, through the `ping` package: ping.exe on Windows (works
 * unprivileged), ping on Linux. One process per probe; see TOOLCHAIN.md for
 * its cost. Its timeout is whole seconds, so sub-second values round up.
 */
export class SystemPingProber implements Prober {
  readonly name = 'ping';

  /** A process per probe: the operator's setting bounds how many run at once. */
  capacity(configured: number): number {
    return configured;
  }
  private checked: { at: number; problem: ProberProblem | null } | null = null;

  async check(): Promise<ProberProblem | null> {
    // A working ping is checked again now and then; a broken one every sweep, so a fix is seen at once.
    if (this.checked && this.checked.problem === null && Date.now() - this.checked.at < CHECK_EVERY_MS) return null;
    const executable = systemPingPath();
    let problem: ProberProblem | null = 'ping_missing';
    if (executable) {
      try {
        accessSync(executable, constants.X_OK);
        problem = await pingLoopback(executable);
      } catch {
        problem = 'ping_missing';
      }
    }
    this.checked = { at: Date.now(), problem };
    return problem;
  }

  async probe(host: string, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> {
    // The package cannot be interrupted; an aborted sweep only stops waiting for it.
    signal?.throwIfAborted();
    let answer: Awaited<ReturnType<typeof ping.promise.probe>>;
    try {
      answer = await ping.promise.probe(host, pingConfig(timeoutMs));
    } catch (error) {
      // The package hides the reason; whether the program is there tells the two apart.
      this.checked = null;
      const missing = systemPingPath() === null;
      throw new ProberUnavailableError(
        missing ? 'ping_missing' : 'prober_failed',
        `the system ping could not run: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const rtt = typeof answer.time === 'number' ? answer.time : Number.parseFloat(String(answer.time));
    return { alive: answer.alive, rttMs: answer.alive && Number.isFinite(rtt) ? rtt : null };
  }
}
