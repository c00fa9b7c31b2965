import { describe, expect, it } from 'vitest'
import {
  chosenThresholdsOf,
  decisionThresholds,
  thresholdSourceText,
} from '../../../src/shared/decision-thresholds'

/** A record as training-run.ts stores it after an inner split chose thresholds. */
const CHOSEN = {
  thresholds: { '4': 0.35, '12': 0.7 },
  thresholdsChosenOn: 'per AU, the F1-maximising threshold on held-out subjects: …',
}

describe('decisionThresholds', () => {
  it("uses the model's chosen thresholds per AU, 0.5 for an AU it has none", () => {
    expect(decisionThresholds(CHOSEN, ['12', '4', '9'])).toEqual({
      values: [0.7, 0.35, 0.5],
      source: 'model',
    })
  })
  it('uses 0.5 for every AU when none were chosen (no inner split, or an older record)', () => {
    const none = {
      thresholds: { '4': 0.5, '12': 0.5 },
      thresholdsChosenOn: 'none: 0.5 for every AU (no inner split)',
    }
    expect(decisionThresholds(none, ['4', '12'])).toEqual({ values: [0.5, 0.5], source: 'default' })
    expect(decisionThresholds({ preset: 'tiny' }, ['4'])).toEqual({
      values: [0.5],
      source: 'default',
    })
    expect(decisionThresholds(null, ['4'])).toEqual({ values: [0.5], source: 'default' })
  })
  it("lets the user's one value win over the model's", () => {
    expect(decisionThresholds(CHOSEN, ['4', '12'], 0.5)).toEqual({
      values: [0.5, 0.5],
      source: 'user',
    })
  })
  it('ignores values that are not thresholds', () => {
    expect(chosenThresholdsOf({ thresholds: { '4': 1.5, '6': null, '12': 0.2 } })).toEqual({
      '12': 0.2,
    })
    expect(chosenThresholdsOf({ thresholds: { '4': 'x' } })).toBeNull()
  })
  it('says where the thresholds come from', () => {
    expect(thresholdSourceText('model')).toMatch(/model's thresholds/)
    expect(thresholdSourceText('default')).toMatch(/^0\.5 for every AU/)
    expect(thresholdSourceText('user')).toMatch(/set by the user/)
  })
})
