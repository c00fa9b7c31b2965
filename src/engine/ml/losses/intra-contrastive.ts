import { tf } from '../tf'
import { rowSquaredDistances } from './embedding'

/**
 * Margin loss between two views of the same clips: mean_i max(0, δ − ‖a_i − b_i‖²), rows of
 * a and b L2-normalised [N, D].
 */
export function separationLoss(a: tf.Tensor2D, b: tf.Tensor2D, delta: number): tf.Scalar {
  return tf.tidy(() => tf.relu(tf.sub(delta, rowSquaredDistances(a, b))).mean() as tf.Scalar)
}

/**
 * L_OA (eq. 1): mean_i max(0, δ − ‖f(onset_i) − f(apex_i)‖²). Pushes each apex away from its
 * own onset. Inputs are L2-normalised features [N, D]; δ = 1 in the paper.
 */
export function onsetApexLoss(onset: tf.Tensor2D, apex: tf.Tensor2D, delta = 1): tf.Scalar {
  return separationLoss(onset, apex, delta)
}

/**
 * L_OC (eq. 2): mean_i max(0, δ − ‖f(onset_i) − f(close_i)‖²). Pushes each close-to-apex
 * frame away from its onset. Inputs are L2-normalised features [N, D].
 */
export function onsetCloseLoss(onset: tf.Tensor2D, close: tf.Tensor2D, delta = 1): tf.Scalar {
  return separationLoss(onset, close, delta)
}

/**
 * L_AC (eq. 3): mean_i ‖f(apex_i) − f(close_i)‖². Pulls each close-to-apex frame towards its
 * apex. Inputs are L2-normalised features [N, D].
 */
export function apexCloseLoss(apex: tf.Tensor2D, close: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => rowSquaredDistances(apex, close).mean() as tf.Scalar)
}
