/**
 * The cached-gradient step (cached-gradients.ts) with its micro-batches spread over worker
 * threads: the workers run steps 1 and 3 on their micro-batches at the same time (keeping
 * step 1's tape for their last micro-batch, step-workers/worker-main.ts), this thread
 * computes step 2 (the full-batch loss and its gradient with respect to features and
 * logits), sums the parameter gradients and updates the moving statistics once. The
 * gradients are those of the one-thread step: the same micro-batches, the same loss.
 */
import { tf } from '../tf'
import {
  lossGradients,
  readLosses,
  StatisticsMean,
  type CachedStepInput,
  type CachedStepResult,
} from './cached-gradients'
import { gradientTensors } from './step-workers/flat-parameters'
import type { StepWorkerPool } from './step-workers/pool'
import type { PartOutputs } from './step-workers/protocol'

/** Adds each micro-batch's batch statistics into the step's mean. */
function addStatistics(statistics: StatisticsMean, outputs: readonly PartOutputs[]): void {
  for (const part of outputs) {
    const sink = statistics.next()
    tf.tidy(() => {
      for (const [layer, mean, variance] of part.statistics) {
        sink(layer, tf.tensor1d(mean), tf.tensor1d(variance))
      }
    })
  }
}

/** Features and logits of every micro-batch, in micro-major rows. */
function stacked(
  outputs: readonly PartOutputs[],
  rows: number,
): { features: tf.Tensor2D; logits: tf.Tensor2D } {
  const join = (key: 'features' | 'logits') => {
    const out = new Float32Array(outputs.reduce((n, o) => n + o[key].length, 0))
    let offset = 0
    for (const o of outputs) {
      out.set(o[key], offset)
      offset += o[key].length
    }
    return tf.tensor2d(out, [rows, out.length / rows])
  }
  return { features: join('features'), logits: join('logits') }
}

/** Cuts micro-major ∂L/∂F and ∂L/∂Z into each micro-batch's rows. */
function perPart(
  input: CachedStepInput,
  dFeatures: tf.Tensor2D,
  dLogits: tf.Tensor2D,
): { dFeatures: Float32Array; dLogits: Float32Array }[] {
  const df = dFeatures.dataSync() as Float32Array
  const dz = dLogits.dataSync() as Float32Array
  const [fw, zw] = [dFeatures.shape[1], dLogits.shape[1]]
  return input.parts.map((p) => {
    const [first, rows] = [input.kinds * p.start, input.kinds * p.count]
    return {
      dFeatures: df.slice(first * fw, (first + rows) * fw),
      dLogits: dz.slice(first * zw, (first + rows) * zw),
    }
  })
}

/**
 * The parameter gradients of the full-batch loss by gradient caching on `pool`'s worker
 * threads. The model's moving statistics are updated once ('micro-batch' batch norm); the
 * caller applies the gradients.
 */
export async function parallelCachedGradients(
  pool: StepWorkerPool,
  input: CachedStepInput,
): Promise<CachedStepResult> {
  const { model, kinds } = input
  const step = pool.step(
    model,
    input.inputs.map((x, part) => ({
      part,
      clips: x.shape[0] / kinds,
      input: x.dataSync() as Float32Array,
      shape: [x.shape[0], x.shape[1], x.shape[2], x.shape[3]],
    })),
    input.batchNorm === 'micro-batch',
  )
  const kept: Partial<Record<string, tf.Scalar>> = {}
  let micro: { features: tf.Tensor2D; logits: tf.Tensor2D } | null = null
  try {
    const outputs = await step.outputs
    micro = stacked(outputs, kinds * input.parts.reduce((n, p) => n + p.count, 0))
    const [dFeatures, dLogits] = lossGradients(input, micro, kept)
    const cached = perPart(input, dFeatures, dLogits)
    tf.dispose([dFeatures, dLogits])
    const { gradients, missing } = await step.backward(cached)
    const grads = gradientTensors(pool.flatLayout, gradients, new Set(missing))
    const statistics = new StatisticsMean()
    addStatistics(statistics, outputs)
    statistics.apply(model)
    return { grads, losses: readLosses(kept) }
  } catch (error) {
    await step.abort(error instanceof Error ? error.message : String(error))
    throw error
  } finally {
    tf.dispose([
      ...(micro ? [micro.features, micro.logits] : []),
      ...(Object.values(kept) as tf.Tensor[]),
    ])
  }
}
