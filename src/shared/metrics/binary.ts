/**
 * Binary classification measures on 0/1 vectors. "Positive" means 1. Every function takes
 * the counts of a confusion matrix, so one pass over the data serves them all.
 */

/** Counts of a binary confusion matrix (truth against prediction, or coder A against B). */
export interface ConfusionCounts {
  /** truth 1, predicted 1 */
  tp: number
  /** truth 0, predicted 1 */
  fp: number
  /** truth 1, predicted 0 */
  fn: number
  /** truth 0, predicted 0 */
  tn: number
}

function checkBinary(value: number, what: string, index: number): void {
  if (value !== 0 && value !== 1)
    throw new RangeError(`${what}[${index}] = ${value}, expected 0 or 1`)
}

/**
 * Confusion counts of `predicted` against `truth`, two equally long vectors of 0/1 values.
 * Throws a RangeError on a length mismatch or a value other than 0 or 1.
 */
export function confusionCounts(
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
): ConfusionCounts {
  if (truth.length !== predicted.length) {
    throw new RangeError(`truth has ${truth.length} values, predictions ${predicted.length}`)
  }
  const c: ConfusionCounts = { tp: 0, fp: 0, fn: 0, tn: 0 }
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i]
    const p = predicted[i]
    checkBinary(t, 'truth', i)
    checkBinary(p, 'predicted', i)
    if (t === 1) {
      if (p === 1) c.tp++
      else c.fn++
    } else if (p === 1) c.fp++
    else c.tn++
  }
  return c
}

/**
 * Binary decisions from scores: 1 when score ≥ threshold, else 0 (0.5 on sigmoid outputs
 * is the paper's protocol).
 */
export function thresholdScores(scores: ArrayLike<number>, threshold = 0.5): Uint8Array {
  const out = new Uint8Array(scores.length)
  for (let i = 0; i < scores.length; i++) out[i] = scores[i] >= threshold ? 1 : 0
  return out
}

/** Number of samples n = tp + fp + fn + tn. */
export function sampleCount(c: ConfusionCounts): number {
  return c.tp + c.fp + c.fn + c.tn
}

/** Precision = tp / (tp + fp); 0 when nothing is predicted positive. */
export function precision(c: ConfusionCounts): number {
  const predicted = c.tp + c.fp
  return predicted === 0 ? 0 : c.tp / predicted
}

/** Recall (sensitivity) = tp / (tp + fn); 0 when there are no positives. */
export function recall(c: ConfusionCounts): number {
  const positives = c.tp + c.fn
  return positives === 0 ? 0 : c.tp / positives
}

/**
 * Binary F1 of the positive class = 2·tp / (2·tp + fp + fn), the harmonic mean of precision
 * and recall; 0 when tp + fp + fn = 0 (no positives and none predicted), as scikit-learn
 * does with zero_division=0. Not "macro F1", which also averages the negative class's F1.
 */
export function f1Score(c: ConfusionCounts): number {
  const denominator = 2 * c.tp + c.fp + c.fn
  return denominator === 0 ? 0 : (2 * c.tp) / denominator
}

/** Base rate = (tp + fn) / n, the share of positive samples; 0 for no samples. */
export function baseRate(c: ConfusionCounts): number {
  const n = sampleCount(c)
  return n === 0 ? 0 : (c.tp + c.fn) / n
}

/** Predicted-positive rate = (tp + fp) / n; 0 for no samples. */
export function predictedPositiveRate(c: ConfusionCounts): number {
  const n = sampleCount(c)
  return n === 0 ? 0 : (c.tp + c.fp) / n
}

/**
 * F1 a predictor that calls every sample positive would reach on the same truth:
 * 2·P / (2·P + N_neg) = 2b / (1 + b) with b the base rate; 0 when there are no positives.
 * A model below it has learned less than "always yes".
 */
export function allPositiveF1(c: ConfusionCounts): number {
  const positives = c.tp + c.fn
  const negatives = c.fp + c.tn
  return positives === 0 ? 0 : (2 * positives) / (2 * positives + negatives)
}

/** The same F1 from the base rate b alone: 2b / (1 + b) (0 at b = 0). */
export function allPositiveF1OfRate(baseRate: number): number {
  return (2 * baseRate) / (1 + baseRate)
}

/**
 * Cohen's kappa = (p_o − p_e) / (1 − p_e), with observed agreement p_o = (tp + tn) / n and
 * chance agreement p_e = [(tp + fp)(tp + fn) + (fn + tn)(fp + tn)] / n². Symmetric in the
 * two raters. NaN when p_e = 1 (both raters gave every sample the same single class, or
 * there are no samples): agreement beyond chance is then undefined.
 */
export function cohenKappa(c: ConfusionCounts): number {
  const n = sampleCount(c)
  if (n === 0) return NaN
  const observed = (c.tp + c.tn) / n
  const chance = ((c.tp + c.fp) * (c.tp + c.fn) + (c.fn + c.tn) * (c.fp + c.tn)) / (n * n)
  return chance === 1 ? NaN : (observed - chance) / (1 - chance)
}
