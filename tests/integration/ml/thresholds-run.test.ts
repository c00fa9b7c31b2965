import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openLibrary, type LibraryDb } from '../../../src/engine/db/open-library'
import {
  crossValidationMetrics,
  decisionsAtThresholds,
} from '../../../src/engine/ml/eval/cv-metrics'
import { trainJobInputSchema } from '../../../src/engine/ml/jobs/schemas'
import { runTraining, type CrossValidationRecord } from '../../../src/engine/ml/train/training-run'
import { collapseNotice } from '../../../src/shared/collapse'
import { tempDir } from '../../helpers/temp'
import { libraryJobContext, syntheticLibrary, type SyntheticLibrary } from './fixtures'

let cleanup: () => void
let dir: string
let lib: SyntheticLibrary
let db: LibraryDb

beforeAll(async () => {
  const t = tempDir()
  cleanup = t.cleanup
  dir = t.dir
  lib = await syntheticLibrary(dir, { subjects: 6, clips: 2, seed: 5 })
  db = openLibrary(lib.file)
}, 120_000)
afterAll(() => {
  db.close()
  cleanup()
})

const context = () => libraryJobContext(db, lib)

describe('a training run with thresholds chosen on an inner split', () => {
  it('stores per-fold and final thresholds, F1 at them beside 0.5, and the collapse notice', async () => {
    const outDir = path.join(dir, 'model')
    const progress: { done: number; total: number }[] = []
    const result = await runTraining(
      trainJobInputSchema.parse({
        datasetIds: [lib.datasetId],
        preset: 'tiny',
        variant: 'baseline',
        folds: 3,
        seed: 2,
        overrides: { epochs: 1, batchSize: 3 },
        outDir,
        minPositives: 2,
        register: false,
        backend: 'wasm',
      }),
      { ...context(), progress: (p) => progress.push({ done: p.done, total: p.total }) },
    )
    const record = JSON.parse(
      fs.readFileSync(path.join(outDir, 'cross-validation.json'), 'utf8'),
    ) as CrossValidationRecord
    const aus = result.auList
    for (const fold of record.predictions) {
      expect(fold.thresholds).toHaveLength(aus.length)
      for (const t of fold.thresholds!) expect(t >= 0 && t <= 1).toBe(true)
    }
    // F1 at the chosen thresholds is each fold judged at its own thresholds, pooled.
    const expected = crossValidationMetrics(record.predictions.map(decisionsAtThresholds), aus)
    expect(result.metricsAtThresholds?.meanF1).toBe(expected.meanF1)
    expect(record.metricsAtThresholds?.meanF1).toBe(expected.meanF1)
    // Fold models, inner models and the final model: 3 + 3 + 1 runs of 1 epoch.
    expect(progress[progress.length - 1]).toEqual({ done: 7, total: 7 })
    const sidecar = JSON.parse(
      fs.readFileSync(path.join(outDir, 'microau-model.json'), 'utf8'),
    ) as {
      training: {
        thresholds: Record<string, number>
        thresholdsChosenOn: string
        collapse: string | null
      }
      metrics: { atChosenThresholds: { meanF1: number } }
    }
    expect(Object.keys(sidecar.training.thresholds)).toEqual(aus)
    expect(sidecar.training.thresholds).toEqual(result.thresholds)
    expect(sidecar.training.thresholdsChosenOn).toMatch(/held-out subjects/)
    expect(sidecar.training.collapse).toBe(collapseNotice(result.metrics))
    expect(sidecar.metrics.atChosenThresholds.meanF1).toBe(expected.meanF1)
  }, 600_000)
})
