import fs from 'node:fs/promises'
import path from 'node:path'
import { AppError } from '../../../shared/errors'
import type { JobContext } from '../../jobs/job-kind'
import { selectBackend } from '../backend'
import { loadTrainingSet } from '../data/training-set'
import { predictClipScores } from '../infer/predict-clips'
import { modelGeometry } from '../model-geometry'
import { MODEL_FILES, modelSidecarSchema } from '../weights/sidecar'
import { loadAuModel } from '../weights/tfjs-format'
import { registerModel } from '../train/model-registry'
import { jsonRecord, RUN_FILES, type CrossValidationRecord } from '../train/training-run'
import { bceDescription } from '../train/train-config'
import type { CvMetrics } from '../../../shared/ml'
import { crossValidationMetrics, type FoldPredictions } from './cv-metrics'

/** What an ml.evaluate job answers. */
export interface EvaluationResult {
  modelDir: string
  modelId: number | null
  metrics: CvMetrics
  /** Clips of subjects the stored fold assignment does not know (left out). */
  unassignedClips: number
  bce: string
}

/**
 * Re-evaluates a trained model folder on the library's current labels: each stored fold
 * model predicts the clips of its held-out subjects (the fold assignment stored with the
 * model), the predictions are pooled and the metrics written back to the sidecar,
 * cross-validation.json and the models table.
 */
export async function evaluateModel(
  input: { modelDir: string; backend: 'auto' | 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu' },
  ctx: Pick<JobContext<unknown>, 'db' | 'frameCacheDir' | 'signal' | 'progress'>,
): Promise<EvaluationResult> {
  const recordFile = path.join(input.modelDir, RUN_FILES.crossValidation)
  let record: CrossValidationRecord
  try {
    record = JSON.parse(await fs.readFile(recordFile, 'utf8')) as CrossValidationRecord
  } catch {
    throw new AppError(
      'not_found',
      `${recordFile} is missing: the folder holds no cross-validated model`,
      {
        file: recordFile,
      },
    )
  }
  await selectBackend({ prefer: input.backend, purpose: 'inference' })
  const set = await loadTrainingSet(ctx.db, ctx.frameCacheDir, {
    datasetId: record.datasetId,
    coder: record.coder.id,
    auList: record.auList,
    minPositives: 1,
    resizeSize: record.config.resizeSize,
    signal: ctx.signal,
    onClip: (done, total) => ctx.progress({ done, total, message: 'Preparing clips' }),
  })
  const predictions: FoldPredictions[] = []
  for (let fold = 0; fold < record.folds; fold++) {
    ctx.progress({
      done: fold,
      total: record.folds,
      message: `Testing fold ${fold + 1}/${record.folds}`,
    })
    const { model, sidecar } = await loadAuModel(
      path.join(input.modelDir, RUN_FILES.folds, String(fold + 1)),
    )
    try {
      const test = set.clips.filter((c) => record.foldAssignment[c.subject] === fold)
      const scores = predictClipScores(model, test, modelGeometry(sidecar))
      predictions.push({
        fold,
        clipIds: test.map((c) => c.clipId),
        truth: test.map((c) => Array.from(c.labels)),
        scores: scores.map((s) => Array.from(s)),
      })
    } finally {
      model.dispose()
    }
  }
  const metrics = crossValidationMetrics(predictions, record.auList)
  const bce = bceDescription(record.config)
  const stored = jsonRecord({ ...metrics, bce })
  await fs.writeFile(recordFile, JSON.stringify(jsonRecord({ ...record, predictions, metrics })))
  const sidecarFile = path.join(input.modelDir, MODEL_FILES.sidecar)
  let modelId: number | null = null
  try {
    const sidecar = modelSidecarSchema.parse(JSON.parse(await fs.readFile(sidecarFile, 'utf8')))
    await fs.writeFile(sidecarFile, JSON.stringify({ ...sidecar, metrics: stored }, null, 2))
    const row = ctx.db.prepare('SELECT id, name FROM models WHERE path = ?').get(input.modelDir) as
      { id: number; name: string } | undefined
    modelId = registerModel(ctx.db, {
      name: row?.name ?? `${record.config.preset} ${record.config.variant}`,
      preset: record.config.preset,
      variant: record.config.variant,
      path: input.modelDir,
      config: sidecar.training,
      metrics: stored,
    })
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error
  }
  return {
    modelDir: input.modelDir,
    modelId,
    metrics,
    unassignedClips: set.clips.filter((c) => record.foldAssignment[c.subject] === undefined).length,
    bce,
  }
}
