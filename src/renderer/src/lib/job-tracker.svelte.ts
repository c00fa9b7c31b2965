import type { Job } from '../../../shared/domain'
import { describeError } from './errors'
import { engine, transport } from './engine'
import { formatRemaining, nextAnchor, remainingMs, type ProgressSample } from './eta'
import { jobAnnouncement } from './job-announcement'

const FINAL: readonly Job['status'][] = ['succeeded', 'failed', 'cancelled', 'interrupted']
/** Stopped jobs the engine can carry on from their saved state. */
const RESUMABLE: readonly Job['status'][] = ['failed', 'cancelled', 'interrupted']

/** The newest job of one of these kinds (running or stopped), to re-attach after a reload. */
export async function latestJob(kinds: readonly string[]): Promise<Job | null> {
  const jobs = await engine['jobs.list']({ limit: 200 })
  return jobs.find((j) => kinds.includes(j.kind)) ?? null
}

/**
 * One job the UI started: its progress as `job.changed` events bring it, a way to cancel it,
 * and a sentence about where it is. `onSucceeded` runs once when it finishes well.
 */
export class JobTracker {
  job: Job | null = $state(null)
  error: string | null = $state(null)
  /** Time left in words ("about 3 min left"), or null while it cannot be estimated. */
  eta: string | null = $state(null)
  private anchor: ProgressSample | null = null
  private readonly unsubscribe: () => void

  constructor(
    /** What the job does, for messages: 'Preparing frames'. */
    private readonly what: string,
    private readonly onSucceeded: (job: Job) => void,
  ) {
    this.unsubscribe = transport.subscribe('job.changed', (job) => {
      if (job.id !== this.job?.id) return
      const finishing = !FINAL.includes(this.job.status) && FINAL.includes(job.status)
      this.job = job
      this.observe(job)
      if (finishing && job.status === 'succeeded') this.onSucceeded(job)
    })
  }

  /** The job is queued or running. */
  get active(): boolean {
    return this.job !== null && !FINAL.includes(this.job.status)
  }

  /** The job stopped before finishing and can carry on from where it was. */
  get resumable(): boolean {
    return this.job !== null && RESUMABLE.includes(this.job.status)
  }

  /** Done / total in [0, 1], or null while the total is unknown. */
  get fraction(): number | null {
    const p = this.job?.progress
    return p && p.total > 0 ? p.done / p.total : null
  }

  /** Where the job is, in words; empty when there is nothing to say. */
  get message(): string {
    if (this.error) return this.error
    const job = this.job
    if (!job) return ''
    switch (job.status) {
      case 'queued':
        return `${this.what}: waiting for another job to finish…`
      case 'running':
        return job.progress?.message ?? `${this.what}…`
      case 'failed':
        return `${this.what} failed: ${job.error?.message ?? 'no reason was given'}`
      case 'cancelled':
        return `${this.what} was cancelled. What was finished is kept; Resume carries on from there.`
      case 'interrupted':
        return `${this.what} stopped when the app closed. Resume carries on from where it was.`
      default:
        return ''
    }
  }

  /** The job's status in a sentence for screen readers; unchanged by progress reports. */
  get announcement(): string {
    return jobAnnouncement(this.what, this.job)
  }

  /** Starts the job (unless one is already running). */
  async start(run: () => Promise<Job>): Promise<void> {
    if (this.active) return
    try {
      this.error = null
      this.adopt(await run())
    } catch (error) {
      this.error = describeError(error)
    }
  }

  /** Follows a job that already exists (one found again after a reload). */
  adopt(job: Job): void {
    this.job = job
    this.anchor = null
    this.eta = null
    this.observe(job)
  }

  /** Carries on a cancelled, failed or interrupted job from its saved state. */
  async resume(): Promise<void> {
    if (!this.job || !this.resumable) return
    try {
      this.error = null
      this.adopt(await engine['jobs.resume']({ id: this.job.id }))
    } catch (error) {
      this.error = describeError(error)
    }
  }

  /** Asks the job to stop. */
  async cancel(): Promise<void> {
    if (!this.job || !this.active) return
    try {
      this.job = await engine['jobs.cancel']({ id: this.job.id })
    } catch (error) {
      this.error = describeError(error)
    }
  }

  /** Updates the time-left estimate from a running job's progress (see eta.ts). */
  private observe(job: Job): void {
    const p = job.progress
    if (job.status !== 'running' || !p) {
      if (job.status !== 'running') this.anchor = null
      this.eta = null
      return
    }
    const sample = { time: Date.now(), done: p.done, total: p.total }
    this.anchor = nextAnchor(this.anchor, sample)
    const ms = remainingMs(this.anchor, sample)
    this.eta = ms === null ? null : formatRemaining(ms)
  }

  /** Stops listening (when the screen closes; the job itself carries on). */
  dispose(): void {
    this.unsubscribe()
  }
}
