/** Machine-readable error codes the engine can answer with. */
export type ErrorCode =
  | 'invalid_input'
  | 'not_found'
  | 'conflict'
  | 'invalid_file'
  | 'unsupported'
  | 'missing_dependency'
  | 'cancelled'
  | 'library_too_new'
  | 'internal'

/** The error part of every contract answer. */
export interface ErrorInfo {
  code: ErrorCode
  message: string
  details?: unknown
}

/**
 * An error meant for the user: its message names what is wrong (file, row, field) in
 * words a coder understands; `details` carries the machine-readable specifics.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'AppError'
  }

  /** The plain object sent over a transport. */
  toInfo(): ErrorInfo {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details }
  }
}
