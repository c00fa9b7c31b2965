import type { PredictionRow } from '../../../shared/ml'
import { coderCodes } from '../../labelling/clip-detail'
import { acceptPrediction } from '../../labelling/accept-prediction'
import type { HandlerGroup } from './types'

/** Stored predictions: reading them, and accepting one into a coder's labels. */
export const predictionHandlers: HandlerGroup<'predictions.list' | 'predictions.accept'> = {
  'predictions.list': (input, ctx) =>
    ctx.db
      .prepare(
        `SELECT p.model_id AS modelId, p.clip_id AS clipId, p.frame, p.au, p.probability,
                p.created_at AS createdAt
         FROM predictions p JOIN clips c ON c.id = p.clip_id
         WHERE (:modelId IS NULL OR p.model_id = :modelId)
           AND (:clipId IS NULL OR p.clip_id = :clipId)
           AND (:datasetId IS NULL OR c.dataset_id = :datasetId)
         ORDER BY p.model_id, p.clip_id, p.au LIMIT :limit OFFSET :offset`,
      )
      .all({
        modelId: input.modelId ?? null,
        clipId: input.clipId ?? null,
        datasetId: input.datasetId ?? null,
        limit: input.limit,
        offset: input.offset,
      }) as PredictionRow[],
  'predictions.accept': (input, ctx) => {
    const { added } = acceptPrediction(ctx.db, input)
    // A coder who already had the AU got nothing new, so there is nothing to tell.
    if (added) ctx.emit('data.changed', { entity: 'labels', ids: [input.clipId] })
    return coderCodes(ctx.db, input.clipId, input.coderId)
  },
}
