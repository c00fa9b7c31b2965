import fs from 'node:fs/promises'
import path from 'node:path'
import { AppError } from '../../../shared/errors'
import type { JobContext } from '../../jobs/job-kind'
import { selectBackend } from '../backend'
import type { LabelCoder } from '../data/label-coder'
import { loadTrainingSet, type LabelLayer, type TrainingClip } from '../data/training-set'
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

/** cross-validation.json as written before training pooled datasets: one dataset. */
interface SingleDatasetRecord extends Omit<CrossValidationRecord, 'datasetIds' | 'labelLayers'> {
  datasetId: number
  coder: LabelCoder
}

/** A stored record's label layers and the fold key of a clip, whichever format it has. */
function recordData(record: CrossValidationRecord | SingleDatasetRecord): {
  labelLayers: LabelLayer[]
  foldKey: (clip: TrainingClip) => string
} {
  if ('datasetIds' in record) {
    return { labelLayers: record.labelLayers, foldKey: (clip) => clip.subjectKey }
  }
  // One dataset: its folds were keyed by subject code.
  return {
    labelLayers: [{ datasetId: record.datasetId, coder: record.coder }],
    foldKey: (clip) => clip.subject,
  }
}

/**
 * Re-evaluates a trained model folder on the library's current labels of the datasets it was
 * trained on (each with the label layer it was trained with; a record of one dataset from
 * before datasets were pooled reads as well): each stored fold
 * model predicts the clips of its held-out subjects (the fold assignment stored with the
 * model), the predictions are pooled and the metrics written back to the sidecar,
 * cross-validation.json and the models table.
 */
export async function evaluateModel(
  input: { modelDir: string; backend: 'auto' | 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu' },
  ctx: Pick<JobContext<unknown>, 'db' | 'frameCacheDir' | 'signal' | 'progress'>,
): Promise<EvaluationResult> {
  const recordFile = path.join(input.modelDir, RUN_FILES.crossValidation)
  let record: CrossValidationRecord | SingleDatasetRecord
  try {
    record = JSON.parse(await fs.readFile(recordFile, 'utf8')) as
      CrossValidationRecord | SingleDatasetRecord
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
  const { labelLayers, foldKey } = recordData(record)
  const set = await loadTrainingSet(ctx.db, ctx.frameCacheDir, {
    datasetIds: labelLayers.map((l) => l.datasetId),
    coder: Object.fromEntries(labelLayers.map((l) => [l.datasetId, l.coder.id])),
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
      const test = set.clips.filter((c) => record.foldAssignment[foldKey(c)] === fold)
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
    unassignedClips: set.clips.filter((c) => record.foldAssignment[foldKey(c)] === undefined)
      .length,
    bce,
  }
}
