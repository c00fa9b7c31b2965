import { tf } from '../tf'
import { parameterName, type BlockLayout } from './architecture'
import { STEM_CONV, bnName } from './keras-names'
import type { ParameterStore } from './parameters'

/**
 * Receives the batch statistics of one batch-norm layer in training mode: its mean and its
 * unbiased variance (× n/(n − 1)), tensors of the caller's tidy scope.
 */
export type BatchStatisticsSink = (layer: string, mean: tf.Tensor, variance: tf.Tensor) => void

/** What every layer of a forward pass needs besides its input. */
export interface ForwardContext {
  params: ParameterStore
  /** Batch statistics (and moving-average updates) instead of the moving statistics. */
  training: boolean
  bnEpsilon: number
  bnMomentum: number
  /** Where training batch statistics go; when absent they update the moving averages at once. */
  statistics?: BatchStatisticsSink
}

/** Convolution without bias (`<name>/kernel`, Keras layout [kh, kw, in, out]). */
export function conv(
  ctx: ForwardContext,
  x: tf.Tensor4D,
  name: string,
  stride: number,
  padding: 'same' | 'valid',
): tf.Tensor4D {
  const kernel = ctx.params.get(parameterName(name, 'kernel')) as tf.Tensor4D
  return tf.conv2d(x, kernel, stride, padding)
}

function updateMovingAverage(moving: tf.Variable, batch: tf.Tensor, momentum: number): void {
  tf.tidy(() => moving.assign(moving.mul(momentum).add(batch.mul(1 - momentum))))
}

/**
 * Moves a layer's moving statistics towards a batch's as Keras does:
 * moving = m·moving + (1 − m)·batch (the variance given unbiased).
 */
export function updateMovingStatistics(
  params: ParameterStore,
  layer: string,
  momentum: number,
  batch: { mean: tf.Tensor; variance: tf.Tensor },
): void {
  updateMovingAverage(params.get(parameterName(layer, 'moving_mean')), batch.mean, momentum)
  updateMovingAverage(params.get(parameterName(layer, 'moving_variance')), batch.variance, momentum)
}

/**
 * Batch normalisation over the channel axis, y = γ·(x − μ)/√(σ² + ε) + β. Inference uses the
 * moving statistics. Training uses the batch mean and (biased) variance and hands the batch
 * statistics, the variance made unbiased (× n/(n − 1), n = values per channel), to
 * `ctx.statistics`, or by default updates the moving statistics with them at once
 * ({@link updateMovingStatistics}).
 */
export function batchNorm(ctx: ForwardContext, x: tf.Tensor4D, name: string): tf.Tensor4D {
  const gamma = ctx.params.get(parameterName(name, 'gamma')) as tf.Tensor1D
  const beta = ctx.params.get(parameterName(name, 'beta')) as tf.Tensor1D
  const movingMean = ctx.params.get(parameterName(name, 'moving_mean'))
  const movingVariance = ctx.params.get(parameterName(name, 'moving_variance'))
  if (!ctx.training) {
    return tf.batchNorm(
      x,
      movingMean as tf.Tensor1D,
      movingVariance as tf.Tensor1D,
      beta,
      gamma,
      ctx.bnEpsilon,
    )
  }
  const { mean, variance } = tf.moments(x, [0, 1, 2])
  const n = x.shape[0] * x.shape[1] * x.shape[2]
  const unbiased = n > 1 ? variance.mul(n / (n - 1)) : variance
  if (ctx.statistics) ctx.statistics(name, mean, unbiased)
  else updateMovingStatistics(ctx.params, name, ctx.bnMomentum, { mean, variance: unbiased })
  return tf.batchNorm(x, mean as tf.Tensor1D, variance as tf.Tensor1D, beta, gamma, ctx.bnEpsilon)
}

/** A 1×1 convolution with bias applied to a [N, C] vector (the SE layers). */
function pointwise(ctx: ForwardContext, v: tf.Tensor2D, name: string): tf.Tensor2D {
  const kernel = ctx.params.get(parameterName(name, 'kernel'))
  const bias = ctx.params.get(parameterName(name, 'bias'))
  const [, , inChannels, outChannels] = kernel.shape
  return tf.add(tf.matMul(v, kernel.reshape([inChannels, outChannels])), bias)
}

/**
 * Squeeze-and-excitation: s = sigmoid(up(relu(down(mean over H, W of x)))), output x·s
 * per channel.
 */
export function seGate(
  ctx: ForwardContext,
  x: tf.Tensor4D,
  downName: string,
  upName: string,
): tf.Tensor4D {
  const [n, , , c] = x.shape
  const squeezed = x.mean([1, 2]) as tf.Tensor2D
  const hidden = tf.relu(pointwise(ctx, squeezed, downName))
  const scale = tf.sigmoid(pointwise(ctx, hidden, upName))
  return tf.mul(x, scale.reshape([n, 1, 1, c]))
}

/** Stem: 7×7/2 convolution ('same'), batch norm, ReLU, 3×3/2 max pool ('valid'). */
export function stem(ctx: ForwardContext, x: tf.Tensor4D): tf.Tensor4D {
  const y = tf.relu(batchNorm(ctx, conv(ctx, x, STEM_CONV, 2, 'same'), bnName(STEM_CONV)))
  return tf.maxPool(y, 3, 2, 'valid')
}

/**
 * SE bottleneck block: 1×1 reduce (stride here), 3×3, 1×1 increase, each with batch norm
 * (ReLU after the first two), the SE gate, then ReLU(gated + shortcut), the shortcut being
 * a 1×1 projection with batch norm in a stage's first block and the input otherwise.
 */
export function bottleneck(ctx: ForwardContext, x: tf.Tensor4D, b: BlockLayout): tf.Tensor4D {
  const n = b.names
  let y = tf.relu(batchNorm(ctx, conv(ctx, x, n.reduce, b.stride, 'valid'), bnName(n.reduce)))
  y = tf.relu(batchNorm(ctx, conv(ctx, y, n.conv3x3, 1, 'same'), bnName(n.conv3x3)))
  y = batchNorm(ctx, conv(ctx, y, n.increase, 1, 'valid'), bnName(n.increase))
  y = seGate(ctx, y, n.seDown, n.seUp)
  const shortcut = b.hasProjection
    ? batchNorm(ctx, conv(ctx, x, n.projection, b.stride, 'valid'), bnName(n.projection))
    : x
  return tf.relu(tf.add(y, shortcut))
}
