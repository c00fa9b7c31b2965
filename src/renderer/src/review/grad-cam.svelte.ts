import type { ModelSummary } from '../../../shared/ml'
import { describeError } from '../lib/errors'
import { engine } from '../lib/engine'
import { JobTracker } from '../lib/job-tracker.svelte'
import { collectGradCamResults, gradCamKey, type GradCamResult } from './grad-cam'

const NONE: ReadonlyMap<string, GradCamResult> = new Map()

/**
 * Grad-CAM overlays of clips' apexes, per model: one ml.gradCam job per clip explains every
 * AU of the model. Results are found again after a reload in the finished jobs.
 */
export class GradCamState {
  /** gradCamKey → the job's result. */
  results: ReadonlyMap<string, GradCamResult> = $state.raw(NONE)
  error: string | null = $state(null)
  readonly job: JobTracker

  constructor() {
    this.job = new JobTracker('Grad-CAM', (job) => {
      this.results = collectGradCamResults(this.results, [job], true)
    })
  }

  /** The overlays of a clip by a model, when computed. */
  result(model: ModelSummary | undefined, clipId: number | null): GradCamResult | undefined {
    return model && clipId !== null ? this.results.get(gradCamKey(model.path, clipId)) : undefined
  }

  /** The running job explains this clip. */
  running(clipId: number | null): boolean {
    const input = this.job.job?.input as { clipId?: unknown } | undefined
    return this.job.active && input?.clipId === clipId
  }

  /** Collects the results of finished Grad-CAM jobs. */
  async restore(): Promise<void> {
    try {
      const jobs = await engine['jobs.list']({ limit: 1000 })
      this.results = collectGradCamResults(this.results, jobs)
    } catch (error) {
      this.error = describeError(error)
    }
  }

  /** Starts explaining a clip with a model (every AU it predicts). */
  run(modelId: number, clipId: number): Promise<void> {
    return this.job.start(() => engine['ml.gradCam']({ modelId, clipId }))
  }

  /** Stops following the job. */
  dispose(): void {
    this.job.dispose()
  }
}
