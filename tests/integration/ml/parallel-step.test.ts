import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../../../src/engine/ml/backend'
import { variantLoss } from '../../../src/engine/ml/losses'
import { AuModel } from '../../../src/engine/ml/model/au-model'
import { MODEL_PRESETS } from '../../../src/engine/ml/model/presets'
import {
  cachedGradients,
  type CachedStepInput,
} from '../../../src/engine/ml/train/cached-gradients'
import { microBatches } from '../../../src/engine/ml/train/micro-batches'
import { parallelCachedGradients } from '../../../src/engine/ml/train/parallel-gradients'
import { StepWorkerPool } from '../../../src/engine/ml/train/step-workers/pool'
import { tf } from '../../../src/engine/ml/tf'
import { values } from '../../unit/ml-kernels/helpers'

// Two worker threads, each with its own wasm backend, against the same step in this thread.
const CLIPS = 4
const SIDE = MODEL_PRESETS.tiny.model.inputSize
let pool: StepWorkerPool
let model: AuModel

beforeAll(async () => {
  await selectBackend({ prefer: 'wasm' })
  model = AuModel.create(MODEL_PRESETS.tiny.model, ['1', '2'], { seed: 5 })
  pool = await StepWorkerPool.start(2, model)
}, 120_000)
afterAll(async () => {
  await pool.close()
  model.dispose()
})

function step(labels: tf.Tensor2D): CachedStepInput {
  const parts = microBatches(CLIPS, 2)
  return {
    model,
    parts,
    kinds: 1,
    inputs: parts.map((p, k) =>
      tf.tensor4d(values(p.count * SIDE * SIDE * 3, 7 + k), [p.count, SIDE, SIDE, 3]),
    ),
    loss: (features, logits) =>
      variantLoss('intercl', { apex: { features, logits } }, labels, { delta: 4 }),
    batchNorm: 'micro-batch',
  }
}

describe('parallelCachedGradients', () => {
  it('gives the gradients, losses and moving statistics of the one-thread step', async () => {
    const labels = tf.tensor2d([
      [1, 0],
      [0, 1],
      [1, 1],
      [0, 0],
    ])
    const input = step(labels)
    const movingName = 'conv1/7x7_s2/bn/moving_mean'
    const before = model.params.get(movingName).dataSync().slice()
    const parallel = await parallelCachedGradients(pool, input)
    const afterParallel = model.params.get(movingName).dataSync().slice()
    model.params.assign(movingName, before as Float32Array)
    const local = cachedGradients(input)
    const afterLocal = model.params.get(movingName).dataSync()
    expect(Object.keys(parallel.grads).sort()).toEqual(Object.keys(local.grads).sort())
    for (const [name, g] of Object.entries(local.grads)) {
      const a = g.dataSync()
      const b = parallel.grads[name].dataSync()
      expect(parallel.grads[name].shape, name).toEqual(g.shape)
      let diff = 0
      let ref = 0
      a.forEach((v, i) => {
        diff += (v - b[i]) ** 2
        ref += v * v
      })
      expect(Math.sqrt(diff), name).toBeLessThanOrEqual(1e-5 * Math.sqrt(ref) + 1e-12)
    }
    expect(parallel.losses.total).toBeCloseTo(local.losses.total!, 6)
    expect(parallel.losses.na).toBeGreaterThan(0)
    afterLocal.forEach((v, i) => expect(afterParallel[i]).toBeCloseTo(v, 6))
    expect([...afterLocal]).not.toEqual([...before])
    tf.dispose([labels, ...input.inputs, ...Object.values(local.grads)])
    tf.dispose(Object.values(parallel.grads))
  }, 120_000)
})
