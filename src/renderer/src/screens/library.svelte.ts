import type { ClipCard, LibraryPage } from '../../../shared/coding'
import type { Dataset } from '../../../shared/domain'
import { describeError } from '../lib/errors'
import { engine, transport } from '../lib/engine'
import { JobTracker } from '../lib/job-tracker.svelte'
import { lastLibraryQuery, rememberLibraryQuery } from '../lib/library-memory'
import { NO_FILTERS, libraryPageInput, type LibraryFilterValues } from '../lib/library-query'
import { ThumbnailsFollower } from '../transfer/thumbnails.svelte'

/** One subject of the selected dataset with its clips that pass the filters. */
export interface SubjectGroup {
  subject: string
  clips: ClipCard[]
}

/**
 * The Library screen's state: datasets, the selected one, and its clips (grouped by subject)
 * with status, thumbnails and filters.
 */
export class LibraryState {
  datasets: Dataset[] = $state([])
  selectedId: number | null = $state(null)
  page: LibraryPage | null = $state(null)
  filters: LibraryFilterValues = $state({ ...NO_FILTERS })
  error: string | null = $state(null)
  loading = $state(true)
  /** Puts the frames of the dataset's uncached clips into the frame cache. */
  readonly cacheJob = new JobTracker('Preparing the frames', () => void this.loadClips())
  /** The thumbnails job the engine runs after an import of the selected dataset. */
  readonly thumbnails = new ThumbnailsFollower(
    () => this.selectedId,
    () => void this.run(() => this.loadClips()),
  )
  private readonly unsubscribe: () => void
  private searchTimer: ReturnType<typeof setTimeout> | undefined

  constructor() {
    // Coming back from a clip shows the list the coder left, filters and all.
    const last = lastLibraryQuery()
    if (last) {
      this.selectedId = last.datasetId
      this.filters = last.filters
    }
    this.unsubscribe = transport.subscribe('data.changed', (change) => {
      if (change.entity === 'datasets' || change.entity === 'clips') void this.refresh()
      else if (change.entity === 'labels') void this.run(() => this.loadClips())
    })
  }

  /** The selected dataset, if any. */
  get selected(): Dataset | undefined {
    return this.datasets.find((d) => d.id === this.selectedId)
  }

  /** The filtered clips by subject, in library order. */
  get groups(): SubjectGroup[] {
    const groups: SubjectGroup[] = []
    for (const clip of this.page?.clips ?? []) {
      const last = groups.at(-1)
      if (last?.subject === clip.subject) last.clips.push(clip)
      else groups.push({ subject: clip.subject, clips: [clip] })
    }
    return groups
  }

  /** Clips of the dataset whose frames are not all cached yet. */
  get uncached(): ClipCard[] {
    return (this.page?.clips ?? []).filter((c) => !c.cached)
  }

  /** Reloads the dataset list (and the selected dataset's clips). */
  async refresh(): Promise<void> {
    await this.run(async () => {
      this.datasets = await engine['datasets.list']({})
      if (!this.datasets.some((d) => d.id === this.selectedId)) {
        this.selectedId = this.datasets[0]?.id ?? null
        this.filters = { ...NO_FILTERS }
      }
      await this.loadClips()
      await this.thumbnails.reattach()
    })
    this.loading = false
  }

  /** Selects a dataset and shows its clips, with the filters cleared. */
  async select(id: number): Promise<void> {
    this.selectedId = id
    this.filters = { ...NO_FILTERS }
    await this.run(() => this.loadClips())
  }

  /** Changes filters and reloads (typing in the search box waits for a pause). */
  setFilters(change: Partial<LibraryFilterValues>): void {
    this.filters = { ...this.filters, ...change }
    clearTimeout(this.searchTimer)
    const wait = 'search' in change ? 200 : 0
    this.searchTimer = setTimeout(() => void this.run(() => this.loadClips()), wait)
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

  /**
   * After an import landed: the dataset list and counts change (an import job sends no
   * `data.changed`), and the imported dataset is shown.
   */
  async showImported(datasetId: number): Promise<void> {
    await this.run(async () => {
      this.datasets = await engine['datasets.list']({})
    })
    await this.select(datasetId)
  }

  /** Starts caching the frames of every listed clip that is not cached yet. */
  prepareFrames(): Promise<void> {
    const clipIds = this.uncached.map((c) => c.id)
    return this.cacheJob.start(() => engine['clips.cacheFrames']({ clipIds }))
  }

  /** Stops listening for changes (when the screen closes). */
  dispose(): void {
    clearTimeout(this.searchTimer)
    this.unsubscribe()
    this.cacheJob.dispose()
    this.thumbnails.dispose()
  }

  private async loadClips(): Promise<void> {
    if (this.selectedId === null) {
      this.page = null
      return
    }
    const query = { datasetId: this.selectedId, filters: { ...this.filters } }
    rememberLibraryQuery(query)
    this.page = await engine['library.page'](libraryPageInput(query))
  }

  private async run(work: () => Promise<void>): Promise<boolean> {
    try {
      await work()
      this.error = null
      return true
    } catch (error) {
      this.error = describeError(error)
      return false
    }
  }
}
