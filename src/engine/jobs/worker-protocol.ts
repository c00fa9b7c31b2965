import type { ErrorInfo } from '../../shared/errors'
import type { JobProgress } from './job-kind'

/** Host → worker. */
export type ToWorker =
  | {
      type: 'start'
      jobId: number
      kind: string
      input: unknown
      libraryPath: string
      frameCacheDir: string
      resumeState: unknown
    }
  | { type: 'cancel' }

/** Worker → host. */
export type FromWorker =
  | { type: 'progress'; progress: JobProgress }
  | { type: 'state'; state: unknown }
  | { type: 'done'; result: unknown }
  | { type: 'failed'; error: ErrorInfo }

/** The host's end of one worker process, whatever started it (fork or utilityProcess). */
export interface WorkerHandle {
  send(message: ToWorker): void
  onMessage(listener: (message: FromWorker) => void): void
  /** Called once when the process ends, with its exit code (null when killed). */
  onExit(listener: (code: number | null) => void): void
  kill(): void
}

/** Starts one worker process running `src/engine/jobs/worker-main`. */
export type SpawnWorker = () => WorkerHandle
