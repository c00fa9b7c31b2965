/** Evaluation and agreement measures on binary AU vectors (pure, no Node, no tensors). */
export {
  allPositiveF1,
  allPositiveF1OfRate,
  baseRate,
  cohenKappa,
  confusionCounts,
  f1Score,
  precision,
  predictedPositiveRate,
  recall,
  sampleCount,
  thresholdScores,
  type ConfusionCounts,
} from './binary'
export {
  auReport,
  poolPredictions,
  type AuReport,
  type AuScores,
  type PredictionSet,
} from './au-report'
