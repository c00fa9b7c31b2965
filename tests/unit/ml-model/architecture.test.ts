import { describe, expect, it } from 'vitest'
import {
  countParameters,
  describeAuHead,
  describeSeResNet,
} from '../../../src/engine/ml/model/architecture'
import { describeBackbone } from '../../../src/engine/ml/model/backbone'
import { modelConfigSchema, seResNetConfigSchema } from '../../../src/engine/ml/model/config'
import { describeFaceResNet } from '../../../src/engine/ml/model/face-resnet'
import {
  MODEL_PRESETS,
  PRESET_NAMES,
  getPreset,
  resizeForCrop,
} from '../../../src/engine/ml/model/presets'
import { AppError } from '../../../src/shared/errors'

const paper = MODEL_PRESETS.paper.model

describe('paper preset layout (keras-vggface SENET50)', () => {
  const layout = describeSeResNet(paper)

  it('counts 26,092,144 weights, 26,039,024 trainable, as Keras does', () => {
    expect(countParameters(layout.layers)).toEqual({ total: 26_092_144, trainable: 26_039_024 })
  })

  it('has the spatial sizes 224 -> 112 -> 55 -> 55, 28, 14, 7 and a 2048-d feature', () => {
    expect(layout.stemOutputSize).toBe(112)
    expect(layout.poolOutputSize).toBe(55)
    expect(layout.stageOutputSizes).toEqual([55, 28, 14, 7])
    expect(layout.featureSize).toBe(2048)
    expect(layout.stages.map((s) => s.length)).toEqual([3, 4, 6, 3])
  })

  it('puts the stride on the first 1×1 of stages 3 to 5 and on their projections', () => {
    const firsts = layout.stages.map((s) => s[0])
    expect(firsts.map((b) => b.stride)).toEqual([1, 2, 2, 2])
    expect(layout.stages.flat().filter((b) => b.hasProjection)).toEqual(firsts)
    expect(layout.stages[1][1].stride).toBe(1)
  })

  it('names and shapes the layers like keras_vggface/models.py', () => {
    const byName = new Map(layout.layers.map((l) => [l.name, l]))
    const shapes = (name: string) => byName.get(name)?.weights.map((w) => [w.name, w.shape])
    expect(shapes('conv1/7x7_s2')).toEqual([['kernel', [7, 7, 3, 64]]])
    expect(shapes('conv1/7x7_s2/bn')).toEqual([
      ['gamma', [64]],
      ['beta', [64]],
      ['moving_mean', [64]],
      ['moving_variance', [64]],
    ])
    expect(shapes('conv2_1_1x1_reduce')).toEqual([['kernel', [1, 1, 64, 64]]])
    expect(shapes('conv2_1_3x3')).toEqual([['kernel', [3, 3, 64, 64]]])
    expect(shapes('conv2_1_1x1_increase')).toEqual([['kernel', [1, 1, 64, 256]]])
    expect(shapes('conv2_1_1x1_down')).toEqual([
      ['kernel', [1, 1, 256, 16]],
      ['bias', [16]],
    ])
    expect(shapes('conv2_1_1x1_up')).toEqual([
      ['kernel', [1, 1, 16, 256]],
      ['bias', [256]],
    ])
    expect(shapes('conv2_1_1x1_proj')).toEqual([['kernel', [1, 1, 64, 256]]])
    expect(shapes('conv3_1_1x1_reduce')).toEqual([['kernel', [1, 1, 256, 128]]])
    expect(shapes('conv5_3_1x1_up')).toEqual([
      ['kernel', [1, 1, 128, 2048]],
      ['bias', [2048]],
    ])
    expect(byName.has('conv2_2_1x1_proj')).toBe(false)
    expect(byName.has('conv4_6_1x1_increase/bn')).toBe(true)
    expect(byName.has('conv4_7_1x1_reduce')).toBe(false)
  })

  it('lists the layers of a block in Keras order', () => {
    const names = layout.layers.map((l) => l.name)
    const start = names.indexOf('conv2_1_1x1_reduce')
    expect(names.slice(0, 2)).toEqual(['conv1/7x7_s2', 'conv1/7x7_s2/bn'])
    expect(names.slice(start, start + 11)).toEqual([
      'conv2_1_1x1_reduce',
      'conv2_1_1x1_reduce/bn',
      'conv2_1_3x3',
      'conv2_1_3x3/bn',
      'conv2_1_1x1_increase',
      'conv2_1_1x1_increase/bn',
      'conv2_1_1x1_down',
      'conv2_1_1x1_up',
      'conv2_1_1x1_proj',
      'conv2_1_1x1_proj/bn',
      'conv2_2_1x1_reduce',
    ])
  })
})

describe('reduced configurations', () => {
  it('count by hand for stages [1], widths [2], stem 4, SE ratio 4', () => {
    const layout = describeSeResNet({
      ...paper,
      stemFilters: 4,
      stages: [1],
      widths: [2],
      seRatio: 4,
    })
    // stem 7·7·3·4 + BN 4·4; reduce 4·2 + BN 8; 3×3 9·2·2 + BN 8; increase 2·8 + BN 32;
    // SE down 8·2 + 2, up 2·8 + 8; projection 4·8 + BN 32
    const total = 588 + 16 + 8 + 8 + 36 + 8 + 16 + 32 + 18 + 24 + 32 + 32
    const frozen = 8 + 4 + 4 + 16 + 16
    expect(countParameters(layout.layers)).toEqual({ total, trainable: total - frozen })
    expect(layout.featureSize).toBe(8)
  })

  it('keeps at least one SE unit when channels < seRatio', () => {
    const layout = describeSeResNet({ ...paper, stemFilters: 4, stages: [1], widths: [1] })
    expect(layout.stages[0][0].seChannels).toBe(1)
  })

  it('refuses an input too small for the stem and pool', () => {
    expect(() => describeSeResNet({ ...paper, inputSize: 4 })).toThrow(RangeError)
  })

  it('sizes the AU head to the AU list', () => {
    expect(describeAuHead(2048, 8).weights.map((w) => w.shape)).toEqual([[2048, 8], [8]])
  })
})

describe('face preset layout (face-api face_recognition_model)', () => {
  const layout = describeFaceResNet(MODEL_PRESETS.face.model)

  it('has the sides 150 -> 72 -> 35 -> 35, 17, 8, 4, 2 and a 256-d feature', () => {
    expect(layout.stemOutputSize).toBe(72)
    expect(layout.poolOutputSize).toBe(35)
    expect(layout.stageOutputSizes).toEqual([35, 17, 8, 4, 2])
    expect(layout.featureSize).toBe(256)
  })

  it("holds face-api's 5.6 M backbone weights (its 32 768 fc weights left out)", () => {
    // 29 conv units × (kernel + bias + γ + β): 116 weights, as face-api's manifest less fc.
    expect(layout.layers.flatMap((l) => l.weights)).toHaveLength(116)
    expect(countParameters(layout.layers).total).toBe(5_581_824)
  })

  it('refuses an input too small for its down blocks', () => {
    expect(() => describeFaceResNet({ ...MODEL_PRESETS.face.model, inputSize: 48 })).toThrow(
      RangeError,
    )
  })
})

describe('presets', () => {
  it('every preset has a valid configuration and crops at its input size', () => {
    for (const name of PRESET_NAMES) {
      const preset = getPreset(name)
      expect(preset.name).toBe(name)
      expect(modelConfigSchema.safeParse(preset.model).success).toBe(true)
      expect(preset.training.cropSize).toBe(preset.model.inputSize)
      expect(preset.training.resizeSize).toBe(resizeForCrop(preset.training.cropSize))
      expect(describeBackbone(preset.model).stageOutputSizes.every((s) => s >= 1)).toBe(true)
    }
  })

  it('paper uses the published schedule and plain BCE; the others balance their BCE', () => {
    expect(MODEL_PRESETS.paper.training).toMatchObject({
      epochs: 80,
      learningRate: 0.01,
      learningRateStepEpochs: 40,
      learningRateDecay: 0.1,
      resizeSize: 256,
      cropSize: 224,
      lambda: 0.1,
      margin: 1,
      classBalancedBce: false,
    })
    expect(MODEL_PRESETS.laptop.training.classBalancedBce).toBe(true)
    expect(MODEL_PRESETS.tiny.training.classBalancedBce).toBe(true)
    expect(MODEL_PRESETS.paper.pretrained).toBe('keras-vggface-senet50')
  })

  it('scales the 256 -> 224 resize to smaller crops', () => {
    expect(resizeForCrop(224)).toBe(256)
    expect(resizeForCrop(96)).toBe(110)
    expect(resizeForCrop(32)).toBe(37)
  })

  it('names the known presets when asked for an unknown one', () => {
    expect(() => getPreset('huge')).toThrow(AppError)
    expect(() => getPreset('huge')).toThrow(/paper, laptop, tiny/)
  })

  it('validates configurations', () => {
    expect(seResNetConfigSchema.safeParse({ ...paper, widths: [64] }).success).toBe(false)
    expect(seResNetConfigSchema.safeParse({ ...paper, bnMomentum: 1 }).success).toBe(false)
  })
})
