import { ipcMain, type BrowserWindow } from 'electron'
import { eventNames } from '../shared/api'
import { IPC_EVENT, IPC_INVOKE } from '../shared/bridge'
import type { Engine } from '../engine/api/engine'

/**
 * Carries the contract over IPC: calls only from the app's own page (checked by frame
 * URL), every input validated by the engine, events forwarded to the window.
 */
export function hostEngineOverIpc(
  engine: Engine,
  window: BrowserWindow,
  isAppUrl: (url: string) => boolean,
): () => void {
  ipcMain.handle(IPC_INVOKE, (event, method: unknown, input: unknown) => {
    const frameUrl = event.senderFrame?.url ?? ''
    if (!isAppUrl(frameUrl)) {
      return {
        ok: false,
        error: { code: 'invalid_input', message: 'Calls are accepted from the app only.' },
      }
    }
    return engine.call(method, input)
  })
  const unsubscribe = eventNames.map((name) =>
    engine.on(name, (payload) => {
      if (!window.isDestroyed()) window.webContents.send(IPC_EVENT, name, payload)
    }),
  )
  return () => {
    ipcMain.removeHandler(IPC_INVOKE)
    unsubscribe.forEach((off) => off())
  }
}
