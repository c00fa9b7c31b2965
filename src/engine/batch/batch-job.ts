import type { BatchResult } from '../../shared/ml'
import { cropClipFaces, type FaceCropResult } from '../datasets/face-crop'
import type { LibraryDb } from '../db/open-library'
import { defineJobKind, type JobContext } from '../jobs/job-kind'
import { createFaceApiDetector } from '../media/face/face-api-detector'
import { throwIfCancelled } from '../media/work'
import { selectBackend } from '../ml/backend'
import { modelIdFor, predictDataset, storePredictions } from '../ml/infer/predict-dataset'
import { loadAuModel } from '../ml/weights/tfjs-format'
import { apexCurveOf } from '../signal-jobs/apex-curves'
import { writeBatchFiles } from './batch-files'
import { importBatchVideos } from './batch-import'
import {
  BATCH_KIND,
  batchJobInputSchema,
  batchOutDir,
  defaultBatchParent,
  type BatchJobInput,
} from './batch-input'
import { batchTable } from './batch-table'
import { findBatchVideos } from './batch-videos'

/** What a batch job saves once its videos are imported, so a resumed run does not import twice. */
export interface BatchState {
  datasetId: number
  dataset: string
  outDir: string
}

/** A batch job's result: the contract's BatchResult, plus the dataset's name, the folder written and the clips face crop could not cut. */
export interface BatchJobResult extends BatchResult {
  dataset: string
  outDir: string
  /** Clips where no face was found (their frames are used whole), with why. */
  faceCropProblems: { clipId: number; clip: string; problem: string }[]
}

/** Progress across the steps: each unit is one video or clip of one step, plus writing the table. */
class BatchProgress {
  constructor(
    private readonly ctx: JobContext<BatchState>,
    private readonly total: number,
  ) {}

  report(before: number, done: number, message: string): void {
    this.ctx.progress({ done: before + done, total: this.total, message })
  }
}

function datasetClipIds(db: LibraryDb, datasetId: number, where = ''): number[] {
  return db
    .prepare(`SELECT id FROM clips WHERE dataset_id = ? ${where} ORDER BY id`)
    .pluck()
    .all(datasetId) as number[]
}

/**
 * Where a resumed batch carries on: the state it saved, or (when the worker died before its
 * state reached the host) the import this job already wrote, found by its job id. Undefined
 * when the job has imported nothing yet, or its dataset was deleted meanwhile (it starts over).
 */
export function resumedBatch(
  db: LibraryDb,
  jobId: number,
  saved: BatchState | undefined,
): (Pick<BatchState, 'datasetId' | 'dataset'> & { outDir?: string }) | undefined {
  const exists = (datasetId: number) =>
    db.prepare('SELECT 1 FROM datasets WHERE id = ?').get(datasetId) !== undefined
  if (saved) return exists(saved.datasetId) ? saved : undefined
  return db
    .prepare(
      `SELECT d.id AS datasetId, d.name AS dataset FROM imports i JOIN datasets d ON d.id = i.dataset_id
       WHERE i.job_id = ? ORDER BY i.id DESC LIMIT 1`,
    )
    .get(jobId) as { datasetId: number; dataset: string } | undefined
}

/**
 * Runs a batch analysis with the existing steps' own functions, in this worker: (a) imports
 * the folder's videos as a new dataset (all or none), (b) face crop of every clip without a
 * crop, (c) the apex-spotting curve of every clip (cached), (d) predicts every clip with the
 * model and stores the predictions, (e) writes the batch table as CSV and XLSX. Progress
 * counts one unit per video or clip and step; cancelling stops between steps and clips.
 */
export async function runBatch(
  input: BatchJobInput,
  ctx: JobContext<BatchState>,
): Promise<BatchJobResult> {
  const resumed = resumedBatch(ctx.db, ctx.jobId, ctx.resumeState)
  let state: BatchState | undefined = resumed && {
    ...resumed,
    outDir:
      resumed.outDir ??
      batchOutDir(input.outDir ?? defaultBatchParent(ctx.libraryPath), resumed.dataset),
  }
  const videos = state ? [] : findBatchVideos(input.folder)
  const expected = state ? datasetClipIds(ctx.db, state.datasetId).length : videos.length
  const steps = new BatchProgress(ctx, videos.length + 3 * expected + 1)
  let before = 0

  if (!state) {
    steps.report(0, 0, `Importing videos 0/${videos.length}`)
    const imported = await importBatchVideos(ctx.db, {
      videos,
      folder: input.folder,
      dataset: input.dataset,
      fps: input.fps,
      jobId: ctx.jobId,
      signal: ctx.signal,
      onVideo: (done, total) => steps.report(0, done, `Importing videos ${done}/${total}`),
    })
    state = {
      datasetId: imported.datasetId,
      dataset: imported.dataset,
      outDir: batchOutDir(input.outDir ?? defaultBatchParent(ctx.libraryPath), imported.dataset),
    }
    ctx.saveState(state)
    before = videos.length
  }
  const { datasetId } = state
  const clipIds = datasetClipIds(ctx.db, datasetId)

  throwIfCancelled(ctx.signal, 'Batch analysis')
  steps.report(before, 0, 'Loading the face detector')
  // One backend for face detection and the AU model, chosen as the job asks.
  await selectBackend({ prefer: input.backend, purpose: 'inference' })
  const uncropped = datasetClipIds(ctx.db, datasetId, 'AND crop IS NULL')
  const skipped = clipIds.length - uncropped.length
  const crops: FaceCropResult[] =
    uncropped.length === 0
      ? []
      : await cropClipFaces(ctx.db, uncropped, await createFaceApiDetector(), {
          signal: ctx.signal,
          onProgress: (done) =>
            steps.report(
              before,
              skipped + done,
              `Cropping faces ${skipped + done}/${clipIds.length}`,
            ),
        })
  before += clipIds.length

  for (const [i, clipId] of clipIds.entries()) {
    throwIfCancelled(ctx.signal, 'Apex spotting')
    await apexCurveOf(ctx.db, ctx.frameCacheDir, clipId, { signal: ctx.signal })
    steps.report(before, i + 1, `Spotting apexes ${i + 1}/${clipIds.length}`)
  }
  before += clipIds.length

  throwIfCancelled(ctx.signal, 'Batch analysis')
  steps.report(before, 0, 'Loading the model')
  const { model, sidecar } = await loadAuModel(input.modelDir)
  let modelId: number
  try {
    const predictions = await predictDataset(ctx.db, ctx.frameCacheDir, model, sidecar, {
      datasetId,
      signal: ctx.signal,
      onClip: (done, total) => steps.report(before, done, `Predicting AUs ${done}/${total}`),
    })
    modelId = modelIdFor(ctx.db, input.modelDir, sidecar)
    storePredictions(ctx.db, modelId, predictions)
  } finally {
    model.dispose()
  }
  before += clipIds.length

  throwIfCancelled(ctx.signal, 'Batch analysis')
  steps.report(before, 0, 'Writing the table')
  const table = batchTable(ctx.db, datasetId, modelId, input.threshold)
  const files = await writeBatchFiles(table, state.outDir)
  steps.report(before, 1, `Wrote ${table.rows.length} rows to ${state.outDir}`)
  return {
    datasetId,
    modelId,
    clips: table.rows.length,
    ...(input.threshold === undefined ? {} : { threshold: input.threshold }),
    ...files,
    dataset: state.dataset,
    outDir: state.outDir,
    faceCropProblems: crops.flatMap((c) =>
      c.crop !== null
        ? []
        : [{ clipId: c.clipId, clip: c.clip, problem: c.problem ?? 'No face was found' }],
    ),
  }
}

/** `batch.analyze`: a folder of videos to a table of AU probabilities (see {@link runBatch}). */
export const batchJob = defineJobKind<typeof batchJobInputSchema, BatchJobResult, BatchState>({
  kind: BATCH_KIND,
  input: batchJobInputSchema,
  run: (input, ctx) => runBatch(input, ctx),
})
