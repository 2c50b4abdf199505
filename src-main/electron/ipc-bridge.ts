import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { IPC_CALL } from '../../src-shared/contract/bridge';
import type { CallResult } from '../../src-shared/contract/errors';

export interface IpcBridgeOptions {
  /** Hands the call of one window to core; the window's session lives there, never in the message. */
  readonly dispatch: (sender: WebContents, channel: unknown, input: unknown) => Promise<CallResult<unknown>>;
  /** URL prefix of our own renderer; calls from any other frame are refused. */
  readonly trustedUrlPrefix: string;
}

/**
 * Electron transport of the contract. Only the top frame of a page we loaded
 * may call; anything else (an iframe, a page that slipped past navigation
 * guards) is answered with `forbidden` and never reaches core.
 */
export function registerIpcBridge(ipcMain: IpcMain, options: IpcBridgeOptions): () => void {
  ipcMain.handle(
    IPC_CALL,
    (event: IpcMainInvokeEvent, channel: unknown, input: unknown): Promise<CallResult<unknown>> => {
      if (!isTrustedSender(event, options.trustedUrlPrefix)) {
        return Promise.resolve({ ok: false, error: { kind: 'forbidden', message: 'call from an untrusted frame' } });
      }
      return options.dispatch(event.sender, channel, input);
    },
  );
  return () => ipcMain.removeHandler(IPC_CALL);
}

export function isTrustedSender(event: IpcMainInvokeEvent, trustedUrlPrefix: string): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  return frame === event.sender.mainFrame && frame.url.startsWith(trustedUrlPrefix);
}
