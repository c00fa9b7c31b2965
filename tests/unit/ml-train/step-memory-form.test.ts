import { describe, expect, it } from 'vitest'
import { VARIANT_INPUTS, type LossVariant } from '../../../src/engine/ml/losses'
import { MODEL_PRESETS, PRESET_NAMES } from '../../../src/engine/ml/model/presets'
import * as engine from '../../../src/engine/ml/train/step-memory'
import {
  STEP_BYTES,
  WASM_STEP_BUDGET_BYTES,
  wasmMemoryProblem,
} from '../../../src/renderer/src/train/memory-check'

const VARIANTS = Object.keys(VARIANT_INPUTS) as LossVariant[]

describe("the Train form's wasm memory check", () => {
  it('holds the engine model per preset (to the byte)', () => {
    expect(WASM_STEP_BUDGET_BYTES).toBe(engine.WASM_STEP_BUDGET_BYTES)
    for (const preset of PRESET_NAMES) {
      const config = MODEL_PRESETS[preset].model
      const fixed = engine.trainingStepBytes(config, 0)
      expect(STEP_BYTES[preset].fixed).toBeCloseTo(fixed, -1)
      expect(STEP_BYTES[preset].perImage).toBeCloseTo(
        engine.trainingStepBytes(config, 1) - fixed,
        -1,
      )
    }
  })

  it('warns exactly when the engine refuses, for every preset, variant and batch size', () => {
    for (const preset of PRESET_NAMES) {
      for (const variant of VARIANTS) {
        for (const batchSize of [2, 3, 8, 16, 64, 100, 128, 256]) {
          const refused = !engine.wasmStepMemory({ preset, variant, batchSize }).fits
          const problem = wasmMemoryProblem({
            preset,
            backend: 'wasm',
            variants: [variant],
            batchSize,
          })
          expect(problem !== null, `${preset} ${variant} ${batchSize}`).toBe(refused)
        }
      }
    }
  })

  it('names the preset, the backend and what to do; other backends get no warning', () => {
    const input = { preset: 'paper', variants: ['baseline', 'iicl'], batchSize: 16 } as const
    expect(wasmMemoryProblem({ ...input, backend: 'wasm' })).toMatch(
      /^The paper preset cannot train on the wasm backend: a step of 16 clips × 3 frames .*laptop preset.*@tensorflow\/tfjs-node/,
    )
    expect(wasmMemoryProblem({ ...input, backend: 'tensorflow' })).toBeNull()
    expect(wasmMemoryProblem({ ...input, preset: 'laptop', backend: 'wasm' })).toBeNull()
  })
})
