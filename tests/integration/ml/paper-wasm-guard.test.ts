import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngine, type Engine } from '../../../src/engine/api/engine'
import {
  ablationJobInputSchema,
  ML_JOB_KINDS,
  trainJobInputSchema,
} from '../../../src/engine/ml/jobs/schemas'
import { tempDir } from '../../helpers/temp'
import { syntheticLibrary, type SyntheticLibrary } from './fixtures'

// A paper-preset micro-batch of 6 images at 224² on one tape runs the WebAssembly heap out of
// memory (4 GiB) and aborts the backend mid-step (src/engine/ml/train/step-memory.ts). The
// engine's own plan (one clip per micro-batch) fits; a micro-batch asked for that does not
// must be refused before any data is loaded, with an error that says what would fit.

let cleanup: () => void
let dir: string
let lib: SyntheticLibrary
let engine: Engine

beforeAll(async () => {
  const t = tempDir()
  cleanup = t.cleanup
  dir = t.dir
  lib = await syntheticLibrary(dir, { subjects: 2, clips: 2 })
  engine = createEngine({ libraryPath: lib.file })
}, 120_000)
afterAll(() => {
  engine.close()
  cleanup()
})

const common = { preset: 'paper', folds: 2, seed: 1, minPositives: 1, backend: 'wasm' } as const

describe('the paper preset on the wasm backend', () => {
  it('ml.train with a micro-batch too large is refused before training, saying what fits', async () => {
    const outDir = path.join(dir, 'train')
    const input = trainJobInputSchema.parse({
      ...common,
      datasetIds: [lib.datasetId],
      variant: 'iicl',
      overrides: { batchSize: 2, epochs: 1, microBatch: 2 },
      outDir,
    })
    const job = engine.jobs.start(ML_JOB_KINDS.train, input)
    const done = await engine.jobs.whenSettled(job.id)
    expect(done.status).toBe('failed')
    expect(done.error?.code).toBe('unsupported')
    expect(done.error?.message).toContain('The paper preset cannot train on the wasm backend')
    expect(done.error?.message).toContain('4 GiB')
    expect(done.error?.message).toContain('in micro-batches of 2 clips')
    expect(done.error?.message).toContain('at most 1 clip fits')
    // Refused before any fold ran: no checkpoint, no fold model.
    expect(fs.readdirSync(outDir)).toEqual([])
  }, 120_000)

  it('ml.ablation is refused for the variant that does not fit', async () => {
    const input = ablationJobInputSchema.parse({
      ...common,
      datasetIds: [lib.datasetId],
      variants: ['baseline', 'iicl'],
      overrides: { batchSize: 2, epochs: 1, microBatch: 2 },
      outDir: path.join(dir, 'ablation'),
    })
    const job = engine.jobs.start(ML_JOB_KINDS.ablation, input)
    const done = await engine.jobs.whenSettled(job.id)
    expect(done.status).toBe('failed')
    expect(done.error?.code).toBe('unsupported')
    expect(done.error?.message).toContain('2 clips × 3 frames (iicl) in micro-batches of 2 clips')
  }, 120_000)
})
