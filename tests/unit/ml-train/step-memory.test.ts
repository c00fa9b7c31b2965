import { describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { VARIANT_INPUTS, type LossVariant } from '../../../src/engine/ml/losses'
import { MODEL_PRESETS } from '../../../src/engine/ml/model/presets'
import {
  cachedStepBytes,
  planMicroBatch,
  stepMemoryPlan,
  tapeElementsPerImage,
  trainingStepBytes,
  WASM_HEAP_MAX_BYTES,
  WASM_STEP_BUDGET_BYTES,
} from '../../../src/engine/ml/train/step-memory'

const VARIANTS = Object.keys(VARIANT_INPUTS) as LossVariant[]
const MIB = 2 ** 20

function refusal(run: Parameters<typeof planMicroBatch>[0], backend: string): AppError {
  try {
    planMicroBatch(run, backend)
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
  throw new Error('the run was not refused')
}

describe('tapeElementsPerImage', () => {
  it('counts the tiny preset by hand', () => {
    // 32² input, stem 16², pool 7², stages 7², 4², 2², 1² (one block each, widths 4…32):
    // stem 3072 + 5·256·8 + 49·8 = 13704; blocks o²·(10w + 7C + 4C) = 10584, 6912, 3456, 1728.
    expect(tapeElementsPerImage(MODEL_PRESETS.tiny.model)).toBe(36384)
  })
})

describe('trainingStepBytes', () => {
  it('matches the wasm heap measured for the paper preset within 10 % (over, never under)', () => {
    // Heap reached by one trainStep on wasm: 2, 3, 4 images → 1786, 2472, 3080 MiB.
    for (const [images, measured] of [
      [2, 1786],
      [3, 2472],
      [4, 3080],
    ]) {
      const estimate = trainingStepBytes(MODEL_PRESETS.paper.model, images) / MIB
      expect(estimate).toBeGreaterThanOrEqual(measured)
      expect(estimate).toBeLessThan(measured * 1.1)
    }
  })

  it('puts the 6 images that crashed the paper preset past the 4 GiB heap', () => {
    expect(trainingStepBytes(MODEL_PRESETS.paper.model, 6)).toBeGreaterThan(WASM_HEAP_MAX_BYTES)
  })
})

describe('cachedStepBytes', () => {
  it('is the single-tape step with one micro-batch', () => {
    const paper = MODEL_PRESETS.paper.model
    expect(cachedStepBytes(paper, 6, 6)).toBe(trainingStepBytes(paper, 6))
  })

  it('adds the running gradient sum and the batch input to one micro-batch', () => {
    const tiny = MODEL_PRESETS.tiny.model
    // 32² × 3 floats per input image; one more parameter-sized buffer
    const parameters = trainingStepBytes(tiny, 0) / 5
    expect(cachedStepBytes(tiny, 3, 24)).toBeCloseTo(
      trainingStepBytes(tiny, 3) + parameters + 24 * 32 * 32 * 3 * 4,
      0,
    )
  })

  it('matches the heap measured for the paper IICL step in micro-batches of one clip', () => {
    // 16 clips × 3 frames at 224², 16 micro-batches of 3 images: 2576 MiB on wasm, the same
    // after every micro-batch (2026-12-07, BENCHMARKS.md), so the heap does not grow.
    const estimate = cachedStepBytes(MODEL_PRESETS.paper.model, 3, 48) / MIB
    expect(estimate).toBeGreaterThanOrEqual(2576)
    expect(estimate).toBeLessThan(2576 * 1.1)
  })
})

describe('stepMemoryPlan and planMicroBatch', () => {
  it('fits the paper preset at 16 clips × 3 frames on wasm in micro-batches of one clip', () => {
    const run = { preset: 'paper', variant: 'iicl' as const, batchSize: 16, microBatch: null }
    const plan = stepMemoryPlan(run)
    expect(plan).toMatchObject({ microBatch: 1, microBatches: 16, imagesPerStep: 48, fits: true })
    expect(plan.estimatedBytes).toBeLessThanOrEqual(WASM_STEP_BUDGET_BYTES)
    // two clips (6 images on one tape) would not fit
    expect(stepMemoryPlan({ ...run, microBatch: 2 }).fits).toBe(false)
    expect(planMicroBatch(run, 'wasm')).toBe(1)
  })

  it('feeds the baseline one image per clip, so more of its clips share a micro-batch', () => {
    const run = { preset: 'paper', variant: 'baseline' as const, batchSize: 16, microBatch: null }
    expect(stepMemoryPlan(run).microBatch).toBe(4)
  })

  it('keeps the laptop and tiny presets in one micro-batch at their batch sizes', () => {
    for (const preset of ['laptop', 'tiny'] as const) {
      for (const variant of VARIANTS) {
        const batchSize = MODEL_PRESETS[preset].training.batchSize
        const run = { preset, variant, batchSize, microBatch: null }
        expect(planMicroBatch(run, 'wasm')).toBe(batchSize)
        expect(stepMemoryPlan(run).estimatedBytes).toBeLessThan(WASM_STEP_BUDGET_BYTES / 4)
      }
    }
  })

  it('takes a micro-batch asked for, capped at the batch', () => {
    const run = { preset: 'laptop', variant: 'iicl' as const, batchSize: 16, microBatch: 8 }
    expect(planMicroBatch(run, 'wasm')).toBe(8)
    expect(stepMemoryPlan(run).microBatches).toBe(2)
    expect(planMicroBatch({ ...run, microBatch: 64 }, 'wasm')).toBe(16)
  })

  it('lets the face preset train on wasm at its batch size in one micro-batch, every variant', () => {
    for (const variant of VARIANTS) {
      const batchSize = MODEL_PRESETS.face.training.batchSize
      const run = { preset: 'face', variant, batchSize, microBatch: null }
      expect(stepMemoryPlan(run).fits).toBe(true)
      expect(planMicroBatch(run, 'wasm')).toBe(batchSize)
    }
  })

  it('refuses on wasm a micro-batch asked for that cannot fit, saying what would', () => {
    const run = { preset: 'paper', variant: 'iicl' as const, batchSize: 16, microBatch: 4 }
    const error = refusal(run, 'wasm')
    expect(error.code).toBe('unsupported')
    expect(error.message).toContain('The paper preset cannot train on the wasm backend')
    expect(error.message).toContain('16 clips × 3 frames (iicl) in micro-batches of 4 clips')
    expect(error.message).toContain('WebAssembly heap holds at most 4 GiB')
    expect(error.message).toContain('at most 1 clip fits')
    expect(error.details).toMatchObject({ preset: 'paper', backend: 'wasm', fits: false })
  })

  it('gives the native backends the micro-batch asked for, or the default plan', () => {
    const run = { preset: 'paper', variant: 'iicl' as const, batchSize: 16, microBatch: 4 }
    for (const backend of ['tensorflow', 'tensorflow-gpu', 'cpu']) {
      expect(planMicroBatch(run, backend)).toBe(4)
      expect(planMicroBatch({ ...run, microBatch: null }, backend)).toBe(1)
    }
  })
})
