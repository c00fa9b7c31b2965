import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openLibrary, type LibraryDb } from '../../../src/engine/db/open-library'
import { selectBackend } from '../../../src/engine/ml/backend'
import { loadTrainingSet } from '../../../src/engine/ml/data/training-set'
import { fitAuHead } from '../../../src/engine/ml/head/au-head-fit'
import { apexFeatures } from '../../../src/engine/ml/head/fit-head'
import { ablationJobInputSchema, trainJobInputSchema } from '../../../src/engine/ml/jobs/schemas'
import { runAblation } from '../../../src/engine/ml/eval/ablation'
import { AU_HEAD, parameterName } from '../../../src/engine/ml/model/architecture'
import { getPreset } from '../../../src/engine/ml/model/presets'
import { resolveTrainConfig } from '../../../src/engine/ml/train/train-config'
import { runTraining, type CrossValidationRecord } from '../../../src/engine/ml/train/training-run'
import { startingModel } from '../../../src/engine/ml/train/starting-model'
import { loadAuModel } from '../../../src/engine/ml/weights/tfjs-format'
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
  lib = await syntheticLibrary(dir, { subjects: 4, clips: 3, seed: 11 })
  db = openLibrary(lib.file)
  await selectBackend({ prefer: 'wasm', purpose: 'training' })
}, 180_000)
afterAll(() => {
  db.close()
  cleanup()
})

const context = () => libraryJobContext(db, lib)

const maxRelativeError = (a: Float32Array, b: Float32Array) => {
  let diff = 0
  let norm = 0
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]))
    norm = Math.max(norm, Math.abs(b[i]))
  }
  return diff / norm
}

let probeMeanF1: number | undefined

/** A 2-fold face-preset run of `variant` into `outDir` (no final model, not registered). */
function trainFace(
  outDir: string,
  variant: 'iicl' | 'baseline',
  overrides: Record<string, unknown>,
) {
  return runTraining(
    trainJobInputSchema.parse({
      datasetIds: [lib.datasetId],
      preset: 'face',
      variant,
      folds: 2,
      seed: 3,
      overrides,
      outDir,
      minPositives: 2,
      thresholds: 'paper',
      finalModel: false,
      register: false,
      backend: 'wasm',
    }),
    context(),
  )
}

/**
 * A run's first fold: the training clips of its model (every subject not in fold 0), that
 * model as saved, and the pretrained model it started from.
 */
async function firstFold(outDir: string, variant: 'iicl' | 'baseline') {
  const record = JSON.parse(
    fs.readFileSync(path.join(outDir, 'cross-validation.json'), 'utf8'),
  ) as CrossValidationRecord
  const config = resolveTrainConfig({ preset: 'face', variant, seed: 3 })
  const set = await loadTrainingSet(db, lib.frameCacheDir, {
    datasetIds: [lib.datasetId],
    minPositives: 2,
    resizeSize: config.resizeSize,
  })
  const train = set.clips.filter((c) => record.foldAssignment[c.subjectKey] !== 0)
  const { model } = await loadAuModel(path.join(outDir, 'folds', '1'))
  const pretrained = await startingModel(config, set.auList, 99)
  return { config, train, model, pretrained }
}

describe('the face preset as a linear probe', () => {
  it("fits each fold's head on frozen features: the head is the ridge logistic regression, the backbone face-api's", async () => {
    const outDir = path.join(dir, 'probe')
    const result = await trainFace(outDir, 'iicl', { trainMode: 'linear-probe' })
    expect(result.config.epochs).toBe(1)
    probeMeanF1 = result.metrics.meanF1
    const { config, train, model, pretrained } = await firstFold(outDir, 'iicl')
    try {
      const geometry = {
        resizeSize: config.resizeSize,
        cropSize: config.cropSize,
        preprocessing: getPreset('face').model.preprocessing,
      }
      const expected = fitAuHead(
        apexFeatures(pretrained, train, geometry),
        train.map((c) => c.labels),
        { l2: 1, classBalanced: true },
      )
      const kernel = model.params.get(parameterName(AU_HEAD, 'kernel')).dataSync() as Float32Array
      const bias = model.params.get(parameterName(AU_HEAD, 'bias')).dataSync() as Float32Array
      expect(maxRelativeError(kernel, expected.kernel)).toBeLessThan(1e-3)
      expect(maxRelativeError(bias, expected.bias)).toBeLessThan(1e-3)
      const firstConv = model.params.names()[0]
      expect(
        maxRelativeError(
          model.params.get(firstConv).dataSync() as Float32Array,
          pretrained.params.get(firstConv).dataSync() as Float32Array,
        ),
      ).toBe(0)
    } finally {
      model.dispose()
      pretrained.dispose()
    }
  }, 600_000)

  it('stands as its own row before the fine-tuned variants of an ablation on the same folds', async () => {
    const result = await runAblation(
      ablationJobInputSchema.parse({
        datasetIds: [lib.datasetId],
        preset: 'face',
        variants: ['baseline'],
        folds: 2,
        seed: 3,
        overrides: { epochs: 1 },
        outDir: path.join(dir, 'ablation'),
        minPositives: 2,
        thresholds: 'paper',
        backend: 'wasm',
      }),
      context(),
    )
    expect(result.rows.map((r) => [r.variant, r.linearProbe])).toEqual([
      ['baseline', true],
      ['baseline', false],
    ])
    // Same subjects in the same folds and the same head fit: the probe run of the first test.
    expect(probeMeanF1).toBeDefined()
    expect(result.rows[0].meanF1).toBe(probeMeanF1)
    expect(fs.existsSync(path.join(dir, 'ablation', 'linear-probe', 'cross-validation.json'))).toBe(
      true,
    )
  }, 900_000)

  it('after fine-tuning, fits the head again on the fine-tuned features', async () => {
    const outDir = path.join(dir, 'fine-tune')
    await trainFace(outDir, 'baseline', { trainMode: 'fine-tune', epochs: 1 })
    const { config, train, model, pretrained } = await firstFold(outDir, 'baseline')
    try {
      const geometry = { ...config, preprocessing: getPreset('face').model.preprocessing }
      // The backbone's last stage moved away from face-api's weights…
      const lastConv = model.params
        .names()
        .filter((n) => !n.startsWith(`${AU_HEAD}/`))
        .at(-1)!
      expect(
        maxRelativeError(
          model.params.get(lastConv).dataSync() as Float32Array,
          pretrained.params.get(lastConv).dataSync() as Float32Array,
        ),
      ).toBeGreaterThan(0)
      // …and the head is the ridge fit on the moved backbone's features, not where SGD left it.
      const expected = fitAuHead(
        apexFeatures(model, train, geometry),
        train.map((c) => c.labels),
        { l2: 1, classBalanced: true },
      )
      const kernel = model.params.get(parameterName(AU_HEAD, 'kernel')).dataSync() as Float32Array
      expect(maxRelativeError(kernel, expected.kernel)).toBeLessThan(1e-3)
    } finally {
      model.dispose()
      pretrained.dispose()
    }
  }, 900_000)
})
