import { tf } from '../tf'

/**
 * Scales every row of x [N, D] to unit Euclidean length: x_i / √max(‖x_i‖², ε). The
 * contrastive losses expect features normalised this way (the paper's f(·)).
 */
export function l2Normalize(x: tf.Tensor2D, epsilon = 1e-12): tf.Tensor2D {
  return tf.tidy(() => tf.div(x, tf.sqrt(tf.maximum(x.square().sum(1, true), epsilon))))
}

/** Row-wise squared Euclidean distances ‖a_i − b_i‖² of two [N, D] matrices, shape [N]. */
export function rowSquaredDistances(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.sub(a, b).square().sum(1))
}

/** All squared Euclidean distances D_ij = ‖a_i − a_j‖² of the rows of a [N, D], shape [N, N]. */
export function pairwiseSquaredDistances(a: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.sub(a.expandDims(1), a.expandDims(0)).square().sum(2))
}

/**
 * Marks the pairs of a batch that share no AU: M_ij = 1 when i ≠ j and the label vectors
 * have a zero dot product (eq. 4 of the paper), else 0. Symmetric, zero diagonal. A clip
 * whose label vector is all zero shares no AU with any clip. labels: [N, M] of 0/1.
 */
export function noSharedAuMask(labels: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const n = labels.shape[0]
    const dots = tf.matMul(labels, labels, false, true)
    const offDiagonal = tf.sub(1, tf.eye(n))
    return tf.mul(tf.equal(dots, 0).toFloat(), offDiagonal)
  })
}

/** Keeps the pairs i < j of an [N, N] pair mask (strict upper triangle). */
export function upperPairs(mask: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const n = mask.shape[0]
    const upper = tf.sub(tf.linalg.bandPart(tf.ones([n, n]), 0, -1), tf.eye(n))
    return tf.mul(mask, upper)
  })
}

/** Sum of `values` over a 0/1 `mask` divided by the mask's count, or 0 when it is empty. */
export function maskedMean(values: tf.Tensor, mask: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const count = mask.sum()
    return tf.div(tf.mul(values, mask).sum(), tf.maximum(count, 1)) as tf.Scalar
  })
}
