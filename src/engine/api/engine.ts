import { EventEmitter } from 'node:events'
import type { z } from 'zod'
import path from 'node:path'
import {
  api,
  isMethodName,
  type ApiEvents,
  type EventName,
  type MethodName,
} from '../../shared/api'
import type { Outcome } from '../../shared/contract'
import { AppError } from '../../shared/errors'
import { plainInputError, type InputIssue } from '../../shared/plain-input-error'
import { openLibrary, type LibraryDb } from '../db/open-library'
import { frameCacheDir as cacheDirOf } from '../media/frame-cache'
import { listDatasets } from '../db/queries/datasets'
import type { EngineContext } from './context'
import { handlers } from './handlers'
import type { Handler } from './handlers/types'
import { forkWorker } from '../jobs/fork-worker'
import { dataChangedBy, followUpOf } from '../jobs/registry'
import { JobRunner } from '../jobs/job-runner'
import type { SpawnWorker } from '../jobs/worker-protocol'

/** A zod issue as plain data (numbers, not bigints) for the error's details. */
function flatIssue(issue: z.core.$ZodIssue): InputIssue {
  const extra = issue as {
    origin?: unknown
    minimum?: unknown
    maximum?: unknown
    values?: unknown
  }
  const bound = (value: unknown) => (value === undefined ? undefined : Number(value))
  return {
    path: issue.path.map(String).join('.'),
    message: issue.message,
    code: issue.code,
    origin: typeof extra.origin === 'string' ? extra.origin : undefined,
    minimum: bound(extra.minimum),
    maximum: bound(extra.maximum),
    values: Array.isArray(extra.values) ? extra.values.map(String) : undefined,
  }
}

/** The engine as every front door sees it: one call for all methods, events, close. */
export interface Engine {
  /**
   * Runs a contract method. `method` and `input` may come from an untrusted transport:
   * both are checked before anything is read or written.
   */
  call(method: unknown, input: unknown): Promise<Outcome<unknown>>
  /** Subscribes to an engine event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void
  readonly libraryPath: string
  readonly frameCacheDir: string
  /** The durable jobs of this library. */
  readonly jobs: JobRunner
  /** Stops live workers (their jobs read as interrupted next time) and closes the library. */
  close(): void
}

/**
 * Opens (and migrates) the library at `libraryPath` and serves the contract on it. Jobs run
 * in processes from `spawnWorker` (child_process.fork by default; Electron passes its
 * utilityProcess spawner).
 */
export function createEngine(options: {
  libraryPath: string
  spawnWorker?: SpawnWorker
  /** Fill a library that has no dataset yet with the synthetic demo (the default library). */
  demo?: boolean
}): Engine {
  const startedAt = new Date().toISOString()
  const libraryPath = path.resolve(options.libraryPath)
  const db: LibraryDb = openLibrary(libraryPath)
  const events = new EventEmitter()
  const frameCacheDir = cacheDirOf(libraryPath)
  const emit: EngineContext['emit'] = (event, payload) => events.emit(event, payload)
  // Jobs whose success was announced with data.changed (once each).
  const announced = new Set<number>()
  const jobs = new JobRunner(db, {
    libraryPath,
    frameCacheDir,
    spawn: options.spawnWorker ?? forkWorker,
    onChange: (job) => {
      emit('job.changed', job)
      if (job.status === 'succeeded' && !announced.has(job.id)) {
        announced.add(job.id)
        for (const entity of dataChangedBy(job.kind)) emit('data.changed', { entity })
        const next = followUpOf(job.kind, job.result)
        if (next) jobs.start(next.kind, next.input)
      }
    },
  })
  const ctx: EngineContext = { db, libraryPath, frameCacheDir, jobs, emit, startedAt }
  if (
    options.demo &&
    listDatasets(db).length === 0 &&
    !jobs.list().some((j) => j.kind === 'datasets.demo')
  ) {
    jobs.start('datasets.demo', {})
  }

  async function call(method: unknown, input: unknown): Promise<Outcome<unknown>> {
    if (!isMethodName(method)) {
      return fail(
        new AppError('invalid_input', `Unknown method ${describe(method)}.`, {
          method: describe(method),
        }),
      )
    }
    const parsed = api[method].input.safeParse(input)
    if (!parsed.success) {
      const issues = parsed.error.issues.map(flatIssue)
      return fail(new AppError('invalid_input', plainInputError(issues[0]), { method, issues }))
    }
    try {
      const handler = handlers[method] as Handler<MethodName>
      return { ok: true, value: await handler(parsed.data as never, ctx) }
    } catch (error) {
      return fail(error)
    }
  }

  return {
    call,
    on(event, listener) {
      events.on(event, listener as (payload: unknown) => void)
      return () => events.off(event, listener as (payload: unknown) => void)
    },
    libraryPath,
    frameCacheDir,
    jobs,
    close: () => {
      jobs.stopAll()
      db.close()
    },
  }
}

function fail(error: unknown): Outcome<never> {
  if (error instanceof AppError) return { ok: false, error: error.toInfo() }
  // Unexpected failures keep their message for the log but never a stack for the page.
  const message = error instanceof Error ? error.message : String(error)
  return { ok: false, error: { code: 'internal', message: `Internal error: ${message}` } }
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `"${value.slice(0, 100)}"` : typeof value
}
