import { tf } from '../tf'
import {
  maskedMean,
  noSharedAuMask,
  pairwiseSquaredDistances,
  rowSquaredDistances,
  upperPairs,
} from './embedding'

// Keeps √ differentiable where two features coincide.
const DISTANCE_FLOOR = 1e-12

/**
 * CL, the contrastive loss of Hadsell, Chopra & LeCun (2006), on the apex frames of a
 * batch. Every pair i < j is used: similar (Y = 0) when the clips share at least one AU,
 * dissimilar (Y = 1) when their label vectors have a zero dot product. With D the Euclidean
 * distance of the L2-normalised features,
 *   L = mean over pairs of (1 − Y)·½·D² + Y·½·max(0, m − D)²,
 * m = 1 by default (distances of unit vectors lie in [0, 2]). 0 for a batch of one.
 * apex: [N, D] normalised; labels: [N, M] of 0/1.
 */
export function hadsellContrastiveLoss(
  apex: tf.Tensor2D,
  labels: tf.Tensor2D,
  margin = 1,
): tf.Scalar {
  return tf.tidy(() => {
    const n = apex.shape[0]
    const squared = pairwiseSquaredDistances(apex)
    const dissimilar = noSharedAuMask(labels)
    const pairs = upperPairs(tf.sub(tf.ones([n, n]), tf.eye(n)))
    const distance = tf.sqrt(tf.maximum(squared, DISTANCE_FLOOR))
    const pull = tf.mul(tf.sub(1, dissimilar), squared)
    const push = tf.mul(dissimilar, tf.relu(tf.sub(margin, distance)).square())
    return maskedMean(tf.mul(0.5, tf.add(pull, push)), pairs)
  })
}

/**
 * TL, the triplet loss of FaceNet (Schroff et al., 2015), fed from the three frames of each
 * clip. Anchor: apex_i. Positive: close-to-apex_i (same clip, same AUs). Negatives: the
 * onset_i of the same clip (neutral face) and the apex_j of every other clip j that shares
 * no AU with clip i. With squared distances of L2-normalised features,
 *   L = mean over all (anchor, positive, negative) triplets of
 *       max(0, ‖a − p‖² − ‖a − n‖² + α),
 * α = 0.2 as in FaceNet. Every clip has its onset as a negative, so the mean is never
 * empty. onset, apex, close: [N, D] normalised; labels: [N, M] of 0/1.
 */
export function tripletLoss(
  onset: tf.Tensor2D,
  apex: tf.Tensor2D,
  close: tf.Tensor2D,
  labels: tf.Tensor2D,
  margin = 0.2,
): tf.Scalar {
  return tf.tidy(() => {
    const n = apex.shape[0]
    const positive = rowSquaredDistances(apex, close)
    const onsetTerms = tf.relu(tf.add(tf.sub(positive, rowSquaredDistances(apex, onset)), margin))
    const apexTerms = tf.relu(
      tf.add(tf.sub(positive.expandDims(1), pairwiseSquaredDistances(apex)), margin),
    )
    const mask = noSharedAuMask(labels)
    const sum = tf.add(onsetTerms.sum(), tf.mul(apexTerms, mask).sum())
    return tf.div(sum, tf.add(mask.sum(), n)) as tf.Scalar
  })
}
