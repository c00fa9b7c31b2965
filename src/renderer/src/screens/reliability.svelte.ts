import type { Dataset } from '../../../shared/domain'
import type { ReliabilityReport } from '../../../shared/reliability'
import { describeError } from '../lib/errors'
import { engine } from '../lib/engine'

/**
 * The Reliability screen's state: a dataset, the coders to compare (the engine's choice until
 * the coder changes it: everyone who coded, without the adjudicated layer) and their report.
 */
export class ReliabilityState {
  datasets: Dataset[] = $state([])
  datasetId: number | null = $state(null)
  /** Coders to compare; null lets the engine choose. */
  chosen: number[] | null = $state(null)
  report: ReliabilityReport | null = $state(null)
  error: string | null = $state(null)
  loading = $state(false)

  constructor(datasetId: number | null) {
    this.datasetId = datasetId
  }

  /** The selected dataset, if any. */
  get dataset(): Dataset | undefined {
    return this.datasets.find((d) => d.id === this.datasetId)
  }

  /** The coders compared now. */
  get compared(): number[] {
    return this.chosen ?? this.report?.coderIds ?? []
  }

  /** Loads the datasets, then the report of the selected one. */
  async load(): Promise<void> {
    try {
      this.datasets = await engine['datasets.list']({})
      if (!this.dataset) this.datasetId = this.datasets[0]?.id ?? null
      await this.compute()
    } catch (error) {
      this.error = describeError(error)
    }
  }

  /** Shows another dataset, letting the engine choose its coders again. */
  selectDataset(id: number): Promise<void> {
    this.datasetId = id
    this.chosen = null
    return this.compute()
  }

  /** Adds a coder to, or takes one out of, the comparison. */
  toggleCoder(id: number): Promise<void> {
    const now = this.compared
    this.chosen = now.includes(id)
      ? now.filter((c) => c !== id)
      : [...now, id].sort((a, b) => a - b)
    return this.compute()
  }

  private async compute(): Promise<void> {
    if (this.datasetId === null) return
    if (this.chosen !== null && this.chosen.length < 2) {
      this.report = null
      this.error = 'Choose at least two coders to compare.'
      return
    }
    this.loading = true
    try {
      this.report = await engine['reliability.dataset']({
        datasetId: this.datasetId,
        coderIds: this.chosen ?? undefined,
      })
      this.error = null
    } catch (error) {
      this.error = describeError(error)
    } finally {
      this.loading = false
    }
  }
}
