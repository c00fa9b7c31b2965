import {
  allPositiveF1,
  baseRate,
  cohenKappa,
  confusionCounts,
  f1Score,
  precision,
  predictedPositiveRate,
  recall,
  thresholdScores,
  type ConfusionCounts,
} from './binary'

/** Labels and predicted probabilities of a set of samples, one row of M values per sample. */
export interface PredictionSet {
  /** 0/1 AU labels, [sample][au]. */
  truth: readonly ArrayLike<number>[]
  /** Predicted AU probabilities, [sample][au]. */
  scores: readonly ArrayLike<number>[]
}

/** Every measure of one AU (see ./binary for the definitions). */
export interface AuScores {
  au: string
  counts: ConfusionCounts
  precision: number
  recall: number
  f1: number
  baseRate: number
  predictedPositiveRate: number
  /** Prediction-vs-truth kappa; NaN when undefined (see cohenKappa). */
  kappa: number
  /** F1 of predicting every sample positive, the floor a useful model beats. */
  allPositiveF1: number
}

/** Per-AU results of a set of predictions at one threshold. */
export interface AuReport {
  threshold: number
  sampleCount: number
  perAu: AuScores[]
  /** Arithmetic mean of the per-AU binary F1 (the paper's "average F1"). */
  meanF1: number
  /** Mean of the per-AU all-positive F1, the same average for the "always yes" predictor. */
  meanAllPositiveF1: number
  /** AUs with no predicted positive at all (the collapse of DOMAIN §1 to warn about). */
  ausWithoutPredictedPositives: string[]
}

/**
 * Concatenates the samples of several prediction sets, e.g. the test folds of a
 * cross-validation, so that the measures are computed once over the pooled predictions
 * (the paper's protocol) rather than averaged over folds.
 */
export function poolPredictions(sets: readonly PredictionSet[]): PredictionSet {
  return {
    truth: sets.flatMap((s) => s.truth),
    scores: sets.flatMap((s) => s.scores),
  }
}

function column(rows: readonly ArrayLike<number>[], m: number, auCount: number, what: string) {
  return Float64Array.from(rows, (row, i) => {
    if (row.length !== auCount) {
      throw new RangeError(`${what} row ${i} has ${row.length} values, expected ${auCount}`)
    }
    return row[m]
  })
}

/**
 * Binary measures of every AU of `aus` (the column order of the rows) at `threshold`
 * (a sample is predicted positive when its score ≥ threshold), and their mean F1.
 * Throws a RangeError when truth and scores differ in length or a row has the wrong width.
 */
export function auReport(set: PredictionSet, aus: readonly string[], threshold = 0.5): AuReport {
  if (aus.length === 0) throw new RangeError('no AUs to report')
  if (set.truth.length !== set.scores.length) {
    throw new RangeError(`${set.truth.length} label rows but ${set.scores.length} score rows`)
  }
  const perAu = aus.map((au, m): AuScores => {
    const truth = column(set.truth, m, aus.length, 'truth')
    const predicted = thresholdScores(column(set.scores, m, aus.length, 'score'), threshold)
    const counts = confusionCounts(truth, predicted)
    return {
      au,
      counts,
      precision: precision(counts),
      recall: recall(counts),
      f1: f1Score(counts),
      baseRate: baseRate(counts),
      predictedPositiveRate: predictedPositiveRate(counts),
      kappa: cohenKappa(counts),
      allPositiveF1: allPositiveF1(counts),
    }
  })
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length
  return {
    threshold,
    sampleCount: set.truth.length,
    perAu,
    meanF1: mean(perAu.map((s) => s.f1)),
    meanAllPositiveF1: mean(perAu.map((s) => s.allPositiveF1)),
    ausWithoutPredictedPositives: perAu
      .filter((s) => s.counts.tp + s.counts.fp === 0)
      .map((s) => s.au),
  }
}
