import type { ClipSummary, Dataset } from '../../../shared/domain'
import { engine, transport } from '../lib/engine'

/** The Library screen's state: datasets, the selected one and its clips. */
export class LibraryState {
  datasets: Dataset[] = $state([])
  selectedId: number | null = $state(null)
  clips: ClipSummary[] = $state([])
  error: string | null = $state(null)
  loading = $state(true)

  constructor() {
    transport.subscribe('data.changed', (change) => {
      if (change.entity === 'datasets' || change.entity === 'clips') void this.refresh()
    })
  }

  /** The selected dataset, if any. */
  get selected(): Dataset | undefined {
    return this.datasets.find((d) => d.id === this.selectedId)
  }

  /** Reloads the dataset list (and the selected dataset's clips). */
  async refresh(): Promise<void> {
    await this.run(async () => {
      this.datasets = await engine['datasets.list']({})
      if (this.selectedId === null && this.datasets.length > 0)
        this.selectedId = this.datasets[0].id
      await this.loadClips()
    })
    this.loading = false
  }

  /** Selects a dataset and shows its clips. */
  async select(id: number): Promise<void> {
    this.selectedId = id
    await this.run(() => this.loadClips())
  }

  /** Creates a dataset and selects it; true on success. */
  async create(name: string): Promise<boolean> {
    return this.run(async () => {
      const dataset = await engine['datasets.create']({ name })
      this.datasets = await engine['datasets.list']({})
      await this.select(dataset.id)
    })
  }

  /** Renames a dataset; true on success. */
  async rename(id: number, name: string): Promise<boolean> {
    return this.run(async () => {
      await engine['datasets.rename']({ id, name })
      this.datasets = await engine['datasets.list']({})
    })
  }

  private async loadClips(): Promise<void> {
    this.clips =
      this.selectedId === null ? [] : await engine['clips.list']({ datasetId: this.selectedId })
  }

  private async run(work: () => Promise<void>): Promise<boolean> {
    try {
      await work()
      this.error = null
      return true
    } catch (error) {
      this.error = (error as Error).message
      return false
    }
  }
}
