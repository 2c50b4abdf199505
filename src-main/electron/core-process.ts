import { utilityProcess } from 'electron';
import type { FromCore } from '../core/host/protocol';
import type { CoreChild } from '../core/host/supervisor';

/**
 * Core in an Electron utilityProcess (the way Actual Budget keeps its server
 * out of main): a heavy export or a slow store never freezes a window, and a
 * crash of core takes no window with it.
 */
export function utilityCore(entry: string): CoreChild {
  const child = utilityProcess.fork(entry, [], { serviceName: 'Vigia core', stdio: 'inherit' });
  return {
    post: (message) => child.postMessage(message),
    onMessage: (listener) => child.on('message', (message: FromCore) => listener(message)),
    onExit: (listener) => child.once('exit', (code: number) => listener(code)),
    kill: () => void child.kill(),
  };
}
