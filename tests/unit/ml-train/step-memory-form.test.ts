import { describe, expect, it } from 'vitest'
import { VARIANT_INPUTS, type LossVariant } from '../../../src/engine/ml/losses'
import { countParameters } from '../../../src/engine/ml/model/architecture'
import { describeBackbone } from '../../../src/engine/ml/model/backbone'
import { MODEL_PRESETS, PRESET_NAMES } from '../../../src/engine/ml/model/presets'
import * as engine from '../../../src/engine/ml/train/step-memory'
import {
  STEP_BYTES,
  WASM_STEP_BUDGET_BYTES,
  stepPlan,
  wasmMemoryProblem,
} from '../../../src/renderer/src/train/memory-check'

const VARIANTS = Object.keys(VARIANT_INPUTS) as LossVariant[]

describe("the Train form's step-memory plan", () => {
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
      const parameters = countParameters(describeBackbone(config).layers).total * 4
      expect(STEP_BYTES[preset].parameters).toBe(parameters)
      expect(STEP_BYTES[preset].input).toBe(config.inputSize ** 2 * 3 * 4)
    }
  })

  it('plans the micro-batch and refuses exactly as the engine, for every preset, variant and size', () => {
    for (const preset of PRESET_NAMES) {
      for (const variant of VARIANTS) {
        for (const batchSize of [2, 3, 8, 16, 64, 100, 128, 256]) {
          for (const microBatch of [null, 1, 2, 4, 8]) {
            const run = { preset, variant, batchSize, microBatch }
            const plan = engine.stepMemoryPlan(run)
            const form = stepPlan({ ...run, backend: 'wasm', variants: [variant] })
            const label = `${preset} ${variant} ${batchSize} ${microBatch}`
            expect(form.problem !== null, label).toBe(!plan.fits)
            expect(form.microBatch, label).toBe(plan.microBatch)
            expect(form.microBatches, label).toBe(plan.microBatches)
          }
        }
      }
    }
  })

  it('names the preset, the micro-batch and what to do; other backends get no warning', () => {
    const input = {
      preset: 'paper',
      variants: ['baseline', 'iicl'],
      batchSize: 16,
      microBatch: 4,
    } as const
    expect(wasmMemoryProblem({ ...input, backend: 'wasm' })).toMatch(
      /^The paper preset cannot train on the wasm backend with this micro-batch: a step of 16 clips × 3 frames in micro-batches of 4 clips .*unset.*@tensorflow\/tfjs-node/,
    )
    expect(wasmMemoryProblem({ ...input, microBatch: null, backend: 'wasm' })).toBeNull()
    expect(stepPlan({ ...input, microBatch: null, backend: 'wasm' }).microBatch).toBe(1)
    expect(wasmMemoryProblem({ ...input, backend: 'tensorflow' })).toBeNull()
    expect(stepPlan({ ...input, backend: 'tensorflow' }).microBatch).toBe(4)
  })
})
