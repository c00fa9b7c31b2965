import type { ClipCard, ClipStatus, CoderKind, LibraryPage } from '../../shared/coding'
import type { LibraryDb } from '../db/open-library'
import { readCodesOfClips, type StoredCodes } from '../db/queries/codes'
import { listCoders } from '../db/queries/coders'
import { getDataset } from '../db/queries/datasets'
import { nearestCachedFrameKey, readLibraryClips } from '../db/queries/library'
import { clipStatus, hasCoded } from './clip-status'
import { thumbnailFrame } from './thumbnail-frame'

/** What the library may filter a dataset's clips by; absent filters pass everything. */
export interface LibraryFilters {
  datasetId: number
  /** Words that must all appear in the subject, clip name or emotion (any case). */
  search?: string
  subject?: string
  emotion?: string
  /** Clips where some coder (the filtered coder, when one is chosen) scored this AU. */
  au?: number
  /** Clips this coder coded. */
  coderId?: number
  status?: ClipStatus
}

/** A dataset's clips as the library lists them, filtered, with the filters' choices. */
export function libraryPage(db: LibraryDb, filters: LibraryFilters): LibraryPage {
  getDataset(db, filters.datasetId)
  const rows = readLibraryClips(db, filters.datasetId)
  const codes = readCodesOfClips(
    db,
    rows.map((r) => r.id),
  )
  const kinds = new Map<number, CoderKind>(listCoders(db).map((c) => [c.id, c.kind]))
  const kindOf = (id: number) => kinds.get(id) ?? 'human'
  const cards = rows.map((row): ClipCard => {
    const { uncached, predicted, ...clip } = row
    const byCoder = codes.get(row.id) ?? new Map<number, StoredCodes>()
    const coded = [...byCoder].filter(([, c]) => hasCoded(c))
    return {
      ...clip,
      status: clipStatus(byCoder, kindOf, predicted === 1),
      coderIds: coded.map(([id]) => id),
      aus: [...new Set(coded.flatMap(([, c]) => c.labels.map((l) => l.au)))].sort((a, b) => a - b),
      thumbnailKey: nearestCachedFrameKey(db, row.id, thumbnailFrame(row, coded, kindOf)),
      cached: uncached === 0,
    }
  })
  const words = (filters.search ?? '').toLowerCase().split(/\s+/).filter(Boolean)
  const clips = cards.filter((card) => {
    const text = `${card.subject} ${card.name} ${card.emotion ?? ''}`.toLowerCase()
    const byCoder = codes.get(card.id)
    const auCoders =
      filters.coderId === undefined
        ? [...(byCoder?.values() ?? [])]
        : [byCoder?.get(filters.coderId)]
    return (
      words.every((w) => text.includes(w)) &&
      (filters.subject === undefined || card.subject === filters.subject) &&
      (filters.emotion === undefined || card.emotion === filters.emotion) &&
      (filters.status === undefined || card.status === filters.status) &&
      (filters.coderId === undefined || card.coderIds.includes(filters.coderId)) &&
      (filters.au === undefined ||
        auCoders.some((c) => c?.labels.some((l) => l.au === filters.au) ?? false))
    )
  })
  return {
    clips,
    total: cards.length,
    facets: {
      subjects: sortedText(cards.map((c) => c.subject)),
      emotions: sortedText(cards.flatMap((c) => (c.emotion === null ? [] : [c.emotion]))),
      aus: [...new Set(cards.flatMap((c) => c.aus))].sort((a, b) => a - b),
      coderIds: [...new Set(cards.flatMap((c) => c.coderIds))].sort((a, b) => a - b),
    },
  }
}

function sortedText(values: string[]): string[] {
  return [...new Set(values)].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
}
