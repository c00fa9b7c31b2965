import { ApiError } from './client'

/**
 * An error in words a coder understands. Engine errors already name the clip, frame or
 * field; only the unexpected ones get a sentence around them.
 */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'internal') {
      return `Something went wrong inside MicroAU Studio, and nothing was changed. (${error.message})`
    }
    return error.message
  }
  const message = error instanceof Error ? error.message : String(error)
  return `Something went wrong: ${message}`
}
