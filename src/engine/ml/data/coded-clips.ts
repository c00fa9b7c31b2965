import type { LibraryDb } from '../../db/open-library'

/** A clip with one coder's codes, as the training pipeline reads it. */
export interface CodedClip {
  clipId: number
  datasetId: number
  subjectId: number
  /** Subject code, e.g. 'sub01'. */
  subject: string
  name: string
  firstFrame: number
  frameCount: number
  /** Frames per second (windows in seconds become frames with it). */
  fps: number
  onset: number | null
  apex: number | null
  offset: number | null
  apexEstimated: boolean
  /** AU numbers the coder scored (any side), ascending. */
  aus: number[]
}

interface CodedRow {
  clipId: number
  datasetId: number
  subjectId: number
  subject: string
  name: string
  firstFrame: number
  frameCount: number
  fps: number
  onset: number | null
  apex: number | null
  offset: number | null
  apexEstimated: number | null
  aus: string | null
}

/**
 * The clips of a dataset (or the given clips) that `coderId` coded (a marker row or at
 * least one AU label), in library order; with `includeUncoded` every clip of the scope,
 * the uncoded ones without markers and AUs. A coded clip without labels has no AU.
 */
export function readCodedClips(
  db: LibraryDb,
  coderId: number | null,
  scope: { datasetId: number } | { clipIds: readonly number[] },
  includeUncoded = false,
): CodedClip[] {
  const rows = db
    .prepare(
      `SELECT c.id AS clipId, c.dataset_id AS datasetId, c.subject_id AS subjectId,
              s.code AS subject, c.name, c.first_frame AS firstFrame, c.frame_count AS frameCount,
              c.fps,
              m.onset, m.apex, m.offset, m.apex_estimated AS apexEstimated,
              (SELECT group_concat(DISTINCT l.au) FROM au_labels l
                 WHERE l.clip_id = c.id AND l.coder_id = :coder) AS aus
       FROM clips c JOIN subjects s ON s.id = c.subject_id
       LEFT JOIN markers m ON m.clip_id = c.id AND m.coder_id = :coder
       WHERE (:datasetId IS NULL OR c.dataset_id = :datasetId)
         AND (:clipIds IS NULL OR c.id IN (SELECT value FROM json_each(:clipIds)))
         AND (:all = 1 OR m.clip_id IS NOT NULL OR EXISTS (
               SELECT 1 FROM au_labels l WHERE l.clip_id = c.id AND l.coder_id = :coder))
       ORDER BY c.dataset_id, s.code, c.name, c.id`,
    )
    .all({
      coder: coderId,
      all: includeUncoded ? 1 : 0,
      datasetId: 'datasetId' in scope ? scope.datasetId : null,
      clipIds: 'clipIds' in scope ? JSON.stringify(scope.clipIds) : null,
    }) as CodedRow[]
  return rows.map((r) => ({
    ...r,
    apexEstimated: r.apexEstimated === 1,
    aus: r.aus
      ? r.aus
          .split(',')
          .map(Number)
          .sort((a, b) => a - b)
      : [],
  }))
}

/** How many clips have each AU, for the AUs that occur. */
export function auPositiveCounts(clips: readonly CodedClip[]): Map<number, number> {
  const counts = new Map<number, number>()
  for (const clip of clips) for (const au of clip.aus) counts.set(au, (counts.get(au) ?? 0) + 1)
  return counts
}

/**
 * The AUs a model learns: those with at least `minPositives` positive clips (the paper's 15),
 * ascending, as strings ("1", "12").
 */
export function selectAus(clips: readonly CodedClip[], minPositives: number): string[] {
  return [...auPositiveCounts(clips)]
    .filter(([, n]) => n >= minPositives)
    .map(([au]) => au)
    .sort((a, b) => a - b)
    .map(String)
}

/** A clip's 0/1 label vector over `auList`. */
export function labelVector(clip: Pick<CodedClip, 'aus'>, auList: readonly string[]): Uint8Array {
  const set = new Set(clip.aus.map(String))
  return Uint8Array.from(auList, (au) => (set.has(au) ? 1 : 0))
}
