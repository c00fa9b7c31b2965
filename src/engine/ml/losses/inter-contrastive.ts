import { tf } from '../tf'
import { maskedMean, noSharedAuMask, pairwiseSquaredDistances, upperPairs } from './embedding'

/**
 * L_NA (eq. 5): over the K pairs i < j of the batch whose AU label vectors have a zero dot
 * product, (1/K)·Σ max(0, δ − ‖f(apex_i) − f(apex_j)‖²); 0 when K = 0.
 * apex: L2-normalised apex features [N, D]; labels: [N, M] of 0/1.
 */
export function negativePairLoss(apex: tf.Tensor2D, labels: tf.Tensor2D, delta = 1): tf.Scalar {
  return tf.tidy(() => {
    const mask = upperPairs(noSharedAuMask(labels))
    const hinge = tf.relu(tf.sub(delta, pairwiseSquaredDistances(apex)))
    return maskedMean(hinge, mask)
  })
}
