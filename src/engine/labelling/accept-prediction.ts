import { AppError } from '../../shared/errors'
import { auDisplayName } from '../../shared/facs'
import { modelAuList, storedModel } from '../batch/model-aus'
import { getClipRecord } from '../db/queries/clip-frames'
import { auditedWrite } from '../db/queries/audit'
import type { LibraryDb } from '../db/open-library'
import { addLabel } from './code-writes'

/** Audit source of a label accepted from a model's prediction: `model:<id>`. */
export function modelSource(modelId: number): string {
  return `model:${modelId}`
}

/** What accepting wrote. */
export interface AcceptOutcome {
  /** False when the coder had already scored the AU (nothing changed). */
  added: boolean
  /** The stored probability the coder accepted. */
  probability: number
}

/**
 * Accepts a model's prediction of an AU on a clip into a coder's labels: scores the AU on
 * both sides with no intensity (as the number keys do), audited with source `model:<id>`, in
 * one transaction with the checks. The model must predict the AU and have a stored
 * prediction of it for the clip; a coder who already scored the AU keeps their label. The
 * write is one audit entry, so `history.undo` takes it back in one step.
 */
export function acceptPrediction(
  db: LibraryDb,
  input: { clipId: number; coderId: number; modelId: number; au: number },
): AcceptOutcome {
  const { clipId, coderId, modelId, au } = input
  const source = modelSource(modelId)
  return auditedWrite(db, source, () => {
    const model = storedModel(db, modelId)
    const clip = getClipRecord(db, clipId)
    const where = `clip ${clip.subject}/${clip.name} (id ${clipId})`
    const aus = modelAuList(db, model)
    if (!aus.includes(String(au))) {
      throw new AppError(
        'invalid_input',
        `Model "${model.name}" (id ${modelId}) does not predict ${auDisplayName(au)}; it predicts AU ${aus.join(', ') || 'nothing'}.`,
        { field: 'au', modelId, clipId, au },
      )
    }
    const probability = db
      .prepare('SELECT probability FROM predictions WHERE model_id = ? AND clip_id = ? AND au = ?')
      .pluck()
      .get(modelId, clipId, au) as number | undefined
    if (probability === undefined) {
      throw new AppError(
        'not_found',
        `Model "${model.name}" (id ${modelId}) has no prediction of ${auDisplayName(au)} for ${where}: run the prediction first.`,
        { modelId, clipId, au },
      )
    }
    // Nested: a savepoint inside this transaction, audited with the same source.
    return { added: addLabel(db, clipId, coderId, au, source), probability }
  })
}
