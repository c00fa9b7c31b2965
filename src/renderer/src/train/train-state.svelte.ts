import type { Coder } from '../../../shared/coding'
import type { Dataset, Job } from '../../../shared/domain'
import type { AblationResult, BackendInfo } from '../../../shared/ml'
import { engine, transport } from '../lib/engine'
import { describeError } from '../lib/errors'
import { JobTracker, latestJob } from '../lib/job-tracker.svelte'
import { addFoldF1, addReport, emptyHistory, type FoldF1, type LossHistory } from './loss-history'
import {
  buildRequest,
  defaultForm,
  effectiveBatchSize,
  effectiveEpochs,
  formFromJob,
  toggleDataset,
  type TrainForm,
} from './train-form'
import { stepPlan, type StepPlan } from './memory-check'
import { estimateRunTime, pooledVolume, type ClipVolume, type TimeEstimate } from './time-estimate'
import { isAblationResult, isTrainingResult, type TrainingResultView } from './result-types'

/** The job kinds the Train view runs and re-attaches to. */
export const TRAIN_KINDS = ['ml.train', 'ml.ablation'] as const

/**
 * The Train screen's state: the form and what it needs (datasets, coders, the backend),
 * the running or last training job with its live charts, and the finished run's result.
 */
export class TrainState {
  form: TrainForm = $state(defaultForm())
  datasets: Dataset[] = $state([])
  coders: Coder[] = $state([])
  backend: BackendInfo | null = $state(null)
  backendError: string | null = $state(null)
  /** The form's problem, naming the field. */
  formError: { field: keyof TrainForm; message: string } | null = $state(null)
  error: string | null = $state(null)
  history: LossHistory = $state(emptyHistory())
  folds: FoldF1 = $state({})
  /** The job was already under way when this page found it: earlier reports are not shown. */
  joinedLate = $state(false)
  readonly tracker = new JobTracker('Training', () => undefined)
  /** Clip volumes already read, per dataset. */
  private volumes: Record<number, ClipVolume> = $state({})
  private readonly unsubscribe: () => void

  constructor() {
    this.unsubscribe = transport.subscribe('job.changed', (job) => {
      if (job.id === this.tracker.job?.id) this.observe(job)
    })
  }

  /** Loads datasets, coders and the backend, and re-attaches to the newest training job. */
  async load(): Promise<void> {
    try {
      const [datasets, coders, job] = await Promise.all([
        engine['datasets.list']({}),
        engine['coders.list']({}),
        latestJob(TRAIN_KINDS),
      ])
      this.datasets = datasets
      this.coders = coders
      if (job && !this.tracker.job) this.attach(job)
      if (this.form.datasetIds.length === 0 && datasets.length > 0) {
        this.form.datasetIds = [datasets[0].id]
      }
    } catch (error) {
      this.error = describeError(error)
    }
    void this.loadVolume()
    try {
      this.backend = await engine['ml.backendInfo']({})
    } catch (error) {
      this.backendError = describeError(error)
    }
  }

  /** Reads the clip sizes of the chosen datasets (once per dataset). */
  async loadVolume(): Promise<void> {
    const missing = this.form.datasetIds.filter((id) => this.volumes[id] === undefined)
    try {
      for (const id of missing) {
        const clips = await engine['clips.list']({ datasetId: id, limit: 10_000 })
        this.volumes = {
          ...this.volumes,
          [id]: {
            clips: clips.length,
            pixelFrames: clips.reduce((sum, c) => sum + c.width * c.height * c.frameCount, 0),
          },
        }
      }
    } catch (error) {
      this.error = describeError(error)
    }
  }

  /** The chosen datasets' clips together, or null while one of them is being read. */
  get volume(): ClipVolume | null {
    return pooledVolume(this.form.datasetIds, this.volumes)
  }

  /** Ticks or unticks a dataset of the run. */
  toggleDataset(id: number): void {
    this.form.datasetIds = toggleDataset(this.form.datasetIds, id)
    void this.loadVolume()
  }

  /** The backend a run would use: the one chosen, else the one `auto` picks. */
  get runBackend(): string | null {
    return this.form.backend === 'auto' ? (this.backend?.name ?? null) : this.form.backend
  }

  /** The estimate of the run the form describes, or null while its inputs load. */
  get estimate(): TimeEstimate | null {
    const backend = this.runBackend
    if (!this.volume || !backend) return null
    const folds = Number(this.form.folds)
    if (!Number.isInteger(folds) || folds < 2) return null
    const ablation = this.form.mode === 'ablation'
    return estimateRunTime({
      preset: this.form.preset,
      variants: ablation ? this.form.variants : [this.form.variant],
      clips: this.volume.clips,
      pixelFrames: this.volume.pixelFrames,
      folds,
      epochs: effectiveEpochs(this.form),
      batchSize: effectiveBatchSize(this.form),
      finalModel: !ablation,
      backend,
    })
  }

  /**
   * How the run's steps will be cut into micro-batches (gradient caching) on the backend it
   * would use, and why it cannot train there (null when it can); the engine plans the same.
   */
  get stepPlan(): StepPlan | null {
    const backend = this.runBackend
    if (!backend) return null
    return stepPlan({
      preset: this.form.preset,
      backend,
      variants: this.form.mode === 'ablation' ? this.form.variants : [this.form.variant],
      batchSize: effectiveBatchSize(this.form),
      microBatch: null,
    })
  }

  /** Why the run cannot train on the backend it would use, or null (see stepPlan). */
  get memoryProblem(): string | null {
    return this.stepPlan?.problem ?? null
  }

  /** The finished run's result, when the job succeeded. */
  get result(): TrainingResultView | AblationResult | null {
    const job = this.tracker.job
    if (job?.status !== 'succeeded') return null
    return isTrainingResult(job.result) || isAblationResult(job.result) ? job.result : null
  }

  /** The kind of the tracked job. */
  get kind(): string | null {
    return this.tracker.job?.kind ?? null
  }

  /** Starts the run the form describes. */
  async start(): Promise<void> {
    const built = buildRequest(this.form)
    if (!built.ok) {
      this.formError = { field: built.field, message: built.message }
      return
    }
    const memory = this.memoryProblem
    if (memory !== null) {
      this.formError = { field: 'preset', message: memory }
      return
    }
    this.formError = null
    this.history = emptyHistory()
    this.folds = {}
    this.joinedLate = false
    await this.tracker.start(() =>
      built.method === 'ml.train'
        ? engine['ml.train'](built.input)
        : engine['ml.ablation'](built.input),
    )
    const job = this.tracker.job
    if (job) this.observe(job)
  }

  /** Follows a job found on load (running, stopped or finished). */
  private attach(job: Job): void {
    this.tracker.adopt(job)
    this.form = formFromJob(job.kind, job.input, this.form)
    this.joinedLate = true
    this.observe(job)
  }

  private observe(job: Job): void {
    const fallback = variantOf(job)
    this.history = addReport(this.history, job.progress)
    this.folds = addFoldF1(this.folds, job.progress, fallback)
  }

  /** Stops listening (the job itself carries on). */
  dispose(): void {
    this.unsubscribe()
    this.tracker.dispose()
  }
}

/** The variant of an ml.train job's input ('run' when it cannot be read). */
function variantOf(job: Job): string {
  const input = job.input as { variant?: unknown } | null
  return typeof input?.variant === 'string' ? input.variant : 'run'
}
