import type { BatchTable, ModelSummary } from '../../../shared/ml'
import { describeError } from '../lib/errors'
import { engine } from '../lib/engine'
import { JobTracker, latestJob } from '../lib/job-tracker.svelte'
import { pastBatches, thresholdField, type PastBatch } from './batch-result'

/**
 * The Batch screen's state: the request (folder of videos, model, optional dataset name and
 * output folder), the batch.analyze job, earlier analyses (its finished jobs, so results
 * survive a reload) and the table of the one shown.
 */
export class BatchState {
  models: ModelSummary[] = $state([])
  folder = $state('')
  modelId: number | null = $state(null)
  dataset = $state('')
  outDir = $state('')
  /** One threshold for every AU; empty: the model's own (see thresholdField). */
  threshold = $state('')
  past: PastBatch[] = $state.raw([])
  /** Job id of the analysis shown. */
  shownJobId: number | null = $state(null)
  table: BatchTable | null = $state.raw(null)
  error: string | null = $state(null)
  readonly job: JobTracker

  constructor() {
    this.job = new JobTracker('Batch analysis', (job) => void this.loadPast(job.id))
  }

  /** The analysis shown. */
  get shown(): PastBatch | undefined {
    return this.past.find((p) => p.jobId === this.shownJobId)
  }

  /** Loads models and earlier analyses; follows an analysis still running. */
  async load(): Promise<void> {
    try {
      this.models = await engine['models.list']({})
      if (!this.models.some((m) => m.id === this.modelId)) this.modelId = this.models[0]?.id ?? null
      const latest = await latestJob(['batch.analyze'])
      if (latest && (latest.status === 'queued' || latest.status === 'running')) {
        this.job.adopt(latest)
      }
      await this.loadPast(null)
    } catch (error) {
      this.error = describeError(error)
    }
  }

  /** Starts analysing the folder. */
  start(): Promise<void> {
    const folder = this.folder.trim()
    const modelId = this.modelId
    if (modelId === null) {
      this.error = 'Choose a model first (train one on the Train screen).'
      return Promise.resolve()
    }
    const threshold = thresholdField(this.threshold)
    if (threshold === null) {
      this.error = "The threshold must be a number from 0 to 1, or empty for the model's own."
      return Promise.resolve()
    }
    this.error = null
    return this.job.start(() =>
      engine['batch.analyze']({
        folder,
        modelId,
        dataset: this.dataset.trim() || undefined,
        outDir: this.outDir.trim() || undefined,
        threshold,
      }),
    )
  }

  /** Shows an earlier analysis. */
  async show(jobId: number): Promise<void> {
    const past = this.past.find((p) => p.jobId === jobId)
    if (!past) return
    this.shownJobId = jobId
    this.table = null
    try {
      const table = await engine['batch.table']({
        datasetId: past.result.datasetId,
        modelId: past.result.modelId,
        threshold: past.result.threshold,
      })
      // Another analysis chosen meanwhile: its own table is on the way.
      if (this.shownJobId !== jobId) return
      this.table = table
      this.error = null
    } catch (error) {
      if (this.shownJobId === jobId) this.error = describeError(error)
    }
  }

  /** Stops following the job. */
  dispose(): void {
    this.job.dispose()
  }

  /** Reloads the finished analyses and shows `jobId` (or the newest). */
  private async loadPast(jobId: number | null): Promise<void> {
    try {
      this.past = pastBatches(await engine['jobs.list']({ limit: 1000 }))
      const next = jobId ?? this.shownJobId ?? this.past[0]?.jobId ?? null
      if (next !== null) await this.show(next)
    } catch (error) {
      this.error = describeError(error)
    }
  }
}
