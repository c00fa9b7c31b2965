import type { ClipFrame } from '../../../shared/coding'
import type { ClipSummary } from '../../../shared/domain'
import { AppError } from '../../../shared/errors'
import type { LibraryDb } from '../open-library'

/** A clip with what the viewer and the frame cache need beyond its summary. */
export interface ClipRecord extends ClipSummary {
  dataset: string
  sourcePath: string
}

/** One clip, or a not_found error naming the id. */
export function getClipRecord(db: LibraryDb, clipId: number): ClipRecord {
  const row = db
    .prepare(
      `SELECT c.id, c.dataset_id AS datasetId, c.subject_id AS subjectId, s.code AS subject,
              c.name, c.source_kind AS sourceKind, c.fps, c.frame_count AS frameCount,
              c.first_frame AS firstFrame, c.width, c.height, c.emotion,
              d.name AS dataset, c.source_path AS sourcePath
       FROM clips c JOIN subjects s ON s.id = c.subject_id JOIN datasets d ON d.id = c.dataset_id
       WHERE c.id = ?`,
    )
    .get(clipId) as ClipRecord | undefined
  if (!row) throw new AppError('not_found', `There is no clip with id ${clipId}.`, { clipId })
  return row
}

/** The frames of a clip by absolute number, with their cache keys where cached. */
export function readClipFrames(db: LibraryDb, clipId: number): ClipFrame[] {
  return db
    .prepare('SELECT number, cache_key AS key FROM frames WHERE clip_id = ? ORDER BY number')
    .all(clipId) as ClipFrame[]
}

/** Whether the clip has a frame with this absolute number. */
export function hasFrame(db: LibraryDb, clipId: number, number: number): boolean {
  return db.prepare('SELECT 1 FROM frames WHERE clip_id = ? AND number = ?').get(clipId, number)
    ? true
    : false
}

/** The frames of a clip still missing from the cache, with their source files. */
export function uncachedFrames(
  db: LibraryDb,
  clipId: number,
): { number: number; file: string | null }[] {
  return db
    .prepare(
      'SELECT number, file FROM frames WHERE clip_id = ? AND cache_key IS NULL ORDER BY number',
    )
    .all(clipId) as { number: number; file: string | null }[]
}

/** Records the cache keys of frames, in one transaction. */
export function setFrameKeys(
  db: LibraryDb,
  clipId: number,
  frames: readonly { number: number; key: string }[],
): void {
  const update = db.prepare('UPDATE frames SET cache_key = ? WHERE clip_id = ? AND number = ?')
  db.transaction(() => {
    for (const frame of frames) update.run(frame.key, clipId, frame.number)
  }).immediate()
}

/** AUs anyone scored in a dataset, ascending. */
export function datasetAus(db: LibraryDb, datasetId: number): number[] {
  return db
    .prepare(
      `SELECT DISTINCT l.au FROM au_labels l JOIN clips c ON c.id = l.clip_id
       WHERE c.dataset_id = ? ORDER BY l.au`,
    )
    .pluck()
    .all(datasetId) as number[]
}
