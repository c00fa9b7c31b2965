import type { Dataset } from '../../../shared/domain'
import type { ModelDetail, ModelSummary } from '../../../shared/ml'
import { engine, transport } from '../lib/engine'
import { describeError } from '../lib/errors'

/**
 * The model registry: the library's trained models, renamed and deleted here, and the
 * details of those chosen for comparison.
 */
export class ModelsState {
  models: ModelSummary[] = $state([])
  /** The library's datasets, to name those a model was trained on. */
  datasets: Dataset[] = $state([])
  /** Models ticked for comparison, in the order they were ticked. */
  compared: number[] = $state([])
  details: Record<number, ModelDetail> = $state({})
  error: string | null = $state(null)
  loading = $state(true)
  private readonly unsubscribe: () => void

  constructor() {
    this.unsubscribe = transport.subscribe('data.changed', (change) => {
      if (change.entity === 'models') void this.refresh()
    })
  }

  /** Reloads the list; drops ticks of models that are gone. */
  async refresh(): Promise<void> {
    try {
      ;[this.models, this.datasets] = await Promise.all([
        engine['models.list']({}),
        engine['datasets.list']({}),
      ])
      const ids = this.models.map((m) => m.id)
      this.compared = this.compared.filter((id) => ids.includes(id))
      this.error = null
    } catch (error) {
      this.error = describeError(error)
    } finally {
      this.loading = false
    }
  }

  /** A dataset's name, or what is known of one no longer in the library. */
  datasetName(id: number): string {
    return this.datasets.find((d) => d.id === id)?.name ?? `dataset ${id} (deleted)`
  }

  /** Ticks or unticks a model for comparison (and loads its metrics). */
  async toggle(id: number): Promise<void> {
    if (this.compared.includes(id)) {
      this.compared = this.compared.filter((x) => x !== id)
      return
    }
    this.compared = [...this.compared, id]
    await this.loadDetail(id)
  }

  /** The chosen models with their details, in tick order (those loaded). */
  get comparedDetails(): ModelDetail[] {
    return this.compared.map((id) => this.details[id]).filter((d) => d !== undefined)
  }

  private async loadDetail(id: number): Promise<void> {
    try {
      this.details = { ...this.details, [id]: await engine['models.get']({ id }) }
    } catch (error) {
      this.error = describeError(error)
    }
  }

  /** Renames a model; true when it worked. */
  async rename(id: number, name: string): Promise<boolean> {
    try {
      const updated = await engine['models.rename']({ id, name: name.trim() })
      this.models = this.models.map((m) => (m.id === id ? updated : m))
      if (this.details[id])
        this.details = { ...this.details, [id]: { ...this.details[id], name: updated.name } }
      this.error = null
      return true
    } catch (error) {
      this.error = describeError(error)
      return false
    }
  }

  /**
   * Removes a model from the library, and its folder when asked. Answers why it failed, or
   * null when it worked (the delete dialog shows the reason, not the page behind it).
   */
  async remove(id: number, deleteFiles: boolean): Promise<string | null> {
    try {
      await engine['models.delete']({ id, deleteFiles })
      this.models = this.models.filter((m) => m.id !== id)
      this.compared = this.compared.filter((x) => x !== id)
      return null
    } catch (error) {
      return describeError(error)
    }
  }

  /** Stops listening. */
  dispose(): void {
    this.unsubscribe()
  }
}
