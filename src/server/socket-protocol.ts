import type { Outcome } from '../shared/contract'
import type { Engine } from '../engine/api/engine'

/** A reply to one `{ id, method, input }` call message. */
export interface CallReply {
  type: 'result'
  id: number | null
  outcome: Outcome<unknown>
}

/**
 * Decodes one text message from a socket and runs the call it names. Anything that is not
 * `{ type: 'call', id: integer, method: string, input }` is answered with invalid_input.
 */
export async function handleSocketMessage(engine: Engine, text: string | null): Promise<CallReply> {
  let message: unknown
  try {
    message = text === null ? undefined : JSON.parse(text)
  } catch {
    message = undefined
  }
  if (
    typeof message !== 'object' ||
    message === null ||
    (message as { type?: unknown }).type !== 'call' ||
    !Number.isSafeInteger((message as { id?: unknown }).id)
  ) {
    return {
      type: 'result',
      id: null,
      outcome: {
        ok: false,
        error: {
          code: 'invalid_input',
          message: 'Malformed message: expected {type:"call", id, method, input}.',
        },
      },
    }
  }
  const { id, method, input } = message as { id: number; method: unknown; input: unknown }
  return { type: 'result', id, outcome: await engine.call(method, input) }
}
