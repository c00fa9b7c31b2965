import crypto from 'node:crypto'
import type { Job } from '../../shared/domain'
import { AppError } from '../../shared/errors'
import type { LibraryDb } from '../db/open-library'
import { processAlive } from '../process-alive'
import { JobStore } from './job-store'
import type { SpawnWorker, WorkerHandle } from './worker-protocol'

/** Runners of this process that have not stopped (ids as the jobs table records them). */
const runnersHere = new Set<string>()

/**
 * Whether the runner that recorded `runner` (`<pid>:<random>`) still works: one of this
 * process's runners that has not stopped, or any runner of a process that still runs.
 */
export function runnerAlive(runner: string): boolean {
  const pid = Number(runner.split(':')[0])
  if (!Number.isSafeInteger(pid) || pid <= 0) return false
  return pid === process.pid ? runnersHere.has(runner) : processAlive(pid)
}

/**
 * Runs durable jobs in worker processes, one at a time in creation order (training and
 * magnification each want every core of a laptop). All writes to the jobs table happen
 * here; every change is pushed through `onChange`.
 */
export class JobRunner {
  private readonly store: JobStore
  private readonly live = new Map<number, WorkerHandle>()
  private readonly waiting: { id: number; resumeState: unknown }[] = []
  private readonly settled = new Map<number, (job: Job) => void>()
  /** This runner's id in the jobs table's `runner` column. */
  readonly id = `${process.pid}:${crypto.randomBytes(6).toString('hex')}`

  constructor(
    db: LibraryDb,
    private readonly options: {
      libraryPath: string
      frameCacheDir: string
      spawn: SpawnWorker
      onChange: (job: Job) => void
    },
  ) {
    this.store = new JobStore(db, this.id)
    runnersHere.add(this.id)
    for (const id of this.store.markInterrupted(runnerAlive)) {
      this.options.onChange(this.store.get(id))
    }
  }

  /** Queues a job; its input must already have passed the contract's schema. */
  start(kind: string, input: unknown): Job {
    const job = this.store.create(kind, input)
    this.enqueue(job.id, undefined)
    return this.store.get(job.id)
  }

  /** Carries on a cancelled, failed or interrupted job from the state it saved. */
  resume(id: number): Job {
    const job = this.store.get(id)
    if (!['cancelled', 'failed', 'interrupted'].includes(job.status)) {
      throw new AppError(
        'conflict',
        `Job ${id} is ${job.status}: only a stopped job can be resumed.`,
        { id },
      )
    }
    this.store.requeue(id)
    this.enqueue(id, this.store.savedState(id))
    return this.store.get(id)
  }

  /** Asks a job to stop: a running worker aborts within one step, a queued job just stops. */
  cancel(id: number): Job {
    const job = this.store.get(id)
    const worker = this.live.get(id)
    if (worker) {
      this.store.requestCancel(id)
      worker.send({ type: 'cancel' })
    } else if (job.status === 'queued') {
      this.waiting.splice(
        this.waiting.findIndex((w) => w.id === id),
        1,
      )
      this.store.finish(id, 'cancelled', {})
      this.notify(id)
    } else {
      throw new AppError('conflict', `Job ${id} is ${job.status}: there is nothing to cancel.`, {
        id,
      })
    }
    return this.store.get(id)
  }

  /** Resolves when the job reaches a final state (succeeded, failed or cancelled). */
  whenSettled(id: number): Promise<Job> {
    const job = this.store.get(id)
    if (
      ['succeeded', 'failed', 'cancelled', 'interrupted'].includes(job.status) &&
      !this.isPending(id)
    ) {
      return Promise.resolve(job)
    }
    return new Promise((resolve) => this.settled.set(id, resolve))
  }

  get(id: number): Job {
    return this.store.get(id)
  }

  list(limit?: number): Job[] {
    return this.store.list(limit)
  }

  /** Kills every live worker and stops (its jobs read as interrupted to the next runner). */
  stopAll(): void {
    runnersHere.delete(this.id)
    for (const worker of this.live.values()) worker.kill()
    this.live.clear()
    this.waiting.length = 0
  }

  private isPending(id: number): boolean {
    return this.live.has(id) || this.waiting.some((w) => w.id === id)
  }

  private enqueue(id: number, resumeState: unknown): void {
    this.waiting.push({ id, resumeState })
    this.notify(id)
    this.pump()
  }

  private pump(): void {
    if (this.live.size > 0) return
    const next = this.waiting.shift()
    if (next) this.launch(next.id, next.resumeState)
  }

  private launch(id: number, resumeState: unknown): void {
    const job = this.store.get(id)
    const worker = this.options.spawn()
    this.live.set(id, worker)
    this.store.markRunning(id)
    this.notify(id)
    let finished = false
    worker.onMessage((message) => {
      if (message.type === 'progress') {
        this.store.setProgress(id, message.progress)
        this.notify(id)
      } else if (message.type === 'state') {
        this.store.setState(id, message.state)
      } else if (message.type === 'done') {
        finished = true
        this.store.finish(id, 'succeeded', { result: message.result })
      } else {
        finished = true
        const cancelled = message.error.code === 'cancelled' || this.store.get(id).cancelRequested
        this.store.finish(id, cancelled ? 'cancelled' : 'failed', { error: message.error })
      }
    })
    worker.onExit((code) => {
      this.live.delete(id)
      if (!finished) {
        this.store.finish(id, 'failed', {
          error: {
            code: 'internal',
            message: `The worker process ended unexpectedly (exit code ${code}).`,
          },
        })
      }
      this.notify(id)
      const settle = this.settled.get(id)
      this.settled.delete(id)
      settle?.(this.store.get(id))
      this.pump()
    })
    worker.send({
      type: 'start',
      jobId: id,
      kind: job.kind,
      input: job.input,
      libraryPath: this.options.libraryPath,
      frameCacheDir: this.options.frameCacheDir,
      resumeState,
    })
  }

  private notify(id: number): void {
    this.options.onChange(this.store.get(id))
  }
}
