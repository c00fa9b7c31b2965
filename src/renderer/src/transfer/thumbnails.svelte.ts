import type { Job } from '../../../shared/domain'
import { transport } from '../lib/engine'
import { JobTracker, latestJob } from '../lib/job-tracker.svelte'

/** The job kind the engine queues after every import to give the cards their pictures. */
const KIND = 'clips.thumbnails'
/** The cards are reloaded at most this often while the job runs. */
const RELOAD_MS = 500

function datasetOf(job: Job): number | null {
  const id = (job.input as { datasetId?: unknown } | null)?.datasetId
  return typeof id === 'number' ? id : null
}

/**
 * Follows the thumbnails job of the dataset the library shows (the engine starts it after an
 * import, nobody clicks): its progress bar with Cancel / Resume, and a reload of the cards
 * every `RELOAD_MS` while it runs, so they fill in as frames arrive.
 */
export class ThumbnailsFollower {
  readonly tracker: JobTracker
  private readonly unsubscribe: () => void
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly datasetId: () => number | null,
    private readonly reload: () => void,
  ) {
    this.tracker = new JobTracker('Preparing thumbnails', () => this.reload())
    this.unsubscribe = transport.subscribe('job.changed', (job) => this.seen(job))
  }

  /** Follows the newest thumbnails job again when it belongs to the dataset shown. */
  async reattach(): Promise<void> {
    const job = await latestJob([KIND])
    if (job && datasetOf(job) === this.datasetId()) this.tracker.adopt(job)
  }

  /** Stops listening and reloading. */
  dispose(): void {
    clearTimeout(this.timer)
    this.unsubscribe()
    this.tracker.dispose()
  }

  private seen(job: Job): void {
    if (job.kind !== KIND || datasetOf(job) !== this.datasetId()) return
    if (this.tracker.job?.id !== job.id) this.tracker.adopt(job)
    if (job.status === 'running' && this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined
        this.reload()
      }, RELOAD_MS)
    }
  }
}
