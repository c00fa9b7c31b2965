import type { Job } from '../../../shared/domain'
import { describeError } from './errors'
import { engine, transport } from './engine'

const FINAL: readonly Job['status'][] = ['succeeded', 'failed', 'cancelled', 'interrupted']

/**
 * One job the UI started: its progress as `job.changed` events bring it, a way to cancel it,
 * and a sentence about where it is. `onSucceeded` runs once when it finishes well.
 */
export class JobTracker {
  job: Job | null = $state(null)
  error: string | null = $state(null)
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
      if (finishing && job.status === 'succeeded') this.onSucceeded(job)
    })
  }

  /** The job is queued or running. */
  get active(): boolean {
    return this.job !== null && !FINAL.includes(this.job.status)
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
        return `${this.what} was cancelled. What was finished is kept; start again to carry on.`
      case 'interrupted':
        return `${this.what} stopped when the app closed. Start again to carry on.`
      default:
        return ''
    }
  }

  /** Starts the job (unless one is already running). */
  async start(run: () => Promise<Job>): Promise<void> {
    if (this.active) return
    try {
      this.error = null
      this.job = await run()
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

  /** Stops listening (when the screen closes; the job itself carries on). */
  dispose(): void {
    this.unsubscribe()
  }
}
