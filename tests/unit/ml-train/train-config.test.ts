import { describe, expect, it } from 'vitest'
import { learningRateAt } from '../../../src/engine/ml/train/schedule'
import { bceDescription, resolveTrainConfig } from '../../../src/engine/ml/train/train-config'

describe('training configuration', () => {
  it('follows the paper for the paper preset: 80 epochs, 0.01 ÷ 10 at 40, plain BCE with weights', () => {
    const c = resolveTrainConfig({
      preset: 'paper',
      variant: 'iicl',
      seed: 0,
      weightsFile: '/w.h5',
    })
    expect(c).toMatchObject({ epochs: 80, learningRate: 0.01, learningRateStepEpochs: 40 })
    expect(c.classBalancedBce).toBe(false)
    expect(learningRateAt(c, 39)).toBeCloseTo(0.01, 12)
    expect(learningRateAt(c, 40)).toBeCloseTo(0.001, 12)
    expect(learningRateAt(c, 79)).toBeCloseTo(0.001, 12)
    expect(bceDescription(c)).toMatch(/plain BCE/)
  })

  it('turns class-balanced BCE on from scratch and scales the step with the epochs', () => {
    const c = resolveTrainConfig({
      preset: 'laptop',
      variant: 'baseline',
      seed: 0,
      overrides: { epochs: 10 },
    })
    expect(c.classBalancedBce).toBe(true)
    expect(c.learningRateStepEpochs).toBe(5)
    expect(resolveTrainConfig({ preset: 'paper', variant: 'iicl', seed: 0 }).classBalancedBce).toBe(
      true,
    )
    expect(
      resolveTrainConfig({
        preset: 'tiny',
        variant: 'iicl',
        seed: 0,
        overrides: { classBalancedBce: false },
      }).classBalancedBce,
    ).toBe(false)
  })
})
