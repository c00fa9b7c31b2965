import { describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { VARIANT_INPUTS, type LossVariant } from '../../../src/engine/ml/losses'
import { MODEL_PRESETS } from '../../../src/engine/ml/model/presets'
import {
  assertTrainingStepFits,
  framesPerClip,
  tapeElementsPerImage,
  trainingStepBytes,
  WASM_HEAP_MAX_BYTES,
  WASM_STEP_BUDGET_BYTES,
  wasmStepMemory,
} from '../../../src/engine/ml/train/step-memory'

const VARIANTS = Object.keys(VARIANT_INPUTS) as LossVariant[]
const MIB = 2 ** 20

function refusal(run: Parameters<typeof assertTrainingStepFits>[0], backend: string): AppError {
  try {
    assertTrainingStepFits(run, backend)
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

describe('assertTrainingStepFits', () => {
  it('refuses the paper preset on wasm at 2 clips of IICL, naming preset, backend, reason and remedy', () => {
    const error = refusal({ preset: 'paper', variant: 'iicl', batchSize: 2 }, 'wasm')
    expect(error.code).toBe('unsupported')
    expect(error.message).toContain('The paper preset cannot train on the wasm backend')
    expect(error.message).toContain('2 clips × 3 frames (iicl)')
    expect(error.message).toContain('WebAssembly heap holds at most 4 GiB')
    expect(error.message).toContain('laptop preset')
    expect(error.message).toContain('npm install @tensorflow/tfjs-node')
    expect(error.details).toMatchObject({
      preset: 'paper',
      backend: 'wasm',
      imagesPerStep: 6,
      largestBatch: 1,
      fits: false,
    })
  })

  it('refuses the paper preset at its own batch size on wasm for every variant', () => {
    for (const variant of VARIANTS) {
      const run = { preset: 'paper', variant, batchSize: MODEL_PRESETS.paper.training.batchSize }
      expect(refusal(run, 'wasm').message).toContain(`16 clips × ${framesPerClip(variant)} frames`)
    }
  })

  it('says how few clips would fit when a smaller batch would', () => {
    const error = refusal({ preset: 'paper', variant: 'baseline', batchSize: 3 }, 'wasm')
    expect(error.message).toContain('at most 2 clips would fit')
    expect(wasmStepMemory({ preset: 'paper', variant: 'baseline', batchSize: 2 }).fits).toBe(true)
  })

  it('lets the laptop and tiny presets train on wasm at their batch sizes, every variant', () => {
    for (const preset of ['laptop', 'tiny'] as const) {
      for (const variant of VARIANTS) {
        const run = { preset, variant, batchSize: MODEL_PRESETS[preset].training.batchSize }
        expect(() => assertTrainingStepFits(run, 'wasm')).not.toThrow()
        expect(wasmStepMemory(run).estimatedBytes).toBeLessThan(WASM_STEP_BUDGET_BYTES / 4)
      }
    }
  })

  it('lets the face preset train on wasm at its batch size, every variant', () => {
    for (const variant of VARIANTS) {
      const run = { preset: 'face', variant, batchSize: MODEL_PRESETS.face.training.batchSize }
      expect(() => assertTrainingStepFits(run, 'wasm')).not.toThrow()
    }
  })

  it('refuses the laptop preset on wasm only at batches the heap cannot hold', () => {
    // Measured: 100 IICL clips (300 images) reached 3274 MiB and trained.
    expect(wasmStepMemory({ preset: 'laptop', variant: 'iicl', batchSize: 100 }).fits).toBe(true)
    expect(refusal({ preset: 'laptop', variant: 'iicl', batchSize: 256 }, 'wasm').code).toBe(
      'unsupported',
    )
  })

  it('leaves the other backends unchecked', () => {
    for (const backend of ['tensorflow', 'tensorflow-gpu', 'cpu']) {
      expect(() =>
        assertTrainingStepFits({ preset: 'paper', variant: 'iicl', batchSize: 16 }, backend),
      ).not.toThrow()
    }
  })
})
