import { describe, expect, it } from 'vitest'
import { VARIANT_INPUTS } from '../../../src/engine/ml/losses/variant-loss'
import { comparesWithOnset } from '../../../src/engine/ml/model/config'
import { MODEL_PRESETS, PRESET_NAMES } from '../../../src/engine/ml/model/presets'
import { framesPerClip as engineFramesPerClip } from '../../../src/engine/ml/train/step-memory'
import { ML_VARIANTS } from '../../../src/shared/ml'
import { framesPerClip, PRESET_FACTS, VARIANT_HINTS } from '../../../src/renderer/src/train/presets'

describe('the Train view’s copy of the presets', () => {
  it('matches the engine’s presets', () => {
    expect(Object.keys(PRESET_FACTS).sort()).toEqual([...PRESET_NAMES].sort())
    for (const name of PRESET_NAMES) {
      const preset = MODEL_PRESETS[name]
      expect(PRESET_FACTS[name]).toEqual({
        description: preset.description,
        cropSize: preset.training.cropSize,
        epochs: preset.training.epochs,
        batchSize: preset.training.batchSize,
        trainMode: preset.training.trainMode,
        comparesWithOnset: comparesWithOnset(preset.model),
      })
    }
  })
  it('counts the frames each variant feeds per clip as the trainer does', () => {
    for (const v of ML_VARIANTS) {
      for (const name of PRESET_NAMES) {
        const engine = engineFramesPerClip(v, MODEL_PRESETS[name].model)
        expect(framesPerClip(v, name), `${v} ${name}`).toBe(engine)
      }
      // the apex, + close-to-apex and onset when the variant uses them (train-model.ts)
      const { onset, close } = VARIANT_INPUTS[v]
      expect(framesPerClip(v, 'laptop')).toBe(1 + (close ? 1 : 0) + (onset ? 1 : 0))
      expect(VARIANT_HINTS[v]).toBeTruthy()
    }
  })
})
