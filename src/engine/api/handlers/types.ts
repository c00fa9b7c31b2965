import type { MethodName, MethodResult, ParsedInput } from '../../../shared/api'
import type { EngineContext } from '../context'

/** The implementation of one contract method, given input that already passed its schema. */
export type Handler<M extends MethodName> = (
  input: ParsedInput<M>,
  ctx: EngineContext,
) => MethodResult<M> | Promise<MethodResult<M>>

/** Implementations for a subset of the contract. */
export type HandlerGroup<M extends MethodName> = { [K in M]: Handler<K> }

/** Implementations for the whole contract: the engine refuses to build if one is missing. */
export type Handlers = HandlerGroup<MethodName>
