import type { z } from 'zod'
import type { ErrorInfo } from './errors'

/**
 * One method of the contract: the zod schema its input must pass and, as a phantom type,
 * what it answers. The engine validates with `input` before acting.
 */
export interface MethodSpec<I extends z.ZodType, R> {
  readonly input: I
  /** Never set at run time: carries the result type only. */
  readonly result?: R
  /** One line for docs and the CLI. */
  readonly summary: string
}

/** Declares a method: `method(z.object({...}), result<Dataset[]>(), 'Lists datasets')`. */
export function method<I extends z.ZodType, R>(
  input: I,
  _result: ResultMarker<R>,
  summary: string,
): MethodSpec<I, R> {
  return { input, summary }
}

/** A typed marker for a method's or event's payload type. */
export interface ResultMarker<R> {
  readonly __type?: R
}

/** `result<T>()` names the type a method answers with. */
export function result<R>(): ResultMarker<R> {
  return {}
}

/** Every answer the engine gives: the value, or an error with a machine-readable code. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: ErrorInfo }
