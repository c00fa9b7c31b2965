import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../../../src/engine/ml/backend'
import { variantLoss } from '../../../src/engine/ml/losses'
import { AuModel } from '../../../src/engine/ml/model/au-model'
import { MODEL_PRESETS } from '../../../src/engine/ml/model/presets'
import {
  cachedGradients,
  type CachedStepInput,
  type CachedStepResult,
} from '../../../src/engine/ml/train/cached-gradients'
import { microBatches } from '../../../src/engine/ml/train/micro-batches'
import { parallelCachedGradients } from '../../../src/engine/ml/train/parallel-gradients'
import { StepWorkerPool } from '../../../src/engine/ml/train/step-workers/pool'
import { tf } from '../../../src/engine/ml/tf'
import { values } from '../../unit/ml-kernels/helpers'

// Two worker threads, each with its own wasm backend, against the same step in this thread.
const CLIPS = 6
const SIDE = MODEL_PRESETS.tiny.model.inputSize
const MOVING = 'conv1/7x7_s2/bn/moving_mean'
let pool: StepWorkerPool
let model: AuModel
let labels: tf.Tensor2D

beforeAll(async () => {
  await selectBackend({ prefer: 'wasm' })
  model = AuModel.create(MODEL_PRESETS.tiny.model, ['1', '2'], { seed: 5 })
  pool = await StepWorkerPool.start(2, model)
  labels = tf.tensor2d([
    [1, 0],
    [0, 1],
    [1, 1],
    [0, 0],
    [1, 0],
    [0, 1],
  ])
}, 120_000)
afterAll(async () => {
  await pool.close()
  model.dispose()
  labels.dispose()
})

/** An InterCL step of 6 clips in micro-batches of `size` clips (the model's inputs are seeded). */
function step(size: number): CachedStepInput {
  const parts = microBatches(CLIPS, size)
  return {
    model,
    parts,
    kinds: 1,
    inputs: parts.map((p) =>
      tf.tensor4d(values(p.count * SIDE * SIDE * 3, 7 + p.start), [p.count, SIDE, SIDE, 3]),
    ),
    loss: (features, logits) =>
      variantLoss('intercl', { apex: { features, logits } }, labels, { delta: 4 }),
    batchNorm: 'micro-batch',
  }
}

/** The same gradients (relative L2 distance per parameter), and not all zero. */
function expectSameGradients(local: CachedStepResult, parallel: CachedStepResult): void {
  expect(Object.keys(parallel.grads).sort()).toEqual(Object.keys(local.grads).sort())
  let total = 0
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
    total += ref
  }
  expect(total).toBeGreaterThan(1e-6)
}

/** Runs the step on the pool, then in this thread from the same moving statistics, and compares. */
async function expectSameStep(size: number): Promise<void> {
  const input = step(size)
  const before = model.params.get(MOVING).dataSync().slice()
  const parallel = await parallelCachedGradients(pool, input)
  const afterParallel = model.params.get(MOVING).dataSync().slice()
  model.params.assign(MOVING, before as Float32Array)
  const local = cachedGradients(input)
  const afterLocal = model.params.get(MOVING).dataSync()
  expectSameGradients(local, parallel)
  expect(parallel.losses.total).toBeCloseTo(local.losses.total!, 6)
  expect(parallel.losses.na).toBeGreaterThan(0)
  afterLocal.forEach((v, i) => expect(afterParallel[i]).toBeCloseTo(v, 6))
  expect([...afterLocal]).not.toEqual([...before])
  tf.dispose([...input.inputs, ...Object.values(local.grads), ...Object.values(parallel.grads)])
}

describe('parallelCachedGradients', () => {
  it('gives the gradients, losses and moving statistics of the one-thread step', async () => {
    // One micro-batch per worker: each back-propagates from the tape of its one forward pass.
    await expectSameStep(3)
  }, 120_000)

  it('gives them too with more micro-batches than workers (earlier ones run twice)', async () => {
    // Micro-batches of 2 clips: worker 0 runs micro-batches 0 and 2, worker 1 micro-batch 1.
    await expectSameStep(2)
  }, 120_000)

  it('unblocks the workers when the loss fails, and the next step is still exact', async () => {
    const input = step(2)
    const failing: CachedStepInput = {
      ...input,
      loss: () => {
        throw new Error('the loss failed')
      },
    }
    await expect(parallelCachedGradients(pool, failing)).rejects.toThrow('the loss failed')
    tf.dispose([...input.inputs])
    await expectSameStep(2)
  }, 120_000)

  it('takes the parameters of the model as they are at each step', async () => {
    // The first convolution's kernel: a change there reaches every output.
    const [name] = model.params.entries().find(([, v]) => v.trainable)!
    const kernel = model.params.get(name)
    const saved = kernel.dataSync().slice()
    const input = step(2)
    const first = await parallelCachedGradients(pool, input)
    model.params.assign(name, saved.map((v) => 2 * v + 0.1) as Float32Array)
    const second = await parallelCachedGradients(pool, input)
    const local = cachedGradients(input)
    expectSameGradients(local, second)
    expect([...second.grads[name].dataSync()]).not.toEqual([...first.grads[name].dataSync()])
    model.params.assign(name, saved as Float32Array)
    tf.dispose([...input.inputs, ...Object.values(first.grads), ...Object.values(second.grads)])
    tf.dispose(Object.values(local.grads))
  }, 120_000)
})

describe('parallelCachedGradients with a head that compares with the onset', () => {
  it('gives the one-thread step’s gradients when every micro-batch ends with its onset rows', async () => {
    const config = { ...MODEL_PRESETS.tiny.model, headInput: 'frame-minus-onset' as const }
    const comparing = AuModel.create(config, ['1', '2'], { seed: 6 })
    const workers = await StepWorkerPool.start(2, comparing)
    const parts = microBatches(CLIPS, 3)
    // Each micro-batch: its 3 apex rows, then its 3 onset rows; the baseline classifies apexes.
    const input: CachedStepInput = {
      model: comparing,
      parts,
      kinds: 2,
      inputs: parts.map((p) =>
        tf.tensor4d(values(2 * p.count * SIDE * SIDE * 3, 11 + p.start), [
          2 * p.count,
          SIDE,
          SIDE,
          3,
        ]),
      ),
      loss: (features, logits) =>
        variantLoss(
          'baseline',
          { apex: { features: features.slice(0, CLIPS), logits: logits.slice(0, CLIPS) } },
          labels,
        ),
      batchNorm: 'frozen',
    }
    try {
      const parallel = await parallelCachedGradients(workers, input)
      const local = cachedGradients(input)
      expectSameGradients(local, parallel)
      expect(parallel.losses.total).toBeCloseTo(local.losses.total!, 6)
      tf.dispose([...Object.values(local.grads), ...Object.values(parallel.grads)])
    } finally {
      tf.dispose([...input.inputs])
      await workers.close()
      comparing.dispose()
    }
  }, 120_000)
})
