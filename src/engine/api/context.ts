import type { ApiEvents, EventName } from '../../shared/api'
import type { LibraryDb } from '../db/open-library'
import type { JobRunner } from '../jobs/job-runner'

/** What every handler gets: the open library and a way to push events. */
export interface EngineContext {
  readonly db: LibraryDb
  /** Absolute path of the library's SQLite file. */
  readonly libraryPath: string
  /** The content-addressed frame cache beside the library. */
  readonly frameCacheDir: string
  /** When the engine started (ISO 8601), before it marked orphaned jobs interrupted. */
  readonly startedAt: string
  /** Starts and controls durable jobs (worker processes). */
  readonly jobs: JobRunner
  emit<E extends EventName>(event: E, payload: ApiEvents[E]): void
}
