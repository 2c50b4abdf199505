import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { IPC_CALL, IPC_EVENT } from '../../src-shared/contract/bridge';
import type { CallResult } from '../../src-shared/contract/errors';
import type { ContractServer } from '../core/contract/server';
import type { Connection } from '../core/contract/connection';

export interface IpcBridgeOptions {
  readonly server: ContractServer;
  /** The connection of the window that sent the call: its session lives in main, never in the message. */
  readonly connectionFor: (contents: WebContents) => Connection;
  /** URL prefix of our own renderer; calls from any other frame are refused. */
  readonly trustedUrlPrefix: string;
}

/**
 * Electron transport of the contract. Only the top frame of a page we loaded
 * may call; anything else (an iframe, a page that slipped past navigation
 * guards) is answered with `forbidden` and never reaches a handler.
 */
export function registerIpcBridge(ipcMain: IpcMain, options: IpcBridgeOptions): () => void {
  ipcMain.handle(
    IPC_CALL,
    (event: IpcMainInvokeEvent, channel: unknown, input: unknown): Promise<CallResult<unknown>> => {
      if (!isTrustedSender(event, options.trustedUrlPrefix)) {
        return Promise.resolve({ ok: false, error: { kind: 'forbidden', message: 'call from an untrusted frame' } });
      }
      return options.server.dispatch(options.connectionFor(event.sender), channel, input);
    },
  );
  return () => ipcMain.removeHandler(IPC_CALL);
}

export function isTrustedSender(event: IpcMainInvokeEvent, trustedUrlPrefix: string): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  return frame === event.sender.mainFrame && frame.url.startsWith(trustedUrlPrefix);
}

/** Pushes contract events to one window for as long as it lives. */
export function forwardEvents(server: ContractServer, contents: WebContents, connection: Connection): void {
  const detach = server.attach({
    connection,
    send: (name, payload) => {
      if (!contents.isDestroyed()) contents.send(IPC_EVENT, name, payload);
    },
  });
  contents.once('destroyed', detach);
}
