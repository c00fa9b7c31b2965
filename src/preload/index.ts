import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { isEventName, isMethodName, type ApiEvents, type EventName } from '../shared/api'
import { IPC_EVENT, IPC_INVOKE, type Transport } from '../shared/bridge'

/**
 * The only thing the page gets: `window.microau.invoke` for declared methods and
 * `window.microau.subscribe` for declared events. Raw ipcRenderer never crosses.
 */
const bridge: Transport = {
  invoke(method, input) {
    if (!isMethodName(method)) {
      return Promise.resolve({
        ok: false,
        error: {
          code: 'invalid_input',
          message: `Unknown method "${String(method).slice(0, 100)}".`,
        },
      })
    }
    return ipcRenderer.invoke(IPC_INVOKE, method, input)
  },
  subscribe<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void) {
    if (!isEventName(event)) throw new Error(`Unknown event "${String(event).slice(0, 100)}".`)
    const forward = (_e: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (name === event) listener(payload as ApiEvents[E])
    }
    ipcRenderer.on(IPC_EVENT, forward)
    return () => ipcRenderer.off(IPC_EVENT, forward)
  },
}

contextBridge.exposeInMainWorld('microau', bridge)
