import type { z } from 'zod'
import type { JobProgress } from '../../shared/domain'
import type { LibraryDb } from '../db/open-library'

export type { JobProgress }

/** What a job's code gets while it runs in its worker process. */
export interface JobContext<State> {
  readonly jobId: number
  /** The library, opened by the worker itself (SQLite WAL allows the two processes). */
  readonly db: LibraryDb
  readonly libraryPath: string
  readonly frameCacheDir: string
  /** Fires when the user cancels: stop within one step and throw (or return). */
  readonly signal: AbortSignal
  /** What the job saved last time, when it is resumed. */
  readonly resumeState: State | undefined
  progress(progress: JobProgress): void
  /** Saves what a resumed run needs to carry on (written before the next step starts). */
  saveState(state: State): void
}

/**
 * One kind of durable job: the schema its input must pass (checked when the job is created
 * and again in the worker) and the code that does the work in the worker process.
 */
export interface JobKind<Input = unknown, Result = unknown, State = unknown> {
  readonly kind: string
  readonly input: z.ZodType<Input>
  /** Does the work; a kind that never calls saveState simply starts over when resumed. */
  run(input: Input, ctx: JobContext<State>): Promise<Result>
}

/** Declares a job kind with its types inferred from the schema. */
export function defineJobKind<Schema extends z.ZodType, Result, State = never>(kind: {
  kind: string
  input: Schema
  run(input: z.output<Schema>, ctx: JobContext<State>): Promise<Result>
}): JobKind<z.output<Schema>, Result, State> {
  return kind as JobKind<z.output<Schema>, Result, State>
}
