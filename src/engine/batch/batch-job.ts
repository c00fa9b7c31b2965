import path from 'node:path'
import type { BatchResult } from '../../shared/ml'
import { cropClipFaces, type FaceCropResult } from '../datasets/face-crop'
import type { LibraryDb } from '../db/open-library'
import { defineJobKind, type JobContext } from '../jobs/job-kind'
import { createFaceApiDetector } from '../media/face/face-api-detector'
import type { FaceDetector } from '../media/face/detector'
import { ffmpegTools, type FfmpegTools } from '../media/ffmpeg-locate'
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
import { analyseLongVideo, type BatchModel } from './batch-spot'
import { batchTable } from './batch-table'
import { findBatchVideos } from './batch-videos'
import { sweepStaleSpills } from './spill-space'
import { measureVideos, type MeasuredVideo } from './video-length'

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

/**
 * Progress across the steps, one counter: a short video counts one unit per step (import,
 * crop, apex, prediction), a long one its frames (its one read: spotting and the crops its
 * events are predicted from), and writing the table one; so the bar moves while a long
 * video is read.
 */
class BatchProgress {
  private before = 0
  constructor(
    private readonly ctx: JobContext<BatchState>,
    readonly total: number,
  ) {}

  /** Reports `done` units into the current step. */
  report(done: number, message: string): void {
    this.ctx.progress({
      done: Math.min(this.total, this.before + done),
      total: this.total,
      message,
    })
  }

  /** Closes a step of `units` units. */
  advance(units: number): void {
    this.before += units
  }
}

/** Everything the steps of one batch run share. */
interface BatchRun {
  input: BatchJobInput
  ctx: JobContext<BatchState>
  state: BatchState
  short: MeasuredVideo[]
  long: MeasuredVideo[]
  steps: BatchProgress
  tools: FfmpegTools
}

function datasetClipIds(db: LibraryDb, datasetId: number, where = ''): number[] {
  return db
    .prepare(`SELECT id FROM clips WHERE dataset_id = ? ${where} ORDER BY id`)
    .pluck()
    .all(datasetId) as number[]
}

/** The clips of a batch's short videos (those not spotted from a recording). */
const WHOLE_CLIPS = 'AND recording_id IS NULL'

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

/** (a) The short videos imported as clips of a new dataset (all or none); the state to resume from. */
async function importStep(
  input: BatchJobInput,
  ctx: JobContext<BatchState>,
  short: readonly MeasuredVideo[],
  steps: BatchProgress,
): Promise<BatchState> {
  const parent = input.outDir ?? defaultBatchParent(ctx.libraryPath)
  const resumed = resumedBatch(ctx.db, ctx.jobId, ctx.resumeState)
  if (resumed) return { ...resumed, outDir: resumed.outDir ?? batchOutDir(parent, resumed.dataset) }
  steps.report(0, `Importing videos 0/${short.length}`)
  // Run with no short video too: it makes the dataset and the imports row a resume finds.
  const imported = await importBatchVideos(ctx.db, {
    videos: short,
    folder: input.folder,
    dataset: input.dataset,
    fps: input.fps,
    jobId: ctx.jobId,
    signal: ctx.signal,
    onVideo: (done, total) => steps.report(done, `Importing videos ${done}/${total}`),
  })
  const state = {
    datasetId: imported.datasetId,
    dataset: imported.dataset,
    outDir: batchOutDir(parent, imported.dataset),
  }
  ctx.saveState(state)
  return state
}

/**
 * (d) Each long video in one read: spotted and stored as a recording with its events (unless
 * a resumed run already did), and each event predicted at its apex (`analyseLongVideo`).
 */
async function longVideoStep(run: BatchRun, detector: FaceDetector, predictor: BatchModel) {
  const { ctx, steps, long } = run
  for (const [i, video] of long.entries()) {
    throwIfCancelled(ctx.signal, 'Spotting')
    const name = `${video.subject}/${path.basename(video.file)}`
    const where = `(video ${i + 1} of ${long.length})`
    steps.report(0, `Spotting ${name}: looking for the face ${where}`)
    await analyseLongVideo(ctx.db, run.state.datasetId, video, predictor, {
      dataset: run.state.dataset,
      fps: run.input.fps,
      detector,
      signal: ctx.signal,
      tools: run.tools,
      spillDir: path.dirname(ctx.libraryPath),
      onFrames: (frames) =>
        steps.report(
          Math.min(frames, video.frames),
          `Spotting and predicting ${name}: frame ${frames} of about ${video.frames} ${where}`,
        ),
    })
    steps.advance(video.frames)
  }
}

/** (c) Face crop and apex spotting of the short videos' clips, as a batch always did. */
async function wholeClipStep(run: BatchRun, detector: FaceDetector): Promise<FaceCropResult[]> {
  const { ctx, steps } = run
  const clipIds = datasetClipIds(ctx.db, run.state.datasetId, WHOLE_CLIPS)
  const uncropped = datasetClipIds(ctx.db, run.state.datasetId, `${WHOLE_CLIPS} AND crop IS NULL`)
  const skipped = clipIds.length - uncropped.length
  const crops =
    uncropped.length === 0
      ? []
      : await cropClipFaces(ctx.db, uncropped, detector, {
          signal: ctx.signal,
          onProgress: (done) =>
            steps.report(skipped + done, `Cropping faces ${skipped + done}/${clipIds.length}`),
        })
  steps.advance(run.short.length)
  for (const [i, clipId] of clipIds.entries()) {
    throwIfCancelled(ctx.signal, 'Apex spotting')
    await apexCurveOf(ctx.db, ctx.frameCacheDir, clipId, { signal: ctx.signal })
    steps.report(i + 1, `Spotting apexes ${i + 1}/${clipIds.length}`)
  }
  steps.advance(run.short.length)
  return crops
}

/** (d) AU probabilities: the short videos' clips at their apex, then each long video's events. */
async function predictStep(run: BatchRun, detector: FaceDetector): Promise<number> {
  const { ctx, steps, state } = run
  throwIfCancelled(ctx.signal, 'Batch analysis')
  steps.report(0, 'Loading the model')
  const { model, sidecar } = await loadAuModel(run.input.modelDir)
  try {
    const modelId = modelIdFor(ctx.db, run.input.modelDir, sidecar)
    const clipIds = datasetClipIds(ctx.db, state.datasetId, WHOLE_CLIPS)
    if (clipIds.length > 0) {
      const predictions = await predictDataset(ctx.db, ctx.frameCacheDir, model, sidecar, {
        datasetId: state.datasetId,
        clipIds,
        signal: ctx.signal,
        onClip: (done, total) => steps.report(done, `Predicting AUs ${done}/${total}`),
      })
      storePredictions(ctx.db, modelId, predictions)
    }
    steps.advance(run.short.length)
    await longVideoStep(run, detector, { model, sidecar, modelId })
    return modelId
  } finally {
    model.dispose()
  }
}

/** Recordings' events without a face crop: no face was found where spotting started. */
function uncroppedEvents(db: LibraryDb, datasetId: number): BatchJobResult['faceCropProblems'] {
  const rows = db
    .prepare(
      `SELECT c.id AS clipId, c.name AS clip FROM clips c
       WHERE c.dataset_id = ? AND c.recording_id IS NOT NULL AND c.crop IS NULL ORDER BY c.id`,
    )
    .all(datasetId) as { clipId: number; clip: string }[]
  return rows.map((r) => ({ ...r, problem: "No face was found in the recording's first frame" }))
}

/**
 * Runs a batch analysis with the existing steps' own functions, in this worker. Each video is
 * measured: a short one (≤ SHORT_VIDEO_SECONDS) is one clip as a batch always made, a long one
 * a recording to spot. When there are recordings, the spills that batches killed while
 * reading one left beside the library are removed first (`sweepStaleSpills`). (a) imports
 * the short videos as a new dataset (all or none), (b) spots
 * each long video in one streaming read and stores its events as clips of a recording,
 * (c) face crop and apex curve of the short clips, (d) predicts every clip and event at its
 * apex and stores the predictions, (e) writes the table (one row per event or short clip) and
 * the per-participant counts as CSV and XLSX. Cancelling stops between steps, videos and clips.
 */
export async function runBatch(
  input: BatchJobInput,
  ctx: JobContext<BatchState>,
): Promise<BatchJobResult> {
  const tools = await ffmpegTools()
  const measured = await measureVideos(findBatchVideos(input.folder), {
    fps: input.fps,
    signal: ctx.signal,
    tools,
  })
  const short = measured.filter((v) => !v.long)
  const long = measured.filter((v) => v.long)
  // The spills of batches killed while they read a recording are given back first.
  if (long.length > 0) sweepStaleSpills(path.dirname(ctx.libraryPath))
  const longFrames = long.reduce((sum, v) => sum + v.frames, 0)
  const steps = new BatchProgress(ctx, 4 * short.length + longFrames + 1)
  const state = await importStep(input, ctx, short, steps)
  steps.advance(short.length)
  const run: BatchRun = { input, ctx, state, short, long, steps, tools }

  throwIfCancelled(ctx.signal, 'Batch analysis')
  steps.report(0, 'Loading the face detector')
  // One backend for face detection and the AU model, chosen as the job asks.
  await selectBackend({ prefer: input.backend, purpose: 'inference' })
  const detector = await createFaceApiDetector()
  const crops = await wholeClipStep(run, detector)
  const modelId = await predictStep(run, detector)

  throwIfCancelled(ctx.signal, 'Batch analysis')
  steps.report(0, 'Writing the table')
  const table = batchTable(ctx.db, state.datasetId, modelId, input.threshold)
  const files = await writeBatchFiles(table, state.outDir)
  steps.advance(1)
  steps.report(0, `Wrote ${table.rows.length} rows to ${state.outDir}`)
  return {
    datasetId: state.datasetId,
    modelId,
    clips: table.rows.length,
    ...(input.threshold === undefined ? {} : { threshold: input.threshold }),
    ...files,
    dataset: state.dataset,
    outDir: state.outDir,
    faceCropProblems: crops
      .flatMap((c) =>
        c.crop !== null
          ? []
          : [{ clipId: c.clipId, clip: c.clip, problem: c.problem ?? 'No face was found' }],
      )
      .concat(uncroppedEvents(ctx.db, state.datasetId)),
  }
}

/** `batch.analyze`: a folder of videos to a table of AU probabilities (see {@link runBatch}). */
export const batchJob = defineJobKind<typeof batchJobInputSchema, BatchJobResult, BatchState>({
  kind: BATCH_KIND,
  input: batchJobInputSchema,
  run: (input, ctx) => runBatch(input, ctx),
})
