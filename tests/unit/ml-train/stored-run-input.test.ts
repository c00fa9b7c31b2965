import { describe, expect, it } from 'vitest'
import {
  storedAblationJobInputSchema,
  storedTrainJobInputSchema,
} from '../../../src/engine/ml/jobs/schemas'

const run = { preset: 'tiny', outDir: '/models/run', backend: 'wasm' }

describe('stored training inputs', () => {
  it('reads a job stored before pooled datasets as a run of that one dataset', () => {
    const train = storedTrainJobInputSchema.parse({ ...run, variant: 'iicl', datasetId: 3 })
    expect(train.datasetIds).toEqual([3])
    expect(train).not.toHaveProperty('datasetId')
    const ablation = storedAblationJobInputSchema.parse({
      ...run,
      variants: ['baseline'],
      datasetId: 4,
    })
    expect(ablation.datasetIds).toEqual([4])
  })
  it('reads current inputs unchanged and still refuses what is wrong', () => {
    expect(
      storedTrainJobInputSchema.parse({ ...run, variant: 'iicl', datasetIds: [1, 2] }).datasetIds,
    ).toEqual([1, 2])
    // Both keys: the old one is not silently dropped.
    expect(() =>
      storedTrainJobInputSchema.parse({ ...run, variant: 'iicl', datasetIds: [1], datasetId: 1 }),
    ).toThrow()
    expect(() => storedTrainJobInputSchema.parse({ ...run, variant: 'iicl' })).toThrow()
  })
})
