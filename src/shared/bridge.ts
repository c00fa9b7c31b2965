import type { ApiEvents, EventName } from './api'
import type { Outcome } from './contract'

/**
 * What the preload exposes on `window.microau` inside Electron, and what the WebSocket
 * transport implements in browser mode: call a declared method, subscribe to a declared
 * event. Nothing else crosses.
 */
export interface Transport {
  invoke(method: string, input: unknown): Promise<Outcome<unknown>>
  subscribe<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void
}

/** The IPC channel names the preload and the main process share. */
export const IPC_INVOKE = 'microau:invoke'
export const IPC_EVENT = 'microau:event'
