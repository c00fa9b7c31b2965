import { api, type MethodInput, type MethodName, type MethodResult } from '../../../shared/api'
import type { Transport } from '../../../shared/bridge'
import type { ErrorInfo } from '../../../shared/errors'

/** The typed client: one async function per contract method. */
export type Client = { [M in MethodName]: (input: MethodInput<M>) => Promise<MethodResult<M>> }

/** An engine answer of `{ ok: false }`, thrown by the client. */
export class ApiError extends Error {
  readonly code: ErrorInfo['code']
  readonly details: unknown
  constructor(info: ErrorInfo) {
    super(info.message)
    this.name = 'ApiError'
    this.code = info.code
    this.details = info.details
  }
}

/** Derives the client from the contract: every declared method, nothing else. */
export function createClient(transport: Transport): Client {
  const client: Partial<Record<MethodName, (input: unknown) => Promise<unknown>>> = {}
  for (const name of Object.keys(api) as MethodName[]) {
    client[name] = async (input: unknown) => {
      const outcome = await transport.invoke(name, input)
      if (!outcome.ok) throw new ApiError(outcome.error)
      return outcome.value
    }
  }
  return client as Client
}
