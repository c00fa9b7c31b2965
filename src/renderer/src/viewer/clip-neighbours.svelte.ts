import { engine } from '../lib/engine'
import { lastLibraryQuery } from '../lib/library-memory'
import { describeError } from '../lib/errors'
import {
  NO_FILTERS,
  clipNeighbours,
  isFiltered,
  libraryPageInput,
  type ClipNeighbours,
} from '../lib/library-query'
import { router } from '../lib/router.svelte'

/**
 * The clips before and after the open one in the library's list as the coder left it (the
 * same dataset and filters); for a clip of another dataset, that dataset's whole list.
 */
export class ClipNeighboursState {
  neighbours: ClipNeighbours | null = $state(null)
  /** The list is narrowed by the library's filters. */
  filtered = $state(false)
  error: string | null = $state(null)

  constructor(private readonly clipId: number) {}

  /** Reads the list the clip belongs to. */
  async load(datasetId: number): Promise<void> {
    const last = lastLibraryQuery()
    const query = last?.datasetId === datasetId ? last : { datasetId, filters: { ...NO_FILTERS } }
    try {
      const page = await engine['library.page'](libraryPageInput(query))
      this.neighbours = clipNeighbours(
        page.clips.map((c) => c.id),
        this.clipId,
      )
      this.filtered = isFiltered(query.filters)
      this.error = null
    } catch (error) {
      this.error = describeError(error)
    }
  }

  /** Opens the previous (-1) or next (+1) clip, when there is one. */
  go(step: 1 | -1): void {
    const target = step < 0 ? this.neighbours?.previous : this.neighbours?.next
    if (target != null) router.go({ screen: 'clip', clipId: target })
  }
}
