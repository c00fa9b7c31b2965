/**
 * The cached-gradient step (cached-gradients.ts) with its micro-batches spread over worker
 * threads: the workers run steps 1 and 3 on their micro-batches at the same time, this
 * thread computes step 2 (the full-batch loss and its gradient with respect to features and
 * logits), sums the parameter gradients and updates the moving statistics once. The
 * gradients are those of the one-thread step: the same micro-batches, the same passes.
 */
import { tf } from '../tf'
import {
  lossGradients,
  readLosses,
  StatisticsMean,
  type CachedStepInput,
  type CachedStepResult,
} from './cached-gradients'
import type { ForwardReply, StepWorkerPool } from './step-workers/pool'

function shapeOf(x: tf.Tensor4D): [number, number, number, number] {
  return [x.shape[0], x.shape[1], x.shape[2], x.shape[3]]
}

/** Adds each worker's batch statistics into the step's mean, micro-batch by micro-batch. */
function addStatistics(statistics: StatisticsMean, replies: readonly ForwardReply[]): void {
  for (const reply of replies) {
    const sink = statistics.next()
    tf.tidy(() => {
      for (const [layer, mean, variance] of reply.statistics) {
        sink(layer, tf.tensor1d(mean), tf.tensor1d(variance))
      }
    })
  }
}

/** Features and logits of every micro-batch, in micro-major rows. */
function stacked(
  replies: readonly ForwardReply[],
  rows: number[],
): { features: tf.Tensor2D; logits: tf.Tensor2D } {
  const total = rows.reduce((a, b) => a + b, 0)
  const join = (key: 'features' | 'logits') => {
    const width = replies[0][key].length / rows[0]
    const out = new Float32Array(total * width)
    let offset = 0
    replies.forEach((r) => {
      out.set(r[key], offset)
      offset += r[key].length
    })
    return tf.tensor2d(out, [total, width])
  }
  return { features: join('features'), logits: join('logits') }
}

/** Sums the workers' gradients per parameter name. */
function summed(all: readonly [string, Float32Array][][]): Record<string, tf.Tensor> {
  const sums = new Map<string, Float32Array>()
  for (const grads of all) {
    for (const [name, values] of grads) {
      const sum = sums.get(name)
      if (!sum) sums.set(name, Float32Array.from(values))
      else for (let i = 0; i < values.length; i++) sum[i] += values[i]
    }
  }
  return Object.fromEntries([...sums].map(([name, values]) => [name, tf.tensor(values)]))
}

/**
 * The parameter gradients of the full-batch loss by gradient caching on `pool`'s worker
 * threads (shapes taken from the model's own variables). The model's moving statistics are
 * updated once ('micro-batch' batch norm); the caller applies the gradients.
 */
export async function parallelCachedGradients(
  pool: StepWorkerPool,
  input: CachedStepInput,
): Promise<CachedStepResult> {
  const { model, kinds } = input
  const training = input.batchNorm === 'micro-batch'
  await pool.setParameters(model)
  const replies = await Promise.all(
    input.inputs.map((x, k) => pool.forward(k, x.dataSync() as Float32Array, shapeOf(x), training)),
  )
  const statistics = new StatisticsMean()
  addStatistics(statistics, replies)
  const kept: Partial<Record<string, tf.Scalar>> = {}
  const micro = stacked(
    replies,
    input.parts.map((p) => kinds * p.count),
  )
  try {
    const [dFeatures, dLogits] = lossGradients(input, micro, kept)
    const df = dFeatures.dataSync() as Float32Array
    const dz = dLogits.dataSync() as Float32Array
    tf.dispose([dFeatures, dLogits])
    const featureWidth = micro.features.shape[1]
    const logitWidth = micro.logits.shape[1]
    const grads = await Promise.all(
      input.parts.map((p, k) => {
        const first = kinds * p.start
        const rows = kinds * p.count
        return pool.backward(
          k,
          df.slice(first * featureWidth, (first + rows) * featureWidth),
          dz.slice(first * logitWidth, (first + rows) * logitWidth),
        )
      }),
    )
    const shaped = summed(grads)
    for (const [name, g] of Object.entries(shaped)) {
      shaped[name] = g.reshape(model.params.get(name).shape)
      g.dispose()
    }
    statistics.apply(model)
    return { grads: shaped, losses: readLosses(kept) }
  } finally {
    tf.dispose([micro.features, micro.logits, ...(Object.values(kept) as tf.Tensor[])])
  }
}
