import type { Progress } from '../../shared/domain'
import { AppError } from '../../shared/errors'

/**
 * Options every long media operation takes: an AbortSignal to cancel it and a progress
 * callback. Progress is reported for every unit of work (each frame); callers that store it
 * somewhere slow throttle on their side.
 */
export interface WorkOptions {
  signal?: AbortSignal
  onProgress?: (progress: Progress) => void
}

/** The error a cancelled operation rejects with. */
export function cancelledError(what: string): AppError {
  return new AppError('cancelled', `${what} was cancelled`)
}

/** Throws the 'cancelled' AppError when the signal has fired. */
export function throwIfCancelled(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw cancelledError(what)
}
