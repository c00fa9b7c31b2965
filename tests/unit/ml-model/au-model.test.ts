import { tf } from '../../../src/engine/ml/tf'
import { beforeAll, describe, expect, it } from 'vitest'
import { AuModel } from '../../../src/engine/ml/model/au-model'
import { VGGFACE_PREPROCESSING } from '../../../src/engine/ml/model/config'
import { MODEL_PRESETS } from '../../../src/engine/ml/model/presets'
import { preprocessPixels } from '../../../src/engine/ml/model/preprocess'

const tiny = MODEL_PRESETS.tiny.model
const AUS = ['1', '2', '4']

beforeAll(async () => {
  await tf.setBackend('cpu')
})

function images(n: number, seed: number): tf.Tensor4D {
  return tf.randomUniform([n, tiny.inputSize, tiny.inputSize, 3], -80, 80, 'float32', seed)
}

function values(model: AuModel, name: string): Float32Array {
  return model.params.get(name).dataSync() as Float32Array
}

describe('AuModel (tiny preset)', () => {
  it('returns features, logits and the last stage with the configured shapes', () => {
    const model = AuModel.create(tiny, AUS, { seed: 1 })
    const x = images(2, 1)
    const before = tf.memory().numTensors
    const out = model.apply(x, { training: false })
    expect(out.features.shape).toEqual([2, 128])
    expect(out.logits.shape).toEqual([2, 3])
    expect(out.lastStage.shape).toEqual([2, 1, 1, 128])
    expect(tf.memory().numTensors).toBe(before + 3)
    tf.dispose([x, out])
    model.dispose()
  })

  it('is reproducible from a seed and differs between seeds', () => {
    const a = AuModel.create(tiny, AUS, { seed: 7 })
    const b = AuModel.create(tiny, AUS, { seed: 7 })
    const c = AuModel.create(tiny, AUS, { seed: 8 })
    const name = 'conv3_1_3x3/kernel'
    expect(values(a, name)).toEqual(values(b, name))
    expect(values(a, name)).not.toEqual(values(c, name))
    for (const m of [a, b, c]) m.dispose()
  })

  it('updates batch-norm moving statistics in training mode as Keras does (momentum 0.99)', () => {
    const model = AuModel.create(tiny, AUS, { seed: 2 })
    const x = images(2, 2)
    const kernel = model.params.get('conv1/7x7_s2/kernel') as tf.Tensor4D
    // the stem BN sees conv(x): per channel mean and unbiased variance over N·H·W = 2·16·16
    const conv = tf.conv2d(x, kernel, 2, 'same')
    const { mean, variance } = tf.moments(conv, [0, 1, 2])
    const n = 2 * 16 * 16
    const batchMean = mean.dataSync()
    const batchVariance = variance.dataSync().map((v) => (v * n) / (n - 1))

    tf.dispose(model.apply(x, { training: true }))
    const movingMean = values(model, 'conv1/7x7_s2/bn/moving_mean')
    const movingVariance = values(model, 'conv1/7x7_s2/bn/moving_variance')
    for (let c = 0; c < tiny.stemFilters; c++) {
      expect(movingMean[c]).toBeCloseTo(0.99 * 0 + 0.01 * batchMean[c], 4)
      expect(movingVariance[c]).toBeCloseTo(0.99 * 1 + 0.01 * batchVariance[c], 3)
    }
    tf.dispose([x, conv, mean, variance])
    model.dispose()
  })

  it('normalises with batch statistics in training and moving statistics in inference', () => {
    const model = AuModel.create(tiny, AUS, { seed: 4 })
    const x = images(3, 4)
    const logits = (training: boolean) => {
      const out = model.apply(x, { training })
      const data = out.logits.dataSync().slice()
      tf.dispose(out)
      return data
    }
    const inference = logits(false)
    expect(logits(false)).toEqual(inference)
    const training1 = logits(true)
    // batch statistics do not depend on the moving statistics the first pass changed
    expect(logits(true)).toEqual(training1)
    // inference now reads the updated moving statistics
    expect(logits(false)).not.toEqual(inference)
    tf.dispose(x)
    model.dispose()
  })

  it('splits at any stage: stageOutput then logitsFromStage equals apply', () => {
    const model = AuModel.create(tiny, AUS, { seed: 5 })
    const x = images(2, 5)
    const whole = model.apply(x, { training: false })
    const a = model.stageOutput(x, { training: false }, 1)
    expect(a.shape).toEqual([2, 4, 4, 32])
    const logits = model.logitsFromStage(a, 1, { training: false })
    const gap = tf.max(tf.abs(tf.sub(logits, whole.logits))).dataSync()[0]
    expect(gap).toBeLessThan(1e-4)
    expect(() => model.stageOutput(x, { training: false }, 4)).toThrow(RangeError)
    tf.dispose([x, whole, a, logits])
    model.dispose()
  })

  it('trains: every trainable weight gets its exact gradient (directional check)', () => {
    // 48×48 and 4 images keep ≥ 16 values per channel in the last stage's batch norm, where
    // the loss is smooth enough for a first-order check.
    const model = AuModel.create({ ...tiny, inputSize: 48 }, AUS, { seed: 6 })
    const x = tf.randomUniform([4, 48, 48, 3], -80, 80, 'float32', 6) as tf.Tensor4D
    const labels = tf.tensor2d([
      [1, 0, 1],
      [0, 1, 0],
      [1, 1, 0],
      [0, 0, 1],
    ])
    const loss = () =>
      tf.losses.sigmoidCrossEntropy(labels, model.apply(x, { training: true }).logits) as tf.Scalar
    const trainable = model.params.trainableVariables()
    const { value, grads } = tf.variableGrads(loss, trainable)
    expect(Object.keys(grads).length).toBe(trainable.length)
    let squaredNorm = 0
    for (const v of trainable) {
      const g = grads[v.name]
      expect(g.shape).toEqual(v.shape)
      expect([...g.dataSync()].every(Number.isFinite)).toBe(true)
      squaredNorm += tf.tidy(() => g.square().sum().dataSync()[0])
    }
    const stem = grads[model.params.get('conv1/7x7_s2/kernel').name]
    expect(tf.tidy(() => stem.abs().max().dataSync()[0])).toBeGreaterThan(0)
    // one SGD step of size ε changes the loss by −ε·‖g‖² to first order
    const epsilon = 1e-4
    const optimizer = tf.train.sgd(epsilon)
    optimizer.applyGradients(grads)
    const after = tf.tidy(loss)
    const change = after.dataSync()[0] - value.dataSync()[0]
    expect(change / (-epsilon * squaredNorm)).toBeGreaterThan(0.8)
    expect(change / (-epsilon * squaredNorm)).toBeLessThan(1.2)
    tf.dispose([x, labels, value, after, grads])
    optimizer.dispose()
    model.dispose()
  })

  it('rejects inputs that are not 3-channel images and bad AU lists', () => {
    const model = AuModel.create(tiny, AUS, { seed: 1 })
    const grey = tf.zeros([1, 32, 32, 1]) as tf.Tensor4D
    expect(() => model.apply(grey, { training: false })).toThrow(/\[N, H, W, 3\]/)
    grey.dispose()
    model.dispose()
    expect(() => AuModel.create(tiny, [])).toThrow(RangeError)
    expect(() => AuModel.create(tiny, ['1', '1'])).toThrow(/duplicates/)
  })
})

describe('preprocessPixels (VGGFace)', () => {
  it('reverses RGB to BGR and subtracts the BGR means', () => {
    const rgb = tf.tensor4d([10, 20, 30, 255, 0, 128], [1, 1, 2, 3])
    const out = preprocessPixels(rgb, VGGFACE_PREPROCESSING).dataSync()
    const expected = [
      30 - 91.4953,
      20 - 103.8827,
      10 - 131.0912,
      128 - 91.4953,
      0 - 103.8827,
      255 - 131.0912,
    ]
    expected.forEach((v, i) => expect(out[i]).toBeCloseTo(v, 3))
  })

  it('keeps RGB order when asked and accepts integer pixels', () => {
    const rgb = tf.tensor4d([10, 20, 30], [1, 1, 1, 3], 'int32')
    const out = preprocessPixels(rgb, { channelOrder: 'rgb', mean: [1, 2, 3] })
    expect(out.dtype).toBe('float32')
    expect([...out.dataSync()]).toEqual([9, 18, 27])
  })

  it('refuses images without 3 channels', () => {
    expect(() => preprocessPixels(tf.zeros([1, 2, 2, 4]), VGGFACE_PREPROCESSING)).toThrow(
      RangeError,
    )
  })
})
