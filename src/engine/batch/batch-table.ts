import path from 'node:path'
import { participantCounts } from '../../shared/batch-counts'
import { decisionThresholds } from '../../shared/decision-thresholds'
import { AppError } from '../../shared/errors'
import type { BatchRow, BatchTable } from '../../shared/ml'
import type { LibraryDb } from '../db/open-library'
import { SPOTTER_CODER } from '../spotting/store-spotted'
import { modelAuList, storedModel } from './model-aus'

interface PredictionJoinRow {
  clipId: number
  subject: string
  clip: string
  file: string | null
  fps: number | null
  firstFrame: number | null
  frameCount: number
  kind: 'micro' | 'macro' | null
  score: number | null
  spotOnset: number | null
  spotOffset: number | null
  frame: number
  au: number
  probability: number
  coded: 0 | 1
}

/**
 * The name of a row's video, unique within its participant: a spotted event's clip name up to
 * its last '@' (`day1/task.mp4@201-260` → `day1/task.mp4`, the path inside the participant's
 * folder), a whole clip's file name in its clip name's folder (`day1/task` of
 * `/lab/P01/day1/task.mp4` → `day1/task.mp4`; `take1` → `take1.mp4`), the clip name when
 * the clip has no file.
 */
export function videoName(clip: string, file: string | null, spotted: boolean): string {
  if (spotted && clip.includes('@')) return clip.slice(0, clip.lastIndexOf('@'))
  if (file === null) return clip
  return path.posix.join(path.posix.dirname(clip), path.basename(file))
}

function newRow(r: PredictionJoinRow, aus: readonly string[]): BatchRow {
  const spotted = r.kind !== null
  const first = r.firstFrame ?? 1
  return {
    clipId: r.clipId,
    subject: r.subject,
    clip: r.clip,
    file: r.file,
    video: videoName(r.clip, r.file, spotted),
    kind: r.kind ?? 'clip',
    fps: r.fps ?? 0,
    // A spotted event spans the spotter's interval; a whole clip its frames.
    onset: spotted ? r.spotOnset : first,
    apex: r.frame,
    offset: spotted ? r.spotOffset : first + r.frameCount - 1,
    apexSource: r.coded ? 'coded' : 'spotted',
    score: r.score,
    probabilities: aus.map(() => Number.NaN),
  }
}

/**
 * The batch table of a dataset under a model, from its stored predictions: one row per clip
 * that has predictions of the model (a spotted event of a long video, with the spotter's
 * onset, offset, kind and score; or a short video's whole clip), sorted by subject, video and
 * onset (numbers in names compared as numbers); the apex frame the prediction used, 'coded'
 * when some coder marked that frame as the clip's apex and 'spotted' otherwise; one
 * probability per AU in the model's order (NaN when none is stored); the decision thresholds,
 * the model's (its stored record's) or `threshold` for every AU when given
 * (shared/decision-thresholds.ts); and the per-participant counts at those thresholds.
 */
export function batchTable(
  db: LibraryDb,
  datasetId: number,
  modelId: number,
  threshold?: number,
): BatchTable {
  if (!db.prepare('SELECT 1 FROM datasets WHERE id = ?').get(datasetId)) {
    throw new AppError('not_found', `There is no dataset with id ${datasetId}.`, { datasetId })
  }
  const aus = modelAuList(db, storedModel(db, modelId))
  const column = new Map(aus.map((au, i) => [Number(au), i]))
  const joined = db
    .prepare(
      `SELECT c.id AS clipId, s.code AS subject, c.name AS clip, c.source_path AS file, c.fps,
              c.first_frame AS firstFrame, c.frame_count AS frameCount, c.spotted_kind AS kind,
              c.spotted_score AS score, m.onset AS spotOnset, m.offset AS spotOffset, p.frame,
              p.au, p.probability,
              EXISTS (SELECT 1 FROM markers k WHERE k.clip_id = c.id AND k.apex = p.frame
                        AND k.apex_estimated = 0) AS coded
       FROM predictions p JOIN clips c ON c.id = p.clip_id JOIN subjects s ON s.id = c.subject_id
       LEFT JOIN markers m ON m.clip_id = c.id
         AND m.coder_id = (SELECT id FROM coders WHERE name = ?)
       WHERE p.model_id = ? AND c.dataset_id = ?
       ORDER BY c.id, p.au`,
    )
    .all(SPOTTER_CODER, modelId, datasetId) as PredictionJoinRow[]
  const rows = new Map<number, BatchRow>()
  for (const r of joined) {
    let row = rows.get(r.clipId)
    if (!row) rows.set(r.clipId, (row = newRow(r, aus)))
    const i = column.get(r.au)
    if (i !== undefined) row.probabilities[i] = r.probability
  }
  const byName = new Intl.Collator(undefined, { numeric: true })
  const sorted = [...rows.values()].sort(
    (a, b) =>
      byName.compare(a.subject, b.subject) ||
      byName.compare(a.video, b.video) ||
      (a.onset ?? 0) - (b.onset ?? 0) ||
      byName.compare(a.clip, b.clip),
  )
  const record = db.prepare('SELECT config FROM models WHERE id = ?').pluck().get(modelId) as
    string | null
  const thresholds = decisionThresholds(record ? JSON.parse(record) : null, aus, threshold)
  return {
    datasetId,
    modelId,
    aus,
    thresholds,
    rows: sorted,
    participants: participantCounts(sorted, thresholds.values),
  }
}
