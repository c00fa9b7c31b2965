import type { ClipSummary } from '../../../shared/domain'
import type { LibraryDb } from '../open-library'

/** A clip of a dataset with what the library shows about its frames and predictions. */
export interface LibraryClipRow extends ClipSummary {
  /** Frames not yet in the frame cache. */
  uncached: number
  /** A model has predicted AUs for the clip. */
  predicted: number
}

/** Every clip of a dataset, by subject and name. */
export function readLibraryClips(db: LibraryDb, datasetId: number): LibraryClipRow[] {
  return db
    .prepare(
      `SELECT c.id, c.dataset_id AS datasetId, c.subject_id AS subjectId, s.code AS subject,
              c.name, c.source_kind AS sourceKind, c.fps, c.frame_count AS frameCount,
              c.first_frame AS firstFrame, c.width, c.height, c.emotion,
              (SELECT count(*) FROM frames f WHERE f.clip_id = c.id AND f.cache_key IS NULL)
                AS uncached,
              EXISTS (SELECT 1 FROM predictions p WHERE p.clip_id = c.id) AS predicted
       FROM clips c JOIN subjects s ON s.id = c.subject_id
       WHERE c.dataset_id = ?
       ORDER BY s.code COLLATE NOCASE, c.name COLLATE NOCASE, c.id`,
    )
    .all(datasetId) as LibraryClipRow[]
}

/** The cache key of the cached frame nearest to `number`, or null when none is cached. */
export function nearestCachedFrameKey(
  db: LibraryDb,
  clipId: number,
  number: number,
): string | null {
  return (
    (db
      .prepare(
        `SELECT cache_key FROM frames WHERE clip_id = ? AND cache_key IS NOT NULL
         ORDER BY abs(number - ?), number LIMIT 1`,
      )
      .pluck()
      .get(clipId, number) as string | undefined) ?? null
  )
}
