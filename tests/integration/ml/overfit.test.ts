import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auReport } from '../../../src/shared/metrics'
import { openLibrary, type LibraryDb } from '../../../src/engine/db/open-library'
import { selectBackend } from '../../../src/engine/ml/backend'
import { loadTrainingSet, type TrainingSet } from '../../../src/engine/ml/data/training-set'
import { predictClipScores } from '../../../src/engine/ml/infer/predict-clips'
import { AuModel } from '../../../src/engine/ml/model/au-model'
import { MODEL_PRESETS } from '../../../src/engine/ml/model/presets'
import { MomentumSgd } from '../../../src/engine/ml/train/momentum-sgd'
import { resolveTrainConfig } from '../../../src/engine/ml/train/train-config'
import { trainModel } from '../../../src/engine/ml/train/train-model'
import { tempDir } from '../../helpers/temp'
import { syntheticLibrary } from './fixtures'

let cleanup: () => void
let db: LibraryDb
let set: TrainingSet

beforeAll(async () => {
  const t = tempDir()
  cleanup = t.cleanup
  // One clip per subject: what tells the clips apart at 32 px is mostly the face.
  const lib = await syntheticLibrary(t.dir, { subjects: 8, clips: 1 })
  db = openLibrary(lib.file)
  await selectBackend({ prefer: 'wasm' })
  const config = resolveTrainConfig({ preset: 'tiny', variant: 'intracl', seed: 1 })
  set = await loadTrainingSet(db, lib.frameCacheDir, {
    datasetIds: [lib.datasetId],
    minPositives: 1,
    resizeSize: config.resizeSize,
  })
}, 120_000)
afterAll(() => {
  db.close()
  cleanup()
})

describe('training', () => {
  it('overfits 8 synthetic clips with the tiny preset (train F1 = 1.0)', async () => {
    expect(set.clips).toHaveLength(8)
    const config = {
      ...resolveTrainConfig({
        preset: 'tiny',
        variant: 'intracl',
        seed: 1,
        overrides: { epochs: 120, batchSize: 8, learningRate: 0.02 },
      }),
      learningRateStepEpochs: 80,
    }
    // IntraCL classifies apex and close-to-apex frames: 16 labelled images per step.
    // Batch-norm moving averages that follow the weights within the few steps of the test.
    const model = AuModel.create({ ...MODEL_PRESETS.tiny.model, bnMomentum: 0.5 }, set.auList, {
      seed: 1,
    })
    const optimizer = new MomentumSgd(
      config.momentum,
      new Map(model.params.entries().filter(([, v]) => v.trainable)),
    )
    const geometry = {
      resizeSize: config.resizeSize,
      cropSize: config.cropSize,
      preprocessing: MODEL_PRESETS.tiny.model.preprocessing,
    }
    const losses: number[] = []
    await trainModel({
      model,
      optimizer,
      clips: set.clips,
      config,
      geometry,
      stream: 'overfit',
      startEpoch: 0,
      onEpoch: (_, l) => {
        losses.push(l.total!)
      },
    })
    const scores = predictClipScores(model, set.clips, geometry)
    const report = auReport({ truth: set.clips.map((c) => c.labels), scores }, set.auList)
    expect(losses[losses.length - 1]).toBeLessThan(losses[0])
    expect(report.meanF1).toBe(1)
    optimizer.dispose()
    model.dispose()
  }, 240_000)
})
