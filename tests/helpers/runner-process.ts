import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { APP_ROOT } from './temp';

export interface RunnerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Flags that say where (or whether) a runner listens for agents. */
const AGENT_FLAGS = ['--agent', '--agent-listen', '--no-agent-listener', '--console'];

/**
 * Starts the built headless runner exactly as `npm run serve` does, and waits
 * for its URL. A central listens for agents on a free loopback port unless
 * the test says otherwise, so runners started in parallel never race for 7374.
 */
export function startRunnerProcess(
  args: string[],
  timeoutMs = 10_000,
  wrap: (command: string[]) => string[] = (command) => command,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunnerProcess> {
  const listen = args.some((a) => AGENT_FLAGS.includes(a)) ? [] : ['--agent-listen', '127.0.0.1:0'];
  const [program, ...programArgs] = wrap([
    process.execPath,
    join(APP_ROOT, 'dist/headless/cli.mjs'),
    'serve',
    ...args,
    ...listen,
  ]);
  const child = spawn(program!, programArgs, {
    cwd: APP_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`runner printed no URL within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /running(?: at|, status at) (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({
          child,
          url: match[1]!,
          output: () => output,
          stop: (signal = 'SIGTERM') => {
            child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`runner exited with ${code} before serving:\n${output}`));
    });
  });
}

/** Runs the CLI to completion (for bad-argument cases). */
export function runCli(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [join(APP_ROOT, 'dist/headless/cli.mjs'), ...args], { cwd: APP_ROOT });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}
