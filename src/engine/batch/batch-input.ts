import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { AppError } from '../../shared/errors'
import { ML_BACKENDS } from '../../shared/ml'
import { absolutePathSchema, fpsSchema, nameSchema, thresholdSchema } from '../../shared/schemas'
import type { LibraryDb } from '../db/open-library'
import { MODEL_FILES } from '../ml/weights/sidecar'
import { findBatchVideos } from './batch-videos'
import { storedModel } from './model-aus'

/** Job kind name of a batch analysis. */
export const BATCH_KIND = 'batch.analyze'

/** Input of a `batch.analyze` job (what the handler and the CLI resolve a request to). */
export const batchJobInputSchema = z
  .object({
    /** The folder of videos: each subfolder a participant. */
    folder: absolutePathSchema,
    /** The model folder (registered in the library if it is not yet). */
    modelDir: absolutePathSchema,
    /** The dataset name wanted (a free variant is used when it is taken). */
    dataset: nameSchema,
    /** Where the CSV and XLSX go; `<library>.batch/<time>-<dataset>` when absent. */
    outDir: absolutePathSchema.optional(),
    /** Frame rate overriding the videos' own. */
    fps: fpsSchema.optional(),
    /** One decision threshold for every AU; the model's own thresholds when absent. */
    threshold: thresholdSchema.optional(),
    backend: z.enum(ML_BACKENDS).default('auto'),
  })
  .strict()

/** Parsed input of a `batch.analyze` job. */
export type BatchJobInput = z.output<typeof batchJobInputSchema>

/** A batch request as the contract and the CLI make it: the model by id or by folder. */
export interface BatchRequest {
  folder: string
  model: { id: number } | { dir: string }
  dataset?: string
  outDir?: string
  fps?: number
  threshold?: number
  backend?: BatchJobInput['backend']
}

/**
 * Checks a batch request before a job starts, so the obvious mistakes answer at once: the
 * model (an id of the library, or a folder) must be there, the folder must exist and hold
 * videos (each is only probed in the job). The dataset name defaults to the folder's name.
 */
export function batchJobInput(db: LibraryDb, request: BatchRequest): BatchJobInput {
  const folder = path.resolve(request.folder)
  const modelDir =
    'id' in request.model ? storedModel(db, request.model.id).path : path.resolve(request.model.dir)
  if (!fs.existsSync(path.join(modelDir, MODEL_FILES.sidecar))) {
    throw new AppError(
      'not_found',
      `${modelDir} is not a model folder (it has no ${MODEL_FILES.sidecar}).`,
      { modelDir },
    )
  }
  findBatchVideos(folder)
  return batchJobInputSchema.parse({
    folder,
    modelDir,
    dataset: request.dataset ?? (path.basename(folder) || 'Batch'),
    outDir: request.outDir === undefined ? undefined : path.resolve(request.outDir),
    fps: request.fps,
    threshold: request.threshold,
    backend: request.backend ?? 'auto',
  })
}

/**
 * The folder a batch writes its files into: `<parent>/<time>-<dataset>`, so batches never
 * overwrite each other's files. The parent is the folder the user chose, or
 * `<library>.batch` beside the library.
 */
export function batchOutDir(parent: string, dataset: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-')
  const safe = dataset.replace(/[^\p{L}\p{N} ._-]+/gu, '_').trim() || 'batch'
  return path.join(parent, `${stamp}-${safe}`)
}

/** Where a library's batches go unless the user chooses a folder: `<library>.batch`. */
export function defaultBatchParent(libraryPath: string): string {
  return `${libraryPath}.batch`
}
