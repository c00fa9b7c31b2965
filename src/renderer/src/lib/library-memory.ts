import { NO_FILTERS, type LibraryQuery } from './library-query'

const STORAGE_KEY = 'microau.libraryQuery'

/** Keeps the library's current dataset and filters for this window (the viewer reads them). */
export function rememberLibraryQuery(query: LibraryQuery): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(query))
}

/** The library's dataset and filters as last remembered in this window, if any. */
export function lastLibraryQuery(): LibraryQuery | null {
  try {
    const stored = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as LibraryQuery | null
    return stored && typeof stored.datasetId === 'number'
      ? { datasetId: stored.datasetId, filters: { ...NO_FILTERS, ...stored.filters } }
      : null
  } catch {
    return null
  }
}
