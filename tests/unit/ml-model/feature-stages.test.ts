import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuModel } from '../../../src/engine/ml/model/au-model'
import { describeBackbone } from '../../../src/engine/ml/model/backbone'
import { gradCam } from '../../../src/engine/ml/model/grad-cam'
import { MODEL_PRESETS } from '../../../src/engine/ml/model/presets'
import { tf } from '../../../src/engine/ml/tf'

// The tiny SE-ResNet at 64² (stage sides 15, 8, 4, 2; channels 16, 32, 64, 128), its
// feature pooled from the last two stages (64 + 128 values).
const CONFIG = { ...MODEL_PRESETS.tiny.model, inputSize: 64, featureStages: 2 }
const AUS = ['1', '2']
let model: AuModel

beforeAll(async () => {
  await tf.setBackend('cpu')
  model = AuModel.create(CONFIG, AUS, { seed: 9 })
})
afterAll(() => model.dispose())

const images = (n: number, seed: number) =>
  tf.randomUniform([n, 64, 64, 3], -80, 80, 'float32', seed) as tf.Tensor4D

const expectClose = (a: ArrayLike<number>, b: ArrayLike<number>, digits = 4) => {
  expect(a.length).toBe(b.length)
  for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], digits)
}

describe('a feature pooled from several stages', () => {
  it('sizes the feature and the head as the channels of those stages', () => {
    const layout = describeBackbone(CONFIG)
    const last = layout.stageChannels.length - 1
    expect(layout.featureStages).toEqual([last - 1, last])
    expect(layout.featureSize).toBe(layout.stageChannels[last - 1] + layout.stageChannels[last])
    expect(() => describeBackbone({ ...CONFIG, featureStages: 9 })).toThrow(/9/)
  })

  it('is each feature stage’s output averaged over positions, deepest last', () => {
    const x = images(2, 1)
    const out = model.apply(x, { training: false })
    const last = model.stageCount - 1
    const before = model.stageOutput(x, { training: false }, last - 1)
    const deepest = model.stageOutput(x, { training: false }, last)
    const expected = tf.concat([before.mean([1, 2]), deepest.mean([1, 2])], 1)
    expectClose(out.features.dataSync(), expected.dataSync(), 5)
    tf.dispose([x, out, before, deepest, expected])
  })

  it('gives the same logits from a stage output with the earlier stages’ features', () => {
    const x = images(2, 2)
    const full = model.apply(x, { training: false })
    for (let stage = 0; stage < model.stageCount; stage++) {
      const a = model.stageOutput(x, { training: false }, stage)
      const earlier = model.featuresBefore(x, { training: false }, stage)
      const logits = model.logitsFromStage(a, stage, { training: false }, earlier)
      expectClose(logits.dataSync(), full.logits.dataSync())
      if (stage === model.stageCount - 1) {
        expect(() => model.logitsFromStage(a, stage, { training: false })).toThrow(/before it/)
      }
      tf.dispose([a, logits, ...(earlier ? [earlier] : [])])
    }
    tf.dispose([x, full])
  })

  it('explains any stage with Grad-CAM', () => {
    const x = images(1, 3)
    for (let stage = 0; stage < model.stageCount; stage++) {
      const [map] = gradCam(model, x, [0], { stage })
      expect(map.width).toBe(describeBackbone(CONFIG).stageOutputSizes[stage])
      expect(map.values.every((v) => v >= 0 && v <= 1)).toBe(true)
    }
    x.dispose()
  })
})
