import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../../../src/engine/ml/backend'
import {
  LOSS_VARIANTS,
  VARIANT_INPUTS,
  variantLoss,
  type BatchOutputs,
  type LossVariant,
} from '../../../src/engine/ml/losses'
import { AuModel } from '../../../src/engine/ml/model/au-model'
import { MODEL_PRESETS } from '../../../src/engine/ml/model/presets'
import {
  cachedGradients,
  type BatchNormMode,
  type CachedStepInput,
} from '../../../src/engine/ml/train/cached-gradients'
import { microBatches } from '../../../src/engine/ml/train/micro-batches'
import { tf } from '../../../src/engine/ml/tf'
import { values } from '../ml-kernels/helpers'

const CLIPS = 6
const AUS = ['1', '2', '4']
const SIDE = MODEL_PRESETS.tiny.model.inputSize

/** Label sets of 6 clips over AUs 1, 2, 4. */
const LABELS: Record<string, number[][]> = {
  // some pairs share an AU, some do not
  mixed: [
    [1, 0, 0],
    [1, 1, 0],
    [0, 1, 0],
    [0, 0, 1],
    [1, 0, 1],
    [0, 0, 0],
  ],
  // every clip has AU 1: L_NA has no pair (K = 0)
  'no negative pair': [
    [1, 0, 0],
    [1, 1, 0],
    [1, 0, 1],
    [1, 1, 1],
    [1, 0, 0],
    [1, 1, 0],
  ],
  // one AU each or none: no two clips share an AU
  'every pair negative': [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ],
}

// δ = 4, the largest squared distance of unit vectors: every hinge term is active, so every
// pair L_NA finds sends a gradient.
const LOSS_OPTIONS = { positiveWeights: new Float32Array([2, 1, 3]), delta: 4 }

let model: AuModel

beforeAll(async () => {
  await selectBackend({ prefer: 'wasm' })
  model = AuModel.create(MODEL_PRESETS.tiny.model, AUS, { seed: 3 })
})
afterAll(() => model.dispose())

function kindsOf(variant: LossVariant): number {
  const { onset, close } = VARIANT_INPUTS[variant]
  return 1 + (close ? 1 : 0) + (onset ? 1 : 0)
}

function lossFor(variant: LossVariant, labels: tf.Tensor2D): CachedStepInput['loss'] {
  const { onset, close } = VARIANT_INPUTS[variant]
  return (features, logits) => {
    const rows = (t: tf.Tensor2D, k: number) => t.slice([k * CLIPS, 0], [CLIPS, t.shape[1]])
    const outputs: BatchOutputs = { apex: { features: rows(features, 0), logits: rows(logits, 0) } }
    if (close) outputs.close = { features: rows(features, 1), logits: rows(logits, 1) }
    if (onset) outputs.onset = { features: rows(features, close ? 2 : 1) }
    return variantLoss(variant, outputs, labels, LOSS_OPTIONS)
  }
}

/** Micro-batch inputs of seeded random images ([kinds·count, side, side, 3] each). */
function microInputs(kinds: number, size: number) {
  const parts = microBatches(CLIPS, size)
  const inputs = parts.map((p, k) =>
    tf.tensor4d(values(kinds * p.count * SIDE * SIDE * 3, 100 + k), [
      kinds * p.count,
      SIDE,
      SIDE,
      3,
    ]),
  )
  return { parts, inputs }
}

/** Rows of the micro-batches' outputs put in kind-major order by slicing (no gather). */
function kindMajor(outs: tf.Tensor2D[], input: CachedStepInput): tf.Tensor2D {
  const rows: tf.Tensor2D[] = []
  for (let j = 0; j < input.kinds; j++) {
    input.parts.forEach((p, k) => rows.push(outs[k].slice([j * p.count, 0], [p.count, -1])))
  }
  return tf.concat(rows)
}

/**
 * The plain full-batch step: one tape over every micro-batch's forward pass (batch norm
 * normalising each micro-batch with its own statistics in 'micro-batch' mode), the loss of
 * the whole batch, one backward pass. No cached gradient anywhere.
 */
function plainGradients(input: CachedStepInput): Map<string, Float32Array> {
  const training = input.batchNorm === 'micro-batch'
  const names = new Map(model.params.entries().map(([name, v]) => [v.name, name]))
  const { value, grads } = tf.variableGrads(() => {
    const outs = input.inputs.map((x) => model.apply(x, { training, statistics: () => {} }))
    const features = kindMajor(
      outs.map((o) => o.features),
      input,
    )
    const logits = kindMajor(
      outs.map((o) => o.logits),
      input,
    )
    return input.loss(features, logits).total
  }, model.params.trainableVariables())
  const out = new Map<string, Float32Array>()
  for (const [id, g] of Object.entries(grads)) out.set(names.get(id)!, g.dataSync() as Float32Array)
  tf.dispose([value, ...Object.values(grads)])
  return out
}

function norm(x: Float32Array): number {
  let sum = 0
  for (const v of x) sum += v * v
  return Math.sqrt(sum)
}

/** Largest relative error ‖cached − plain‖ / ‖plain‖ over parameters, and over all of them. */
function relativeErrors(
  cached: Record<string, tf.Tensor>,
  plain: Map<string, Float32Array>,
): { worst: number; global: number; worstName: string } {
  let worst = 0
  let worstName = ''
  let diffSquares = 0
  let refSquares = 0
  expect(Object.keys(cached).sort()).toEqual([...plain.keys()].sort())
  for (const [name, ref] of plain) {
    const got = cached[name].dataSync()
    const diff = ref.map((v, i) => v - got[i])
    diffSquares += norm(diff) ** 2
    refSquares += norm(ref) ** 2
    const error = norm(diff) / Math.max(norm(ref), 1e-12)
    if (norm(ref) > 0 && error > worst) {
      worst = error
      worstName = name
    }
  }
  return { worst, global: Math.sqrt(diffSquares / refSquares), worstName }
}

function compare(variant: LossVariant, labelSet: string, batchNorm: BatchNormMode) {
  const kinds = kindsOf(variant)
  const labels = tf.tensor2d(LABELS[labelSet])
  const { parts, inputs } = microInputs(kinds, 2)
  const input: CachedStepInput = {
    model,
    inputs,
    parts,
    kinds,
    loss: lossFor(variant, labels),
    batchNorm,
  }
  try {
    const plain = plainGradients(input)
    const { grads, losses } = cachedGradients(input)
    const errors = relativeErrors(grads, plain)
    tf.dispose(Object.values(grads))
    return { errors, losses }
  } finally {
    tf.dispose([labels, ...inputs])
  }
}

describe('cachedGradients (gradient caching, 3 micro-batches of 2 clips)', () => {
  for (const batchNorm of ['micro-batch', 'frozen'] as const) {
    for (const labelSet of Object.keys(LABELS)) {
      it(`equals the plain full-batch gradients, every variant, ${labelSet}, batch norm ${batchNorm}`, () => {
        for (const variant of LOSS_VARIANTS) {
          const { errors, losses } = compare(variant, labelSet, batchNorm)
          expect(errors.worst, `${variant}: ${errors.worstName}`).toBeLessThan(1e-4)
          expect(errors.global, variant).toBeLessThan(1e-4)
          expect(Number.isFinite(losses.total)).toBe(true)
          if (variant === 'intercl' || variant === 'iicl') {
            // L_NA is 0 without a negative pair, and positive when every pair is one
            if (labelSet === 'no negative pair') expect(losses.na).toBe(0)
            if (labelSet === 'every pair negative') expect(losses.na).toBeGreaterThan(0)
          }
        }
      })
    }
  }

  it('is not the sum of per-micro-batch losses: L_NA couples the micro-batches', () => {
    // The same batch with each micro-batch's loss taken alone gives other gradients
    // (the check above could not tell them apart otherwise).
    const kinds = kindsOf('intercl')
    const { parts, inputs } = microInputs(kinds, 2)
    const labels = LABELS['every pair negative']
    const whole = compare('intercl', 'every pair negative', 'frozen')
    expect(whole.errors.global).toBeLessThan(1e-4)
    const separate = parts.map((p, k) => {
      const slice = tf.tensor2d(labels.slice(p.start, p.start + p.count))
      const { grads } = cachedGradients({
        model,
        inputs: [inputs[k]],
        parts: [{ start: 0, count: p.count }],
        kinds,
        loss: (f, z) =>
          variantLoss('intercl', { apex: { features: f, logits: z } }, slice, LOSS_OPTIONS),
        batchNorm: 'frozen',
      })
      slice.dispose()
      return grads
    })
    const summed: Record<string, tf.Tensor> = {}
    for (const name of Object.keys(separate[0])) {
      summed[name] = tf.addN(separate.map((g) => g[name]))
    }
    const full = tf.tensor2d(labels)
    const plain = plainGradients({
      model,
      inputs,
      parts,
      kinds,
      loss: lossFor('intercl', full),
      batchNorm: 'frozen',
    })
    expect(relativeErrors(summed, plain).global).toBeGreaterThan(1e-2)
    tf.dispose([full, ...inputs, ...Object.values(summed), ...separate.flatMap(Object.values)])
  })

  it('frees every tensor it made but the gradients it returns', () => {
    const kinds = kindsOf('iicl')
    const { parts, inputs } = microInputs(kinds, 2)
    const labels = tf.tensor2d(LABELS.mixed)
    const step: CachedStepInput = {
      model,
      inputs,
      parts,
      kinds,
      loss: lossFor('iicl', labels),
      batchNorm: 'micro-batch',
    }
    tf.dispose(Object.values(cachedGradients(step).grads)) // first step: nothing lazily made later
    const before = tf.memory().numTensors
    const { grads } = cachedGradients(step)
    expect(tf.memory().numTensors - before).toBe(Object.keys(grads).length)
    tf.dispose([labels, ...inputs, ...Object.values(grads)])
  })

  it('updates the moving statistics once, with the mean of the micro-batches', () => {
    const kinds = 1
    const { parts, inputs } = microInputs(kinds, 3)
    const layer = 'conv1/7x7_s2/bn'
    const movingMean = model.params.get(`${layer}/moving_mean`)
    const before = movingMean.dataSync().slice()
    const batchMeans = inputs.map((x) => {
      let mean: Float32Array | undefined
      tf.tidy(() => {
        model.apply(x, {
          training: true,
          statistics: (name, m) => {
            if (name === layer) mean = m.dataSync() as Float32Array
          },
        })
      })
      return mean!
    })
    const labels = tf.tensor2d(LABELS.mixed)
    const { grads } = cachedGradients({
      model,
      inputs,
      parts,
      kinds,
      loss: lossFor('baseline', labels),
      batchNorm: 'micro-batch',
    })
    const m = MODEL_PRESETS.tiny.model.bnMomentum
    const after = movingMean.dataSync()
    before.forEach((old, c) => {
      const mean = (batchMeans[0][c] + batchMeans[1][c]) / 2
      // one update: after = m·old + (1 − m)·mean, solved for the mean it used
      expect((after[c] - m * old) / (1 - m)).toBeCloseTo(mean, 3)
    })
    tf.dispose([labels, ...inputs, ...Object.values(grads)])
  })
})
