import { isEventName, type ApiEvents, type EventName } from '../../../shared/api'
import type { Transport } from '../../../shared/bridge'
import type { Outcome } from '../../../shared/contract'

type Listener = (payload: never) => void

/**
 * Browser mode: the contract over a WebSocket on the page's own origin (the token
 * travels in the HttpOnly cookie the server set). Calls made while connecting wait;
 * a dropped socket fails pending calls and reconnects on the next call.
 */
export function createSocketTransport(url = socketUrl()): Transport {
  let socket: WebSocket | undefined
  let opened: Promise<WebSocket> | undefined
  let nextId = 1
  const pending = new Map<number, (outcome: Outcome<unknown>) => void>()
  const listeners = new Map<EventName, Set<Listener>>()

  function connect(): Promise<WebSocket> {
    if (opened) return opened
    opened = new Promise((resolve, reject) => {
      const ws = new WebSocket(url)
      ws.onopen = () => {
        socket = ws
        resolve(ws)
      }
      ws.onerror = () => reject(new Error('Cannot reach the MicroAU engine (WebSocket failed).'))
      ws.onclose = () => {
        socket = undefined
        opened = undefined
        for (const [id, settle] of pending) {
          settle({
            ok: false,
            error: { code: 'internal', message: 'The connection to the engine closed.' },
          })
          pending.delete(id)
        }
      }
      ws.onmessage = (event) => dispatch(JSON.parse(String(event.data)))
    })
    return opened
  }

  function dispatch(message: {
    type: string
    id?: number
    outcome?: Outcome<unknown>
    event?: string
    payload?: unknown
  }) {
    if (message.type === 'result' && message.id !== undefined) {
      pending.get(message.id)?.(message.outcome as Outcome<unknown>)
      pending.delete(message.id)
    } else if (message.type === 'event' && isEventName(message.event)) {
      for (const listener of listeners.get(message.event) ?? []) listener(message.payload as never)
    }
  }

  // Events flow only on an open socket: connect as soon as someone listens.
  return {
    async invoke(method, input) {
      const ws = socket ?? (await connect())
      const id = nextId++
      return new Promise((resolve) => {
        pending.set(id, resolve)
        ws.send(JSON.stringify({ type: 'call', id, method, input }))
      })
    },
    subscribe<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void) {
      const set = listeners.get(event) ?? new Set<Listener>()
      set.add(listener as Listener)
      listeners.set(event, set)
      void connect().catch(() => undefined)
      return () => set.delete(listener as Listener)
    },
  }
}

function socketUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${scheme}//${location.host}/ws`
}
