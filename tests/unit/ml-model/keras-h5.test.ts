import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { tf } from '../../../src/engine/ml/tf'
import h5wasm, { type Group } from 'h5wasm/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeSeResNet } from '../../../src/engine/ml/model/architecture'
import { AuModel } from '../../../src/engine/ml/model/au-model'
import { VGGFACE_PREPROCESSING, type SeResNetConfig } from '../../../src/engine/ml/model/config'
import { importKerasH5 } from '../../../src/engine/ml/weights/keras-h5'
import { AppError } from '../../../src/shared/errors'

// A reduced SENET50: an identity block in the first stage, odd sizes after stride 2
// (40 → 20 → 9 → 9, 5, 3, 2) and square 3×3 kernels whose in/out swap only values reveal.
const CONFIG: SeResNetConfig = {
  inputSize: 40,
  stemFilters: 8,
  stages: [2, 1, 1, 1],
  widths: [4, 6, 8, 8],
  seRatio: 4,
  bnEpsilon: 1e-4,
  bnMomentum: 0.99,
  preprocessing: VGGFACE_PREPROCESSING,
}
const AUS = ['1', '2', '4']

interface StoredWeight {
  name: string
  shape: number[]
  values: Float32Array
}
type KerasWeights = Map<string, StoredWeight[]>

function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Weights for every layer of CONFIG in Keras naming, drawn independently of the model code. */
function kerasWeights(seed: number): KerasWeights {
  const next = random(seed)
  const uniform = (lo: number, hi: number) => lo + (hi - lo) * next()
  const weights: KerasWeights = new Map()
  for (const layer of describeSeResNet(CONFIG).layers) {
    weights.set(
      layer.name,
      layer.weights.map((w) => {
        const size = w.shape.reduce((a, b) => a * b, 1)
        const fanIn = w.shape.length === 4 ? w.shape[0] * w.shape[1] * w.shape[2] : 1
        const draw = {
          kernel: () => uniform(-1, 1) * Math.sqrt(3 / fanIn),
          bias: () => uniform(-0.2, 0.2),
          gamma: () => uniform(0.5, 1.5),
          beta: () => uniform(-0.2, 0.2),
          moving_mean: () => uniform(-0.3, 0.3),
          moving_variance: () => uniform(0.5, 1.5),
        }[w.name]
        return {
          name: w.name,
          shape: [...w.shape],
          values: Float32Array.from({ length: size }, draw),
        }
      }),
    )
  }
  return weights
}

function ensureGroup(parent: Group, relative: string): Group {
  let group = parent
  for (const part of relative.split('/')) {
    const existing = group.get(part)
    group = existing instanceof h5wasm.Group ? existing : group.create_group(part)
  }
  return group
}

function fixedStrings(node: Group, name: string, values: string[]): void {
  if (values.length === 0) {
    // what h5py writes for an empty Python list
    node.create_attribute(name, new Float64Array(0), [0], '<d')
    return
  }
  const width = Math.max(...values.map((v) => v.length))
  node.create_attribute(name, values, [values.length], `S${width}`)
}

interface WriteOptions {
  /** Store under model_weights, as model.save does. */
  nested?: boolean
  /** Split layer_names into layer_names0/1, as Keras does for large headers. */
  chunked?: boolean
  /** Layers left out of the file. */
  omit?: string[]
  /** Layer name → replacement weights. */
  replace?: Record<string, StoredWeight[]>
}

/** Writes `weights` in the Keras 2 HDF5 layout, with weightless layers and a classifier. */
function writeKerasH5(file: string, weights: KerasWeights, options: WriteOptions = {}): void {
  const f = new h5wasm.File(file, 'w')
  const root = options.nested ? f.create_group('model_weights') : f
  const layers = new Map(weights)
  for (const name of options.omit ?? []) layers.delete(name)
  for (const [name, replacement] of Object.entries(options.replace ?? {})) {
    layers.set(name, replacement)
  }
  layers.set('classifier', [
    { name: 'kernel', shape: [2, 3], values: new Float32Array(6) },
    { name: 'bias', shape: [3], values: new Float32Array(3) },
  ])
  const names = ['input_1', ...layers.keys(), 'activation_1', 'avg_pool']
  for (const name of ['input_1', 'activation_1', 'avg_pool']) layers.set(name, [])
  if (options.chunked) {
    fixedStrings(root, 'layer_names0', names.slice(0, 10))
    fixedStrings(root, 'layer_names1', names.slice(10))
  } else {
    fixedStrings(root, 'layer_names', names)
  }
  root.create_attribute('backend', 'tensorflow')
  root.create_attribute('keras_version', '2.2.4')
  for (const name of names) {
    const group = ensureGroup(root, name)
    const stored = layers.get(name) ?? []
    const weightNames = stored.map((w) => `${name}/${w.name}:0`)
    fixedStrings(group, 'weight_names', weightNames)
    stored.forEach((w, k) => {
      const parts = weightNames[k].split('/')
      const leaf = parts.pop() as string
      ensureGroup(group, parts.join('/')).create_dataset({
        name: leaf,
        data: w.values,
        shape: w.shape,
        dtype: '<f',
      })
    })
  }
  f.close()
}

/**
 * SENET50's forward pass written out from keras_vggface/models.py with plain tf ops: explicit
 * TF 'same' padding, batch norm as (x − mean)/√(var + ε)·γ + β, SE as two dense layers.
 */
function referenceFeatures(w: KerasWeights, x: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const get = (layer: string, name: string) => {
      const stored = w.get(layer)?.find((s) => s.name === name)
      if (!stored) throw new Error(`reference lacks ${layer}/${name}`)
      return tf.tensor(stored.values, stored.shape)
    }
    const bn = (y: tf.Tensor4D, layer: string): tf.Tensor4D =>
      y
        .sub(get(layer, 'moving_mean'))
        .div(get(layer, 'moving_variance').add(1e-4).sqrt())
        .mul(get(layer, 'gamma'))
        .add(get(layer, 'beta'))
    const convValid = (y: tf.Tensor4D, layer: string, stride: number): tf.Tensor4D =>
      tf.conv2d(y, get(layer, 'kernel') as tf.Tensor4D, stride, 'valid')
    const dense = (v: tf.Tensor2D, layer: string): tf.Tensor2D => {
      const kernel = get(layer, 'kernel')
      return v.matMul(kernel.reshape([kernel.shape[2]!, kernel.shape[3]!])).add(get(layer, 'bias'))
    }

    // stem: out = ceil(40 / 2) = 20, total padding (20 − 1)·2 + 7 − 40 = 5: 2 before, 3 after
    let y = tf.pad(x, [
      [0, 0],
      [2, 3],
      [2, 3],
      [0, 0],
    ])
    y = tf.relu(bn(convValid(y, 'conv1/7x7_s2', 2), 'conv1/7x7_s2/bn'))
    y = tf.maxPool(y, 3, 2, 'valid')
    CONFIG.stages.forEach((blocks, s) => {
      for (let b = 1; b <= blocks; b++) {
        const p = `conv${s + 2}_${b}`
        const stride = b === 1 && s > 0 ? 2 : 1
        let r = tf.relu(bn(convValid(y, `${p}_1x1_reduce`, stride), `${p}_1x1_reduce/bn`))
        const padded = tf.pad(r, [
          [0, 0],
          [1, 1],
          [1, 1],
          [0, 0],
        ])
        r = tf.relu(bn(convValid(padded, `${p}_3x3`, 1), `${p}_3x3/bn`))
        r = bn(convValid(r, `${p}_1x1_increase`, 1), `${p}_1x1_increase/bn`)
        const squeezed = r.mean([1, 2]) as tf.Tensor2D
        const gate = tf.sigmoid(dense(tf.relu(dense(squeezed, `${p}_1x1_down`)), `${p}_1x1_up`))
        r = r.mul(gate.expandDims(1).expandDims(1))
        const shortcut = b === 1 ? bn(convValid(y, `${p}_1x1_proj`, stride), `${p}_1x1_proj/bn`) : y
        y = tf.relu(r.add(shortcut))
      }
    })
    return y.mean([1, 2]) as tf.Tensor2D
  })
}

let dir = ''
const weights = kerasWeights(11)

beforeAll(async () => {
  await tf.setBackend('cpu')
  await h5wasm.ready
  dir = mkdtempSync(path.join(tmpdir(), 'microau-h5-'))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

function maxRelativeGap(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => {
    const gap = tf.abs(tf.sub(a, b)).max().dataSync()[0]
    return gap / Math.max(tf.abs(b).max().dataSync()[0], 1e-6)
  })
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

describe('importKerasH5', () => {
  const x = () => tf.randomUniform([2, 40, 40, 3], -100, 100, 'float32', 3) as tf.Tensor4D

  it('loads a save_weights file by layer name and reproduces the reference forward pass', async () => {
    const file = path.join(dir, 'weights.h5')
    writeKerasH5(file, weights)
    const model = AuModel.create(CONFIG, AUS, { seed: 1 })
    const headBefore = model.params.get('au_head/kernel').dataSync().slice()

    const report = await importKerasH5(model, file)
    expect(report.weightsGroup).toBe('/')
    expect(report.kerasVersion).toBe('2.2.4')
    expect(report.loadedLayers).toEqual(model.layout.layers.map((l) => l.name))
    expect(report.ignoredLayers).toEqual(['classifier'])

    const stored = weights.get('conv2_2_3x3')![0].values
    expect(model.params.get('conv2_2_3x3/kernel').dataSync()).toEqual(stored)
    expect(model.params.get('au_head/kernel').dataSync()).toEqual(headBefore)

    const input = x()
    const out = model.apply(input, { training: false })
    const expected = referenceFeatures(weights, input)
    expect(out.features.shape).toEqual([2, 32])
    expect(maxRelativeGap(out.features, expected)).toBeLessThan(1e-4)
    tf.dispose([input, out, expected])
    model.dispose()
  })

  it('loads the model.save layout (model_weights group) and chunked layer_names', async () => {
    const file = path.join(dir, 'model.h5')
    writeKerasH5(file, weights, { nested: true, chunked: true })
    const model = AuModel.create(CONFIG, AUS, { seed: 2 })
    const report = await importKerasH5(model, file)
    expect(report.weightsGroup).toBe('model_weights')
    const input = x()
    const out = model.apply(input, { training: false })
    const expected = referenceFeatures(weights, input)
    expect(maxRelativeGap(out.features, expected)).toBeLessThan(1e-4)
    tf.dispose([input, out, expected])
    model.dispose()
  })

  it('the reference notices swapped input/output channels of a square kernel', () => {
    const [kernel] = weights.get('conv3_1_3x3')!
    const swapped = tf.tidy(() =>
      tf
        .tensor4d(kernel.values, kernel.shape as [number, number, number, number])
        .transpose([0, 1, 3, 2])
        .dataSync(),
    ) as Float32Array
    const altered: KerasWeights = new Map(weights)
    altered.set('conv3_1_3x3', [{ ...kernel, values: swapped }])
    const input = x()
    const a = referenceFeatures(weights, input)
    const b = referenceFeatures(altered, input)
    expect(maxRelativeGap(a, b)).toBeGreaterThan(1e-3)
    tf.dispose([input, a, b])
  })

  it('names a mis-shaped layer with both shapes and changes nothing', async () => {
    const file = path.join(dir, 'misshaped.h5')
    const [kernel] = weights.get('conv3_1_3x3')!
    writeKerasH5(file, weights, {
      replace: {
        conv3_1_3x3: [{ name: 'kernel', shape: [3, 3, 6, 5], values: kernel.values.slice(0, 270) }],
      },
    })
    const model = AuModel.create(CONFIG, AUS, { seed: 3 })
    const stemBefore = model.params.get('conv1/7x7_s2/kernel').dataSync().slice()
    const error = await rejection(importKerasH5(model, file))
    expect(error.code).toBe('invalid_file')
    expect(error.message).toContain('misshaped.h5')
    expect(error.message).toContain(
      'layer "conv3_1_3x3" weight kernel has shape [3, 3, 6, 5], expected [3, 3, 6, 6]',
    )
    expect(error.details).toMatchObject({
      mismatches: [{ layer: 'conv3_1_3x3', weight: 'kernel', problem: 'shape' }],
    })
    expect(model.params.get('conv1/7x7_s2/kernel').dataSync()).toEqual(stemBefore)
    model.dispose()
  })

  it('names missing layers and wrong weight counts', async () => {
    const file = path.join(dir, 'missing.h5')
    writeKerasH5(file, weights, {
      omit: ['conv5_1_1x1_up'],
      replace: { 'conv4_1_1x1_proj/bn': weights.get('conv4_1_1x1_proj/bn')!.slice(0, 2) },
    })
    const model = AuModel.create(CONFIG, AUS, { seed: 4 })
    const error = await rejection(importKerasH5(model, file))
    expect(error.message).toMatch(/2 layer problem/)
    expect(error.message).toContain('layer "conv4_1_1x1_proj/bn": expected 4 weights')
    expect(error.message).toContain('layer "conv5_1_1x1_up" is missing')
    model.dispose()
  })

  it('refuses an HDF5 file that is not Keras weights, a non-HDF5 file and a missing file', async () => {
    const model = AuModel.create(CONFIG, AUS, { seed: 5 })
    const plain = path.join(dir, 'plain.h5')
    const f = new h5wasm.File(plain, 'w')
    f.create_dataset({ name: 'data', data: new Float32Array([1, 2]) })
    f.close()
    expect((await rejection(importKerasH5(model, plain))).message).toMatch(
      /not a Keras 2 weights file/,
    )

    const text = path.join(dir, 'notes.h5')
    writeFileSync(text, 'not hdf5 at all')
    const notHdf5 = await rejection(importKerasH5(model, text))
    expect(notHdf5.code).toBe('invalid_file')
    expect(notHdf5.message).toMatch(/notes\.h5: not a readable HDF5 file/)

    const absent = await rejection(importKerasH5(model, path.join(dir, 'absent.h5')))
    expect(absent.code).toBe('not_found')
    model.dispose()
  })
})
