import fs from 'node:fs/promises'
import path from 'node:path'
import { AppError } from '../../../shared/errors'
import type { ModelDetail, ModelSummary } from '../../../shared/ml'
import type { LibraryDb } from '../../db/open-library'
import {
  ML_JOB_KINDS,
  ablationJobInputSchema,
  trainJobInputSchema,
  type AblationJobInput,
  type TrainJobInput,
} from '../../ml/jobs/schemas'
import { MODEL_FILES } from '../../ml/weights/sidecar'
import type { EngineContext } from '../context'
import type { HandlerGroup } from './types'

interface ModelDbRow {
  id: number
  name: string
  preset: string
  variant: string
  path: string
  config: string
  metrics: string | null
  createdAt: string
}

const SELECT_MODEL = `SELECT id, name, preset, variant, path, config, metrics, created_at AS createdAt FROM models`

function summary(row: ModelDbRow): ModelSummary {
  const metrics = row.metrics ? (JSON.parse(row.metrics) as { meanF1?: unknown }) : null
  return {
    id: row.id,
    name: row.name,
    preset: row.preset,
    variant: row.variant,
    path: row.path,
    meanF1: typeof metrics?.meanF1 === 'number' ? metrics.meanF1 : null,
    createdAt: row.createdAt,
  }
}

function modelRow(db: LibraryDb, id: number): ModelDbRow {
  const row = db.prepare(`${SELECT_MODEL} WHERE id = ?`).get(id) as ModelDbRow | undefined
  if (!row) throw new AppError('not_found', `There is no model with id ${id}.`, { id })
  return row
}

/** Where the engine puts a model it trains: `<library>.models/<time>-<preset>-<variant>`. */
function newModelDir(ctx: EngineContext, label: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  return path.join(`${ctx.libraryPath}.models`, `${stamp}-${label}`)
}

function checkDataset(ctx: EngineContext, datasetId: number): void {
  if (!ctx.db.prepare('SELECT 1 FROM datasets WHERE id = ?').get(datasetId)) {
    throw new AppError('not_found', `There is no dataset with id ${datasetId}.`, { datasetId })
  }
}

type RunFields = {
  datasetIds: number[]
  preset: TrainJobInput['preset']
  folds: number
  seed: number
  epochs?: number
  batchSize?: number
  classBalancedBce?: boolean
  trainMode?: TrainJobInput['overrides']['trainMode']
  weightsFile?: string
  coderId?: number
  minPositives: number
  backend: TrainJobInput['backend']
}

function runInput(fields: RunFields, outDir: string) {
  return {
    datasetIds: fields.datasetIds,
    preset: fields.preset,
    folds: fields.folds,
    seed: fields.seed,
    overrides: {
      epochs: fields.epochs,
      batchSize: fields.batchSize,
      classBalancedBce: fields.classBalancedBce,
      trainMode: fields.trainMode,
    },
    weightsFile: fields.weightsFile ? path.resolve(fields.weightsFile) : null,
    outDir,
    coder: fields.coderId,
    minPositives: fields.minPositives,
    backend: fields.backend,
  }
}

/** Trained models and their jobs (train, ablation, evaluate, predict, Grad-CAM). */
export const modelHandlers: HandlerGroup<
  | 'models.list'
  | 'models.get'
  | 'models.rename'
  | 'models.delete'
  | 'ml.train'
  | 'ml.ablation'
  | 'ml.evaluate'
  | 'ml.predict'
  | 'ml.gradCam'
  | 'ml.backendInfo'
> = {
  'models.list': (_input, ctx) =>
    (ctx.db.prepare(`${SELECT_MODEL} ORDER BY id DESC`).all() as ModelDbRow[]).map(summary),
  'models.get': (input, ctx): ModelDetail => {
    const row = modelRow(ctx.db, input.id)
    return {
      ...summary(row),
      config: JSON.parse(row.config) as unknown,
      metrics: row.metrics ? (JSON.parse(row.metrics) as unknown) : null,
    }
  },
  'models.rename': (input, ctx) => {
    modelRow(ctx.db, input.id)
    ctx.db.prepare('UPDATE models SET name = ? WHERE id = ?').run(input.name, input.id)
    ctx.emit('data.changed', { entity: 'models', ids: [input.id] })
    return summary(modelRow(ctx.db, input.id))
  },
  'models.delete': async (input, ctx) => {
    const row = modelRow(ctx.db, input.id)
    if (input.deleteFiles) {
      // Only a folder that is one of our models is removed.
      try {
        await fs.access(path.join(row.path, MODEL_FILES.sidecar))
        await fs.rm(row.path, { recursive: true, force: true })
      } catch {
        // Nothing of ours there: leave the folder alone.
      }
    }
    ctx.db.prepare('DELETE FROM models WHERE id = ?').run(input.id)
    ctx.emit('data.changed', { entity: 'models', ids: [input.id] })
    return { id: input.id }
  },
  'ml.train': (input, ctx) => {
    for (const datasetId of input.datasetIds) checkDataset(ctx, datasetId)
    const job: TrainJobInput = trainJobInputSchema.parse({
      ...runInput(input, newModelDir(ctx, `${input.preset}-${input.variant}`)),
      variant: input.variant,
      name: input.name,
    })
    return ctx.jobs.start(ML_JOB_KINDS.train, job)
  },
  'ml.ablation': (input, ctx) => {
    for (const datasetId of input.datasetIds) checkDataset(ctx, datasetId)
    const job: AblationJobInput = ablationJobInputSchema.parse({
      ...runInput(input, newModelDir(ctx, `${input.preset}-ablation`)),
      variants: input.variants,
    })
    return ctx.jobs.start(ML_JOB_KINDS.ablation, job)
  },
  'ml.evaluate': (input, ctx) =>
    ctx.jobs.start(ML_JOB_KINDS.evaluate, {
      modelDir: modelRow(ctx.db, input.modelId).path,
      backend: 'auto',
    }),
  'ml.predict': (input, ctx) => {
    checkDataset(ctx, input.datasetId)
    return ctx.jobs.start(ML_JOB_KINDS.predict, {
      modelDir: modelRow(ctx.db, input.modelId).path,
      datasetId: input.datasetId,
      clipIds: input.clipIds,
      backend: 'auto',
    })
  },
  'ml.gradCam': (input, ctx) =>
    ctx.jobs.start(ML_JOB_KINDS.gradCam, {
      modelDir: modelRow(ctx.db, input.modelId).path,
      clipId: input.clipId,
      aus: input.aus,
      backend: 'auto',
    }),
  'ml.backendInfo': async () => {
    const { selectBackend } = await import('../../ml/backend')
    const report = await selectBackend({ purpose: 'training' })
    return {
      name: report.name,
      reason: report.reason,
      threads: report.threads,
      attempts: report.attempts,
    }
  },
}
