import { decisionThresholds } from '../../shared/decision-thresholds'
import { AppError } from '../../shared/errors'
import type { BatchRow, BatchTable } from '../../shared/ml'
import type { LibraryDb } from '../db/open-library'
import { modelAuList, storedModel } from './model-aus'

interface PredictionJoinRow {
  clipId: number
  subject: string
  clip: string
  file: string
  frame: number
  au: number
  probability: number
  coded: 0 | 1
}

/**
 * The batch table of a dataset under a model, from its stored predictions: one row per clip
 * that has predictions of the model (sorted by subject and clip, numbers in names compared as
 * numbers), the apex frame the prediction used, 'coded' when some coder marked that frame as
 * the clip's apex (not estimated) and 'spotted' otherwise, and one probability per AU in the
 * model's order. An AU the model lists but has no stored value for on a clip is NaN. Its
 * decision thresholds are the model's (its stored record's), or `threshold` for every AU when
 * given (shared/decision-thresholds.ts).
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
      `SELECT c.id AS clipId, s.code AS subject, c.name AS clip, c.source_path AS file, p.frame,
              p.au, p.probability,
              EXISTS (SELECT 1 FROM markers m WHERE m.clip_id = c.id AND m.apex = p.frame
                        AND m.apex_estimated = 0) AS coded
       FROM predictions p JOIN clips c ON c.id = p.clip_id JOIN subjects s ON s.id = c.subject_id
       WHERE p.model_id = ? AND c.dataset_id = ?
       ORDER BY c.id, p.au`,
    )
    .all(modelId, datasetId) as PredictionJoinRow[]
  const rows = new Map<number, BatchRow>()
  for (const r of joined) {
    let row = rows.get(r.clipId)
    if (!row) {
      row = {
        clipId: r.clipId,
        subject: r.subject,
        clip: r.clip,
        file: r.file,
        apex: r.frame,
        apexSource: r.coded ? 'coded' : 'spotted',
        probabilities: aus.map(() => Number.NaN),
      }
      rows.set(r.clipId, row)
    }
    const i = column.get(r.au)
    if (i !== undefined) row.probabilities[i] = r.probability
  }
  const byName = new Intl.Collator(undefined, { numeric: true })
  const sorted = [...rows.values()].sort(
    (a, b) => byName.compare(a.subject, b.subject) || byName.compare(a.clip, b.clip),
  )
  const record = db.prepare('SELECT config FROM models WHERE id = ?').pluck().get(modelId) as
    string | null
  const thresholds = decisionThresholds(record ? JSON.parse(record) : null, aus, threshold)
  return { datasetId, modelId, aus, rows: sorted, thresholds }
}
