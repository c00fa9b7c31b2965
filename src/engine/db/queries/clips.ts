import type { ClipSummary } from '../../../shared/domain'
import type { LibraryDb } from '../open-library'

/** Clips in library order (dataset, subject, name), optionally of one dataset. */
export function listClips(
  db: LibraryDb,
  options: { datasetId?: number; limit: number; offset: number },
): ClipSummary[] {
  return db
    .prepare(
      `SELECT c.id, c.dataset_id AS datasetId, c.subject_id AS subjectId, s.code AS subject,
              c.name, c.source_kind AS sourceKind, c.fps, c.frame_count AS frameCount,
              c.first_frame AS firstFrame, c.width, c.height, c.emotion
       FROM clips c JOIN subjects s ON s.id = c.subject_id
       WHERE (:datasetId IS NULL OR c.dataset_id = :datasetId)
       ORDER BY c.dataset_id, s.code, c.name, c.id
       LIMIT :limit OFFSET :offset`,
    )
    .all({
      datasetId: options.datasetId ?? null,
      limit: options.limit,
      offset: options.offset,
    }) as ClipSummary[]
}
