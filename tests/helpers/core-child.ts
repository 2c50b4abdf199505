import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { FromCore } from '../../src-main/core/host/protocol';
import type { CoreChild } from '../../src-main/core/host/supervisor';
import { APP_ROOT } from './temp';

/** The built core-process entry, the one the desktop app starts as a utilityProcess. */
export const CORE_ENTRY = join(APP_ROOT, 'dist', 'core', 'host.mjs');

/**
 * Core forked by plain Node, exactly the file Electron starts: structured
 * clone on the channel as in a utilityProcess. `processes` keeps every child
 * so a test can kill one the way a crash would.
 */
export function nodeCoreSpawner(output: string[] = []): { spawn: () => CoreChild; processes: ChildProcess[] } {
  const processes: ChildProcess[] = [];
  const spawn = (): CoreChild => {
    const child = fork(CORE_ENTRY, [], { serialization: 'advanced', stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    processes.push(child);
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    return {
      post: (message) => {
        if (child.connected) child.send(message);
      },
      onMessage: (listener) => child.on('message', (message) => listener(message as FromCore)),
      onExit: (listener) => child.once('exit', (code) => listener(code)),
      kill: () => child.kill('SIGKILL'),
    };
  };
  return { spawn, processes };
}
