import type { MethodInput, MethodName, MethodResult } from '../../src/shared/api'
import type { Engine } from '../../src/engine/api/engine'

/** Calls a contract method and returns its value, throwing with the error's code and message. */
export async function callOk<M extends MethodName>(
  engine: Engine,
  method: M,
  input: MethodInput<M>,
): Promise<MethodResult<M>> {
  const outcome = await engine.call(method, input)
  if (!outcome.ok) throw new Error(`${method}: ${outcome.error.code} ${outcome.error.message}`)
  return outcome.value as MethodResult<M>
}
