import type { ClipStatus } from '../../../shared/coding'

/** The library's filters; empty values pass everything. */
export interface LibraryFilterValues {
  search: string
  subject: string
  emotion: string
  au: number | null
  coderId: number | null
  status: ClipStatus | null
}

/** Filters that pass every clip. */
export const NO_FILTERS: LibraryFilterValues = {
  search: '',
  subject: '',
  emotion: '',
  au: null,
  coderId: null,
  status: null,
}

/** What the library last listed: a dataset and the filters its clips passed. */
export interface LibraryQuery {
  datasetId: number
  filters: LibraryFilterValues
}

/** The `library.page` input of a query (empty filters left out). */
export function libraryPageInput({ datasetId, filters: f }: LibraryQuery) {
  return {
    datasetId,
    search: f.search.trim() || undefined,
    subject: f.subject || undefined,
    emotion: f.emotion || undefined,
    au: f.au ?? undefined,
    coderId: f.coderId ?? undefined,
    status: f.status ?? undefined,
  }
}

/** Whether any filter narrows the list. */
export function isFiltered(filters: LibraryFilterValues): boolean {
  return (Object.keys(NO_FILTERS) as (keyof LibraryFilterValues)[]).some(
    (key) => filters[key] !== NO_FILTERS[key],
  )
}

/** Where a clip sits in a list of clip ids, and the clips either side of it. */
export interface ClipNeighbours {
  previous: number | null
  next: number | null
  /** 1-based place in the list; null when the clip is not in it (filtered out). */
  position: number | null
  count: number
}

/**
 * The clips before and after `clipId` in `ids` (library order). A clip the filters leave out
 * has no place; its neighbours are then the first and last clips of the list, so the coder
 * can still step into it.
 */
export function clipNeighbours(ids: readonly number[], clipId: number): ClipNeighbours {
  const index = ids.indexOf(clipId)
  if (index < 0) {
    return { previous: ids.at(-1) ?? null, next: ids[0] ?? null, position: null, count: ids.length }
  }
  return {
    previous: index > 0 ? ids[index - 1] : null,
    next: index < ids.length - 1 ? ids[index + 1] : null,
    position: index + 1,
    count: ids.length,
  }
}
