import type { Transport } from '../../../shared/bridge'
import { createClient } from './client'
import { createSocketTransport } from './socket-transport'

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode. */
    microau?: Transport
  }
}

/** IPC inside Electron, the WebSocket in browser mode: the UI cannot tell them apart. */
export const transport: Transport = window.microau ?? createSocketTransport()

/** The app's one engine client. */
export const engine = createClient(transport)
