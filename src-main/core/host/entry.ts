import { consoleLogger } from '../runtime';
import { CoreHost } from './core-host';
import type { FromCore, MessagePortLike, ToCore } from './protocol';

/**
 * The core process's entry. Under Electron it is a utilityProcess and talks
 * through `process.parentPort`; forked by plain Node (the tests, which run
 * this very file) it talks through `process.send`. Either way the same
 * `CoreHost` answers.
 */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

function parentPort(): MessagePortLike<ToCore, FromCore> {
  const electronPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (electronPort) {
    return {
      post: (message) => electronPort.postMessage(message),
      onMessage: (listener) => electronPort.on('message', (event) => listener(event.data as ToCore)),
    };
  }
  if (!process.send) throw new Error('the core process must be started by Vigia (no parent to talk to)');
  return {
    post: (message) => process.send!(message),
    onMessage: (listener) => process.on('message', (message) => listener(message as ToCore)),
  };
}

// A parentPort listener alone has not always kept a packaged utility process alive
// (electron/electron#42978): core lives until main tells it to stop.
const keepAlive = setInterval(() => undefined, 1 << 30);
new CoreHost(parentPort(), consoleLogger, undefined, () => {
  clearInterval(keepAlive);
  // Let the last message leave before the process goes.
  setTimeout(() => process.exit(0), 50);
});
