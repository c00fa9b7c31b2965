import { tf } from '../tf'

/**
 * L_AUs (eq. 6 with the standard minus sign): binary cross-entropy averaged over the M AUs
 * and the N samples,
 *   (1/NM)·Σ_i Σ_m −[w_m·y_im·log σ(z_im) + (1 − y_im)·log(1 − σ(z_im))],
 * computed from the logits z as w·y·softplus(−z) + (1 − y)·softplus(z) so that it stays
 * finite for large |z|. `positiveWeights` (w, length M, default all 1) weights the positive
 * term per AU, e.g. with {@link classBalancedPositiveWeights}.
 * logits, labels: [N, M]; labels are 0/1.
 */
export function auBceLoss(
  logits: tf.Tensor2D,
  labels: tf.Tensor2D,
  positiveWeights?: Float32Array,
): tf.Scalar {
  const auCount = logits.shape[1]
  if (positiveWeights && positiveWeights.length !== auCount) {
    throw new RangeError(`${positiveWeights.length} positive weights for ${auCount} AUs`)
  }
  return tf.tidy(() => {
    const positive = tf.mul(labels, tf.softplus(tf.neg(logits)))
    const weighted = positiveWeights ? tf.mul(positive, tf.tensor1d(positiveWeights)) : positive
    const negative = tf.mul(tf.sub(1, labels), tf.softplus(logits))
    return tf.add(weighted, negative).mean() as tf.Scalar
  })
}

/**
 * Class-balanced positive weights per AU: w_m = (negatives of AU m) / (positives of AU m)
 * over the training labels, so that positives and negatives weigh the same in total. An AU
 * without positives or without negatives gets w_m = 1 (there is nothing to balance).
 * labels: one row of M 0/1 values per training sample.
 */
export function classBalancedPositiveWeights(
  labels: readonly ArrayLike<number>[],
  auCount: number,
): Float32Array {
  const positives = new Float64Array(auCount)
  for (const row of labels) {
    if (row.length !== auCount)
      throw new RangeError(`label row of ${row.length}, expected ${auCount}`)
    for (let m = 0; m < auCount; m++) if (row[m] > 0) positives[m] += 1
  }
  const weights = new Float32Array(auCount)
  for (let m = 0; m < auCount; m++) {
    const negatives = labels.length - positives[m]
    weights[m] = positives[m] > 0 && negatives > 0 ? negatives / positives[m] : 1
  }
  return weights
}
