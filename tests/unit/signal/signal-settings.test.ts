import { describe, expect, it } from 'vitest'
import { DEFAULT_MAGNIFY_SETTINGS } from '../../../src/shared/signal'
import {
  magnifyParamsKey,
  TRAINING_MAGNIFICATION,
} from '../../../src/engine/ml/data/magnified-frames'
import { apexParamsKey, apexWithin } from '../../../src/engine/signal-jobs/apex-curves'
import { magnifyParamsOf, resolveMagnifySettings } from '../../../src/engine/signal-jobs/settings'
import { DEFAULT_APEX_PARAMS } from '../../../src/engine/signal'

describe('magnification settings', () => {
  it('default to the engine’s parameters and share the training pipeline’s cache key', () => {
    expect(resolveMagnifySettings({})).toEqual(DEFAULT_MAGNIFY_SETTINGS)
    expect(magnifyParamsOf(resolveMagnifySettings())).toEqual(TRAINING_MAGNIFICATION)
    expect(magnifyParamsKey(magnifyParamsOf(DEFAULT_MAGNIFY_SETTINGS))).toBe(
      magnifyParamsKey(TRAINING_MAGNIFICATION),
    )
    expect(magnifyParamsKey(magnifyParamsOf(resolveMagnifySettings({ alpha: 20 })))).not.toBe(
      magnifyParamsKey(TRAINING_MAGNIFICATION),
    )
  })

  it('keep given values and refuse a slow low-pass faster than the fast one, naming r2', () => {
    expect(resolveMagnifySettings({ alpha: 5, r1: 0.5 })).toMatchObject({
      alpha: 5,
      r1: 0.5,
      r2: 0.05,
    })
    expect(() => resolveMagnifySettings({ r1: 0.1, r2: 0.1 })).toThrow(
      /r2 \(0\.1\) must be smaller than r1/,
    )
  })
})

describe('apex curves', () => {
  const curve = { numbers: [10, 11, 12, 13, 14], scores: [1, 5, 2, 4, 3], apexIndex: 1 }

  it('pick the best frame within the coded onset and offset, the curve’s apex without bounds', () => {
    expect(apexWithin(curve)).toBe(11)
    expect(apexWithin(curve, { low: 12, high: 14 })).toBe(13)
    expect(apexWithin(curve, { low: 14, high: 14 })).toBe(14)
    // No frame in the span: the curve's own apex.
    expect(apexWithin(curve, { low: 20, high: 30 })).toBe(11)
  })

  it('are keyed by their spotting parameters', () => {
    expect(apexParamsKey(DEFAULT_APEX_PARAMS)).toMatch(/^[0-9a-f]{16}$/)
    expect(apexParamsKey({ ...DEFAULT_APEX_PARAMS, radius: 30 })).not.toBe(
      apexParamsKey(DEFAULT_APEX_PARAMS),
    )
  })
})
