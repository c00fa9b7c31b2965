import { describeBackbone } from '../../../src/engine/ml/model/backbone'
import { tf } from '../../../src/engine/ml/tf'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuModel } from '../../../src/engine/ml/model/au-model'
import { MODEL_PRESETS } from '../../../src/engine/ml/model/presets'
import { describeSeResNet } from '../../../src/engine/ml/model/architecture'
import { defaultCamStage, gradCam } from '../../../src/engine/ml/model/grad-cam'

// 96×96 input: stage outputs 23, 12, 6, 3.
const CONFIG = { ...MODEL_PRESETS.tiny.model, inputSize: 96 }
const AUS = ['1', '2', '4']
let model: AuModel
let image: tf.Tensor3D

beforeAll(async () => {
  await tf.setBackend('cpu')
  model = AuModel.create(CONFIG, AUS, { seed: 21 })
  image = tf.randomUniform([96, 96, 3], -100, 100, 'float32', 22) as tf.Tensor3D
})
afterAll(() => {
  image.dispose()
  model.dispose()
})

describe('gradCam', () => {
  it('returns one normalised map per AU at the last stage resolution', () => {
    const maps = gradCam(model, image, [0, 1, 2])
    expect(maps.map((m) => [m.au, m.auIndex, m.width, m.height])).toEqual([
      ['1', 0, 3, 3],
      ['2', 1, 3, 3],
      ['4', 2, 3, 3],
    ])
    for (const m of maps) {
      expect(m.values.length).toBe(9)
      expect(m.peak).toBeGreaterThan(0)
      expect(Math.max(...m.values)).toBeCloseTo(1, 6)
      expect(Math.min(...m.values)).toBeGreaterThanOrEqual(0)
    }
  })

  it('equals the class activation map ReLU(Σ_c W[c, au]/(h·w)·A_c) at the last stage', () => {
    // the head is linear on the spatial mean, so ∂logit/∂A_c is W[c, au]/(h·w) everywhere
    const au = 1
    const expected = tf.tidy(() => {
      const a = model.stageOutput(image.expandDims(0) as tf.Tensor4D, { training: false })
      const w = model.params.get('au_head/kernel').slice([0, au], [-1, 1]).reshape([-1])
      const cam = tf.relu(a.mul(w.div(9)).sum(3)).reshape([-1])
      return cam.div(cam.max()).dataSync()
    })
    const [map] = gradCam(model, image, [au])
    map.values.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5))
  })

  it('changes with the target AU', () => {
    const [a, b] = gradCam(model, image, [0, 2])
    const difference = a.values.reduce((s, v, i) => s + Math.abs(v - b.values[i]), 0)
    expect(difference).toBeGreaterThan(0.1)
  })

  it('explains an earlier stage at its finer resolution', () => {
    const [map] = gradCam(model, image.expandDims(0) as tf.Tensor4D, [0], { stage: 2 })
    expect([map.width, map.height, map.values.length]).toEqual([6, 6, 36])
    expect(Math.max(...map.values)).toBeCloseTo(1, 6)
  })

  it('frees its tensors and refuses bad arguments', () => {
    const before = tf.memory().numTensors
    gradCam(model, image, [0])
    expect(tf.memory().numTensors).toBe(before)
    expect(() => gradCam(model, image, [3])).toThrow(RangeError)
    const two = tf.stack([image, image]) as tf.Tensor4D
    expect(() => gradCam(model, two, [0])).toThrow(/one image/)
    two.dispose()
    expect(tf.memory().numTensors).toBe(before)
  })
})

describe('defaultCamStage', () => {
  it('is the deepest stage with a map of at least 7×7', () => {
    const layout = (preset: 'paper' | 'laptop' | 'tiny', inputSize?: number) =>
      describeSeResNet({ ...MODEL_PRESETS[preset].model, ...(inputSize ? { inputSize } : {}) })
    // paper 224²: stages 55, 28, 14, 7 → the last; laptop 96²: 23, 12, 6, 3 → the second;
    // tiny 32²: 7, 4, 2, 1 → the first.
    expect(layout('paper').stageOutputSizes).toEqual([55, 28, 14, 7])
    expect(defaultCamStage(layout('paper'))).toBe(3)
    expect(defaultCamStage(layout('laptop'))).toBe(1)
    expect(defaultCamStage(layout('tiny'))).toBe(0)
    expect(defaultCamStage({ stageOutputSizes: [5, 3, 2, 1] })).toBe(0)
    // face 150²: 35, 17, 8, 4, 2 → the third (8×8).
    expect(defaultCamStage(describeBackbone(MODEL_PRESETS.face.model))).toBe(2)
  })
})
