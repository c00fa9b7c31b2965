import { beforeAll, describe, expect, it } from 'vitest'
import { AuModel } from '../../../src/engine/ml/model/au-model'
import { MODEL_PRESETS } from '../../../src/engine/ml/model/presets'
import { freezeStages } from '../../../src/engine/ml/train/starting-model'
import { resolveTrainConfig } from '../../../src/engine/ml/train/train-config'
import { tf } from '../../../src/engine/ml/tf'
import { AppError } from '../../../src/shared/errors'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('frozen stages and the linear probe', () => {
  it('freezes the stem and the first stages only, leaving the rest and the head trainable', () => {
    const model = AuModel.create(MODEL_PRESETS.tiny.model, ['1', '2'], { seed: 1 })
    const trainable = () =>
      model.params
        .entries()
        .filter(([, v]) => v.trainable)
        .map(([n]) => n)
    const before = trainable()
    freezeStages(model, 2)
    const after = trainable()
    expect(after.some((n) => n.startsWith('conv1/'))).toBe(false)
    expect(after.some((n) => n.startsWith('conv2_') || n.startsWith('conv3_'))).toBe(false)
    expect(after.some((n) => n.startsWith('conv4_'))).toBe(true)
    expect(after).toContain('au_head/kernel')
    expect(before.length).toBeGreaterThan(after.length)
    model.dispose()
  })

  it('a linear probe freezes every stage of the face backbone; scratch presets refuse it', () => {
    const probe = resolveTrainConfig({
      preset: 'face',
      variant: 'iicl',
      seed: 0,
      overrides: { trainMode: 'linear-probe', epochs: 7 },
    })
    expect(probe.frozenStages).toBe(5)
    // Its one "epoch" is the head fit; epochs asked for do not apply to it.
    expect(probe.epochs).toBe(1)
    // The face preset probes by default; fine-tuned, it keeps the stem and three stages.
    expect(resolveTrainConfig({ preset: 'face', variant: 'iicl', seed: 0 }).trainMode).toBe(
      'linear-probe',
    )
    const fineTune = { trainMode: 'fine-tune' as const }
    expect(
      resolveTrainConfig({ preset: 'face', variant: 'iicl', seed: 0, overrides: fineTune })
        .frozenStages,
    ).toBe(3)
    const model = AuModel.create(MODEL_PRESETS.face.model, ['1'], { seed: 1 })
    freezeStages(model, probe.frozenStages)
    expect(model.params.trainableVariables()).toHaveLength(2)
    model.dispose()
    expect(() =>
      resolveTrainConfig({
        preset: 'laptop',
        variant: 'iicl',
        seed: 0,
        overrides: { trainMode: 'linear-probe' },
      }),
    ).toThrow(AppError)
  })
})
