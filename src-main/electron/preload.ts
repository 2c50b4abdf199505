import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { BRIDGE_KEY, IPC_CALL, IPC_EVENT } from '../../src-shared/contract/bridge';
import type { PreloadBridge } from '../../src-shared/contract/bridge';
import type { CallResult } from '../../src-shared/contract/errors';

/** One invoke and one subscribe; ipcRenderer itself never reaches the page. */
const bridge: PreloadBridge = {
  invoke: (channel, input) => ipcRenderer.invoke(IPC_CALL, channel, input) as Promise<CallResult<unknown>>,
  subscribe(listener) {
    const forward = (_event: IpcRendererEvent, name: string, payload: unknown) => listener(name, payload);
    ipcRenderer.on(IPC_EVENT, forward);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, forward);
    };
  },
};

contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge);
